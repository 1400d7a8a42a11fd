import type { LbfgsOptions } from '../math/lbfgs.ts';
import type { LossSpec } from '../core/loss.ts';

/** The Huber threshold the absolute tolerances were set for (Hoffmann et al. 2022 App. D.2; scipy's defaults). */
const REFERENCE_DELTA = 1e-3;

/**
 * Scale the absolute parts of L-BFGS tolerances (gtol, and the floor fscale of the relative-decrease test) with the
 * size of the loss. In its linear zone the Huber loss is delta(|r| - delta/2), so the objective and its gradient
 * are proportional to delta: tolerances tuned for delta = 1e-3 stop a fit with delta = 1e-12 at its start point
 * (gradient 1e-11 "below" gtol 1e-11; a decrease of 1e-12 "below" ftol times fscale = 1). Below the reference threshold
 * both shrink by delta / 1e-3; at or above it (and for mse and lad, whose scale does not depend on delta) they are
 * unchanged, so default fits are exactly as before. The relative test ftol needs no scaling.
 *
 * @example lossScaledTolerances({ gtol: 1e-5, fscale: 1 }, { kind: 'huber', delta: 1e-12, space: 'log' }) // gtol 1e-14, fscale 1e-9
 */
export function lossScaledTolerances(tol: Partial<LbfgsOptions>, loss: LossSpec): Partial<LbfgsOptions> {
  const s = loss.kind === 'huber' ? Math.min(1, loss.delta / REFERENCE_DELTA) : 1;
  if (s === 1) return tol;
  return {
    ...tol,
    ...(tol.gtol !== undefined ? { gtol: tol.gtol * s } : {}),
    ...(tol.fscale !== undefined ? { fscale: tol.fscale * s } : {}),
  };
}
