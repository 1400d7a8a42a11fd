/**
 * Non-negative least squares for up to three coefficients from precomputed normal equations, by enumerating the
 * active sets (2^k - 1 subsets; exact for k <= 3 and cheaper than Lawson-Hanson at this size).
 * Minimises ||y - X c||^2 subject to c >= 0, given G = XᵀX (k x k, row-major) and h = Xᵀy, yy = yᵀy.
 * Returns the coefficients and the residual sum of squares.
 *
 * @example nnls3([1,0,0,1], [2,-1], 5, 2) // { coef: [2, 0], sse: 1 }
 */
export function nnls3(
  G: ArrayLike<number>,
  h: ArrayLike<number>,
  yy: number,
  k: number,
): { coef: number[]; sse: number } {
  let best: number[] = new Array(k).fill(0);
  let bestSse = yy;
  for (let mask = 1; mask < 1 << k; mask++) {
    const idx: number[] = [];
    for (let j = 0; j < k; j++) if (mask & (1 << j)) idx.push(j);
    const m = idx.length;
    const A = new Array(m * m);
    const b = new Array(m);
    for (let r = 0; r < m; r++) {
      b[r] = h[idx[r]!]!;
      for (let c = 0; c < m; c++) A[r * m + c] = G[idx[r]! * k + idx[c]!]!;
    }
    const sol = solveSmall(A, b, m);
    if (!sol || sol.some((v) => !(v >= 0))) continue;
    // sse = yy - 2 cᵀh + cᵀGc = yy - cᵀh at the unconstrained optimum of the subset.
    let ch = 0;
    for (let r = 0; r < m; r++) ch += sol[r]! * b[r]!;
    const sse = yy - ch;
    if (sse < bestSse) {
      bestSse = sse;
      best = new Array(k).fill(0);
      for (let r = 0; r < m; r++) best[idx[r]!] = sol[r]!;
    }
  }
  return { coef: best, sse: Math.max(bestSse, 0) };
}

/** Gaussian elimination with partial pivoting for a tiny dense system; null when singular. */
function solveSmall(A: number[], b: number[], m: number): number[] | null {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  const at = (r: number, c: number) => a[r * m + c]!;
  let maxAbs = 0;
  for (const v of a) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(at(r, col)) > Math.abs(at(piv, col))) piv = r;
    // A pivot this small relative to the matrix means the columns are collinear: treat the subset as singular.
    if (!(Math.abs(at(piv, col)) > 1e-13 * maxAbs)) return null;
    if (piv !== col) {
      for (let c = 0; c < m; c++) {
        const t = at(col, c);
        a[col * m + c] = at(piv, c);
        a[piv * m + c] = t;
      }
      const t = x[col]!;
      x[col] = x[piv]!;
      x[piv] = t;
    }
    for (let r = col + 1; r < m; r++) {
      const f = at(r, col) / at(col, col);
      for (let c = col; c < m; c++) a[r * m + c] = at(r, c) - f * at(col, c);
      x[r] = x[r]! - f * x[col]!;
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let c = r + 1; c < m; c++) s -= at(r, c) * x[c]!;
    x[r] = s / at(r, r);
  }
  const out = Array.from(x);
  return out.every(Number.isFinite) ? out : null;
}
