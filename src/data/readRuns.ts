import { loadRunsFromJsonLines } from './jsonLines.ts';
import { loadRuns, loadText } from './load.ts';
import type { LoadOptions } from './load.ts';
import type { Dataset } from './types.ts';
import { withMinimumSteps } from './minimumSteps.ts';

/** Extensions read as Parquet and as JSON lines; every other file is read as CSV (or TSV, by its delimiter). */
const PARQUET = /\.(parquet|pq)$/i;
const JSON_LINES = /\.(jsonl|ndjson)$/i;

/**
 * Load training runs from a CSV, JSON-lines (`.jsonl`, `.ndjson`) or Parquet (`.parquet`) file, chosen by the
 * extension, all through the same column aliases, filters and checks. Async because the Parquet reader is (and is
 * loaded only for a Parquet file).
 *
 * @example (await readRuns('runs.parquet', { excludeTopLoss: 5 })).runs
 */
export async function readRuns(path: string, options: LoadOptions & { minimumSteps?: boolean } = {}): Promise<Dataset> {
  const { minimumSteps, ...load } = options;
  const ds = await readAny(path, load);
  // A law of Kaplan et al.'s S_min (kaplan-ns declares `minimumSteps`) reads S through the run's batch size.
  return minimumSteps ? withMinimumSteps(ds) : ds;
}

async function readAny(path: string, options: LoadOptions): Promise<Dataset> {
  if (PARQUET.test(path)) {
    const { loadRunsFromParquet } = await import('./parquet.ts');
    return loadRunsFromParquet(path, options);
  }
  if (JSON_LINES.test(path)) return loadRunsFromJsonLines(loadText(path), path, options);
  return loadRuns(path, options);
}
