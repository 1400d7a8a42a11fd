/**
 * The q-quantile (0 <= q <= 1) of values by linear interpolation between order statistics (Hyndman & Fan 1996
 * type 7, numpy's default), ignoring non-finite values. NaN when none are finite.
 *
 * @example percentile([1, 2, 3, 4], 0.5) // 2.5
 */
export function percentile(values: readonly number[], q: number): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return quantileSorted(v, q);
}

/**
 * The q-quantile of values already sorted ascending (all finite, at least one), type 7 as `percentile`.
 *
 * @example quantileSorted([1, 2, 3, 4], 0.25) // 1.75
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Sample standard deviation (n - 1) of the finite values; NaN for fewer than two. */
export function sampleSd(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return NaN;
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
}
