import type { Run, Variable } from './run.ts';
import type { LossSpec } from './loss.ts';
import type { LrSchedule } from './schedule.ts';

/** Natural parameters of a law, keyed by name (for chinchilla: E, A, B, alpha, beta). */
export type Params = Record<string, number>;

/**
 * The data a law is evaluated on, as columns. Logs are precomputed once per fit because every objective call needs
 * them and `Math.log` dominates a lean loop otherwise.
 */
export interface Design {
  n: number;
  N: Float64Array;
  D: Float64Array;
  C: Float64Array;
  S: Float64Array;
  U: Float64Array;
  logN: Float64Array;
  logD: Float64Array;
  logC: Float64Array;
  logS: Float64Array;
  logU: Float64Array;
  loss: Float64Array;
  logLoss: Float64Array;
  /** Per row, the learning-rate schedule of its run (present when any run has one: curve laws read it with S). */
  schedules?: ReadonlyArray<LrSchedule | undefined>;
}

/** A point to predict at: any of N, D, C, S, U. C = 6ND fills in the third of N, D, C when two are given. */
export type Point = Partial<Record<Variable, number>>;

/**
 * One parameter of a law, as the law declares it. The optimiser works on its coordinate: log(value) for scale 'log'
 * (keeps a positive parameter positive without a bound, as Hoffmann et al. 2022 App. D.2 do for A, B, E), the value
 * itself for 'linear'.
 */
export interface ParamSpec<Name extends string = string> {
  name: Name;
  scale: 'log' | 'linear';
  /** Name of the optimisation coordinate (default `log_<name>` for scale 'log', `<name>` for 'linear'). */
  coordinate?: string;
  /** Bounds on the natural value; the optimisers keep the parameter inside them. */
  bounds?: [number, number];
  /** Unit of the natural value, for labelled output (e.g. 'FLOPs'). */
  unit?: string;
  /** A value in the law's usual range (its paper's fit where there is one): for examples, tests and docs. */
  typical: number;
  /** An exponent of the law (alpha, beta, ...): charted by the bootstrap report. */
  exponent?: boolean;
}

/** Closed-form compute-optimal allocation under C = 6ND (for chinchilla Hoffmann et al. 2022, App. D.2 eq. 4). */
export interface ClosedFormAllocation {
  /** N_opt(C) = G (C/6)^a, D_opt(C) = G^-1 (C/6)^b. */
  allocate(p: Params, compute: number): { a: number; b: number; G: number; N_opt: number; D_opt: number };
  /** Why the closed form has no interior minimum for these parameters (a message), or undefined when it has one. */
  invalid(p: Params): string | undefined;
}

/**
 * A scaling law as a plain object (build one with `defineLaw`). The optimiser works on `theta`, an unconstrained (or
 * lightly bounded) reparameterisation (for chinchilla: log A, log B, log E, alpha, beta, as Hoffmann et al. 2022
 * App. D.2); reports and JSON use the natural `params`.
 */
export interface Law<Name extends string = string> {
  name: string;
  title: string;
  /** The formula as text, e.g. `L(N,D) = E + A/N^alpha + B/D^beta`. */
  formula: string;
  /** Where the law comes from. */
  reference: string;
  /** The variables the law reads from each run. */
  variables: Variable[];
  /** The parameters as declared, in theta (optimiser coordinate) order. */
  parameters: Array<ParamSpec<Name>>;
  /** Natural parameter names, in display order. */
  paramNames: Name[];
  /** Names of the optimisation coordinates, same length as paramNames. */
  thetaNames: string[];
  /** The declared typical value of every parameter. */
  typical: Record<Name, number>;
  /** The parameters declared as exponents (for charts). */
  exponents: Name[];
  toParams(theta: ArrayLike<number>): Record<Name, number>;
  toTheta(params: Params): number[];
  /** Box bounds on theta (optional per coordinate); the optimisers keep theta inside them. */
  thetaBounds?: Array<[number, number]>;
  /**
   * log L-hat for every run into `out`; when `jac` is given, also d log L-hat / d theta, row-major (n x k).
   * Must be finite for every finite theta the optimiser may try, or return non-finite values (the start is then
   * abandoned), never throw.
   */
  logPredict(theta: ArrayLike<number>, X: Design, out: Float64Array, jac?: Float64Array): void;
  /**
   * Optional fused objective: the summed loss over runs and its gradient in theta in one pass, without the n x k
   * Jacobian (the fitter's hot loop). Return undefined for a loss/space the law does not fuse; the generic path
   * (logPredict + Jacobian) is then used. Must agree with the generic path to rounding.
   */
  fusedObjective?(X: Design, loss: LossSpec): ((theta: ArrayLike<number>, grad: Float64Array) => number) | undefined;
  /**
   * Optional linear change of coordinates for the optimiser, theta_target = z_target + c · z_source, to decorrelate
   * coordinates (for chinchilla: a and alpha meet only as a - alpha log N, so centring log N at its mean removes most
   * of their correlation). Used only by unconstrained fits; it changes the path, never the optimum.
   */
  conditioning?(X: Design): Array<{ target: number; source: number; c: number }>;
  /** L-hat at one point, from natural parameters. */
  predict(params: Params, point: Point): number;
  /** dL-hat/dparam at one point, from natural parameters (analytic). */
  gradient(params: Params, point: Point): Params;
  /** Starting points (theta) for a multi-start fit. `hoffmann` is the exhaustive grid where the law has one. */
  starts(X: Design, strategy: 'default' | 'hoffmann'): number[][];
  /**
   * How the law is fitted when the caller asks for no robust loss, constraint or explicit starts (Kaplan et al. 2020
   * fit their power laws by least squares on log loss): 'log-linear', log L-hat is linear in the log of the law's one
   * variable, so ordinary regression gives the exact optimum; 'least-squares', Levenberg-Marquardt from the law's
   * starts. Absent: multi-start L-BFGS on the requested loss (Hoffmann et al. 2022, App. D.2). The fitter chooses.
   */
  fitting?: 'log-linear' | 'least-squares';
  /**
   * Fit on the compute-efficient frontier only (Kaplan et al. 2020's L(C_min)): runs off it used their compute
   * inefficiently and would bias the exponent. The fitter selects the runs and says how many it kept.
   */
  fitOnFrontier?: boolean;
  /**
   * The law's S is Kaplan et al. 2020's S_min (eq. 5.4), not the raw steps: commands read S through the run's batch
   * size (`withMinimumSteps`), with a warning when the data have none.
   */
  minimumSteps?: boolean;
  /** Units of the natural parameters that declare one, for labelled output (e.g. { C_c: 'FLOPs' }). */
  paramUnits?: Record<string, string>;
  /** A closed-form compute-optimal allocation (used instead of the numeric minimisation along C = 6ND). */
  closedFormAllocation?: ClosedFormAllocation;
  /** True when N_opt ∝ C^a with constant exponents (so allocation exponents measured at one C are exact). */
  constantAllocationExponents?: boolean;
}

/**
 * The last large design built, weakly held: a fit and then its uncertainty ask for the design of the same runs, which
 * for a million-row log is 100 MB and a quarter of a second to build. Handed back only for the same array whose every
 * value still matches (a caller may have changed a run in between); designs are never written after they are built.
 */
let lastDesign: { runs: WeakRef<readonly Run[]>; X: WeakRef<Design> } | undefined;
/** Below this many runs a design is cheap to rebuild and is not remembered. */
const REMEMBER_DESIGN_ROWS = 100_000;

/** Build the column design for a law's fit. Missing variables stay NaN (a law reads only its own). */
export function makeDesign(runs: readonly Run[]): Design {
  const remembered = lastDesign?.runs.deref() === runs ? lastDesign.X.deref() : undefined;
  if (remembered && designMatches(remembered, runs)) return remembered;
  const X = buildDesign(runs);
  if (runs.length >= REMEMBER_DESIGN_ROWS) lastDesign = { runs: new WeakRef(runs), X: new WeakRef(X) };
  return X;
}

/** The design's value a equals the run's b (an absent b is the design's NaN). */
const sameNumber = (a: number, b: number | undefined) =>
  b === undefined || Number.isNaN(b) ? Number.isNaN(a) : a === b;

function designMatches(X: Design, runs: readonly Run[]): boolean {
  if (X.n !== runs.length) return false;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    if (
      !sameNumber(X.N[i]!, r.N) ||
      !sameNumber(X.D[i]!, r.D) ||
      !sameNumber(X.C[i]!, r.C) ||
      !sameNumber(X.S[i]!, r.S) ||
      !sameNumber(X.U[i]!, r.U) ||
      !sameNumber(X.loss[i]!, r.loss) ||
      (X.schedules ? X.schedules[i] !== r.schedule : r.schedule !== undefined)
    )
      return false;
  }
  return true;
}

function buildDesign(runs: readonly Run[]): Design {
  const n = runs.length;
  const col = () => new Float64Array(n);
  const X: Design = {
    n,
    N: col(),
    D: col(),
    C: col(),
    S: col(),
    U: col(),
    logN: col(),
    logD: col(),
    logC: col(),
    logS: col(),
    logU: col(),
    loss: col(),
    logLoss: col(),
  };
  for (let i = 0; i < n; i++) {
    const r = runs[i]!;
    X.N[i] = r.N ?? NaN;
    X.D[i] = r.D ?? NaN;
    X.C[i] = r.C ?? NaN;
    X.S[i] = r.S ?? NaN;
    X.U[i] = r.U ?? NaN;
    X.logN[i] = Math.log(X.N[i]!);
    X.logD[i] = Math.log(X.D[i]!);
    X.logC[i] = Math.log(X.C[i]!);
    X.logS[i] = Math.log(X.S[i]!);
    X.logU[i] = Math.log(X.U[i]!);
    X.loss[i] = r.loss;
    X.logLoss[i] = Math.log(r.loss);
  }
  if (runs.some((r) => r.schedule)) X.schedules = runs.map((r) => r.schedule);
  return X;
}

/** Fill in the third of N, D, C by C = 6ND. */
export function completePoint(p: Point): Point {
  const q = { ...p };
  completePointInPlace(q);
  return q;
}

/** {@link completePoint} without the copy: fills in the third of N, D, C of `q` itself (for a reused scratch point). */
export function completePointInPlace(q: Point): void {
  if (q.C === undefined && q.N !== undefined && q.D !== undefined) q.C = 6 * q.N * q.D;
  else if (q.D === undefined && q.N !== undefined && q.C !== undefined) q.D = q.C / (6 * q.N);
  else if (q.N === undefined && q.D !== undefined && q.C !== undefined) q.N = q.C / (6 * q.D);
}
