import { InputError, ScalefitError } from '../core/errors.ts';
import type { ClosedFormAllocation, Law, Params } from '../core/law.ts';

/** One compute-optimal allocation under C = 6ND. Compute in FLOPs, D in tokens. */
export interface Allocation {
  compute: number;
  N_opt: number;
  D_opt: number;
  tokens_per_param: number;
  /** The law's predicted loss at (N_opt, D_opt). */
  loss: number;
}

const SCAN_POINTS = 400;
const BISECTIONS = 80;

/** Throw unless the law is a function of N and D alone, so that L(N, C/(6N)) is defined. */
export function checkAllocatable(law: Law): void {
  const ok =
    law.variables.includes('N') && law.variables.includes('D') && law.variables.every((v) => v === 'N' || v === 'D');
  if (!ok) {
    throw new InputError(
      `${law.name} is a law of ${law.variables.join(', ')}: a compute-optimal allocation needs a law of N and D (chinchilla, kaplan-nd, kaplan-nd-offset)`,
    );
  }
}

/** The law's closed-form allocation, after checking it has an interior minimum for these parameters (else throw, as the numeric path does). */
function closedForm(law: Law, params: Params): ClosedFormAllocation['allocate'] | undefined {
  const cf = law.closedFormAllocation;
  if (!cf) return undefined;
  const why = cf.invalid(params);
  if (why) throw new ScalefitError(why);
  return cf.allocate;
}

/**
 * N_opt, D_opt minimising L(N, D) subject to C = 6ND (Kaplan et al. 2020 eq. 2.1; Hoffmann et al. 2022 sec. 3).
 * A law with a closed form (chinchilla: chinchillaAllocation) uses it. Every other law is minimised numerically over x = log N:
 * a scan of 400 points over N in [1, C/6] brackets the minimum, then bisection on the sign of a central difference
 * of L(e^x, C/(6 e^x)) finds it. Bisection on the derivative's sign, not a golden-section search on L, because L
 * is flat at the minimum: comparing values locates x only to about sqrt(machine epsilon), while the sign of a
 * difference over h = 1e-4 stays reliable to about 1e-11 in x.
 *
 * @example
 * import { getLaw, optimalAllocation } from 'scalefit';
 * const hoffmann = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }; // Hoffmann et al. 2022, eq. 10
 * // Gopher's budget under Hoffmann et al.'s fit (Table A3 gives 40B parameters by approach 3's exponents)
 * const a = optimalAllocation(getLaw('chinchilla'), hoffmann, 5.76e23);
 * a.N_opt; // → 3.22e10
 * a.tokens_per_param; // → 92.6
 */
export function optimalAllocation(law: Law, params: Params, compute: number): Allocation {
  checkAllocatable(law);
  if (!(compute > 6)) throw new InputError(`compute ${compute}: must be a positive number of FLOPs above 6`);
  const allocate = closedForm(law, params);
  const N = allocate ? allocate(params, compute).N_opt : Math.exp(numericLogNOpt(law, params, compute));
  const D = compute / (6 * N);
  return { compute, N_opt: N, D_opt: D, tokens_per_param: D / N, loss: law.predict(params, { N, D }) };
}

function numericLogNOpt(law: Law, params: Params, compute: number): number {
  const logC6 = Math.log(compute / 6);
  const f = (x: number) => law.predict(params, { N: Math.exp(x), D: Math.exp(logC6 - x) });
  let iMin = 0,
    fMin = Infinity;
  const step = logC6 / SCAN_POINTS;
  for (let i = 0; i <= SCAN_POINTS; i++) {
    const v = f(i * step);
    if (v < fMin) {
      fMin = v;
      iMin = i;
    }
  }
  if (!Number.isFinite(fMin))
    throw new ScalefitError(`${law.name}: the predicted loss is not finite anywhere on C = 6ND at C = ${compute}`);
  if (iMin === 0 || iMin === SCAN_POINTS) {
    throw new ScalefitError(
      `${law.name}: L(N, C/(6N)) has no interior minimum at C = ${compute.toExponential(3)} FLOPs (the fit makes the loss fall monotonically in ${iMin === 0 ? 'D' : 'N'})`,
    );
  }
  let lo = (iMin - 1) * step,
    hi = (iMin + 1) * step;
  const h = 1e-4;
  for (let k = 0; k < BISECTIONS && hi - lo > 1e-13; k++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid + h) - f(mid - h) > 0) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * The inverse question: for a model of N parameters, the compute (FLOPs) at which N is compute-optimal, and the
 * tokens D = C/(6N) it should then see. Closed form for chinchilla, C = 6 (N/G)^(1/a); otherwise bisection on log C
 * (N_opt grows with C).
 *
 * @example
 * import { computeForModelSize, getLaw } from 'scalefit';
 * const hoffmann = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }; // Hoffmann et al. 2022, eq. 10
 * computeForModelSize(getLaw('chinchilla'), hoffmann, 70e9).compute; // → 3.217e24
 */
export function computeForModelSize(law: Law, params: Params, N: number): Allocation {
  checkAllocatable(law);
  if (!(N > 0)) throw new InputError(`--params ${N}: must be a positive number of parameters`);
  let compute: number;
  const allocate = closedForm(law, params);
  if (allocate) {
    const { a, G } = allocate(params, 6);
    compute = 6 * (N / G) ** (1 / a);
  } else {
    // D from 1 token to 1e30 tokens per parameter: far beyond any real run, so the root lies inside.
    let lo = Math.log(6 * N) + Math.log(Math.max(1, 1 / N) + 1),
      hi = Math.log(6 * N) + Math.log(N * 1e30);
    const g = (lc: number) => numericLogNOpt(law, params, Math.exp(lc)) - Math.log(N);
    let gHi: number;
    try {
      gHi = g(hi);
    } catch {
      gHi = NaN;
    }
    if (!(gHi >= 0))
      throw new ScalefitError(
        `${law.name}: no compute budget makes a ${N.toExponential(3)}-parameter model compute-optimal under this fit`,
      );
    for (let k = 0; k < 100 && hi - lo > 1e-12; k++) {
      const mid = 0.5 * (lo + hi);
      let v: number;
      try {
        v = g(mid);
      } catch {
        v = -1; // no interior optimum yet: N_opt below the scan's range, so more compute is needed
      }
      if (v > 0) hi = mid;
      else lo = mid;
    }
    compute = Math.exp(0.5 * (lo + hi));
  }
  const D = compute / (6 * N);
  return { compute, N_opt: N, D_opt: D, tokens_per_param: D / N, loss: law.predict(params, { N, D }) };
}

/**
 * Local allocation exponents between C and 10C: a = log10(N_opt(10C)/N_opt(C)), b likewise for D, so that
 * per 10x compute the model grows 10^a and the data 10^b (exact constants for chinchilla and kaplan-nd).
 *
 * @example
 * import { allocationExponents, getLaw } from 'scalefit';
 * const hoffmann = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }; // Hoffmann et al. 2022, eq. 10
 * // Hoffmann et al. 2022's fit: a = beta / (alpha + beta)
 * allocationExponents(getLaw('chinchilla'), hoffmann, 1e21).a; // → 0.4516
 */
export function allocationExponents(law: Law, params: Params, compute: number): { a: number; b: number } {
  const allocate = closedForm(law, params);
  if (allocate) {
    const { a, b } = allocate(params, compute);
    return { a, b };
  }
  const p = optimalAllocation(law, params, compute);
  const q = optimalAllocation(law, params, 10 * compute);
  return { a: Math.log10(q.N_opt / p.N_opt), b: Math.log10(q.D_opt / p.D_opt) };
}
