import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { WorkerTask } from './worker.ts';

/** Default number of worker threads: every core. */
export const DEFAULT_WORKERS = availableParallelism();

/** Where piscina starts a worker: a module file, and the data that file needs to find the task function. */
interface WorkerEntry {
  filename: string;
  workerData: { source?: string } | undefined;
}

let entry: Promise<WorkerEntry> | undefined;

/**
 * The worker entry. Installed (dist/), this module is compiled JavaScript and the worker is its compiled sibling
 * `worker.js`: nothing is generated or written anywhere. From the TypeScript sources (vitest, `node --import tsx`),
 * worker threads inherit neither vitest's transform nor a tsx loader registered on the main thread, so the worker is
 * bundled in memory with esbuild (which tsx ships) and handed to the fixed shim `worker.mjs` as text, which imports it
 * from a data: URL. Never a file in a shared temp folder (a planted symlink there would be overwritten), and never a
 * stale dist/: workers run exactly the sources the main thread runs. Without esbuild the shim registers tsx itself
 * (about 0.5 s of CPU per thread, same results).
 */
function workerEntry(): Promise<WorkerEntry> {
  entry ??= (async () => {
    if (!import.meta.url.endsWith('.ts'))
      return { filename: fileURLToPath(new URL('./worker.js', import.meta.url)), workerData: undefined };
    const shim = fileURLToPath(new URL('./worker.mjs', import.meta.url));
    try {
      // A variable specifier: esbuild is a development tool, absent from an installed package (and never reached there).
      const esbuild = 'esbuild';
      const { build } = (await import(esbuild)) as typeof import('esbuild');
      const workerTs = new URL('./worker.ts', import.meta.url);
      const out = await build({
        entryPoints: [fileURLToPath(workerTs)],
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        write: false,
        logLevel: 'silent',
        // Modules loaded on first use (createRequire(import.meta.url)) must resolve from the sources' node_modules,
        // not from the data: URL the bundle runs from.
        define: { 'import.meta.url': JSON.stringify(workerTs.href) },
      });
      return { filename: shim, workerData: { source: out.outputFiles[0]!.text } };
    } catch {
      return { filename: shim, workerData: {} };
    }
  })();
  return entry;
}

/** Tasks by index: an array, or a source that makes task i when asked (so a million-resample bootstrap holds a few). */
export interface TaskSource {
  readonly length: number;
  at(i: number): WorkerTask | undefined;
}

/** The process's pool: started on first use and kept, so a bench or a REPL running several fits pays start-up once. */
let shared: { pool: import('piscina').Piscina; workers: number } | undefined;

async function poolFor(workers: number): Promise<import('piscina').Piscina> {
  if (shared?.workers === workers) return shared.pool;
  const old = shared;
  shared = undefined;
  await old?.pool.destroy();
  // piscina is loaded here, not at start-up: most commands never start a thread.
  const [{ Piscina }, { filename, workerData }] = await Promise.all([import('piscina'), workerEntry()]);
  const pool = new Piscina({
    filename,
    workerData,
    // Not the parent's flags: under `node --import tsx` every worker would load tsx again for nothing (the worker is
    // plain JavaScript, and the shim registers tsx itself when it must).
    execArgv: [],
    minThreads: workers,
    maxThreads: workers,
    // Idle threads are unref'd by piscina, so a kept pool never holds the process open.
    idleTimeout: 60_000,
  });
  shared = { pool, workers };
  return pool;
}

/** Stop the process's worker threads (the next `runOnWorkers` starts new ones). */
export async function closeWorkerPool(): Promise<void> {
  const old = shared;
  shared = undefined;
  await old?.pool.destroy();
}

/**
 * Run tasks on `workers` piscina threads and return their results in task order, whatever order they finish in;
 * `onDone(i)` is called as each finishes. At most 2 tasks per thread are made and queued at a time (each is
 * structured-cloned into its thread), so the memory for tasks does not grow with their number. The pool is started
 * once per process and worker count, then reused.
 */
export async function runOnWorkers<R>(tasks: TaskSource, workers: number, onDone?: (i: number) => void): Promise<R[]> {
  const pool = await poolFor(workers);
  const results = new Array<R>(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = (await pool.run(tasks.at(i)!)) as R;
      onDone?.(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(2 * workers, tasks.length) }, lane));
  return results;
}
