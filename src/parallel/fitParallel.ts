import type { Run } from '../core/run.ts';
import type { Law } from '../core/law.ts';
import { runOnWorkers } from './workerPool.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { StartResult } from '../fit/multistart.ts';
import { finishFit, prepareFit } from '../fit/multistart.ts';
import { fitLaw } from '../fit/fit.ts';

/**
 * `fitLaw` with the multi-start stage split across worker threads (the polish runs here). Starts are handed out in
 * contiguous slices and their results put back in start order, so the result equals `fitLaw`'s (except wallMs).
 *
 * @example
 * import { fitLawParallel, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const fit = await fitLawParallel(getLaw('chinchilla'), ds.runs, { starts: 'default' }, 2);
 * fit.params.alpha; // → 0.3473
 */
export async function fitLawParallel(
  law: Law,
  runs: readonly Run[],
  options: FitOptionsInput,
  workers: number,
): Promise<FitResult> {
  // Laws with their own fitting path (Kaplan: regression / Levenberg-Marquardt) have no grid to split.
  if (workers <= 1 || law.fitting) return fitLaw(law, runs, options);
  const t0 = performance.now();
  const ctx = prepareFit(law, runs, options);
  const S = ctx.starts.length;
  if (workers <= 1 || S < 2 * workers) return fitLaw(law, runs, options);
  const { onProgress, ...plain } = options;
  const chunk = Math.max(1, Math.ceil(S / (workers * 8)));
  const tasks: Array<{
    kind: 'starts';
    law: string;
    runs: Run[];
    fitOptions: FitOptionsInput;
    from: number;
    to: number;
  }> = [];
  for (let s = 0; s < S; s += chunk) {
    tasks.push({
      kind: 'starts' as const,
      law: law.name,
      runs: [...runs],
      fitOptions: plain,
      from: s,
      to: Math.min(S, s + chunk),
    });
  }
  let done = 0;
  const parts = await runOnWorkers<StartResult[]>(tasks, workers, (i) => {
    done += tasks[i]!.to - tasks[i]!.from;
    onProgress?.(done, S);
  });
  return finishFit(ctx, parts.flat(), t0);
}
