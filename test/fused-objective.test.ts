import { describe, expect, it } from 'vitest';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import type { LossSpec } from '../src/core/loss.ts';
import { makeObjective } from '../src/fit/objective.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { chinchillaLogObjective } from '../src/laws/chinchillaObjective.ts';
import { foldPairsAndValue, foldRows } from '../src/laws/foldRows.ts';
import type { Law } from '../src/core/law.ts';
import { makeDesign } from '../src/core/law.ts';
import { rng } from './helpers/synthetic.ts';

/** Chinchilla without its fused objective: the generic path (logPredict + Jacobian, one term per run, no folding). */
const generic: Law = { ...chinchilla, fusedObjective: undefined };
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

/**
 * A loss-curve-like file: 6 model sizes x 8 checkpoint token counts shared across sizes (so N and D both repeat),
 * with noise, and then some runs repeated exactly (a duplicate design point with the same loss) up to three times.
 */
function curvesWithDuplicates(): Run[] {
  const u = rng(7);
  const runs: Run[] = [];
  for (const N of [7e7, 2e8, 6e8, 1.5e9, 4e9, 1e10]) {
    for (const D of [2e9, 5e9, 1e10, 2e10, 5e10, 1e11, 2e11, 4e11]) {
      runs.push({
        N,
        D,
        C: 6 * N * D,
        loss: chinchilla.predict(HOFFMANN, { N, D }) * Math.exp(0.02 * (u() - 0.5)),
        tags: {},
        line: runs.length + 2,
      });
    }
  }
  const copies = runs
    .filter((_, i) => i % 5 === 0)
    .flatMap((r, i) => Array.from({ length: 1 + (i % 3) }, () => ({ ...r })));
  return [...runs, ...copies];
}

const LOSSES: LossSpec[] = [
  { kind: 'huber', delta: 1e-3, space: 'log' },
  { kind: 'huber', delta: 0.1, space: 'log' },
  { kind: 'mse', delta: 1e-3, space: 'log' },
  { kind: 'lad', delta: 1e-3, space: 'log' },
];

describe('chinchilla fused objective', () => {
  it('foldRows(cols, n) numbers groups of equal values in order of first occurrence', () => {
    const a = Float64Array.from([3, 1, 3, 2, 1, 3]);
    const b = Float64Array.from([0, 0, 0, 0, 5, 0]);
    const one = foldRows([a], 6);
    expect([one.count, [...one.of], [...one.first]]).toEqual([3, [0, 1, 0, 2, 1, 0], [0, 1, 3]]);
    const two = foldRows([a, b], 6);
    expect([two.count, [...two.of], [...two.first]]).toEqual([4, [0, 1, 0, 2, 3, 0], [0, 1, 3, 4]]);
  });

  it('chinchillaLogObjective(X, loss) equals the unfolded generic objective and gradient to 1e-12 on runs with duplicates and repeated N and D', () => {
    const runs = curvesWithDuplicates();
    const X = makeDesign(runs);
    const u = rng(3);
    for (const loss of LOSSES) {
      const fused = chinchillaLogObjective(X, loss);
      const plain = makeObjective(generic, X, loss);
      for (let k = 0; k < 12; k++) {
        // Points around the optimum and far from it (where most residuals are outside the Huber threshold).
        const theta = [
          6 + 2 * u(),
          6 + 2 * u(),
          0.5 + 0.2 * (u() - 0.5),
          0.34 + 0.2 * (u() - 0.5),
          0.28 + 0.2 * (u() - 0.5),
        ];
        const g1 = new Float64Array(5),
          g2 = new Float64Array(5);
        const f1 = fused(theta, g1),
          f2 = plain.fg(theta, g2);
        // The two paths sum the same terms in a different grouping (k copies of a run as one term of weight k), so they
        // agree to rounding: a few ulps per term over about 80 terms, far inside 1e-12 relative.
        expect(Math.abs(f1 / f2 - 1)).toBeLessThan(1e-12);
        const gScale = Math.max(...g2.map(Math.abs));
        for (let j = 0; j < 5; j++) expect(Math.abs(g1[j]! - g2[j]!) / gScale).toBeLessThan(1e-12);
      }
    }
  });

  it('fitLaw(chinchilla, runs with duplicates) reaches the optimum of the unfolded fit (objective to 1e-12)', () => {
    const runs = curvesWithDuplicates();
    const folded = fitLaw(chinchilla, runs);
    const unfolded = fitLaw(generic, runs);
    expect(folded.converged && unfolded.converged).toBe(true);
    // Both stop at the bottom of the same basin; the objective there is flat, so its value agrees to rounding while
    // the parameters agree only to the optimiser's tolerance (1e-6 relative is what the polish's ftol 1e-15 gives here).
    expect(Math.abs(folded.objective / unfolded.objective - 1)).toBeLessThan(1e-12);
    for (const p of chinchilla.paramNames)
      expect(Math.abs(folded.params[p]! / unfolded.params[p]! - 1)).toBeLessThan(1e-6);
  });
});

describe('foldPairsAndValue', () => {
  it('foldPairsAndValue(nOf, dOf, logLoss) gives the groups and numbering of foldRows([logN, logD, logLoss])', () => {
    // Repeated sizes, repeated token counts, exact duplicate rows, and rows sharing (N, D) with another loss (the
    // chain through one pair's groups).
    const runs = curvesWithDuplicates();
    const sameCell = runs.slice(0, 7).map((r, i) => ({ ...r, loss: r.loss * (1 + 0.01 * (i + 1)), line: 900 + i }));
    const X = makeDesign([...runs, ...sameCell, ...runs.slice(3, 9)]);
    const byN = foldRows([X.logN], X.n),
      byD = foldRows([X.logD], X.n);
    const direct = foldPairsAndValue(byN.of, byN.count, byD.of, byD.count, X.logLoss, X.n);
    const hashed = foldRows([X.logN, X.logD, X.logLoss], X.n);
    expect(direct).toBeDefined();
    expect(direct!.count).toBe(hashed.count);
    expect(Array.from(direct!.of)).toEqual(Array.from(hashed.of));
    expect(Array.from(direct!.first)).toEqual(Array.from(hashed.first));
    expect(hashed.count).toBeLessThan(X.n);
  });

  it('foldPairsAndValue(...) declines when the table of (N, D) pairs would exceed about 4 entries per row', () => {
    const n = 3000;
    const of = Int32Array.from({ length: n }, (_, i) => i);
    expect(foldPairsAndValue(of, n, of, n, new Float64Array(n), n)).toBeUndefined();
  });
});

describe('makeDesign and makeObjective reuse', () => {
  const many = (): Run[] =>
    Array.from({ length: 100_000 }, (_, i) => {
      const N = 1e7 * (1 + (i % 100)),
        D = 1e9 * (1 + Math.floor(i / 100));
      return { N, D, C: 6 * N * D, loss: chinchilla.predict(HOFFMANN, { N, D }), tags: {}, line: i + 2 };
    });

  it('makeDesign(runs) hands back the design of the same large runs, and rebuilds it once a run changed', () => {
    const runs = many();
    const X = makeDesign(runs);
    expect(makeDesign(runs)).toBe(X);
    runs[5]!.loss = 3;
    const Y = makeDesign(runs);
    expect(Y).not.toBe(X);
    expect(Y.loss[5]).toBe(3);
    expect(Y.logLoss[5]).toBe(Math.log(3));
    expect(makeDesign([...runs])).not.toBe(Y); // another array of the same runs is not assumed unchanged
  });

  it('makeObjective(law, X).residuals(theta) after .jacobian(theta) equals a fresh objective, at that theta and the next', () => {
    const X = makeDesign(curvesWithDuplicates());
    const loss: LossSpec = { kind: 'huber', delta: 1e-3, space: 'log' };
    const t1 = chinchilla.toTheta(HOFFMANN);
    const t2 = chinchilla.toTheta({ ...HOFFMANN, alpha: 0.3 });
    const reused = makeObjective(generic, X, loss, false);
    const fresh = () => makeObjective(generic, X, loss, false);
    expect(Array.from(reused.jacobian(t1))).toEqual(Array.from(fresh().jacobian(t1)));
    expect(Array.from(reused.residuals(t1))).toEqual(Array.from(fresh().residuals(t1)));
    expect(Array.from(reused.residuals(t2))).toEqual(Array.from(fresh().residuals(t2)));
    expect(Array.from(reused.jacobian(t2))).toEqual(Array.from(fresh().jacobian(t2)));
    expect(Array.from(reused.residuals(t1))).not.toEqual(Array.from(reused.residuals(t2)));
  });
});
