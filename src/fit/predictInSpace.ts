import type { Design, Law } from '../core/law.ts';

/**
 * The law's prediction for every run in the space residuals are taken in: log L-hat (as `logPredict` gives it), or
 * L-hat itself, where the chain rule dL/dtheta = L · dlogL/dtheta turns the Jacobian too.
 *
 * @example predictInSpace(chinchilla, theta, X, 'linear', out, jac) // out[i] = L-hat_i, jac rows = dL-hat_i/dtheta
 */
export function predictInSpace(
  law: Law,
  theta: ArrayLike<number>,
  X: Design,
  space: 'log' | 'linear',
  out: Float64Array,
  jac?: Float64Array,
): void {
  law.logPredict(theta, X, out, jac);
  if (space === 'log') return;
  const k = law.thetaNames.length;
  for (let i = 0; i < X.n; i++) {
    const p = Math.exp(out[i]!);
    out[i] = p;
    if (jac) for (let j = 0; j < k; j++) jac[i * k + j]! *= p;
  }
}
