import type { Run } from '../core/run.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { fitLaw } from '../fit/fit.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import { InputError } from '../core/errors.ts';
import { getLaw } from '../laws/index.ts';
import type { ResampleMode } from './resample.ts';
import { resampleRuns } from './resample.ts';
import { seededRandom } from '../math/rng.ts';

/** A slice [from, to) of a bootstrap: everything a worker thread needs, as structured-cloneable data. */
export interface BootstrapTask {
  law: string;
  runs: Run[];
  fitOptions: FitOptionsInput;
  seed: number;
  resample: ResampleMode;
  from: number;
  to: number;
  /**
   * Refit from fitOptions.warmStarts alone first, and from the law's starts as well only when that refit fails or does
   * not converge (a multi-start law; see bootstrapFit).
   */
  warmFirst?: boolean;
}

/** One resample's refit; theta null when every start failed. */
export interface ResampleFit {
  index: number;
  theta: number[] | null;
  objective: number | null;
  converged: boolean;
  nfev: number;
}

/**
 * Refit resamples from..to-1 of a bootstrap. Resample i draws from the stream seededRandom(seed, i) alone, so the
 * result for i is the same whichever thread computes it and whatever the chunking.
 */
export function bootstrapChunk(task: BootstrapTask): ResampleFit[] {
  const law = getLaw(task.law);
  const out: ResampleFit[] = [];
  for (let i = task.from; i < task.to; i++) {
    const runs = resampleRuns(task.runs, task.resample, seededRandom(task.seed, i));
    try {
      const fit = task.warmFirst ? warmFirstRefit(law, runs, task.fitOptions) : fitLaw(law, runs, task.fitOptions);
      out.push({ index: i, theta: fit.theta, objective: fit.objective, converged: fit.converged, nfev: fit.nfev });
    } catch {
      // Too few distinct runs in the resample, or every start non-finite: counted as a failed resample.
      out.push({ index: i, theta: null, objective: null, converged: false, nfev: 0 });
    }
  }
  return out;
}

/**
 * A resample's refit from the warm starts alone (no starts of the law's own), polished; when it fails or does not
 * converge, the refit with the law's starts too (its evaluations added). On Epoch's 240 runs the law's four default
 * starts reached the warm start's basin in 1000 of 1000 resamples (parameters within 1e-6, the polish's tolerance)
 * and cost 55% of the evaluations.
 */
function warmFirstRefit(law: Law, runs: Run[], options: FitOptionsInput): FitResult {
  let nfev = 0;
  try {
    const warm = fitLaw(law, runs, { ...options, starts: [] });
    if (warm.converged) return warm;
    nfev = warm.nfev;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
  const fit = fitLaw(law, runs, options);
  return { ...fit, nfev: fit.nfev + nfev };
}
