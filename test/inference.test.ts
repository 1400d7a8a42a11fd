import { describe, expect, it } from 'vitest';
import { chinchillaAllocation } from '../src/laws/chinchillaAllocation.ts';
import { inferenceOptimal } from '../src/analysis/inferenceOptimal.ts';
import { minimize1d } from '../src/math/minimize1d.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { datacon } from '../src/laws/datacon.ts';

// Hoffmann et al. 2022 eq. 10 (approach 3) parameters.
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

describe('inferenceOptimal', () => {
  it('minimize1d(f, lo, hi) finds the minimum of a parabola', () => {
    expect(minimize1d((x) => (x - 2) ** 2, 0, 5).x).toBeCloseTo(2, 8);
  });

  it('inferenceOptimal(chinchilla, p, {T: 0, budget}) equals the closed-form Chinchilla allocation', () => {
    const C = 5.76e23;
    const r = inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 0, budget: C });
    const closed = chinchillaAllocation(HOFFMANN, C);
    expect(r.optimum.N / closed.N_opt).toBeCloseTo(1, 5);
    expect(r.optimum.D / closed.D_opt).toBeCloseTo(1, 5);
    expect(r.ratio.N).toBeCloseTo(1, 5);
    expect(r.ratio.totalFlops).toBeCloseTo(1, 6);
  });

  it('inferenceOptimal(chinchilla, p, {T: 0, targetLoss}) finds the Chinchilla-optimal model for that loss', () => {
    const closed = chinchillaAllocation(HOFFMANN, 1e22);
    const loss = chinchilla.predict(HOFFMANN, { N: closed.N_opt, D: closed.D_opt });
    const r = inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 0, targetLoss: loss });
    expect(r.optimum.N / closed.N_opt).toBeCloseTo(1, 4);
    expect(r.optimum.trainingFlops / 1e22).toBeCloseTo(1, 6);
    expect(r.optimum.loss).toBeCloseTo(loss, 9);
  });

  it('inferenceOptimal(chinchilla, p, {T heavy}) shrinks the model and trains it longer for the same loss', () => {
    // Sardana et al. 2024 Fig. 1 regime: inference demand of the order of 1e12-1e13 tokens for a ~7B-scale model.
    const r = inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 1e13, targetLoss: 2.0 });
    expect(r.optimum.loss).toBeCloseTo(2.0, 9);
    expect(r.ratio.N).toBeLessThan(0.8);
    expect(r.ratio.D).toBeGreaterThan(1.2);
    expect(r.ratio.totalFlops).toBeLessThan(1);
    const more = inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 1e14, targetLoss: 2.0 });
    expect(more.optimum.N).toBeLessThan(r.optimum.N);
  });

  it('inferenceOptimal(chinchilla, p, {budget, T}) spends less of the budget on a smaller model as T grows', () => {
    const light = inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 1e11, budget: 1e23 });
    const heavy = inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 1e13, budget: 1e23 });
    expect(heavy.optimum.N).toBeLessThan(light.optimum.N);
    expect(heavy.optimum.totalFlops / 1e23).toBeCloseTo(1, 9);
    expect(heavy.ratio.N).toBeLessThan(1);
  });

  it('inferenceOptimal(law, p, {targetLoss below E}) refuses with an InputError', () => {
    expect(() => inferenceOptimal(chinchilla, HOFFMANN, { inferenceTokens: 1e12, targetLoss: 1.5 })).toThrow(
      /irreducible/,
    );
  });

  it('inferenceOptimal(datacon, ...) refuses a law that needs unique tokens', () => {
    expect(() =>
      inferenceOptimal(datacon, { ...HOFFMANN, R_D_star: 15, R_N_star: 5 }, { inferenceTokens: 1e12, targetLoss: 2 }),
    ).toThrow(/N and D only/);
  });
});
