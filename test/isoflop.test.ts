import { describe, expect, it } from 'vitest';
import { envelopeApproach1 } from '../src/analysis/envelope.ts';
import { fitParabola, isoflopApproach2 } from '../src/analysis/isoflop.ts';
import { isoflopRuns, lossCurves } from './helpers/isoflopData.ts';

// Hoffmann et al. 2022 (arXiv:2203.15556) approach 3 parameters; a = beta/(alpha+beta) = 0.4516.
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const A_TRUE = 0.28 / 0.62;

describe('isoFLOP approach 2 (Hoffmann et al. 2022 sec. 3.2)', () => {
  it('isoflopApproach2(9 budgets x 8 sizes) recovers a = beta/(alpha+beta) within 0.01', () => {
    const r = isoflopApproach2(isoflopRuns(HOFFMANN));
    expect(r.allocations).toHaveLength(9);
    expect(r.skipped).toEqual([]);
    expect(Math.abs(r.a - A_TRUE)).toBeLessThan(0.01);
    expect(Math.abs(r.b - (1 - A_TRUE))).toBeLessThan(0.01);
    expect(r.a + r.b).toBeCloseTo(1, 10);
  });

  it('isoflopApproach2 with 1% noise still recovers a within 0.01', () => {
    const r = isoflopApproach2(isoflopRuns(HOFFMANN, { sigma: 0.01, seed: 3 }));
    expect(Math.abs(r.a - A_TRUE)).toBeLessThan(0.01);
  });

  it('isoflopApproach2 groups by --budget-column as by tolerance', () => {
    const runs = isoflopRuns(HOFFMANN);
    const byTol = isoflopApproach2(runs);
    const byCol = isoflopApproach2(runs, { budgetColumn: 'budget' });
    expect(byCol.a).toBeCloseTo(byTol.a, 12);
    expect(() => isoflopApproach2(runs, { budgetColumn: 'nope' })).toThrow(/--budget-column nope: no such column/);
  });

  it('isoflopApproach2 skips budgets with fewer than 3 sizes and says why', () => {
    const runs = isoflopRuns(HOFFMANN);
    const thin = runs.filter((r) => r.C !== 1e22 || r.N! < runs.filter((q) => q.C === 1e22)[2]!.N!);
    const r = isoflopApproach2(thin);
    expect(r.allocations).toHaveLength(8);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.reason).toMatch(/only 2 distinct model size/);
  });

  it('isoflopApproach2 refuses data with a single usable budget', () => {
    expect(() => isoflopApproach2(isoflopRuns(HOFFMANN).filter((r) => r.C === 1e20))).toThrow(
      /at two or more compute budgets/,
    );
  });

  it('isoflopApproach2 on a tokens-per-parameter grid says no budget has 3 sizes and suggests a budget column', () => {
    // The usual small sweep: 5 sizes x 3 tokens-per-parameter ratios, so every run's C = 6ND is a budget of its own.
    const grid = [70e6, 160e6, 410e6, 1e9, 2.8e9].flatMap((N) =>
      [5, 20, 80].map((tpp) => ({
        N,
        D: tpp * N,
        C: 6 * N * tpp * N,
        loss: 2 + 400 / N ** 0.34 + 400 / (tpp * N) ** 0.28,
        line: 0,
        tags: {},
      })),
    );
    expect(() => isoflopApproach2(grid)).toThrow(
      /no compute budget has 3 or more model sizes .*tokens-per-parameter grid.*--budget-column/,
    );
  });

  it('fitParabola(x, y) recovers an exact parabola', () => {
    const xs = [1, 2, 3, 4, 5];
    const p = fitParabola(
      xs,
      xs.map((x) => 2 - 3 * x + 0.5 * x * x),
    );
    expect(p.center - p.c1 / (2 * p.c2)).toBeCloseTo(3, 10);
  });
});

describe('envelope approach 1 (Hoffmann et al. 2022 sec. 3.1)', () => {
  it('envelopeApproach1(loss curves) recovers a = beta/(alpha+beta) within 0.01', () => {
    const r = envelopeApproach1(lossCurves(HOFFMANN));
    expect(r.allocations.length).toBeGreaterThan(20);
    expect(Math.abs(r.a - A_TRUE)).toBeLessThan(0.01);
    expect(Math.abs(r.b - (1 - A_TRUE))).toBeLessThan(0.01);
  });

  it('envelopeApproach1 lists compute values attained by the smallest or largest model as skipped', () => {
    const r = envelopeApproach1(lossCurves(HOFFMANN));
    expect(r.skipped.length).toBeGreaterThan(0);
    expect(r.skipped.every((s) => /smallest|largest|only/.test(s.reason))).toBe(true);
  });

  it('envelopeApproach1 refuses rows without a run id', () => {
    expect(() => envelopeApproach1(lossCurves(HOFFMANN).map(({ run: _r, ...rest }) => rest))).toThrow(/needs a run id/);
  });
});
