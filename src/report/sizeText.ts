/**
 * A count as people write model and data sizes: 70M, 1.4B, 224B, 1.4T (three significant digits, K/M/B/T for
 * thousand, million, billion, trillion; the loader reads these back). Outside [1, 1e15) it falls back to 1.5e+15.
 *
 * @example sizeText(7e7) // '70M'
 * @example sizeText(1.4e12) // '1.4T'
 */
export function sizeText(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1) return x.toExponential(2).replace(/\.?0+e/, 'e');
  // 0.9995 of a unit rounds to 1.00 of it at three digits: 999.9M is 1B, not 1000M.
  for (const [unit, suffix] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    if (a >= unit * 0.9995) return `${Number((x / unit).toPrecision(3))}${suffix}`;
  }
  return String(Number(x.toPrecision(3)));
}
