import { InputError } from '../core/errors.ts';
import type { Law } from '../core/law.ts';

/** Constraints on a law's natural parameters: fixed values, ties (target = source) and box bounds. */
export interface Constraints {
  fix?: Record<string, number>;
  /** target -> source: the target parameter takes the source's value (e.g. { beta: 'alpha' }). */
  tie?: Record<string, string>;
  bounds?: Record<string, [number, number]>;
}

/**
 * The map between the optimiser's free vector z and the law's theta. Fixed coordinates are constants, tied ones copy
 * their source, bounded ones go through the MINUIT/lmfit transforms (sin for two bounds, sqrt for one) so that an
 * unconstrained optimiser never leaves the box.
 */
export interface Parametrization {
  /** Number of free coordinates. */
  k: number;
  /** For each free coordinate, the theta index it drives. */
  freeIndex: number[];
  toTheta(z: ArrayLike<number>, theta: Float64Array): void;
  /** Chain rule: d f/d z from d f/d theta, at z. */
  gradZ(z: ArrayLike<number>, gradTheta: Float64Array, gradZ: Float64Array): void;
  /** A free vector for a theta (starts are given in theta; values outside a bound are moved just inside). */
  toZ(theta: ArrayLike<number>): Float64Array;
  /** Theta-space bounds per coordinate (for reporting which parameters sit on a bound). */
  thetaBounds: Array<[number, number]>;
  /** The natural parameter each theta coordinate belongs to (theta order differs from paramNames order). */
  paramOfTheta: string[];
  fixed: string[];
  tied: Record<string, string>;
}

/**
 * The theta coordinate that parameter `name` drives: its place among the law's declared parameters (laws list
 * natural parameters and theta coordinates in different orders: chinchilla shows E, A, B, ... but optimises
 * a = log A, b = log B, e = log E, ...).
 */
export function thetaIndexOf(law: Law, name: string): number {
  const i = law.parameters.findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`${law.name} has no parameter ${name}`);
  return i;
}

/** theta coordinate i (of parameter `name`) as a function of the parameter's natural value alone. */
export function thetaOf(law: Law, name: string, value: number): number {
  return law.parameters[thetaIndexOf(law, name)]!.scale === 'log' ? Math.log(value) : value;
}

export function makeParametrization(law: Law, c: Constraints = {}): Parametrization {
  const k = law.thetaNames.length;
  const paramOfTheta: string[] = new Array<string>(k);
  for (const name of law.paramNames) paramOfTheta[thetaIndexOf(law, name)] = name;
  // Index of the theta coordinate a named parameter drives.
  const idx = (name: string, what: string) => {
    if (!law.paramNames.includes(name))
      throw new InputError(
        `${what}: ${law.name} has no parameter "${name}" (parameters: ${law.paramNames.join(', ')})`,
      );
    return thetaIndexOf(law, name);
  };
  const fixedTheta = new Map<number, number>();
  for (const [name, v] of Object.entries(c.fix ?? {})) {
    const i = idx(name, '--fix');
    const t = thetaOf(law, name, v);
    if (!Number.isFinite(t)) throw new InputError(`--fix ${name}=${v}: value outside the parameter's domain`);
    fixedTheta.set(i, t);
  }
  const tiedTo = new Map<number, number>();
  for (const [target, source] of Object.entries(c.tie ?? {})) {
    const ti = idx(target, '--tie');
    const si = idx(source, '--tie');
    if (ti === si) throw new InputError(`--tie ${target}=${source}: a parameter cannot be tied to itself`);
    for (const v of [0.5, 2]) {
      if (Math.abs(thetaOf(law, target, v) - thetaOf(law, source, v)) > 1e-12) {
        throw new InputError(
          `--tie ${target}=${source}: the two parameters are optimised on different scales; tie parameters of one kind (e.g. alpha=beta)`,
        );
      }
    }
    if (fixedTheta.has(ti)) throw new InputError(`--tie ${target}=${source}: ${target} is also fixed`);
    tiedTo.set(ti, si);
  }
  for (const [t, s] of tiedTo) {
    if (tiedTo.has(s))
      throw new InputError(
        `--tie: ${paramOfTheta[t]} is tied to ${paramOfTheta[s]}, which is itself tied; tie both to one source`,
      );
  }
  const thetaBounds: Array<[number, number]> = [];
  for (let i = 0; i < k; i++) thetaBounds.push(law.thetaBounds?.[i] ?? [-Infinity, Infinity]);
  for (const [name, [lo, hi]] of Object.entries(c.bounds ?? {})) {
    const i = idx(name, '--bounds');
    if (!(lo < hi)) throw new InputError(`--bounds ${name}=${lo}:${hi}: the lower bound must be below the upper bound`);
    const tl = Number.isFinite(lo) ? thetaOf(law, name, lo) : -Infinity;
    const th = Number.isFinite(hi) ? thetaOf(law, name, hi) : Infinity;
    // A lower bound outside a log-scaled parameter's domain (e.g. A >= -1) is no bound; an upper one is an error.
    if (Number.isNaN(th))
      throw new InputError(`--bounds ${name}=${lo}:${hi}: the upper bound is outside the parameter's domain`);
    const [b0, b1] = thetaBounds[i]!;
    const box: [number, number] = [Math.max(b0, Number.isNaN(tl) ? -Infinity : tl), Math.min(b1, th)];
    if (!(box[0] < box[1]))
      throw new InputError(`--bounds ${name}=${lo}:${hi}: empty once combined with the law's own bounds on ${name}`);
    thetaBounds[i] = box;
  }

  const freeIndex: number[] = [];
  for (let i = 0; i < k; i++) if (!fixedTheta.has(i) && !tiedTo.has(i)) freeIndex.push(i);
  const kind = freeIndex.map((i) => {
    const [lo, hi] = thetaBounds[i]!;
    return Number.isFinite(lo) && Number.isFinite(hi) ? 2 : Number.isFinite(lo) ? 1 : Number.isFinite(hi) ? -1 : 0;
  });
  const zPos = new Map<number, number>(freeIndex.map((i, j) => [i, j]));

  const forward = (j: number, z: number): number => {
    const [lo, hi] = thetaBounds[freeIndex[j]!]!;
    switch (kind[j]) {
      case 2:
        return lo + ((hi - lo) * (Math.sin(z) + 1)) / 2;
      case 1:
        return lo - 1 + Math.sqrt(z * z + 1);
      case -1:
        return hi + 1 - Math.sqrt(z * z + 1);
      default:
        return z;
    }
  };
  const derivative = (j: number, z: number): number => {
    const [lo, hi] = thetaBounds[freeIndex[j]!]!;
    switch (kind[j]) {
      case 2:
        return ((hi - lo) * Math.cos(z)) / 2;
      case 1:
        return z / Math.sqrt(z * z + 1);
      case -1:
        return -z / Math.sqrt(z * z + 1);
      default:
        return 1;
    }
  };
  const inverse = (j: number, t: number): number => {
    const [lo, hi] = thetaBounds[freeIndex[j]!]!;
    // Keep starts strictly inside a bound: on the bound the transforms have zero slope and the optimiser is stuck.
    const margin = 1e-6 * (Number.isFinite(hi - lo) ? hi - lo : 1);
    switch (kind[j]) {
      case 2: {
        const u = Math.min(Math.max(t, lo + margin), hi - margin);
        return Math.asin((2 * (u - lo)) / (hi - lo) - 1);
      }
      case 1: {
        const u = Math.max(t, lo + 1e-4);
        return Math.sqrt((u - lo + 1) ** 2 - 1);
      }
      case -1: {
        const u = Math.min(t, hi - 1e-4);
        return Math.sqrt((hi - u + 1) ** 2 - 1);
      }
      default:
        return t;
    }
  };

  return {
    k: freeIndex.length,
    freeIndex,
    thetaBounds,
    paramOfTheta,
    fixed: [...fixedTheta.keys()].map((i) => paramOfTheta[i]!),
    tied: Object.fromEntries([...tiedTo].map(([t, s]) => [paramOfTheta[t]!, paramOfTheta[s]!])),
    toTheta(z, theta) {
      for (const [i, v] of fixedTheta) theta[i] = v;
      for (let j = 0; j < freeIndex.length; j++) theta[freeIndex[j]!] = forward(j, z[j]!);
      for (const [t, s] of tiedTo) theta[t] = theta[s]!;
    },
    gradZ(z, gradTheta, gz) {
      for (let j = 0; j < freeIndex.length; j++) {
        let g = gradTheta[freeIndex[j]!]!;
        for (const [t, s] of tiedTo) if (s === freeIndex[j]) g += gradTheta[t]!;
        gz[j] = g * derivative(j, z[j]!);
      }
    },
    toZ(theta) {
      const z = new Float64Array(freeIndex.length);
      for (const [i, j] of zPos) z[j] = inverse(j, theta[i]!);
      return z;
    },
  };
}

/**
 * Parse `E=1.69` (fix), `alpha=beta` (tie) or `alpha=0.1:1` (bounds; either side may be empty) option values.
 *
 * @example
 * import { fitLaw, getLaw, loadRuns, parseConstraintOptions } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const constraints = parseConstraintOptions(['E=1.69'], ['alpha=beta'], ['A=1:1e4']);
 * const fit = fitLaw(getLaw('chinchilla'), ds.runs, { constraints });
 * fit.params.E; // → 1.69
 * fit.params.alpha === fit.params.beta; // → true
 */
export function parseConstraintOptions(fix: string[], tie: string[], bounds: string[]): Constraints {
  const pair = (s: string, opt: string): [string, string] => {
    const eq = s.indexOf('=');
    if (eq < 1 || eq === s.length - 1) throw new InputError(`bad ${opt} "${s}": expected NAME=VALUE`);
    return [s.slice(0, eq).trim(), s.slice(eq + 1).trim()];
  };
  const num = (s: string, opt: string, whole: string): number => {
    const v = Number(s);
    if (s === '' || !Number.isFinite(v)) throw new InputError(`bad ${opt} "${whole}": "${s}" is not a number`);
    return v;
  };
  const c: Constraints = {};
  for (const f of fix) {
    const [name, v] = pair(f, '--fix');
    (c.fix ??= {})[name] = num(v, '--fix', f);
  }
  for (const t of tie) {
    const [target, source] = pair(t, '--tie');
    (c.tie ??= {})[target] = source;
  }
  for (const b of bounds) {
    const [name, range] = pair(b, '--bounds');
    const colon = range.indexOf(':');
    if (colon < 0) throw new InputError(`bad --bounds "${b}": expected NAME=LOW:HIGH (either side may be empty)`);
    const lo = range.slice(0, colon).trim(),
      hi = range.slice(colon + 1).trim();
    (c.bounds ??= {})[name] = [
      lo === '' ? -Infinity : num(lo, '--bounds', b),
      hi === '' ? Infinity : num(hi, '--bounds', b),
    ];
  }
  return c;
}
