import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { Law, Params } from '../core/law.ts';
import type { BootstrapTask, ResampleFit } from './bootstrapChunk.ts';
import { bootstrapChunk } from './bootstrapChunk.ts';
import type { DerivedRequest } from './derivedQuantities.ts';
import { derivedQuantities } from './derivedQuantities.ts';
import { percentile, sampleSd } from '../math/quantile.ts';
import { robustSpread } from './robustSpread.ts';
import { DEFAULT_WORKERS, runOnWorkers } from '../parallel/workerPool.ts';
import type { ResampleMode } from './resample.ts';

/**
 * Resamples K, seed, worker threads, resampling unit, interval level, and the budgets and points to derive intervals
 * for.
 */
export interface BootstrapOptions extends DerivedRequest {
  /** Number of resamples. */
  K: number;
  seed: number;
  /** Worker threads; 1 runs in this thread. The result does not depend on it. */
  workers: number;
  resample: ResampleMode;
  /** Coverage of the percentile intervals, e.g. 0.95. */
  level: number;
  /** Called as resamples finish (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** Defaults for everything but K: seed 0, every core, rows, 95%, no budgets or points. */
export const BOOTSTRAP_DEFAULTS: Omit<BootstrapOptions, 'K'> = {
  seed: 0,
  workers: DEFAULT_WORKERS,
  resample: 'rows',
  level: 0.95,
  compute: [],
  at: [],
};

/** Estimate, bootstrap standard deviation and percentile interval of one quantity. */
export interface IntervalSummary {
  estimate: number;
  sd: number;
  /** Half the central 68.27% percentile interval: the sd of a normal, robust to heavy tails (robustSpread). */
  spread: number;
  median: number;
  ci: [number, number];
}

/**
 * K refits: standard deviations, percentile intervals and covariance of every parameter and derived quantity, and how
 * many refits failed.
 */
export interface BootstrapResult {
  K: number;
  seed: number;
  level: number;
  resample: ResampleMode;
  /** How each resample was refitted. */
  refit: string;
  succeeded: number;
  failed: number;
  /** Resamples whose refit did not meet the convergence test (kept: they usually sit at a flat optimum). */
  notConverged: number;
  /** Null for a fixed parameter, which has no error bar (as in the asymptotic path); free and tied ones: the sd. */
  stderr: Record<string, number | null>;
  /** Free and tied parameters only: a fixed one has no interval. */
  ci: Record<string, [number, number]>;
  /** Sample covariance of the resampled parameters, keyed like params on both sides. */
  covariance: Record<string, Record<string, number>>;
  params: Record<string, IntervalSummary>;
  derived: Record<string, IntervalSummary>;
  /** Per-resample parameters (null for a failed refit) and objectives, in resample order, for distribution plots. */
  resamples: { params: Record<string, Array<number | null>>; objective: Array<number | null>; converged: boolean[] };
}

/**
 * Nonparametric bootstrap of a fit (Efron & Tibshirani 1993; as Besiroglu et al. 2024 did for Chinchilla):
 * K resamples of the runs (rows, or whole models), each refitted to its own optimum from the full-data optimum
 * (plus the law's default starts when that refit does not converge, or always for a law not fitted by multi-start
 * L-BFGS), then percentile intervals for every parameter and derived quantity.
 * Resample i uses random stream (seed, i) and results are ordered by i, so the result is identical for any number
 * of worker threads.
 *
 * @example
 * import { bootstrapFit, fitLaw, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const law = getLaw('chinchilla');
 * const fit = fitLaw(law, ds.runs);
 * const boot = await bootstrapFit(law, ds.runs, fit, {}, { K: 50, seed: 1, workers: 1 });
 * boot.ci.alpha[0] < fit.params.alpha && fit.params.alpha < boot.ci.alpha[1]; // → true
 */
export async function bootstrapFit(
  law: Law,
  runs: readonly Run[],
  fit: FitResult,
  fitOptions: FitOptionsInput,
  options: Partial<BootstrapOptions> & { K: number },
): Promise<BootstrapResult> {
  const o: BootstrapOptions = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (!(Number.isInteger(o.K) && o.K >= 2)) throw new InputError(`--bootstrap ${o.K}: expected a whole number >= 2`);
  if (!(o.level > 0 && o.level < 1))
    throw new InputError(`--level ${o.level}: expected a number between 0 and 1, e.g. 0.95`);
  if (!(Number.isInteger(o.workers) && o.workers >= 1))
    throw new InputError(`--workers ${o.workers}: expected a whole number >= 1`);
  const { onProgress: _unused, ...plain } = fitOptions;
  void _unused;
  // One polish: the warm start and the default starts almost always share a basin, and the test against a
  // multi-start refit (test/bootstrap.test.ts) guards the choice. A law fitted by multi-start L-BFGS refits from the
  // full-data optimum alone first (as Besiroglu et al. 2024 refit each resample from it), with the default starts only
  // when that refit fails or does not converge; a law fitted by regression or Levenberg-Marquardt has its own starts.
  const refitOptions: FitOptionsInput = { ...plain, starts: 'default', warmStarts: [fit.theta], polish: 1 };
  const warmFirst = !law.fitting;
  const fits = await runResamples(
    {
      law: law.name,
      runs: [...runs],
      fitOptions: refitOptions,
      seed: o.seed,
      resample: o.resample,
      from: 0,
      to: o.K,
      warmFirst,
    },
    o.workers,
    o.onProgress,
  );
  const names = law.paramNames;
  const paramRows: Array<Params | null> = fits.map((f) => (f.theta ? law.toParams(f.theta) : null));
  const resampleParams: Record<string, Array<number | null>> = {};
  for (const p of names) resampleParams[p] = paramRows.map((r) => (r ? r[p]! : null));
  const alpha = (1 - o.level) / 2;
  const summarise = (estimate: number, values: number[]): IntervalSummary => ({
    estimate,
    sd: sampleSd(values),
    spread: robustSpread(values),
    median: percentile(values, 0.5),
    ci: [percentile(values, alpha), percentile(values, 1 - alpha)],
  });
  const ok = paramRows.filter((r): r is Params => r !== null);
  const params: Record<string, IntervalSummary> = {};
  for (const p of names)
    params[p] = summarise(
      fit.params[p]!,
      ok.map((r) => r[p]!),
    );
  const request = { compute: o.compute, at: o.at };
  const derivedRows = ok.map((r) => derivedQuantities(law, r, request));
  const derived: Record<string, IntervalSummary> = {};
  for (const [name, estimate] of Object.entries(derivedQuantities(law, fit.params, request))) {
    derived[name] = summarise(
      estimate,
      derivedRows.map((r) => r[name]!),
    );
  }
  const covariance: Record<string, Record<string, number>> = {};
  const mean = Object.fromEntries(names.map((p) => [p, ok.reduce((s, r) => s + r[p]!, 0) / ok.length]));
  for (const p of names) {
    covariance[p] = {};
    for (const q of names)
      covariance[p]![q] = ok.reduce((s, r) => s + (r[p]! - mean[p]!) * (r[q]! - mean[q]!), 0) / (ok.length - 1);
  }
  return {
    K: o.K,
    seed: o.seed,
    level: o.level,
    resample: o.resample,
    refit: warmFirst
      ? "L-BFGS from the full-data optimum, polished; from the law's default starts too when that refit does not converge"
      : "L-BFGS from the full-data optimum and the law's default starts; best of their polished optima",
    succeeded: ok.length,
    failed: fits.length - ok.length,
    notConverged: fits.filter((f) => f.theta && !f.converged).length,
    // A fixed parameter's resamples all equal its value (up to exp/log rounding): report no error bar, not ~0.
    stderr: Object.fromEntries(names.map((p) => [p, fit.fixed.includes(p) ? null : params[p]!.sd])),
    ci: Object.fromEntries(names.filter((p) => !fit.fixed.includes(p)).map((p) => [p, params[p]!.ci])),
    covariance,
    params,
    derived,
    resamples: {
      params: resampleParams,
      objective: fits.map((f) => f.objective),
      converged: fits.map((f) => f.converged),
    },
  };
}

/** Refit resamples task.from..task.to-1 in chunks, on `workers` threads (1: this thread), ordered by index. */
export async function runResamples(
  task: BootstrapTask,
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<ResampleFit[]> {
  const total = task.to - task.from;
  const chunk = Math.max(1, Math.min(25, Math.ceil(total / (workers * 4))));
  // Chunk i is made when a thread is ready for it, not all up front: the tasks' memory does not grow with K.
  const chunkAt = (i: number): BootstrapTask => ({
    ...task,
    from: task.from + i * chunk,
    to: Math.min(task.from + (i + 1) * chunk, task.to),
  });
  const chunks = Math.ceil(total / chunk);
  let done = 0;
  const results: ResampleFit[][] = [];
  if (workers <= 1) {
    for (let i = 0; i < chunks; i++) {
      const t = chunkAt(i);
      results.push(bootstrapChunk(t));
      done += t.to - t.from;
      onProgress?.(done, total);
    }
  } else {
    const source = { length: chunks, at: (i: number) => ({ kind: 'bootstrap' as const, ...chunkAt(i) }) };
    results.push(
      ...(await runOnWorkers<ResampleFit[]>(source, workers, (i) => {
        const t = chunkAt(i);
        done += t.to - t.from;
        onProgress?.(done, total);
      })),
    );
  }
  return results.flat().sort((a, b) => a.index - b.index);
}
