import { nnls3 } from '../math/nnls3.ts';

/**
 * Non-negative coefficients c (up to three) minimising sum_i ((c·x_i - L_i)/L_i)^2: least squares on relative
 * residuals, which approximate the log residuals the fitter minimises, for the linear part of a law with its
 * nonlinear parameters held on a grid (the curve laws' starts, as chinchilla's default starts).
 *
 * @example relativeNnls(Float64Array.of(2, 3), [Float64Array.of(1, 1), Float64Array.of(1, 2)]) // { coef: [1, 1], sse: 0 }
 */
export function relativeNnls(L: Float64Array, columns: readonly Float64Array[]): { coef: number[]; sse: number } {
  const k = columns.length;
  const G = new Float64Array(k * k),
    h = new Float64Array(k);
  let yy = 0;
  for (let i = 0; i < L.length; i++) {
    const w = 1 / (L[i]! * L[i]!);
    yy += w * L[i]! * L[i]!;
    for (let a = 0; a < k; a++) {
      const xa = columns[a]![i]!;
      h[a]! += w * xa * L[i]!;
      for (let b = 0; b < k; b++) G[a * k + b]! += w * xa * columns[b]![i]!;
    }
  }
  return nnls3(G, h, yy, k);
}
