import type { BootstrapTask, ResampleFit } from '../bootstrap/bootstrapChunk.ts';
import { bootstrapChunk } from '../bootstrap/bootstrapChunk.ts';
import type { Run } from '../core/run.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { StartResult } from '../fit/multistart.ts';
import { prepareFit, runStarts } from '../fit/multistart.ts';
import { getLaw } from '../laws/index.ts';

/** Starts from..to-1 of a multi-start fit, with the fit's own options (as plain data). */
export interface StartsTask {
  law: string;
  runs: Run[];
  fitOptions: FitOptionsInput;
  from: number;
  to: number;
}

export type WorkerTask = ({ kind: 'bootstrap' } & BootstrapTask) | ({ kind: 'starts' } & StartsTask);

/** The piscina worker (loaded through worker.mjs): bootstrap refits or a slice of a multi-start grid. */
export default function worker(task: WorkerTask): ResampleFit[] | StartResult[] {
  if (task.kind === 'bootstrap') return bootstrapChunk(task);
  const ctx = prepareFit(getLaw(task.law), task.runs, task.fitOptions);
  return runStarts(ctx, task.from, task.to);
}
