import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import type { Variable } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { Design, Law, Params, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { defineLaw } from './defineLaw.ts';

/** The data columns a formula may read; every other symbol is a parameter. */
const FORMULA_VARIABLES: readonly Variable[] = ['N', 'D', 'C', 'S', 'U'];

/** Functions a formula may call, with their JavaScript equivalents (the derivatives of these need the rest). */
const USER_FUNCTIONS = ['exp', 'log', 'log10', 'sqrt', 'abs', 'tanh'] as const;
const JS_FUNCTIONS: Record<string, (args: string[]) => string> = {
  exp: ([x]) => `Math.exp(${x})`,
  log: (a) => (a.length === 2 ? `(Math.log(${a[0]}) / Math.log(${a[1]}))` : `Math.log(${a[0]})`),
  log10: ([x]) => `Math.log10(${x})`,
  sqrt: ([x]) => `Math.sqrt(${x})`,
  abs: ([x]) => `Math.abs(${x})`,
  sign: ([x]) => `Math.sign(${x})`,
  tanh: ([x]) => `Math.tanh(${x})`,
  cosh: ([x]) => `Math.cosh(${x})`,
  sinh: ([x]) => `Math.sinh(${x})`,
  sech: ([x]) => `(1 / Math.cosh(${x}))`,
};

/** A formula law as a JSON file gives it (`--law law.json`): all but `formula` optional. */
export interface FormulaSpec {
  formula: string;
  /** Natural-unit bounds per parameter; null or absent for an open side. */
  bounds?: Record<string, [number | null, number | null]>;
  /** 'log': fitted as log p (p > 0); 'linear': as p. Default: linear for a parameter in an exponent, else log. */
  scales?: Record<string, 'log' | 'linear'>;
  /** Extra starts in natural units, tried before the search's own. */
  starts?: Array<Record<string, number>>;
}

/** How many quasi-random points the default start search screens, and how many of the best it optimises. */
const SCREEN_POINTS = 2000;
const SCREEN_KEEP = 4;
/** The screening scores points on at most this many runs (evenly spaced): ranking starts needs no more. */
const SCREEN_RUNS = 48;
/** The `--starts hoffmann` counterpart for a formula: this many quasi-random starts, each optimised. */
const EXHAUSTIVE_POINTS = 4500;

/**
 * Whether `--law` text is a formula rather than a law's name: names are words (`kaplan-nd`), formulas have an
 * operator, a space or a parenthesis; a JSON spec starts with `{`.
 */
export function isFormulaText(text: string): boolean {
  return /^\s*\{/.test(text) || /[^A-Za-z0-9_-]/.test(text);
}

type MathJs = typeof import('mathjs');
let mathjs: MathJs | undefined;
/** mathjs, loaded on first use: it costs ~150 ms of start-up that commands without a formula never pay. */
function math(): MathJs {
  mathjs ??= createRequire(import.meta.url)('mathjs') as MathJs;
  return mathjs;
}

const cache = new Map<string, Law>();

/**
 * A law from a user's formula, e.g. `E + A/N^alpha + B/D^beta` (mathjs syntax; `L =` or `L(N,D) =` in front is
 * allowed), or from a JSON spec's text ({@link FormulaSpec}). The data variables are N, D, C, S, U; every other
 * symbol is a parameter. The gradient is analytic: mathjs differentiates the formula symbolically once, and the
 * value and derivatives are compiled to one JavaScript loop with shared subexpressions hoisted (parameter-only terms
 * leave the loop), so the fitter runs it like a hand-written law. Fitted in log-loss space by default like every law.
 * The law's name is the text itself, so fit files and worker threads rebuild it from the name alone.
 *
 * @example formulaLaw('E + A/N^alpha + B/D^beta').paramNames // ['E', 'A', 'alpha', 'B', 'beta']
 */
export function formulaLaw(text: string): Law {
  const hit = cache.get(text);
  if (hit) return hit;
  const spec = parseSpecText(text);
  const law = buildLaw(text, spec);
  cache.set(text, law);
  return law;
}

function parseSpecText(text: string): FormulaSpec {
  if (!/^\s*\{/.test(text)) return { formula: text };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`formula law: the JSON spec does not parse (${(e as Error).message})`);
  }
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || typeof o.formula !== 'string')
    throw new InputError(
      'formula law: the JSON spec needs "formula": "E + A/N^alpha + ..." (and optionally "bounds", "scales", "starts")',
    );
  const unknownKey = Object.keys(o).find((k) => !['formula', 'bounds', 'scales', 'starts'].includes(k));
  if (unknownKey)
    throw new InputError(
      `formula law: unknown key "${unknownKey}" in the JSON spec; expected formula, bounds, scales, starts`,
    );
  return o as unknown as FormulaSpec;
}

/** A formula node with the user's symbols renamed to safe ones (mathjs knows `E`, `e`, `pi` as constants). */
interface Parsed {
  node: MathNode;
  params: string[];
  variables: Variable[];
  /** Parameters that occur in an exponent or inside exp(): fitted on a linear scale by default. */
  inExponent: Set<string>;
}

const paramSymbol = (j: number): string => `q${j}`;
const varSymbol = (v: string): string => `v${v}`;

function parseFormula(formula: string): Parsed {
  const m = math();
  let node: MathNode;
  try {
    node = m.parse(formula);
  } catch (e) {
    throw new InputError(`formula "${formula}" does not parse: ${(e as Error).message}`);
  }
  if (node.type === 'AssignmentNode' || node.type === 'FunctionAssignmentNode')
    node = (node as unknown as { expr: MathNode }).expr;
  const params: string[] = [];
  const variables = new Set<Variable>();
  const inExponent = new Set<string>();
  const check = (n: MathNode, exponent: boolean): void => {
    switch (n.type) {
      case 'ConstantNode': {
        const v = (n as unknown as { value: unknown }).value;
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new InputError(`formula "${formula}": ${String(v)} is not a finite number`);
        return;
      }
      case 'SymbolNode': {
        const name = (n as unknown as { name: string }).name;
        if ((FORMULA_VARIABLES as readonly string[]).includes(name)) variables.add(name as Variable);
        else {
          if (!params.includes(name)) params.push(name);
          if (exponent) inExponent.add(name);
        }
        return;
      }
      case 'ParenthesisNode':
        check((n as unknown as { content: MathNode }).content, exponent);
        return;
      case 'OperatorNode': {
        const op = n as unknown as { fn: string; op: string; args: MathNode[] };
        if (!['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus'].includes(op.fn)) {
          throw new InputError(`formula "${formula}": operator "${op.op}" is not supported; use + - * / ^`);
        }
        op.args.forEach((a, i) => check(a, exponent || (op.fn === 'pow' && i === 1)));
        return;
      }
      case 'FunctionNode': {
        const fn = n as unknown as { fn: { name: string }; args: MathNode[] };
        const name = fn.fn.name;
        if (!(USER_FUNCTIONS as readonly string[]).includes(name)) {
          throw new InputError(
            `formula "${formula}": unknown function ${name}(); known functions: ${USER_FUNCTIONS.join(', ')}`,
          );
        }
        if (fn.args.length !== 1 && !(name === 'log' && fn.args.length === 2))
          throw new InputError(`formula "${formula}": ${name}() takes one argument`);
        fn.args.forEach((a) => check(a, exponent || name === 'exp'));
        return;
      }
      default:
        throw new InputError(
          `formula "${formula}": ${n.type.replace(/Node$/, '').toLowerCase()} expressions are not supported; write a formula of N, D, C, S, U and parameters with + - * / ^ and ${USER_FUNCTIONS.join(', ')}`,
        );
    }
  };
  check(node, false);
  if (variables.size === 0)
    throw new InputError(
      `formula "${formula}" reads no data variable; use at least one of ${FORMULA_VARIABLES.join(', ')}`,
    );
  if (params.length === 0)
    throw new InputError(
      `formula "${formula}" has no parameters to fit (every symbol is a data variable ${FORMULA_VARIABLES.join(', ')})`,
    );
  const renamed = node.transform((n, path) => {
    if (n.type !== 'SymbolNode' || path === 'fn') return n;
    const name = (n as unknown as { name: string }).name;
    return new m.SymbolNode(params.includes(name) ? paramSymbol(params.indexOf(name)) : varSymbol(name));
  });
  return { node: renamed, params, variables: FORMULA_VARIABLES.filter((v) => variables.has(v)), inExponent };
}

/**
 * JavaScript for mathjs nodes, with common subexpression elimination: each distinct compound subexpression becomes
 * one `const`, hoisted out of the per-run loop when it reads no data. Powers of a data variable use its precomputed
 * log (x^p = exp(p log x)), as the built-in laws do.
 */
class CodeGen {
  readonly outer: string[] = [];
  readonly inner: string[] = [];
  private readonly seen = new Map<string, { name: string; data: boolean }>();
  readonly usedVars = new Set<string>();

  constructor(private readonly params: string[]) {}

  emit(n: MathNode): { code: string; data: boolean } {
    switch (n.type) {
      case 'ConstantNode': {
        const v = Number((n as unknown as { value: unknown }).value);
        return { code: v < 0 ? `(${v})` : String(v), data: false };
      }
      case 'SymbolNode': {
        const name = (n as unknown as { name: string }).name;
        if (name.startsWith('v')) {
          this.usedVars.add(name.slice(1));
          return { code: name, data: true };
        }
        if (!/^q\d+$/.test(name)) throw new InputError(`formula: unexpected symbol ${name} in a derivative`);
        return { code: `p${name.slice(1)}`, data: false };
      }
      case 'ParenthesisNode':
        return this.emit((n as unknown as { content: MathNode }).content);
      case 'OperatorNode': {
        const op = n as unknown as { fn: string; args: MathNode[] };
        if (
          op.fn === 'pow' &&
          op.args[0]!.type === 'SymbolNode' &&
          (op.args[0] as unknown as { name: string }).name.startsWith('v')
        ) {
          const v = (op.args[0] as unknown as { name: string }).name.slice(1);
          this.usedVars.add(v);
          const e = this.emit(op.args[1]!);
          return this.bind(`Math.exp(${e.code} * l${v})`, true);
        }
        const args = op.args.map((a) => this.emit(a));
        const data = args.some((a) => a.data);
        const c = args.map((a) => a.code);
        switch (op.fn) {
          case 'add':
            return this.bind(`(${c.join(' + ')})`, data);
          case 'subtract':
            return this.bind(`(${c[0]} - ${c[1]})`, data);
          case 'multiply':
            return this.bind(`(${c.join(' * ')})`, data);
          case 'divide':
            return this.bind(`(${c[0]} / ${c[1]})`, data);
          case 'unaryMinus':
            return this.bind(`(-${c[0]})`, data);
          case 'unaryPlus':
            return args[0]!;
          case 'pow':
            return this.bind(c[1] === '2' ? `(${c[0]} * ${c[0]})` : `Math.pow(${c[0]}, ${c[1]})`, data);
          default:
            throw new InputError(`formula: operator ${op.fn} is not supported`);
        }
      }
      case 'FunctionNode': {
        const fn = n as unknown as { fn: { name: string }; args: MathNode[] };
        const name = fn.fn.name;
        if (
          name === 'log' &&
          fn.args.length === 1 &&
          fn.args[0]!.type === 'SymbolNode' &&
          (fn.args[0] as unknown as { name: string }).name.startsWith('v')
        ) {
          const v = (fn.args[0] as unknown as { name: string }).name.slice(1);
          this.usedVars.add(v);
          return { code: `l${v}`, data: true };
        }
        const js = JS_FUNCTIONS[name];
        if (!js) throw new InputError(`formula: function ${name}() is not supported`);
        const args = fn.args.map((a) => this.emit(a));
        return this.bind(
          js(args.map((a) => a.code)),
          args.some((a) => a.data),
        );
      }
      default:
        throw new InputError(`formula: ${n.type} is not supported`);
    }
  }

  private bind(code: string, data: boolean): { code: string; data: boolean } {
    const hit = this.seen.get(code);
    if (hit) return { code: hit.name, data: hit.data };
    const name = `t${this.seen.size}`;
    this.seen.set(code, { name, data });
    (data ? this.inner : this.outer).push(`const ${name} = ${code};`);
    return { code: name, data };
  }

  /** `const vN = X.N[i], lN = X.logN[i];` for the variables the code read. */
  loads(): string {
    return [...this.usedVars].map((v) => `const v${v} = X.${v}[i], l${v} = X.log${v}[i];`).join(' ');
  }
}

function buildLaw(name: string, spec: FormulaSpec): Law {
  const formula = spec.formula.trim();
  const parsed = parseFormula(formula);
  const { params } = parsed;
  const k = params.length;
  const knownParam = (p: string, what: string) => {
    if (!params.includes(p))
      throw new InputError(
        `formula law: ${what} names "${p}", which is not a parameter of ${formula} (parameters: ${params.join(', ')})`,
      );
  };
  for (const p of Object.keys(spec.scales ?? {})) knownParam(p, 'scales');
  for (const p of Object.keys(spec.bounds ?? {})) knownParam(p, 'bounds');
  for (const s of spec.starts ?? []) for (const p of Object.keys(s)) knownParam(p, 'starts');
  const logScale = params.map((p) => {
    const s = spec.scales?.[p];
    if (s !== undefined && s !== 'log' && s !== 'linear')
      throw new InputError(`formula law: scale of ${p} must be "log" or "linear", not ${JSON.stringify(s)}`);
    return s ? s === 'log' : !parsed.inExponent.has(p);
  });
  // Bounds on the natural scale (null = an open side; the open low side of a log-scale parameter is 0), and the same
  // box in theta (log 0 = -Infinity).
  const naturalBounds: Array<[number, number]> = params.map((p, j) => {
    const b = spec.bounds?.[p];
    if (b === undefined) return [logScale[j] ? 0 : -Infinity, Infinity];
    if (!Array.isArray(b) || b.length !== 2 || b.some((x) => x !== null && typeof x !== 'number'))
      throw new InputError(`formula law: bounds of ${p} must be [low, high] (null for an open side)`);
    const lo = b[0] ?? (logScale[j] ? 0 : -Infinity),
      hi = b[1] ?? Infinity;
    if (!(lo < hi)) throw new InputError(`formula law: bounds of ${p} must have low < high`);
    if (logScale[j] && lo < 0)
      throw new InputError(
        `formula law: ${p} is fitted on a log scale (positive) but its bounds allow ${lo}; set "scales": {"${p}": "linear"}`,
      );
    return [lo, hi];
  });
  const thetaBounds = naturalBounds.map(([lo, hi], j): [number, number] =>
    logScale[j] ? [lo > 0 ? Math.log(lo) : -Infinity, Math.log(hi)] : [lo, hi],
  );

  const m = math();
  const derivatives = params.map((_, j) => m.derivative(parsed.node, paramSymbol(j)));
  const paramDecl = (from: string, natural: boolean) =>
    params
      .map((_, j) => `const p${j} = ${natural || !logScale[j] ? `${from}[${j}]` : `Math.exp(${from}[${j}])`};`)
      .join(' ');

  // log L-hat per run; with jac, d log L-hat / d theta = (dL/dp_j)(dp_j/dtheta_j) / L-hat, dp/dtheta = p on a log scale.
  const valueGen = new CodeGen(params);
  const value = valueGen.emit(parsed.node);
  const jacGen = new CodeGen(params);
  const fj = jacGen.emit(parsed.node);
  const dj = derivatives.map((d) => jacGen.emit(d));
  const scoped = new Function(
    'theta',
    'X',
    'out',
    'jac',
    `
    ${paramDecl('theta', false)}
    if (!jac) {
      ${valueGen.outer.join('\n')}
      for (let i = 0; i < X.n; i++) { ${valueGen.loads()} ${valueGen.inner.join(' ')} out[i] = Math.log(${value.code}); }
      return;
    }
    ${jacGen.outer.join('\n')}
    for (let i = 0; i < X.n; i++) {
      ${jacGen.loads()} ${jacGen.inner.join(' ')}
      const f = ${fj.code};
      out[i] = Math.log(f);
      const o = i * ${k};
      ${dj.map((d, j) => `jac[o + ${j}] = ${d.code}${logScale[j] ? ` * p${j}` : ''} / f;`).join(' ')}
    }`,
  ) as Law['logPredict'];

  // One point from natural parameters: value and natural gradient, for predict/gradient (delta method).
  const pointGen = new CodeGen(params);
  const pv = pointGen.emit(parsed.node);
  const pd = derivatives.map((d) => pointGen.emit(d));
  const atPoint = new Function(
    'P',
    'X',
    `
    ${paramDecl('P', true)}
    const i = 0; ${pointGen.loads()}
    ${pointGen.outer.join('\n')}
    ${pointGen.inner.join('\n')}
    return [${pv.code}, ${pd.map((d) => d.code).join(', ')}];`,
  ) as (p: number[], X: Record<string, number[]>) => number[];
  const evalPoint = (p: Params, point: Point): number[] => {
    const q = completePoint(point);
    const X: Record<string, number[]> = {};
    for (const v of parsed.variables) {
      const x = q[v];
      X[v] = [x ?? NaN];
      X[`log${v}`] = [Math.log(x ?? NaN)];
    }
    return atPoint(
      params.map((n) => p[n]!),
      X,
    );
  };

  const explicitStarts = (spec.starts ?? []).map((s) =>
    params.map((n, j) => {
      const v = s[n];
      if (v === undefined) return logScale[j] ? 0 : 0.3;
      return logScale[j] ? Math.log(v) : v;
    }),
  );

  const starts = (X: Design, strategy: 'default' | 'hoffmann'): number[][] => {
    const ranges = params.map((_, j): [number, number] => {
      const [lo, hi] = thetaBounds[j]!;
      // Log-scale coefficients span the Hoffmann et al. App. D.2 grid (log A in [0, 25]) and below, for an E of a
      // few nats or a small coefficient; linear parameters (exponents) span [0, 2] as that grid's alpha, beta.
      const [dlo, dhi] = logScale[j] ? [-3, 25] : [0, 2];
      const a = Number.isFinite(lo) ? lo : Math.min(dlo, hi - 1);
      const b = Number.isFinite(hi) ? hi : Math.max(dhi, lo + 1);
      return [a, b];
    });
    const count = strategy === 'hoffmann' ? EXHAUSTIVE_POINTS : SCREEN_POINTS;
    const points = haltonPoints(count, ranges);
    if (strategy === 'hoffmann') return [...explicitStarts, ...points];
    return [...explicitStarts, ...screen(points, X, scoped)];
  };

  // Declared like any law's parameters; a formula has no paper values, so the typical value is the default start (1
  // on a log scale, 0.3 on a linear one), and a linear-scale parameter counts as an exponent. The compiled point
  // evaluation gives predict and gradient in closed form (defineLaw would otherwise go through logPredict).
  return defineLaw({
    name,
    title: `formula: ${formula}`,
    formula: `L = ${formula}`,
    reference: 'user formula (parsed and differentiated with mathjs)',
    variables: parsed.variables,
    parameters: params.map((n, j) => ({
      name: n,
      scale: logScale[j] ? ('log' as const) : ('linear' as const),
      coordinate: logScale[j] ? `log ${n}` : n,
      typical: logScale[j] ? 1 : 0.3,
      ...(logScale[j] ? {} : { exponent: true }),
      ...(spec.bounds?.[n] === undefined ? {} : { bounds: naturalBounds[j]! }),
    })),
    logPredict: scoped,
    starts,
    predict: (p, point) => evalPoint(p, point)[0]!,
    gradient: (p, point) => {
      const r = evalPoint(p, point);
      return Object.fromEntries(params.map((n, j) => [n, r[j + 1]!]));
    },
  });
}

/** The first `count` points of the Halton sequence (bases 2, 3, 5, ...) scaled into `ranges`: deterministic and even. */
function haltonPoints(count: number, ranges: Array<[number, number]>): number[][] {
  const primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];
  const out: number[][] = [];
  for (let i = 1; i <= count; i++) {
    out.push(
      ranges.map(([lo, hi], d) => {
        const base = primes[d % primes.length]!;
        let f = 1,
          r = 0,
          n = i + Math.floor(d / primes.length) * 7919;
        while (n > 0) {
          f /= base;
          r += f * (n % base);
          n = Math.floor(n / base);
        }
        return lo + (hi - lo) * r;
      }),
    );
  }
  return out;
}

/**
 * The best few points by the sum of squared log residuals (finite ones only) on an even subset of the runs, as
 * starts for the optimiser.
 */
function screen(points: number[][], all: Design, logPredict: Law['logPredict']): number[][] {
  const X = all.n <= SCREEN_RUNS ? all : subsetDesign(all, SCREEN_RUNS);
  const out = new Float64Array(X.n);
  const scored: Array<{ sse: number; theta: number[] }> = [];
  for (const theta of points) {
    logPredict(theta, X, out);
    let sse = 0;
    for (let i = 0; i < X.n; i++) {
      const r = out[i]! - X.logLoss[i]!;
      sse += r * r;
    }
    if (Number.isFinite(sse)) scored.push({ sse, theta });
  }
  scored.sort((a, b) => a.sse - b.sse);
  return scored.slice(0, SCREEN_KEEP).map((s) => s.theta);
}

/** Every (n / m)-th run of a design, m runs in all. */
function subsetDesign(X: Design, m: number): Design {
  const pick = (col: Float64Array) => Float64Array.from({ length: m }, (_, i) => col[Math.floor((i * X.n) / m)]!);
  return {
    n: m,
    N: pick(X.N),
    D: pick(X.D),
    C: pick(X.C),
    S: pick(X.S),
    U: pick(X.U),
    logN: pick(X.logN),
    logD: pick(X.logD),
    logC: pick(X.logC),
    logS: pick(X.logS),
    logU: pick(X.logU),
    loss: pick(X.loss),
    logLoss: pick(X.logLoss),
  };
}
