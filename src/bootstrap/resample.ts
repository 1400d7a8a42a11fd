import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';

/** `rows`: resample runs; `models`: resample whole model sizes (all runs of one N together). */
export type ResampleMode = 'rows' | 'models';

/**
 * One bootstrap resample of runs (Efron & Tibshirani 1993, ch. 6). `rows`: n runs drawn with replacement.
 * `models`: whole model sizes drawn with replacement (a cluster bootstrap; runs of one model share its
 * architecture and tuning, so their errors are correlated and resampling rows alone understates the spread).
 * Models are identified by N, or by the run id where the law has no N; groups are taken in ascending order so the
 * draw depends only on the random stream.
 *
 * @example resampleRuns(runs, 'rows', seededRandom(0, 0)).length === runs.length
 */
export function resampleRuns(runs: readonly Run[], mode: ResampleMode, random: () => number): Run[] {
  const n = runs.length;
  if (mode === 'rows') {
    const out: Run[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = runs[Math.floor(random() * n)]!;
    return out;
  }
  const groups = modelGroups(runs);
  const out: Run[] = [];
  for (let g = 0; g < groups.length; g++) out.push(...groups[Math.floor(random() * groups.length)]!);
  return out;
}

/** Runs grouped by model (N, else run id), groups in ascending key order. */
export function modelGroups(runs: readonly Run[]): Run[][] {
  const byKey = new Map<string | number, Run[]>();
  for (const r of runs) {
    const key = r.N ?? r.run;
    if (key === undefined) throw new InputError('--resample models needs an N or run column to tell models apart');
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = []));
    g.push(r);
  }
  const keys = [...byKey.keys()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  return keys.map((k) => byKey.get(k)!);
}
