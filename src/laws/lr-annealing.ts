import type { Design } from '../core/law.ts';
import type { LrSchedule } from '../core/schedule.ts';
import { scheduleAreas } from '../math/scheduleAreas.ts';
import { defineLaw } from './defineLaw.ts';
import { relativeNnls } from './relativeNnls.ts';

/**
 * The decay factor of the annealing momentum. Tissue et al. 2024 (sec. 3) use lambda = 0.999 and find the fit
 * insensitive to it between 0.99 and 0.9999; it is held, not fitted, as in the paper.
 */
export const ANNEALING_MOMENTUM = 0.999;

const s2Cache = new WeakMap<LrSchedule, Float64Array>();

/**
 * S2 prefix sums of a schedule: S2(s) = sum_{i=1..s} m_i, m_i = lambda·m_{i-1} + (eta_{i-1} - eta_i), with the drops
 * counted from the step after the warmup's peak (the warmup's rises are not annealing).
 */
function annealingArea(schedule: LrSchedule): Float64Array {
  const hit = s2Cache.get(schedule);
  if (hit) return hit;
  const lr = schedule.lr;
  const { peak } = scheduleAreas(schedule);
  const s2 = new Float64Array(lr.length);
  let m = 0;
  for (let i = 1; i < lr.length; i++) {
    m = ANNEALING_MOMENTUM * m + (i > peak ? lr[i - 1]! - lr[i]! : 0);
    s2[i] = s2[i - 1]! + m;
  }
  s2Cache.set(schedule, s2);
  return s2;
}

/** S1 and S2 of every row (NaN for a row without a schedule or a step outside it). */
function areas(X: Design): { s1: Float64Array; s2: Float64Array } {
  const s1 = new Float64Array(X.n),
    s2 = new Float64Array(X.n);
  for (let i = 0; i < X.n; i++) {
    const sch = X.schedules?.[i],
      s = X.S[i]!;
    if (!sch || !(s >= 1 && s < sch.lr.length && Number.isInteger(s))) {
      s1[i] = NaN;
      s2[i] = NaN;
      continue;
    }
    s1[i] = scheduleAreas(sch).forward[s]!;
    s2[i] = annealingArea(sch)[s]!;
  }
  return { s1, s2 };
}

const EXPONENT_GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0];

/**
 * The learning-rate-annealing law of Tissue et al. 2024 (Scaling Law with Learning Rate Annealing, arXiv:2408.11029,
 * eq. 1): the loss after s steps of a run whose schedule is eta_i,
 *
 *   L(s) = L0 + A·S1^(-alpha) - C·S2,  S1 = sum_{i=1..s} eta_i,  S2 = sum_{i=1..s} m_i,  m_i = lambda·m_{i-1} + (eta_{i-1} - eta_i),
 *
 * S1 the forward area under the schedule, S2 the annealing area with momentum (lambda = 0.999, held), the drops
 * counted after the warmup. S is the step; the schedule comes with each checkpoint (`Run.schedule`). The law is
 * linear in L0, A, C for a given alpha, so the starts solve for them on a grid of alpha.
 *
 * @example lrAnnealing.paramNames // → ['L0', 'A', 'alpha', 'C']
 */
export const lrAnnealing = defineLaw({
  name: 'lr-annealing',
  title: 'learning-rate annealing (Tissue et al. 2024)',
  formula: 'L(s) = L0 + A·S1^(-alpha) - C·S2',
  reference: 'Tissue et al. 2024, Scaling Law with Learning Rate Annealing, arXiv:2408.11029, eq. 1 (lambda = 0.999)',
  variables: ['S'],
  // Typical values: a loss falling from ~4 to ~3 over a peak rate of 3e-4 (S1 ~ 1 to 10, S2 up to ~0.3).
  parameters: [
    { name: 'L0', scale: 'log', typical: 2.5 },
    { name: 'A', scale: 'log', typical: 0.5 },
    { name: 'alpha', scale: 'linear', bounds: [0, 5], typical: 0.5, exponent: true },
    { name: 'C', scale: 'log', typical: 1 },
  ],

  logPredict(t, X, out, jac) {
    const L0 = Math.exp(t[0]!),
      A = Math.exp(t[1]!),
      alpha = t[2]!,
      C = Math.exp(t[3]!);
    const { s1, s2 } = areas(X);
    for (let i = 0; i < X.n; i++) {
      const lnS1 = Math.log(s1[i]!);
      const power = A * Math.exp(-alpha * lnS1);
      const L = L0 + power - C * s2[i]!;
      out[i] = L > 0 ? Math.log(L) : NaN;
      if (jac) {
        const o = i * 4;
        jac[o] = L0 / L;
        jac[o + 1] = power / L;
        jac[o + 2] = (-power * lnS1) / L;
        jac[o + 3] = (-C * s2[i]!) / L;
      }
    }
  },

  starts(X) {
    const { s1, s2 } = areas(X);
    const ones = new Float64Array(X.n).fill(1);
    const minusS2 = s2.map((v) => -v);
    const cells = EXPONENT_GRID.map((alpha) => {
      const power = s1.map((v) => v ** -alpha);
      const { coef, sse } = relativeNnls(X.loss, [ones, power, minusS2]);
      // A zero coefficient has no logarithm: start it small instead (the optimiser can still shrink it).
      return {
        sse,
        theta: [
          Math.log(Math.max(coef[0]!, 1e-3)),
          Math.log(Math.max(coef[1]!, 1e-4)),
          alpha,
          Math.log(Math.max(coef[2]!, 1e-4)),
        ],
      };
    });
    return cells
      .sort((a, b) => a.sse - b.sse)
      .slice(0, 4)
      .map((c) => c.theta);
  },
});
