import { LAD_EPSILON } from '../core/loss.ts';
import type { LossSpec } from '../core/loss.ts';
import { foldColumn, foldPairsAndValue, foldRows } from './foldRows.ts';
import type { Design } from '../core/law.ts';

/**
 * Chinchilla's summed loss on log residuals r_i = log(A N_i^-alpha + B D_i^-beta + E) - log L_i and its gradient in
 * theta = (a, b, e, alpha, beta) (Hoffmann et al. 2022 App. D.2), in one pass with no Jacobian matrix. With
 * w_k = x_k / s the softmax weights of the three terms, d r/d(a, b, e, alpha, beta) = (w1, w2, w3, -w1 log N, -w2 log D).
 *
 * The objective is a sum over rows, so work scales with distinct values, not rows:
 * - identical runs (same N, D and loss; a bootstrap resample repeats about a third of them) are one row with a weight;
 * - E = exp(e) once, A N^-alpha once per distinct N and B D^-beta once per distinct D (model sizes repeat across runs,
 *   and loss-curve checkpoints share token counts across runs: a 1M-row log of 1000 runs x 1000 checkpoints needs
 *   2000 exp per evaluation, not 2M);
 * so at most 1 log per distinct run. Rows are folded by the bits of their values with an open-addressing table
 * (typed arrays only: no string keys, no boxed numbers), in first-occurrence order, so the sum runs in the same order
 * as over the runs themselves. Unshifted sums are exact whenever they neither overflow nor underflow; otherwise that run
 * falls back to the max-shifted log-sum-exp, so the result agrees with the generic path (logPredict) to rounding.
 *
 * @example chinchillaLogObjective(makeDesign(runs), { kind: 'huber', delta: 1e-3, space: 'log' })(theta, grad) // objective
 */
export function chinchillaLogObjective(
  X: Design,
  loss: LossSpec,
): (t: ArrayLike<number>, grad: Float64Array) => number {
  // Sizes and token counts first (few distinct values, small tables), then the rows by (size, tokens, loss) through
  // a direct table of the (size, tokens) pairs. Groups are numbered by first occurrence at every level, so a size's
  // group over the rows is its group over the folded rows: the numbering is that of folding the folded rows again.
  const nOfRow = foldColumn(X.logN, X.n),
    dOfRow = foldColumn(X.logD, X.n);
  const rows =
    foldPairsAndValue(nOfRow.of, nOfRow.count, dOfRow.of, dOfRow.count, X.logLoss, X.n) ??
    foldRows([X.logN, X.logD, X.logLoss], X.n);
  const m = rows.count;
  const lnN = new Float64Array(m),
    lnD = new Float64Array(m),
    y = new Float64Array(m),
    w = new Float64Array(m);
  const nIdx = new Int32Array(m),
    dIdx = new Int32Array(m);
  for (let i = 0; i < X.n; i++) {
    const j = rows.of[i]!;
    if (w[j] === 0) {
      lnN[j] = X.logN[i]!;
      lnD[j] = X.logD[i]!;
      y[j] = X.logLoss[i]!;
      nIdx[j] = nOfRow.of[i]!;
      dIdx[j] = dOfRow.of[i]!;
    }
    w[j]! += 1;
  }
  const dN = gather(X.logN, nOfRow.first),
    dD = gather(X.logD, dOfRow.first);
  const kN = nOfRow.count,
    kD = dOfRow.count;
  const xN = new Float64Array(kN),
    xD = new Float64Array(kD);
  const mse = loss.kind === 'mse';
  const delta = loss.kind === 'lad' ? LAD_EPSILON : loss.delta;
  const scale = loss.kind === 'lad' ? 1 / LAD_EPSILON : 1;
  return (t, grad) => {
    const a = t[0]!,
      b = t[1]!,
      e = t[2]!,
      alpha = t[3]!,
      beta = t[4]!;
    const E = Math.exp(e);
    for (let j = 0; j < kN; j++) xN[j] = Math.exp(a - alpha * dN[j]!);
    for (let j = 0; j < kD; j++) xD[j] = Math.exp(b - beta * dD[j]!);
    let f = 0,
      g0 = 0,
      g1 = 0,
      g2 = 0,
      g3 = 0,
      g4 = 0;
    for (let i = 0; i < m; i++) {
      const ln = lnN[i]!,
        ld = lnD[i]!;
      let x1 = xN[nIdx[i]!]!,
        x2 = xD[dIdx[i]!]!,
        x3 = E;
      let s = x1 + x2 + x3;
      let logS: number;
      if (s < Infinity && s > 1e-290) {
        logS = Math.log(s);
      } else {
        const t1 = a - alpha * ln,
          t2 = b - beta * ld;
        const mx = t1 > t2 ? (t1 > e ? t1 : e) : t2 > e ? t2 : e;
        x1 = Math.exp(t1 - mx);
        x2 = Math.exp(t2 - mx);
        x3 = Math.exp(e - mx);
        s = x1 + x2 + x3;
        logS = mx + Math.log(s);
      }
      const r = logS - y[i]!;
      const wi = w[i]!;
      let psi: number;
      if (mse) {
        f += wi * r * r;
        psi = 2 * r;
      } else if (r <= delta && r >= -delta) {
        f += wi * 0.5 * r * r * scale;
        psi = r * scale;
      } else {
        f += wi * delta * ((r < 0 ? -r : r) - 0.5 * delta) * scale;
        psi = (r < 0 ? -delta : delta) * scale;
      }
      const h = (wi * psi) / s;
      const h1 = h * x1,
        h2 = h * x2;
      g0 += h1;
      g1 += h2;
      g2 += h * x3;
      g3 -= h1 * ln;
      g4 -= h2 * ld;
    }
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    grad[3] = g3;
    grad[4] = g4;
    return f;
  };
}

function gather(values: Float64Array, at: Int32Array): Float64Array {
  const out = new Float64Array(at.length);
  for (let j = 0; j < at.length; j++) out[j] = values[at[j]!]!;
  return out;
}
