import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { WorkerTask } from './worker.ts';

/** Default number of worker threads: every core. */
export const DEFAULT_WORKERS = availableParallelism();

/**
 * Run tasks on `workers` piscina threads (TypeScript workers through a tsx shim) and return their results in task
 * order, whatever order they finish in; `onDone(i)` is called as each finishes. The pool is torn down afterwards.
 */
export async function runOnWorkers<R>(tasks: WorkerTask[], workers: number, onDone?: (i: number) => void): Promise<R[]> {
  const pool = new Piscina({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: Math.min(workers, tasks.length),
    maxThreads: workers,
    idleTimeout: 1000,
  });
  try {
    return await Promise.all(tasks.map(async (t, i) => {
      const r = (await pool.run(t)) as R;
      onDone?.(i);
      return r;
    }));
  } finally {
    await pool.destroy();
  }
}
