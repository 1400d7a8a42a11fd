import { describe, expect, it } from 'vitest';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { finishFit, prepareFit, runStarts } from '../src/fit/multistart.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { lbfgs } from '../src/math/lbfgs.ts';
import { normal, rng } from './helpers/synthetic.ts';

const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

/** A loss-curve log: `runs` model sizes x `checkpoints` token counts shared across sizes, 1% log-normal noise. */
function lossCurves(runs: number, checkpoints: number): Run[] {
  const z = normal(rng(11));
  const out: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const N = 1e7 * 1000 ** (r / (runs - 1));
    for (let k = 1; k <= checkpoints; k++) {
      const D = 5e8 * k;
      out.push({
        N,
        D,
        C: 6 * N * D,
        loss: chinchilla.predict(HOFFMANN, { N, D }) * Math.exp(0.01 * z()),
        tags: {},
        line: out.length + 2,
      });
    }
  }
  return out;
}

describe('large inputs', () => {
  it('fitLaw(chinchilla, 120,000 runs) fits on a subsample, then polishes on all runs to the optimum of the fit on all runs', () => {
    const runs = lossCurves(400, 300);
    const fit = fitLaw(chinchilla, runs);
    // The same fit with every start and its polish on all runs (what fitMultistart does below 100,000 runs).
    const ctx = prepareFit(chinchilla, runs, {});
    const full = finishFit(ctx, runStarts(ctx, 0, ctx.starts.length), 0);
    expect(fit.converged && full.converged).toBe(true);
    expect(fit.message).toMatch(/on every 3th run \(40,000 of 120,000; \d+ evaluations there\), then polished on all/);
    // The objective at the two stopping points: equal to its rounding. f sums 120,000 terms whose residuals carry an
    // error of eps·|log L| each (~1e-16 on residuals of ~1e-2), so f itself is uncertain at ~1e-13 relative; the
    // rounding-aware ftol of the sampled path stops within 1e-11 of the bottom.
    expect(Math.abs(fit.objective / full.objective - 1)).toBeLessThan(1e-11);
    // Parameters to the optimiser's tolerance along the flat A-alpha and B-beta valleys (as test/fused-objective).
    for (const p of chinchilla.paramNames) expect(Math.abs(fit.params[p]! / full.params[p]! - 1)).toBeLessThan(1e-5);
    // The sampled path evaluates the full objective a few dozen times; every start on all runs takes hundreds.
    expect(full.nfev).toBeGreaterThan(150);
  }, 120_000);

  it('lbfgs(fg) never evaluates a trial point that rounds to the current point (f and g there are known)', () => {
    // 1e8 + cosh(x - 3): near x = 3 the line search's steps round away (x + a d == x) and f is flat to rounding. With
    // the gradient and decrease tests switched off only the iteration limit stops it: every iteration after the
    // bottom used to evaluate f at x itself again (992 of 1001 calls); those calls are skipped now.
    const seen: number[] = [];
    const r = lbfgs(
      (x, g) => {
        seen.push(x[0]!);
        g[0] = Math.sinh(x[0]! - 3);
        return 1e8 + Math.cosh(x[0]! - 3);
      },
      [0.3],
      { gtol: -1, ftol: -1 },
    );
    expect(r.evaluations).toBe(seen.length);
    expect(Math.abs(r.x[0]! - 3)).toBeLessThan(1e-6);
    expect(seen.filter((x, i) => seen.indexOf(x) !== i)).toEqual([]);
  });
});
