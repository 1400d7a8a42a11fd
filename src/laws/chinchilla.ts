import { LAD_EPSILON } from '../core/loss.ts';
import type { LossSpec } from '../core/loss.ts';
import type { Design, Params, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { chinchillaAllocation } from './chinchillaAllocation.ts';
import { defineLaw } from './defineLaw.ts';

/**
 * The Chinchilla law L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, eq. 2 and approach 3).
 *
 * Optimised as theta = (a, b, e, alpha, beta) with A = exp(a), B = exp(b), E = exp(e), and
 * log L-hat = LSE(a - alpha log N, b - beta log D, e), exactly as in Hoffmann et al. App. D.2: the log-sum-exp keeps
 * A, B, E positive without bounds and is evaluated stably by shifting by the largest term.
 *
 * @example chinchilla.predict({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }, { N: 70e9, D: 1.4e12 }) // ~1.937
 */
export const chinchilla = defineLaw({
  name: 'chinchilla',
  title: 'Chinchilla (Hoffmann et al. 2022)',
  formula: 'L(N,D) = E + A/N^alpha + B/D^beta',
  reference: 'Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, arXiv:2203.15556, eq. 2 and App. D.2',
  variables: ['N', 'D'],
  // Typical values: Hoffmann et al.'s fit (E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28), rounded.
  parameters: [
    { name: 'A', scale: 'log', coordinate: 'a', typical: 400 },
    { name: 'B', scale: 'log', coordinate: 'b', typical: 410 },
    { name: 'E', scale: 'log', coordinate: 'e', typical: 1.7 },
    { name: 'alpha', scale: 'linear', typical: 0.34, exponent: true },
    { name: 'beta', scale: 'linear', typical: 0.28, exponent: true },
  ],
  displayOrder: ['E', 'A', 'B', 'alpha', 'beta'],
  closedFormAllocation: {
    allocate: chinchillaAllocation,
    // The closed form assumes the loss falls in both N and D (alpha, beta > 0); otherwise L(N, C/(6N)) has no
    // interior minimum and G, a, b are meaningless (NaN or negative exponents).
    invalid: (p) => (p.alpha! > 0 && p.beta! > 0 ? undefined : `chinchilla: L(N, C/(6N)) has no interior minimum (alpha = ${p.alpha}, beta = ${p.beta}: the fitted loss must fall in both N and D)`),
  },
  constantAllocationExponents: true,

  logPredict(t, X, out, jac) {
    const a = t[0]!, b = t[1]!, e = t[2]!, alpha = t[3]!, beta = t[4]!;
    const { logN, logD } = X;
    for (let i = 0; i < X.n; i++) {
      const ln = logN[i]!, ld = logD[i]!;
      const t1 = a - alpha * ln;
      const t2 = b - beta * ld;
      const m = t1 > t2 ? (t1 > e ? t1 : e) : t2 > e ? t2 : e;
      const x1 = Math.exp(t1 - m), x2 = Math.exp(t2 - m), x3 = Math.exp(e - m);
      const s = x1 + x2 + x3;
      out[i] = m + Math.log(s);
      if (jac) {
        const w1 = x1 / s, w2 = x2 / s;
        const o = i * 5;
        jac[o] = w1;
        jac[o + 1] = w2;
        jac[o + 2] = x3 / s;
        jac[o + 3] = -w1 * ln;
        jac[o + 4] = -w2 * ld;
      }
    }
  },

  conditioning(X) {
    let mN = 0, mD = 0;
    for (let i = 0; i < X.n; i++) {
      mN += X.logN[i]!;
      mD += X.logD[i]!;
    }
    return [{ target: 0, source: 3, c: mN / X.n }, { target: 1, source: 4, c: mD / X.n }];
  },

  fusedObjective(X, loss) {
    return loss.space === 'log' ? fusedLogObjective(X, loss) : undefined;
  },

  predict(p: Params, point: Point) {
    const q = completePoint(point);
    return p.E! + p.A! / q.N! ** p.alpha! + p.B! / q.D! ** p.beta!;
  },

  gradient(p: Params, point: Point) {
    const q = completePoint(point);
    const n = q.N! ** -p.alpha!, d = q.D! ** -p.beta!;
    return { E: 1, A: n, B: d, alpha: -p.A! * n * Math.log(q.N!), beta: -p.B! * d * Math.log(q.D!) };
  },

  starts(X, strategy) {
    return strategy === 'hoffmann' ? hoffmannGrid() : nnlsStarts(X);
  },
});

/**
 * The summed loss on log residuals r_i = log(A N_i^-alpha + B D_i^-beta + E) - log L_i and its gradient in
 * theta = (a, b, e, alpha, beta), in one pass with no Jacobian matrix. With w_k = x_k / s the softmax weights of the
 * three terms, d r/d(a, b, e, alpha, beta) = (w1, w2, w3, -w1 log N, -w2 log D).
 * Fewer exp/log per run: E = exp(e) once; A N^-alpha once per distinct N (model sizes repeat across runs); identical
 * runs (a bootstrap resample repeats about a third of them) are summed once with a weight; so at most 2 exp and
 * 1 log per distinct run. Unshifted sums are exact whenever they neither overflow nor underflow; otherwise that run
 * falls back to the max-shifted log-sum-exp of `logPredict`, so the result agrees with the generic path to rounding.
 */
function fusedLogObjective(X: Design, loss: LossSpec): (t: ArrayLike<number>, grad: Float64Array) => number {
  const rowOf = new Map<string, number>();
  const nOf = new Map<number, number>();
  const lnNs: number[] = [], lnDs: number[] = [], ys: number[] = [], ws: number[] = [], nIdx: number[] = [], distinctN: number[] = [];
  for (let i = 0; i < X.n; i++) {
    const ln = X.logN[i]!, ld = X.logD[i]!, yi = X.logLoss[i]!;
    const key = `${ln} ${ld} ${yi}`;
    const row = rowOf.get(key);
    if (row !== undefined) {
      ws[row]! += 1;
      continue;
    }
    rowOf.set(key, lnNs.length);
    let j = nOf.get(ln);
    if (j === undefined) {
      j = distinctN.length;
      nOf.set(ln, j);
      distinctN.push(ln);
    }
    lnNs.push(ln);
    lnDs.push(ld);
    ys.push(yi);
    ws.push(1);
    nIdx.push(j);
  }
  const m = lnNs.length, k = distinctN.length;
  const lnN = Float64Array.from(lnNs), lnD = Float64Array.from(lnDs), y = Float64Array.from(ys), w = Float64Array.from(ws);
  const idx = Int32Array.from(nIdx), dN = Float64Array.from(distinctN);
  const xN = new Float64Array(k);
  const mse = loss.kind === 'mse';
  const delta = loss.kind === 'lad' ? LAD_EPSILON : loss.delta;
  const scale = loss.kind === 'lad' ? 1 / LAD_EPSILON : 1;
  return (t, grad) => {
    const a = t[0]!, b = t[1]!, e = t[2]!, alpha = t[3]!, beta = t[4]!;
    const E = Math.exp(e);
    for (let j = 0; j < k; j++) xN[j] = Math.exp(a - alpha * dN[j]!);
    let f = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0;
    for (let i = 0; i < m; i++) {
      const ln = lnN[i]!, ld = lnD[i]!;
      let x1 = xN[idx[i]!]!, x2 = Math.exp(b - beta * ld), x3 = E;
      let s = x1 + x2 + x3;
      let logS: number;
      if (s < Infinity && s > 1e-290) {
        logS = Math.log(s);
      } else {
        const t1 = a - alpha * ln, t2 = b - beta * ld;
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
      const h1 = h * x1, h2 = h * x2;
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

/**
 * Hoffmann et al. 2022 App. D.2's 4500 starts: alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1},
 * a, b in {0, 5, ..., 25}; in the loop order of Besiroglu et al.'s notebook, as theta = (a, b, e, alpha, beta).
 */
export function hoffmannGrid(): number[][] {
  const exps = [0, 0.5, 1, 1.5, 2];
  const es = [-1, -0.5, 0, 0.5, 1];
  const abs = [0, 5, 10, 15, 20, 25];
  const out: number[][] = [];
  for (const alpha of exps) for (const beta of exps) for (const e of es) for (const a of abs) for (const b of abs) out.push([a, b, e, alpha, beta]);
  return out;
}

/** Exponent grid for the default starts: fine where fitted exponents usually land, coarse up to 2. */
const EXPONENT_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0];
const DEFAULT_STARTS = 4;

/**
 * Default starts: for every (alpha, beta) on a grid the law is linear in (E, A, B), so solve for them by
 * non-negative least squares on relative residuals (E + A x + B y - L)/L, which approximate the log residuals the
 * objective uses. Keep the best few (alpha, beta) cells as starts for the full optimiser.
 */
function nnlsStarts(X: Design): number[][] {
  const n = X.n;
  const g = EXPONENT_GRID.length;
  // Plain loops: Float64Array.from with a mapping callback and reduce cost more than the whole grid search here.
  const powers = (logs: Float64Array, e: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.exp(-e * logs[i]!);
    return out;
  };
  const maxOf = (v: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < v.length; i++) if (v[i]! > m) m = v[i]!;
    return m;
  };
  const xs = EXPONENT_GRID.map((al) => powers(X.logN, al));
  const ys = EXPONENT_GRID.map((be) => powers(X.logD, be));
  const xMax = xs.map(maxOf);
  const yMax = ys.map(maxOf);
  const L = X.loss;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / (L[i]! * L[i]!);
  let yy = 0, s1 = 0, sL = 0;
  for (let i = 0; i < n; i++) {
    yy += w[i]! * L[i]! * L[i]!;
    s1 += w[i]!;
    sL += w[i]! * L[i]!;
  }
  const cand: Array<{ sse: number; theta: number[] }> = [];
  const G = new Float64Array(9);
  const h = new Float64Array(3);
  const sol = new Float64Array(3);
  // Sums that depend on beta alone, once per beta; each cell then needs only the cross term Σ w x y.
  const wys = ys.map((y) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = w[i]! * y[i]!;
    return out;
  });
  const syS = new Float64Array(g), syyS = new Float64Array(g), syLS = new Float64Array(g);
  for (let ib = 0; ib < g; ib++) {
    const y = ys[ib]!, wy = wys[ib]!;
    let sy = 0, syy = 0, syL = 0;
    for (let i = 0; i < n; i++) {
      sy += wy[i]!;
      syy += wy[i]! * y[i]!;
      syL += wy[i]! * L[i]!;
    }
    syS[ib] = sy;
    syyS[ib] = syy;
    syLS[ib] = syL;
  }
  for (let ia = 0; ia < g; ia++) {
    const x = xs[ia]!;
    let sx = 0, sxx = 0, sxL = 0;
    for (let i = 0; i < n; i++) {
      const wx = w[i]! * x[i]!;
      sx += wx;
      sxx += wx * x[i]!;
      sxL += wx * L[i]!;
    }
    for (let ib = 0; ib < g; ib++) {
      const wy = wys[ib]!;
      const sy = syS[ib]!, syy = syyS[ib]!, syL = syLS[ib]!;
      let sxy = 0;
      for (let i = 0; i < n; i++) sxy += wy[i]! * x[i]!;
      // Unconstrained solution by Cramer's rule first: it is usually non-negative, and nnls3's subset search costs more.
      const c11 = sxx * syy - sxy * sxy, c12 = sxy * sy - sx * syy, c13 = sx * sxy - sxx * sy;
      const det = s1 * c11 + sx * c12 + sy * c13;
      let coef: number[], sse: number;
      const e0 = (sL * c11 + sxL * c12 + syL * c13) / det;
      const e1 = (sL * c12 + sxL * (s1 * syy - sy * sy) + syL * (sy * sx - s1 * sxy)) / det;
      const e2 = (sL * c13 + sxL * (sx * sy - s1 * sxy) + syL * (s1 * sxx - sx * sx)) / det;
      if (det > 0 && e0 >= 0 && e1 >= 0 && e2 >= 0) {
        coef = [e0, e1, e2];
        sse = yy - (e0 * sL + e1 * sxL + e2 * syL);
      } else {
        G[0] = s1; G[1] = sx; G[2] = sy; G[3] = sx; G[4] = sxx; G[5] = sxy; G[6] = sy; G[7] = sxy; G[8] = syy;
        h[0] = sL; h[1] = sxL; h[2] = syL;
        sse = nnlsFaces(G, h, yy, sol);
        coef = [sol[0]!, sol[1]!, sol[2]!];
      }
      // A zero coefficient has no logarithm: start its term at 1e-6 nats instead (the optimiser can still shrink it).
      const E = Math.max(coef[0]!, 1e-6);
      const A = Math.max(coef[1]!, 1e-6 / xMax[ia]!);
      const B = Math.max(coef[2]!, 1e-6 / yMax[ib]!);
      cand.push({ sse, theta: [Math.log(A), Math.log(B), Math.log(E), EXPONENT_GRID[ia]!, EXPONENT_GRID[ib]!] });
    }
  }
  cand.sort((p, q) => p.sse - q.sse);
  return cand.slice(0, DEFAULT_STARTS).map((c) => c.theta);
}

/**
 * Non-negative least squares for three coefficients whose unconstrained solution has a negative entry: the optimum
 * is the least-squares solution on one of the faces {pairs, singles, none} that is non-negative, the one with the
 * least SSE (as nnls3, but in closed form and without allocation: it runs for many grid cells per fit).
 * G = XᵀX (3 x 3 row-major), h = Xᵀy, yy = yᵀy; writes the coefficients to out and returns the SSE.
 */
function nnlsFaces(G: Float64Array, h: Float64Array, yy: number, out: Float64Array): number {
  let best = yy;
  out.fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = i + 1; j < 3; j++) {
      const gii = G[i * 4]!, gjj = G[j * 4]!, gij = G[i * 3 + j]!;
      const det = gii * gjj - gij * gij;
      if (!(det > 0)) continue;
      const ci = (h[i]! * gjj - h[j]! * gij) / det, cj = (h[j]! * gii - h[i]! * gij) / det;
      const sse = yy - ci * h[i]! - cj * h[j]!;
      if (ci >= 0 && cj >= 0 && sse < best) {
        best = sse;
        out.fill(0);
        out[i] = ci;
        out[j] = cj;
      }
    }
    const c = h[i]! / G[i * 4]!;
    const sse = yy - c * h[i]!;
    if (c >= 0 && sse < best) {
      best = sse;
      out.fill(0);
      out[i] = c;
    }
  }
  return best;
}
