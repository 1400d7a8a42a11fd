/**
 * Group rows 0..n-1 by the exact values of the given columns: `of[i]` is row i's group, numbered in order of first
 * occurrence; `first[g]` is the first row of group g. Open addressing on the values' bits (64-bit doubles as two
 * 32-bit halves); equal bits are equal values here because the columns hold logs of positive numbers (never -0, NaN).
 */
export function foldRows(cols: Float64Array[], n: number): { count: number; of: Int32Array; first: Int32Array } {
  const halves = cols.map((c) => new Int32Array(c.buffer, c.byteOffset, 2 * n));
  let cap = 16;
  while (cap < 2 * n) cap *= 2;
  const mask = cap - 1;
  const slot = new Int32Array(cap).fill(-1);
  const of = new Int32Array(n);
  const firstRows = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (const v of halves) {
      h = Math.imul(h ^ v[2 * i]!, 0x01000193);
      h = Math.imul(h ^ v[2 * i + 1]!, 0x01000193);
    }
    h ^= h >>> 15;
    let k = h & mask;
    for (;;) {
      const g = slot[k]!;
      if (g < 0) {
        slot[k] = count;
        firstRows[count] = i;
        of[i] = count++;
        break;
      }
      const r = firstRows[g]!;
      let same = true;
      for (const c of cols) if (c[r] !== c[i]) same = false;
      if (same) {
        of[i] = g;
        break;
      }
      k = (k + 1) & mask;
    }
  }
  return { count, of, first: firstRows.slice(0, count) };
}

/**
 * foldRows([a, b, y], n) for rows whose first two columns are already grouped (`aOf`, `bOf`: group numbers, with
 * `bCount` groups in b): the same groups, numbered the same way, without hashing a million distinct triples. A direct
 * table over the (a, b) pairs (when there are at most about 4 per row) finds the groups with that pair, chained; only
 * y is compared. Undefined when the pair table would be too large (the caller hashes instead).
 */
export function foldPairsAndValue(
  aOf: Int32Array,
  aCount: number,
  bOf: Int32Array,
  bCount: number,
  y: Float64Array,
  n: number,
): { count: number; of: Int32Array; first: Int32Array } | undefined {
  const pairs = aCount * bCount;
  if (pairs > 4 * n + 1024) return undefined;
  const head = new Int32Array(pairs).fill(-1);
  const next = new Int32Array(n);
  const of = new Int32Array(n);
  const firstRows = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = aOf[i]! * bCount + bOf[i]!;
    const v = y[i]!;
    let g = head[p]!;
    while (g >= 0 && y[firstRows[g]!] !== v) g = next[g]!;
    if (g < 0) {
      g = count++;
      firstRows[g] = i;
      next[g] = head[p]!;
      head[p] = g;
    }
    of[i] = g;
  }
  return { count, of, first: firstRows.slice(0, count) };
}

/** Folds of single design columns, by column: a fit's objective and its starts both group the same log N and log D. */
const columnFolds = new WeakMap<Float64Array, { count: number; of: Int32Array; first: Int32Array }>();

/**
 * foldRows([col], n), computed once per column array (design columns are never written after they are built, see
 * makeDesign); the result is shared, so callers must not write into it.
 */
export function foldColumn(col: Float64Array, n: number): { count: number; of: Int32Array; first: Int32Array } {
  const known = columnFolds.get(col);
  if (known && known.of.length === n) return known;
  const folded = foldRows([col], n);
  columnFolds.set(col, folded);
  return folded;
}
