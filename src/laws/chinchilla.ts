import { chinchillaLogObjective } from './chinchillaObjective.ts';
import { foldColumn } from './foldRows.ts';
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
  reference:
    'Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, arXiv:2203.15556, eq. 2 and App. D.2',
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
    invalid: (p) =>
      p.alpha! > 0 && p.beta! > 0
        ? undefined
        : `chinchilla: L(N, C/(6N)) has no interior minimum (alpha = ${p.alpha}, beta = ${p.beta}: the fitted loss must fall in both N and D)`,
  },
  constantAllocationExponents: true,

  logPredict(t, X, out, jac) {
    const a = t[0]!,
      b = t[1]!,
      e = t[2]!,
      alpha = t[3]!,
      beta = t[4]!;
    const { logN, logD } = X;
    for (let i = 0; i < X.n; i++) {
      const ln = logN[i]!,
        ld = logD[i]!;
      const t1 = a - alpha * ln;
      const t2 = b - beta * ld;
      const m = t1 > t2 ? (t1 > e ? t1 : e) : t2 > e ? t2 : e;
      const x1 = Math.exp(t1 - m),
        x2 = Math.exp(t2 - m),
        x3 = Math.exp(e - m);
      const s = x1 + x2 + x3;
      out[i] = m + Math.log(s);
      if (jac) {
        const w1 = x1 / s,
          w2 = x2 / s;
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
    let mN = 0,
      mD = 0;
    for (let i = 0; i < X.n; i++) {
      mN += X.logN[i]!;
      mD += X.logD[i]!;
    }
    return [
      { target: 0, source: 3, c: mN / X.n },
      { target: 1, source: 4, c: mD / X.n },
    ];
  },

  fusedObjective(X, loss) {
    return loss.space === 'log' ? chinchillaLogObjective(X, loss) : undefined;
  },

  predict(p: Params, point: Point) {
    // completePoint's rule for N and D without its copy of the point (identifiability predicts at every run 3 times).
    const { N, D, C } = point;
    const n = N !== undefined ? N : D !== undefined && C !== undefined ? C / (6 * D) : undefined;
    const d = D !== undefined ? D : N !== undefined && C !== undefined ? C / (6 * N) : undefined;
    return p.E! + p.A! / n! ** p.alpha! + p.B! / d! ** p.beta!;
  },

  gradient(p: Params, point: Point) {
    const q = completePoint(point);
    const n = q.N! ** -p.alpha!,
      d = q.D! ** -p.beta!;
    return { E: 1, A: n, B: d, alpha: -p.A! * n * Math.log(q.N!), beta: -p.B! * d * Math.log(q.D!) };
  },

  starts(X, strategy) {
    return strategy === 'hoffmann' ? hoffmannGrid() : nnlsStarts(X);
  },
});

/**
 * Hoffmann et al. 2022 App. D.2's 4500 starts: alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1},
 * a, b in {0, 5, ..., 25}; in the loop order of Besiroglu et al.'s notebook, as theta = (a, b, e, alpha, beta).
 */
export function hoffmannGrid(): number[][] {
  const exps = [0, 0.5, 1, 1.5, 2];
  const es = [-1, -0.5, 0, 0.5, 1];
  const abs = [0, 5, 10, 15, 20, 25];
  const out: number[][] = [];
  for (const alpha of exps)
    for (const beta of exps)
      for (const e of es) for (const a of abs) for (const b of abs) out.push([a, b, e, alpha, beta]);
  return out;
}

/** Exponent grid for the default starts: fine where fitted exponents usually land, coarse up to 2. */
const EXPONENT_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0];
const DEFAULT_STARTS = 4;
/** From this many rows on, the default starts' cross sums are grouped by distinct N (see nnlsStarts). */
const GROUPED_CROSS_ROWS = 100_000;

/**
 * Default starts: for every (alpha, beta) on a grid the law is linear in (E, A, B), so solve for them by
 * non-negative least squares on relative residuals (E + A x + B y - L)/L, which approximate the log residuals the
 * objective uses. Keep the best few (alpha, beta) cells as starts for the full optimiser.
 */
function nnlsStarts(X: Design): number[][] {
  const n = X.n;
  const g = EXPONENT_GRID.length;
  // Powers per distinct N and D (model sizes and checkpoint token counts repeat: a 1M-row loss-curve log has 1000 of
  // each), read through an index: the same values as per row, without 36 row-length arrays or 36M exp.
  const byN = foldColumn(X.logN, n),
    byD = foldColumn(X.logD, n);
  const nOf = byN.of,
    dOf = byD.of;
  // Plain loops: Float64Array.from with a mapping callback and reduce cost more than the whole grid search here.
  const powers = (logs: Float64Array, first: Int32Array, e: number): Float64Array => {
    const out = new Float64Array(first.length);
    for (let j = 0; j < first.length; j++) out[j] = Math.exp(-e * logs[first[j]!]!);
    return out;
  };
  const maxOf = (v: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < v.length; i++) if (v[i]! > m) m = v[i]!;
    return m;
  };
  const xs = EXPONENT_GRID.map((al) => powers(X.logN, byN.first, al));
  const ys = EXPONENT_GRID.map((be) => powers(X.logD, byD.first, be));
  const xMax = xs.map(maxOf);
  const yMax = ys.map(maxOf);
  const L = X.loss;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / (L[i]! * L[i]!);
  let yy = 0,
    s1 = 0,
    sL = 0;
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
  const syS = new Float64Array(g),
    syyS = new Float64Array(g),
    syLS = new Float64Array(g);
  // Below GROUPED_CROSS_ROWS, w_i y(D_i) per beta in row order, and x(N_i) per alpha below: each cell's cross term is
  // then a dot product of two contiguous arrays, the same products (w y) x in the same order as the gathering loop,
  // at a third of its cost (the 324 cells were a quarter of a bootstrap refit).
  const rowOrder = n < GROUPED_CROSS_ROWS;
  const wyRows = rowOrder ? ys.map(() => new Float64Array(n)) : [];
  const xRow = new Float64Array(rowOrder ? n : 0);
  // Large logs: the sums over rows of w, w L per distinct N and per distinct D, once; then the per-alpha and per-beta
  // sums are sums over distinct values (2 passes over the rows instead of 36). Only past GROUPED_CROSS_ROWS, as below.
  const grouping = (count: number, of: Int32Array) => {
    if (n < GROUPED_CROSS_ROWS || 8 * count > n) return undefined;
    const W = new Float64Array(count),
      WL = new Float64Array(count);
    for (let i = 0; i < n; i++) {
      W[of[i]!]! += w[i]!;
      WL[of[i]!]! += w[i]! * L[i]!;
    }
    return { W, WL };
  };
  const sumsN = grouping(byN.count, nOf),
    sumsD = grouping(byD.count, dOf);
  for (let ib = 0; ib < g; ib++) {
    const y = ys[ib]!;
    const wyRow = wyRows[ib];
    let sy = 0,
      syy = 0,
      syL = 0;
    if (sumsD) {
      for (let j = 0; j < y.length; j++) {
        const wy = sumsD.W[j]! * y[j]!;
        sy += wy;
        syy += wy * y[j]!;
        syL += sumsD.WL[j]! * y[j]!;
      }
    } else
      for (let i = 0; i < n; i++) {
        const yi = y[dOf[i]!]!,
          wy = w[i]! * yi;
        if (wyRow) wyRow[i] = wy;
        sy += wy;
        syy += wy * yi;
        syL += wy * L[i]!;
      }
    syS[ib] = sy;
    syyS[ib] = syy;
    syLS[ib] = syL;
  }
  // Large logs (n rows over few distinct N): the cross term Σ_i w_i x(N_i) y(D_i) = Σ_g x_g T_g with
  // T_g = Σ_{i: N_i = N_g} w_i y(D_i) per distinct N, once per beta: 18 passes over the rows instead of 324 (3 s of a
  // 1M-row fit). Sums in another order, so only past GROUPED_CROSS_ROWS rows: smaller inputs keep their exact starts.
  const grouped = n >= GROUPED_CROSS_ROWS && 8 * byN.count <= n;
  const cross = grouped
    ? ys.map((y) => {
        const t = new Float64Array(byN.count);
        for (let i = 0; i < n; i++) t[nOf[i]!]! += w[i]! * y[dOf[i]!]!;
        return t;
      })
    : [];
  for (let ia = 0; ia < g; ia++) {
    const x = xs[ia]!;
    let sx = 0,
      sxx = 0,
      sxL = 0;
    if (sumsN) {
      for (let j = 0; j < x.length; j++) {
        const wx = sumsN.W[j]! * x[j]!;
        sx += wx;
        sxx += wx * x[j]!;
        sxL += sumsN.WL[j]! * x[j]!;
      }
    } else
      for (let i = 0; i < n; i++) {
        const xi = x[nOf[i]!]!,
          wx = w[i]! * xi;
        if (rowOrder) xRow[i] = xi;
        sx += wx;
        sxx += wx * xi;
        sxL += wx * L[i]!;
      }
    for (let ib = 0; ib < g; ib++) {
      const y = ys[ib]!;
      const sy = syS[ib]!,
        syy = syyS[ib]!,
        syL = syLS[ib]!;
      let sxy = 0;
      if (grouped) {
        const t = cross[ib]!;
        for (let j = 0; j < t.length; j++) sxy += x[j]! * t[j]!;
      } else if (rowOrder) {
        const wy = wyRows[ib]!;
        for (let i = 0; i < n; i++) sxy += wy[i]! * xRow[i]!;
      } else {
        for (let i = 0; i < n; i++) sxy += w[i]! * y[dOf[i]!]! * x[nOf[i]!]!;
      }
      // Unconstrained solution by Cramer's rule first: it is usually non-negative, and nnls3's subset search costs more.
      const c11 = sxx * syy - sxy * sxy,
        c12 = sxy * sy - sx * syy,
        c13 = sx * sxy - sxx * sy;
      const det = s1 * c11 + sx * c12 + sy * c13;
      let coef: number[], sse: number;
      const e0 = (sL * c11 + sxL * c12 + syL * c13) / det;
      const e1 = (sL * c12 + sxL * (s1 * syy - sy * sy) + syL * (sy * sx - s1 * sxy)) / det;
      const e2 = (sL * c13 + sxL * (sx * sy - s1 * sxy) + syL * (s1 * sxx - sx * sx)) / det;
      if (det > 0 && e0 >= 0 && e1 >= 0 && e2 >= 0) {
        coef = [e0, e1, e2];
        sse = yy - (e0 * sL + e1 * sxL + e2 * syL);
      } else {
        G[0] = s1;
        G[1] = sx;
        G[2] = sy;
        G[3] = sx;
        G[4] = sxx;
        G[5] = sxy;
        G[6] = sy;
        G[7] = sxy;
        G[8] = syy;
        h[0] = sL;
        h[1] = sxL;
        h[2] = syL;
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
      const gii = G[i * 4]!,
        gjj = G[j * 4]!,
        gij = G[i * 3 + j]!;
      const det = gii * gjj - gij * gij;
      if (!(det > 0)) continue;
      const ci = (h[i]! * gjj - h[j]! * gij) / det,
        cj = (h[j]! * gii - h[i]! * gij) / det;
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
