import type { ClosedFormAllocation, Design, Law, ParamSpec, Params, Point } from '../core/law.ts';
import { completePoint, makeDesign } from '../core/law.ts';
import type { LossSpec } from '../core/loss.ts';
import type { Variable } from '../core/run.ts';

/** What a law declares; `defineLaw` derives the rest. */
export interface LawDefinition<Name extends string> {
  name: string;
  title: string;
  formula: string;
  reference: string;
  variables: Variable[];
  /** The parameters, in the order of the optimiser's coordinates theta (the order `logPredict` reads them in). */
  parameters: ReadonlyArray<ParamSpec<Name>>;
  /** Display order of the parameters (default: declaration order). */
  displayOrder?: readonly Name[];
  /** log L-hat for every run and, when `jac` is given, its Jacobian in theta (row-major n x k). See `Law`. */
  logPredict(theta: ArrayLike<number>, X: Design, out: Float64Array, jac?: Float64Array): void;
  /** Starting points (theta) for a multi-start fit. */
  starts(X: Design, strategy: 'default' | 'hoffmann'): number[][];
  fusedObjective?(X: Design, loss: LossSpec): ((theta: ArrayLike<number>, grad: Float64Array) => number) | undefined;
  conditioning?(X: Design): Array<{ target: number; source: number; c: number }>;
  fitting?: 'log-linear' | 'least-squares';
  fitOnFrontier?: boolean;
  /** S is Kaplan et al.'s S_min: commands convert raw steps with the batch size (see `Law.minimumSteps`). */
  minimumSteps?: boolean;
  closedFormAllocation?: ClosedFormAllocation;
  constantAllocationExponents?: boolean;
  /**
   * Optional closed form of L-hat at one point. Without it, L-hat = exp(logPredict) at the point; with it, the law
   * promises the same value to rounding (a test checks), and it is what reports print.
   */
  predict?(params: Params, point: Point): number;
  /** Optional closed form of dL-hat/dparam at one point (default: from the Jacobian of logPredict). */
  gradient?(params: Params, point: Point): Params;
}

/**
 * Build a law from its declaration: the parameters (name, log or linear scale, bounds, unit, typical value) and
 * `logPredict` with its Jacobian and starts. Derived here: the optimiser coordinates (theta_i = log p_i or p_i),
 * `toParams`/`toTheta`, theta bounds, units, `predict` (exp of logPredict at one point) and `gradient`
 * (dL/dp_i = L · d log L/d theta_i · d theta_i/d p_i, with d theta_i/d p_i = 1/p_i on a log scale, 1 on a linear one).
 *
 * @example defineLaw({ name: 'my-law', parameters: [{ name: 'X_c', scale: 'log', typical: 1e13 }, ...], logPredict, starts, ... })
 */
export function defineLaw<const Name extends string>(def: LawDefinition<Name>): Law<Name> {
  const specs = [...def.parameters];
  const k = specs.length;
  const isLog = specs.map((p) => p.scale === 'log');
  const order = [...(def.displayOrder ?? specs.map((p) => p.name))];
  const indexOf = new Map<string, number>(specs.map((p, i) => [p.name, i]));
  const displayIndex = order.map((n) => indexOf.get(n)!);
  if (order.length !== k || displayIndex.some((i) => i === undefined))
    throw new Error(`${def.name}: displayOrder must list every parameter once`);
  const units = Object.fromEntries(
    order.filter((n) => specs[indexOf.get(n)!]!.unit).map((n) => [n, specs[indexOf.get(n)!]!.unit!]),
  );
  const anyBound = specs.some((p) => p.bounds);
  const thetaBounds = specs.map((p, i): [number, number] => {
    if (!p.bounds) return [-Infinity, Infinity];
    return isLog[i] ? [Math.log(p.bounds[0]), Math.log(p.bounds[1])] : [p.bounds[0], p.bounds[1]];
  });
  const toTheta = (p: Params): number[] => specs.map((s, i) => (isLog[i] ? Math.log(p[s.name]!) : p[s.name]!));
  const pointDesign = (point: Point): Design => {
    const q = completePoint(point);
    return makeDesign([{ N: q.N, D: q.D, C: q.C, S: q.S, U: q.U, loss: 1, tags: {}, line: 0 }]);
  };
  const law: Law<Name> = {
    name: def.name,
    title: def.title,
    formula: def.formula,
    reference: def.reference,
    variables: def.variables,
    parameters: specs,
    paramNames: order,
    thetaNames: specs.map((p, i) => p.coordinate ?? (isLog[i] ? `log_${p.name}` : p.name)),
    typical: Object.fromEntries(order.map((n) => [n, specs[indexOf.get(n)!]!.typical])) as Record<Name, number>,
    exponents: order.filter((n) => specs[indexOf.get(n)!]!.exponent),
    toParams(t) {
      const out = {} as Record<Name, number>;
      for (const i of displayIndex) out[specs[i]!.name] = isLog[i] ? Math.exp(t[i]!) : t[i]!;
      return out;
    },
    toTheta,
    logPredict: def.logPredict,
    starts: def.starts,
    predict:
      def.predict ??
      ((p, point) => {
        const out = new Float64Array(1);
        def.logPredict(toTheta(p), pointDesign(point), out);
        return Math.exp(out[0]!);
      }),
    gradient:
      def.gradient ??
      ((p, point) => {
        const out = new Float64Array(1),
          jac = new Float64Array(k);
        def.logPredict(toTheta(p), pointDesign(point), out, jac);
        const L = Math.exp(out[0]!);
        const g: Params = {};
        for (const i of displayIndex) g[specs[i]!.name] = isLog[i] ? (L * jac[i]!) / p[specs[i]!.name]! : L * jac[i]!;
        return g;
      }),
  };
  if (anyBound) law.thetaBounds = thetaBounds;
  if (Object.keys(units).length) law.paramUnits = units;
  if (def.fusedObjective) law.fusedObjective = def.fusedObjective;
  if (def.conditioning) law.conditioning = def.conditioning;
  if (def.fitting) law.fitting = def.fitting;
  if (def.fitOnFrontier) law.fitOnFrontier = true;
  if (def.minimumSteps) law.minimumSteps = true;
  if (def.closedFormAllocation) law.closedFormAllocation = def.closedFormAllocation;
  if (def.constantAllocationExponents) law.constantAllocationExponents = true;
  return law;
}
