import type { WorkerTask } from '../src/parallel/worker.ts';

/**
 * src/parallel/workerPool.ts in the browser app (the build puts this module in its place): the same
 * `runOnWorkers` contract, on Web Workers instead of piscina threads. Each worker runs the app's engine script, whose
 * Blob the page hands over (`setWorkerSource`), so the pool works from file:// with no request. The pool is started
 * once per worker count and kept, as in Node. Results come back in task order, so a seeded bootstrap gives the same
 * numbers as the CLI's whatever the number of cores.
 */

/** Every core the browser reports. */
export const DEFAULT_WORKERS = Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);

let source: Blob | undefined;

/** The engine script as a Blob (sent by the page at start-up). */
export function setWorkerSource(blob: Blob): void {
  source = blob;
}

export interface TaskSource {
  readonly length: number;
  at(i: number): WorkerTask | undefined;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

let pool: { workers: Worker[]; url: string } | undefined;
const pending = new Map<number, Pending>();
let seq = 0;

function poolFor(n: number): Worker[] {
  if (pool?.workers.length === n) return pool.workers;
  void closeWorkerPool();
  if (!source) throw new Error('the worker pool has no script (setWorkerSource was not called)');
  const url = URL.createObjectURL(source);
  const workers = Array.from({ length: n }, () => {
    const w = new Worker(url);
    w.onmessage = (e: MessageEvent<{ type: string; id: number; result?: unknown; message?: string }>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if (e.data.type === 'task') p.resolve(e.data.result);
      else p.reject(new Error(e.data.message ?? 'worker task failed'));
    };
    w.onerror = (e) => {
      for (const p of pending.values()) p.reject(new Error(`worker failed: ${e.message}`));
      pending.clear();
    };
    return w;
  });
  pool = { workers, url };
  return workers;
}

function call(w: Worker, task: WorkerTask): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = ++seq;
    pending.set(id, { resolve, reject });
    w.postMessage({ type: 'task', id, task });
  });
}

/** Stop the workers (the next run starts new ones). */
export async function closeWorkerPool(): Promise<void> {
  const old = pool;
  pool = undefined;
  for (const w of old?.workers ?? []) w.terminate();
  if (old) URL.revokeObjectURL(old.url);
}

/** Run tasks on `workers` Web Workers, one at a time each, and return their results in task order. */
export async function runOnWorkers<R>(tasks: TaskSource, workers: number, onDone?: (i: number) => void): Promise<R[]> {
  const ws = poolFor(workers);
  const results = new Array<R>(tasks.length);
  let next = 0;
  await Promise.all(
    ws.map(async (w) => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = (await call(w, tasks.at(i)!)) as R;
        onDone?.(i);
      }
    }),
  );
  return results;
}
