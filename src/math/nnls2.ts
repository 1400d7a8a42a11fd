/**
 * Weighted non-negative least squares with two columns: min sum w (p x1 + q x2 - y)^2 over p, q >= 0, by the
 * normal equations and, when a coefficient comes out negative, the better of the two one-column fits.
 * Used for cheap starts of two-term laws, where the law is linear in its two scales once the exponents are fixed.
 *
 * @example nnls2([1, 0], [0, 1], [2, 3], [1, 1]) // { p: 2, q: 3, sse: 0 }
 */
export function nnls2(
  x1: ArrayLike<number>,
  x2: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
): { p: number; q: number; sse: number } {
  let a11 = 0,
    a12 = 0,
    a22 = 0,
    b1 = 0,
    b2 = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w[i]!;
    a11 += wi * x1[i]! * x1[i]!;
    a12 += wi * x1[i]! * x2[i]!;
    a22 += wi * x2[i]! * x2[i]!;
    b1 += wi * x1[i]! * y[i]!;
    b2 += wi * x2[i]! * y[i]!;
  }
  const sse = (p: number, q: number) => {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i]! * (p * x1[i]! + q * x2[i]! - y[i]!) ** 2;
    return s;
  };
  const det = a11 * a22 - a12 * a12;
  if (det > 0) {
    const p = (b1 * a22 - b2 * a12) / det;
    const q = (a11 * b2 - a12 * b1) / det;
    if (p >= 0 && q >= 0) return { p, q, sse: sse(p, q) };
  }
  const p1 = a11 > 0 ? Math.max(b1 / a11, 0) : 0;
  const q2 = a22 > 0 ? Math.max(b2 / a22, 0) : 0;
  const s1 = sse(p1, 0),
    s2 = sse(0, q2);
  return s1 <= s2 ? { p: p1, q: 0, sse: s1 } : { p: 0, q: q2, sse: s2 };
}
