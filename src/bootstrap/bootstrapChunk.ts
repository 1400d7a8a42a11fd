import type { Run } from '../core/run.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { fitLaw } from '../fit/fit.ts';
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
      const fit = fitLaw(law, runs, task.fitOptions);
      out.push({ index: i, theta: fit.theta, objective: fit.objective, converged: fit.converged, nfev: fit.nfev });
    } catch {
      // Too few distinct runs in the resample, or every start non-finite: counted as a failed resample.
      out.push({ index: i, theta: null, objective: null, converged: false, nfev: 0 });
    }
  }
  return out;
}
