import type { Law, Params } from '../core/law.ts';

/**
 * The bootstrap's per-resample parameters as one param object per successful resample, from the columns
 * `bootstrap.resamples.params` holds (one array per parameter, null for a failed refit). Null when fewer than two
 * resamples have every parameter finite (no spread to speak of).
 *
 * @example resampleParams({ E: [1.8, null, 1.7], A: [400, null, 410], ... }, chinchilla) // 2 param objects
 */
export function resampleParams(
  columns: Readonly<Record<string, ReadonlyArray<number | null>>>,
  law: Law,
): Params[] | null {
  const cols = law.paramNames.map((k) => columns[k]);
  if (cols.some((c) => c === undefined)) return null;
  const rows: Params[] = cols[0]!.map((_, i) =>
    Object.fromEntries(law.paramNames.map((k, j) => [k, cols[j]![i] ?? NaN])),
  );
  const ok = rows.filter((p) => law.paramNames.every((k) => Number.isFinite(p[k])));
  return ok.length >= 2 ? ok : null;
}
