import type { Design, Law } from '../core/law.ts';
import { predictInSpace } from './predictInSpace.ts';
import type { LossSpec } from '../core/loss.ts';
import { LAD_EPSILON } from '../core/loss.ts';

export interface Objective {
  /** Objective at theta; writes d objective / d theta into grad. Non-finite when the law is. */
  fg(theta: ArrayLike<number>, grad: Float64Array): number;
  /** Residuals (in the loss's space) at theta. */
  residuals(theta: ArrayLike<number>): Float64Array;
  /** Jacobian of residuals wrt theta (n x k, row-major) at theta. */
  jacobian(theta: ArrayLike<number>): Float64Array;
}

/**
 * The summed loss of a law over a design, its residuals and Jacobian. `useFused: false` skips building the law's
 * fused objective (it folds every row: 0.8 s on a million rows) for callers that need only residuals and Jacobian.
 */
export function makeObjective(law: Law, X: Design, loss: LossSpec, useFused = true): Objective {
  const n = X.n;
  const k = law.thetaNames.length;
  const pred = new Float64Array(n);
  // Allocated on first use: with a fused objective only the uncertainty needs it (n x k: 40 MB for a 1M-row log).
  let jacBuf: Float64Array | undefined;
  const jacobianBuffer = () => (jacBuf ??= new Float64Array(n * k));
  const target = loss.space === 'log' ? X.logLoss : X.loss;
  const kind = loss.kind;
  const delta = kind === 'lad' ? LAD_EPSILON : loss.delta;
  const scale = kind === 'lad' ? 1 / LAD_EPSILON : 1;

  // The theta of the last evaluation, so residuals right after the Jacobian at the same theta (the uncertainty asks
  // for both) reuse its predictions instead of another pass over every run.
  const lastTheta = new Float64Array(k);
  let evaluated = false;
  let lastWithJac = false;
  function evaluate(theta: ArrayLike<number>, withJac: boolean): void {
    let same = evaluated && (withJac ? lastWithJac : true);
    for (let j = 0; j < k && same; j++) same = Object.is(lastTheta[j], theta[j]);
    if (same) return;
    predictInSpace(law, theta, X, loss.space, pred, withJac ? jacobianBuffer() : undefined);
    for (let j = 0; j < k; j++) lastTheta[j] = theta[j]!;
    lastWithJac = withJac;
    evaluated = true;
  }

  const fused = useFused ? law.fusedObjective?.(X, loss) : undefined;
  return {
    fg:
      fused ??
      function fg(theta, grad) {
        evaluate(theta, true);
        const jac = jacobianBuffer();
        grad.fill(0);
        let f = 0;
        for (let i = 0; i < n; i++) {
          const r = pred[i]! - target[i]!;
          let psi: number;
          if (kind === 'mse') {
            f += r * r;
            psi = 2 * r;
          } else {
            const ar = r < 0 ? -r : r;
            if (ar <= delta) {
              f += 0.5 * r * r * scale;
              psi = r * scale;
            } else {
              f += delta * (ar - 0.5 * delta) * scale;
              psi = (r < 0 ? -delta : delta) * scale;
            }
          }
          const o = i * k;
          for (let j = 0; j < k; j++) grad[j]! += psi * jac[o + j]!;
        }
        return f;
      },
    residuals(theta) {
      evaluate(theta, false);
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) r[i] = pred[i]! - target[i]!;
      return r;
    },
    jacobian(theta) {
      evaluate(theta, true);
      return jacobianBuffer().slice();
    },
  };
}
