import { describe, expect, it } from 'vitest';
import { chinchillaAllocation } from '../src/laws/chinchillaAllocation.ts';
import { allocationExponents, computeForModelSize, optimalAllocation } from '../src/analysis/optimalAllocation.ts';
import { perDecade } from '../src/analysis/perDecade.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { getLaw } from '../src/laws/index.ts';
import { kaplanN } from '../src/laws/kaplan-n.ts';
import { kaplanND } from '../src/laws/kaplan-nd.ts';
import type { Law } from '../src/core/law.ts';
import { KAPLAN_PUBLISHED, SARDANA_CHINCHILLA } from './helpers/lawParams.ts';
import { expectPrinted } from './helpers/printed.ts';

// Hoffmann et al. 2022 (arXiv:2203.15556) eq. 10 / approach 3 parameters.
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
// The same law under another name, so that optimalAllocation takes its numeric path instead of the closed form.
const chinchillaNumeric: Law = { ...chinchilla, name: 'chinchilla-numeric' };

describe('compute-optimal allocation', () => {
  it('optimalAllocation(chinchilla, beta <= 0) throws as the numeric path does, instead of returning NaN', () => {
    // With beta <= 0 the loss does not fall in D: L(N, C/(6N)) has no interior minimum and the closed form is NaN.
    const bad = { ...HOFFMANN, beta: -0.1 };
    expect(() => optimalAllocation(chinchillaNumeric, bad, 1e22)).toThrow(/no interior minimum/);
    expect(() => optimalAllocation(chinchilla, bad, 1e22)).toThrow(/no interior minimum/);
    expect(() => allocationExponents(chinchilla, bad, 1e22)).toThrow(/no interior minimum/);
    expect(() => computeForModelSize(chinchilla, { ...HOFFMANN, alpha: 0 }, 1e9)).toThrow(/no interior minimum/);
  });

  it('chinchillaAllocation(Hoffmann params) gives a = 0.4516, b = 0.5484 (Hoffmann et al. 2022: a = 0.46, b = 0.54)', () => {
    const { a, b } = chinchillaAllocation(HOFFMANN, 1e21);
    expect(a).toBeCloseTo(0.4516, 4);
    expect(b).toBeCloseTo(0.5484, 4);
  });

  it('computeForModelSize(chinchilla, Hoffmann unrounded params) scales as Hoffmann et al. 2022 Table A3 (approach 3)', () => {
    // Hoffmann et al. 2022 (arXiv:2203.15556) Table A3, approach 3: model size -> FLOPs (the 175B row printed
    // 1.26e24 is a typo for 6ND = 1.26e25). Parameters: the unrounded approach-3 fit (alpha 0.33917084,
    // beta 0.2849083, A 406.4, B 410.72, E 1.6934; Epoch's analyzing-chinchilla notebook, `true_params`).
    const TABLE_A3: Array<[number, number]> = [
      [400e6, 2.21e19],
      [1e9, 1.62e20],
      [10e9, 2.46e22],
      [67e9, 1.71e24],
      [175e9, 1.26e25],
      [280e9, 3.52e25],
      [520e9, 1.36e26],
      [1e12, 5.65e26],
      [10e12, 8.55e28],
    ];
    const unrounded = { E: 1.6934, A: 406.4, B: 410.72, alpha: 0.33917084, beta: 0.2849083 };
    const slope = (pts: Array<[number, number]>) => {
      const x = pts.map(([, C]) => Math.log(C)),
        y = pts.map(([N]) => Math.log(N));
      const mx = x.reduce((a, b) => a + b) / x.length,
        my = y.reduce((a, b) => a + b) / y.length;
      return x.reduce((s, xi, i) => s + (xi - mx) * (y[i]! - my), 0) / x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
    };
    const ours = TABLE_A3.map(([N]): [number, number] => [N, computeForModelSize(chinchilla, unrounded, N).compute]);
    // The table's N_opt ∝ C^a over 4.4 decades: a = 0.4587 (Table 2 rounds it to 0.46); ours 0.4565. The table
    // rounds FLOPs to 3 digits and its 67B row sits 4% off the line of the others, so a agrees to 0.003, not better.
    expect(slope(TABLE_A3)).toBeCloseTo(0.4587, 4);
    expect(Math.abs(slope(ours) - slope(TABLE_A3))).toBeLessThan(0.003);
    // The level differs: our FLOPs are 3% (67B) to 19% (10T) above the table's, a gap neither the rounded (eq. 10)
    // nor the unrounded parameters close; bounded here so that a change of the allocation formula shows.
    for (const [i, [N, C]] of TABLE_A3.entries()) expect(ours[i]![1] / C, `N = ${N}`).toBeGreaterThan(1.0);
    for (const [i, [N, C]] of TABLE_A3.entries()) expect(ours[i]![1] / C, `N = ${N}`).toBeLessThan(1.2);
  });

  it("computeForModelSize(chinchilla, Sardana params, 30B) gives the authors' published Chinchilla-30B (closed form and numeric)", () => {
    // Sardana et al. 2024 (arXiv:2401.00448), authors' code README (github.com/nikhilsardana/beyond-chinchilla, commit
    // 190f70e, "4. cost_calculator.py --model 30e9 --chinchilla"), with their coefficients alpha 0.336, beta 0.283,
    // A 406.4, B 410.7, E 1.69 and training FLOPs 6ND: "Training Data (tok): 1.556e+12", "Train FLOPs: 2.801e+23"
    // (4 significant digits: half a unit of the last one) and "Final Training loss: 1.958253360475841" (Python's
    // shortest repr; 1e-12 allows for the different order of floating-point operations in their closed form).
    const closed = computeForModelSize(chinchilla, SARDANA_CHINCHILLA, 30e9);
    expectPrinted(closed.D_opt, 1.556e12, 1e9, 'D_opt');
    expectPrinted(closed.compute, 2.801e23, 1e20, 'training FLOPs');
    expect(Math.abs(closed.loss - 1.958253360475841)).toBeLessThan(1e-12);
    // The numeric minimisation of L(N, C/(6N)) (accurate to 1e-6 in N, so far inside the 4 printed digits).
    const numeric = computeForModelSize(chinchillaNumeric, SARDANA_CHINCHILLA, 30e9);
    expectPrinted(numeric.D_opt, 1.556e12, 1e9, 'numeric D_opt');
    expectPrinted(numeric.compute, 2.801e23, 1e20, 'numeric training FLOPs');
    expect(Math.abs(numeric.loss - 1.958253360475841)).toBeLessThan(1e-9);
    // And forwards: the compute-optimal model for the printed budget is the 30B one. 2.801e23 is rounded (<= 1.8e-4
    // relative) and N_opt grows as C^(beta/(alpha+beta)) = C^0.457, so N_opt is within 0.83e-4 of 30B.
    expect(Math.abs(optimalAllocation(chinchilla, SARDANA_CHINCHILLA, 2.801e23).N_opt / 30e9 - 1)).toBeLessThan(
      0.83e-4,
    );
  });

  for (const C of [1e18, 1e21, 5.76e23, 1e26]) {
    it(`optimalAllocation numeric minimisation of L(N, C/(6N)) matches the closed form to 1e-6 at C = ${C}`, () => {
      const closed = optimalAllocation(chinchilla, HOFFMANN, C);
      const numeric = optimalAllocation(chinchillaNumeric, HOFFMANN, C);
      const G = chinchillaAllocation(HOFFMANN, C);
      expect(closed.N_opt).toBe(G.N_opt);
      expect(Math.abs(numeric.N_opt / closed.N_opt - 1)).toBeLessThan(1e-6);
      expect(Math.abs(numeric.D_opt / G.D_opt - 1)).toBeLessThan(1e-6);
      expect(closed.N_opt * closed.D_opt * 6).toBeCloseTo(C, -Math.log10(C) + 6);
      expect(closed.tokens_per_param).toBeCloseTo(closed.D_opt / closed.N_opt, 10);
      expect(closed.loss).toBeCloseTo(chinchilla.predict(HOFFMANN, { N: closed.N_opt, D: closed.D_opt }), 12);
    });
  }

  it('optimalAllocation: the optimum is lower than its neighbours on the C = 6ND line', () => {
    const C = 1e22;
    const o = optimalAllocation(kaplanND, KAPLAN_PUBLISHED['kaplan-nd']!, C);
    for (const f of [0.9, 1.1])
      expect(kaplanND.predict(KAPLAN_PUBLISHED['kaplan-nd']!, { N: o.N_opt * f, C })).toBeGreaterThan(o.loss);
  });

  it('allocationExponents(kaplan-nd) = alpha_D/(alpha_N + alpha_D), the exact exponent of the KM joint law under C = 6ND', () => {
    // Minimising (N_c/N)^(alpha_N/alpha_D) + 6 D_c N / C over N gives N_opt ∝ C^(alpha_D/(alpha_N+alpha_D)).
    const { a, b } = allocationExponents(kaplanND, KAPLAN_PUBLISHED['kaplan-nd']!, 1e21);
    expect(a).toBeCloseTo(0.103 / (0.076 + 0.103), 6);
    expect(a + b).toBeCloseTo(1, 9);
  });

  it('allocationExponents(chinchilla numeric) equals beta/(alpha+beta)', () => {
    expect(allocationExponents(chinchillaNumeric, HOFFMANN, 1e20).a).toBeCloseTo(0.28 / 0.62, 7);
  });

  it('perDecade(0.73, 0.27): the KM rule of thumb, ~5.4x model and ~1.9x data per 10x compute', () => {
    // Kaplan et al. 2020 (a = 0.73, b = 0.27 as tabulated by Hoffmann et al. 2022 Table 2); quoted as 5.5x and 1.8x.
    const m = perDecade(0.73, 0.27);
    expect(m.N).toBeCloseTo(5.37, 2);
    expect(m.D).toBeCloseTo(1.86, 2);
    expect(m.N * m.D).toBeCloseTo(10, 10);
    // Chinchilla approach 3 (a = 0.46, b = 0.54): ~2.9x and ~3.5x.
    expect(perDecade(0.46, 0.54).N).toBeCloseTo(2.88, 2);
  });

  it('computeForModelSize inverts optimalAllocation (closed form and numeric)', () => {
    for (const law of [chinchilla, chinchillaNumeric]) {
      const inv = computeForModelSize(law, HOFFMANN, 70e9);
      expect(inv.N_opt).toBe(70e9);
      expect(Math.abs(optimalAllocation(chinchilla, HOFFMANN, inv.compute).N_opt / 70e9 - 1)).toBeLessThan(1e-6);
      expect(inv.D_opt).toBeCloseTo(inv.compute / (6 * 70e9), -3);
    }
    const nd = computeForModelSize(kaplanND, KAPLAN_PUBLISHED['kaplan-nd']!, 1e9);
    expect(
      Math.abs(optimalAllocation(kaplanND, KAPLAN_PUBLISHED['kaplan-nd']!, nd.compute).N_opt / 1e9 - 1),
    ).toBeLessThan(1e-6);
  });

  it('optimalAllocation refuses a law that is not a function of N and D', () => {
    expect(() => optimalAllocation(kaplanN, KAPLAN_PUBLISHED['kaplan-n']!, 1e21)).toThrow(/needs a law of N and D/);
    expect(() => optimalAllocation(getLaw('kaplan-ns'), KAPLAN_PUBLISHED['kaplan-ns']!, 1e21)).toThrow(/law of N, S/);
  });

  it('optimalAllocation(kaplan-nd-offset) finds an interior optimum', () => {
    const law = getLaw('kaplan-nd', { offset: true });
    const o = optimalAllocation(law, { E: 1.7, ...KAPLAN_PUBLISHED['kaplan-nd']! }, 1e21);
    expect(o.N_opt).toBeGreaterThan(1);
    expect(o.loss).toBeGreaterThan(1.7);
  });
});
