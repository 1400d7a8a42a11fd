/**
 * Format a number for tables: 6 significant digits, scientific outside [1e-3, 1e6), no trailing zeros.
 *
 * @example formatNumber(477.82586) // '477.826'
 * @example formatNumber(5.76e23) // '5.76e+23'
 */
export function formatNumber(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(digits)));
}
