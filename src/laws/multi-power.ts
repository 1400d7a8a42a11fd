import type { Design } from '../core/law.ts';
import type { LrSchedule } from '../core/schedule.ts';
import { scheduleAreas } from '../math/scheduleAreas.ts';
import { defineLaw } from './defineLaw.ts';
import { relativeNnls } from './relativeNnls.ts';

/**
 * At most this many terms per checkpoint in the loss-drop sum: a schedule with more rate changes after warmup (a
 * cosine over 20k steps has 20k) has them summed in this many blocks of consecutive steps, each block's summed drop
 * times G at its middle step (the midpoint rule; G varies smoothly in k away from the checkpoint). A checkpoint that
 * falls inside a block sums that block's steps exactly. test/curve-laws.test.ts bounds the difference from the exact
 * sum (below 1e-5 relative in L on a 24000-step cosine with the authors' 400M fit).
 */
export const MAX_DROP_BLOCKS = 512;

/** The steps after warmup where the rate changes (the only non-zero terms of the drop sum), and their blocks. */
interface Drops {
  /** Step k of each change, ascending; its drop eta_{k-1} - eta_k; log eta_k (-Infinity for a rate of 0). */
  step: Int32Array;
  drop: Float64Array;
  logLr: Float64Array;
  /** Per block: its first and last change (indices into step), the middle step's index, and its summed drop. */
  first: Int32Array;
  last: Int32Array;
  mid: Int32Array;
  blockDrop: Float64Array;
}

const dropCache = new WeakMap<LrSchedule, Drops>();

function dropsOf(schedule: LrSchedule): Drops {
  const hit = dropCache.get(schedule);
  if (hit) return hit;
  const lr = schedule.lr;
  const { peak } = scheduleAreas(schedule);
  const steps: number[] = [];
  for (let k = peak + 1; k < lr.length; k++) if (lr[k - 1] !== lr[k]) steps.push(k);
  const m = steps.length;
  const width = Math.max(1, Math.ceil(m / MAX_DROP_BLOCKS));
  const blocks = Math.ceil(m / width);
  const d: Drops = {
    step: Int32Array.from(steps),
    drop: Float64Array.from(steps, (k) => lr[k - 1]! - lr[k]!),
    logLr: Float64Array.from(steps, (k) => Math.log(lr[k]!)),
    first: new Int32Array(blocks),
    last: new Int32Array(blocks),
    mid: new Int32Array(blocks),
    blockDrop: new Float64Array(blocks),
  };
  for (let b = 0; b < blocks; b++) {
    const f = b * width,
      l = Math.min(m, f + width) - 1;
    d.first[b] = f;
    d.last[b] = l;
    d.mid[b] = (f + l) >> 1;
    d.blockDrop[b] = lr[steps[f]! - 1]! - lr[steps[l]!]!;
  }
  dropCache.set(schedule, d);
  return d;
}

/** Per row: S1 + S_W (the forward area up to the step) and the loss-drop sums, with their derivatives when asked. */
interface DropSums {
  area: Float64Array;
  /** sum_k drop_k·G(x_k) */
  g: Float64Array;
  /** sum_k drop_k·dG/dC, ·dG/dbeta, ·dG/dgamma */
  dC?: Float64Array;
  dBeta?: Float64Array;
  dGamma?: Float64Array;
}

/**
 * The loss-drop sums at every row, for C, beta, gamma: at the checkpoints only, one term per block of rate changes
 * after warmup up to the checkpoint (see MAX_DROP_BLOCKS), so O(checkpoints x min(changes, 512)) per call, never the
 * O(t^2) of evaluating every step of the curve.
 */
function dropSums(X: Design, C: number, beta: number, gamma: number, derivatives: boolean): DropSums {
  const n = X.n;
  const out: DropSums = { area: new Float64Array(n), g: new Float64Array(n) };
  const dC = new Float64Array(n),
    dBeta = new Float64Array(n),
    dGamma = new Float64Array(n);
  if (derivatives) Object.assign(out, { dC, dBeta, dGamma });
  const acc = { g: 0, gC: 0, gB: 0, gG: 0 };
  // One term: drop·G(x) with x = eta_k^(-gamma)·S_k(t), and its slopes in C, beta, gamma.
  const term = (drop: number, logLr: number, area: number) => {
    const x = Math.exp(-gamma * logLr) * area;
    if (!Number.isFinite(x)) {
      // A rate of 0: x is infinite and G = 1, with no slope in C, beta or gamma.
      acc.g += drop;
      return;
    }
    const u = 1 + C * x;
    const lnU = Math.log(u);
    const uB = Math.exp(-beta * lnU);
    acc.g += drop * (1 - uB);
    if (derivatives) {
      const slope = (beta * uB) / u;
      acc.gC += drop * slope * x;
      acc.gB += drop * uB * lnU;
      acc.gG -= drop * slope * C * x * logLr;
    }
  };
  for (let i = 0; i < n; i++) {
    const sch = X.schedules?.[i],
      t = X.S[i]!;
    if (!sch || !(t >= 1 && t < sch.lr.length && Number.isInteger(t))) {
      out.area[i] = NaN;
      out.g[i] = NaN;
      continue;
    }
    const P = scheduleAreas(sch).forward;
    const d = dropsOf(sch);
    const Pt = P[t]!;
    acc.g = acc.gC = acc.gB = acc.gG = 0;
    for (let b = 0; b < d.first.length; b++) {
      const f = d.first[b]!,
        l = d.last[b]!;
      if (d.step[f]! > t) break;
      if (d.step[l]! <= t && f !== l) {
        const j = d.mid[b]!;
        term(d.blockDrop[b]!, d.logLr[j]!, Pt - P[d.step[j]! - 1]!);
        continue;
      }
      for (let j = f; j <= l && d.step[j]! <= t; j++) term(d.drop[j]!, d.logLr[j]!, Pt - P[d.step[j]! - 1]!);
    }
    out.area[i] = Pt;
    out.g[i] = acc.g;
    dC[i] = acc.gC;
    dBeta[i] = acc.gB;
    dGamma[i] = acc.gG;
  }
  return out;
}

const ALPHAS = [0.2, 0.35, 0.5, 0.7];
const CS = [0.1, 1, 10, 100];
const BETAS = [0.3, 0.6, 1];
const GAMMAS = [0.3, 0.6];

/**
 * The multi-power law of Luo et al. 2025 (A Multi-Power Law for Loss Curve Prediction Across Learning Rate
 * Schedules, arXiv:2503.12811, eq. 4): the loss after t steps after warmup,
 *
 *   L(t) = L0 + A·(S1(t) + S_W)^(-alpha) - LD(t),
 *   LD(t) = B·sum_{k=1..t} (eta_{k-1} - eta_k)·G(eta_k^(-gamma)·S_k(t)),  G(x) = 1 - (C·x + 1)^(-beta),  S_k(t) = sum_{tau=k..t} eta_tau,
 *
 * with S_W the warmup's area and eta_0 the peak rate. Here S is the step counted from the start of training, S1 + S_W
 * the area over steps 1..S, and the drop sum runs over the steps after the first peak of the schedule. Checked
 * against the authors' published code (the `MPL.forward` of their repository, as republished in Morphorxz/dlt25-final
 * src/models.py and src/utils.py): the same sum, except that their code also sums the warmup's rises (positive
 * eta_k - eta_{k-1} there), which adds a near-constant B·peak·G to L0; without warmup the two agree
 * (test/curve-laws.test.ts). Their fits (L0, A, alpha, B, C, beta, gamma) are therefore comparable in every
 * parameter but L0.
 *
 * @example multiPower.paramNames // → ['L0', 'A', 'alpha', 'B', 'C', 'beta', 'gamma']
 */
export const multiPower = defineLaw({
  name: 'multi-power',
  title: 'multi-power law (Luo et al. 2025)',
  formula: 'L(t) = L0 + A·(S1+S_W)^(-alpha) - B·sum_k (eta_{k-1}-eta_k)·(1 - (C·eta_k^(-gamma)·S_k(t) + 1)^(-beta))',
  reference:
    'Luo et al. 2025, A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules, arXiv:2503.12811, eq. 4',
  variables: ['S'],
  // Typical values: the authors' published fit of their 400M model (peak rate 3e-4; their code's L0 convention, see above).
  parameters: [
    { name: 'L0', scale: 'log', typical: 2.375 },
    { name: 'A', scale: 'log', typical: 0.654 },
    { name: 'alpha', scale: 'linear', bounds: [0, 5], typical: 0.429, exponent: true },
    { name: 'B', scale: 'log', typical: 523.4 },
    { name: 'C', scale: 'log', typical: 2.025 },
    { name: 'beta', scale: 'linear', bounds: [0.1, 5], typical: 0.594, exponent: true },
    { name: 'gamma', scale: 'linear', bounds: [0, 2], typical: 0.635, exponent: true },
  ],

  logPredict(t, X, out, jac) {
    const L0 = Math.exp(t[0]!),
      A = Math.exp(t[1]!),
      alpha = t[2]!,
      B = Math.exp(t[3]!),
      C = Math.exp(t[4]!),
      beta = t[5]!,
      gamma = t[6]!;
    const s = dropSums(X, C, beta, gamma, Boolean(jac));
    for (let i = 0; i < X.n; i++) {
      const lnArea = Math.log(s.area[i]!);
      const power = A * Math.exp(-alpha * lnArea);
      const L = L0 + power - B * s.g[i]!;
      out[i] = L > 0 ? Math.log(L) : NaN;
      if (jac) {
        const o = i * 7;
        jac[o] = L0 / L;
        jac[o + 1] = power / L;
        jac[o + 2] = (-power * lnArea) / L;
        jac[o + 3] = (-B * s.g[i]!) / L;
        jac[o + 4] = (-B * C * s.dC![i]!) / L;
        jac[o + 5] = (-B * s.dBeta![i]!) / L;
        jac[o + 6] = (-B * s.dGamma![i]!) / L;
      }
    }
  },

  starts(X) {
    const ones = new Float64Array(X.n).fill(1);
    const cells: Array<{ sse: number; theta: number[] }> = [];
    // For fixed alpha, C, beta, gamma the law is linear in L0, A, B: solve for them on a grid of the other four.
    for (const C of CS)
      for (const beta of BETAS)
        for (const gamma of GAMMAS) {
          const s = dropSums(X, C, beta, gamma, false);
          const minusG = s.g.map((v) => -v);
          for (const alpha of ALPHAS) {
            const power = s.area.map((v) => v ** -alpha);
            const { coef, sse } = relativeNnls(X.loss, [ones, power, minusG]);
            if (!Number.isFinite(sse)) continue;
            cells.push({
              sse,
              theta: [
                Math.log(Math.max(coef[0]!, 1e-3)),
                Math.log(Math.max(coef[1]!, 1e-4)),
                alpha,
                Math.log(Math.max(coef[2]!, 1e-2)),
                Math.log(C),
                beta,
                gamma,
              ],
            });
          }
        }
    return cells
      .sort((a, b) => a.sse - b.sse)
      .slice(0, 6)
      .map((c) => c.theta);
  },
});
