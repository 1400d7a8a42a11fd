import { describe, expect, it } from 'vitest';
import { loadRunsFromText } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { syntheticRuns } from './helpers/synthetic.ts';

// Hoffmann et al. 2022's fitted law (eq. 10): E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28.
const P = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const L = (N: number, D: number) => chinchilla.predict(P, { N, D });
const finiteParams = (p: Record<string, number>) => Object.values(p).every(Number.isFinite);

describe('numerics at the extremes', () => {
  it('fitLaw(chinchilla) fits N up to 1e13 and D up to 1e15 (loss within 5% of E) without overflow', () => {
    const runs = syntheticRuns(L, { rows: 120, seed: 3, nRange: [1e9, 1e13], dRange: [1e11, 1e15] });
    expect(Math.min(...runs.map((r) => r.loss))).toBeLessThan(P.E * 1.05);
    const fit = fitLaw(chinchilla, runs);
    expect(finiteParams(fit.params)).toBe(true);
    expect(Number.isFinite(fit.objective) && Number.isFinite(fit.aic)).toBe(true);
    for (const r of runs) expect(chinchilla.predict(fit.params, r) / r.loss).toBeCloseTo(1, 6);
  });

  it('loadRunsFromText + fitLaw handle C up to 1e30 FLOPs (D derived as C/(6N))', () => {
    const rows = ['N,C,loss'];
    for (const N of [1e10, 1e11, 1e12, 1e13])
      for (const C of [1e27, 1e28, 1e29, 1e30]) rows.push(`${N},${C},${L(N, C / (6 * N))}`);
    const ds = loadRunsFromText(`${rows.join('\n')}\n`, 'huge.csv');
    expect(Math.max(...ds.runs.map((r) => r.C!))).toBe(1e30);
    const fit = fitLaw(chinchilla, ds.runs);
    expect(finiteParams(fit.params)).toBe(true);
    for (const r of ds.runs) expect(chinchilla.predict(fit.params, r) / r.loss).toBeCloseTo(1, 5);
  });

  it('fitLaw abandons and counts starts with non-finite values, and never returns NaN parameters', () => {
    const runs = syntheticRuns(L, { rows: 60, seed: 5 });
    const good = chinchilla.toTheta({ E: 2, A: 300, B: 300, alpha: 0.3, beta: 0.3 });
    const fit = fitLaw(chinchilla, runs, {
      starts: [
        [NaN, 1, 1, 0.3, 0.3],
        [0, 0, Infinity, 0.3, 0.3],
        [1e308, 1e308, 1e308, -Infinity, 0.3],
        [1e308, 1e308, 0, 1e308, 0.3],
        good,
      ],
    });
    expect(fit.starts).toMatchObject({ count: 5, abandoned: 3 });
    expect(finiteParams(fit.params)).toBe(true);
    expect(fit.params.alpha).toBeCloseTo(P.alpha, 3);
  });

  it('fitLaw refuses (rather than returning NaN) when every start is non-finite', () => {
    const runs = syntheticRuns(L, { rows: 20, seed: 5 });
    expect(() => fitLaw(chinchilla, runs, { starts: [[NaN, 0, 0, 0, 0]] })).toThrow(
      /every start gave a non-finite objective \(1 abandoned\)/,
    );
  });
});
