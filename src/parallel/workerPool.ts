import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { WorkerTask } from './worker.ts';

/** Default number of worker threads: every core. */
export const DEFAULT_WORKERS = availableParallelism();

let workerFile: Promise<string> | undefined;

/**
 * The worker script. Loading the TypeScript sources through tsx in every worker costs ~0.5 s of CPU per thread
 * (each module goes through the loader hooks), so the worker is bundled once per process with esbuild (which tsx
 * ships) into one plain ES module in the temp directory, named by its content hash. If bundling fails for any
 * reason, the tsx shim worker.mjs is used instead: slower to start, same results.
 */
function workerScript(): Promise<string> {
  workerFile ??= (async () => {
    const shim = new URL('./worker.mjs', import.meta.url).href;
    try {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
        bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'silent',
      });
      const text = out.outputFiles[0]!.text;
      const dir = join(tmpdir(), 'scalefit-workers');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `worker-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
      writeFileSync(file, text);
      return file;
    } catch {
      return shim;
    }
  })();
  return workerFile;
}

/** The process's pool: started on first use and kept, so a bench or a REPL running several fits pays start-up once. */
let shared: { pool: Piscina; workers: number } | undefined;

async function poolFor(workers: number): Promise<Piscina> {
  if (shared?.workers === workers) return shared.pool;
  const old = shared;
  shared = undefined;
  await old?.pool.destroy();
  const pool = new Piscina({
    filename: await workerScript(),
    // Not the parent's flags: under `node --import tsx` every worker would load tsx again for nothing (the bundle is
    // plain JavaScript, and the shim registers tsx itself).
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
 * `onDone(i)` is called as each finishes. The pool is started once per process and worker count, then reused.
 */
export async function runOnWorkers<R>(tasks: WorkerTask[], workers: number, onDone?: (i: number) => void): Promise<R[]> {
  const pool = await poolFor(workers);
  return await Promise.all(tasks.map(async (t, i) => {
    const r = (await pool.run(t)) as R;
    onDone?.(i);
    return r;
  }));
}
