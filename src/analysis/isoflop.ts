import { linearRegression } from 'simple-statistics';
import { canonicalColumn } from '../data/columns.ts';
import { parseNumber } from '../data/parseNumber.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { ExponentBootstrap } from './exponentBootstrap.ts';
import type { Allocation } from './optimalAllocation.ts';

/** How runs are grouped into isoFLOP budgets (relative tolerance on C) and the fewest runs a parabola needs. */
export interface IsoflopOptions {
  /** Column naming each run's compute budget; runs with equal values form one isoFLOP profile. */
  budgetColumn?: string;
  /** Without a budget column: runs whose C lie within this relative tolerance of a group's smallest C join it. */
  tolerance: number;
  /** Fewest runs (distinct N) a profile needs for its parabola. */
  minRuns: number;
  /**
   * Keep budgets whose parabola minimum lies outside the model sizes trained there (default false: they are
   * excluded from the power-law fit and listed by budget). Such a vertex is an extrapolation of the parabola, often
   * far off when the sweep missed the optimum (Czech 2026, Problems with Chinchilla approach 2).
   */
  keepExtrapolated: boolean;
}

export const ISOFLOP_DEFAULTS: IsoflopOptions = { tolerance: 0.1, minRuns: 3, keepExtrapolated: false };

/** One isoFLOP profile's optimum. `compute` is the budget column's value, else the geometric mean of its runs' C (FLOPs). */
export interface IsoflopRow extends Allocation {
  runs: number;
  /** The smallest and largest N trained at this budget: an N_opt outside them is an extrapolation. */
  N_min: number;
  N_max: number;
  extrapolated: boolean;
}

/**
 * Allocation exponents N_opt ∝ C^a, D_opt ∝ C^b from an approach 1 or 2 analysis, with the per-budget rows they rest
 * on.
 */
export interface ExponentFit {
  method: string;
  /** N_opt = k_N C^a and D_opt = k_D C^b, C in FLOPs, least squares in log-log space. */
  a: number;
  b: number;
  k_N: number;
  k_D: number;
  /** The optima the power laws were fitted to. */
  allocations: IsoflopRow[];
  skipped: Array<{ compute: number; runs: number; reason: string }>;
  /** Budgets left out of the power-law fit because their optimum lies outside the sizes trained there. */
  excluded: IsoflopRow[];
  /** Exponents outside the physically sensible range (a > 1 or b < 0), and similar, as sentences. */
  warnings: string[];
  /** Percentile intervals on a and b, when a bootstrap was asked for. */
  bootstrap?: ExponentBootstrap;
}

/**
 * Hoffmann et al. 2022 approach 2 (sec. 3.2, "IsoFLOP profiles"): group runs by compute budget, fit a parabola of
 * loss against log N in each group, take its minimum N*(C), then fit N* = k_N C^a and D* = C/(6N*) = k_D C^b by
 * linear regression in log-log space. Groups with fewer than `minRuns` distinct model sizes, or whose parabola
 * opens downward, are skipped and listed with the reason. A minimum outside the model sizes trained at its budget
 * is excluded (listed in `excluded`) unless `keepExtrapolated`.
 *
 * @example
 * import { isoflopApproach2, loadRuns } from 'scalefit';
 * // Hoffmann et al. 2022 approach 2 on Epoch AI's reconstruction (published: a = 0.49)
 * isoflopApproach2(loadRuns('data/epoch-chinchilla.csv').runs).a; // → 0.500
 */
export function isoflopApproach2(runs: readonly Run[], options: Partial<IsoflopOptions> = {}): ExponentFit {
  const o = { ...ISOFLOP_DEFAULTS, ...options };
  const optima = profileOptima(groupByBudget(runs, o), o);
  return exponentsFromOptima(optima, o.minRuns);
}

/** The power laws through the profile optima, with warnings; refuses fewer than two budgets, naming the excluded. */
function exponentsFromOptima(optima: ReturnType<typeof profileOptima>, minRuns: number): ExponentFit {
  if (optima.rows.length < 2 && optima.excluded.length > 0) {
    const names = optima.excluded.map((r) => `C = ${r.compute.toPrecision(4)}`).join(', ');
    throw new InputError(
      `${optima.rows.length} usable isoFLOP profile(s): the minima at ${names} lie outside the model sizes trained there; give --keep-extrapolated to use them anyway`,
    );
  }
  const tooFewSizes = optima.skipped.filter((s) => s.reason.startsWith('only '));
  if (
    optima.rows.length + optima.excluded.length === 0 &&
    tooFewSizes.length > 0 &&
    tooFewSizes.length === optima.skipped.length
  ) {
    // The usual small sweep is a tokens-per-parameter grid: every size at a few D/N ratios, so each run's C = 6ND is
    // its own budget and no group gathers the 3 sizes a parabola needs. Say so instead of "0 usable profiles".
    const most = Math.max(...tooFewSizes.map((s) => Number(/only (\d+)/.exec(s.reason)?.[1] ?? 0)));
    throw new InputError(
      `isoflop: no compute budget has ${minRuns} or more model sizes (${tooFewSizes.length} budget group(s), at most ${most} size(s) each), ` +
        "as in a tokens-per-parameter grid; approach 2 needs several sizes trained at one budget: give --budget-column COL naming each run's budget, or widen --tolerance",
    );
  }
  const fit = fitExponents(optima.rows, 'isoFLOP profile');
  return {
    method: 'isoflop profiles (Hoffmann et al. 2022 approach 2)',
    ...fit,
    ...optima,
    allocations: optima.rows,
    warnings: exponentWarnings(fit),
  };
}

/** Runs grouped into isoFLOP profiles, each with its budget (the budget column's value, else the geometric mean C). */
export interface BudgetGroup {
  compute: number;
  runs: Run[];
}

/**
 * The parabola vertex of each profile: used rows (in the sizes' range, or all with keepExtrapolated), excluded
 * rows (outside the range) and skipped groups (too few sizes, no minimum).
 */
export function profileOptima(
  groups: readonly BudgetGroup[],
  o: IsoflopOptions,
): { rows: IsoflopRow[]; excluded: IsoflopRow[]; skipped: ExponentFit['skipped'] } {
  const rows: IsoflopRow[] = [];
  const excluded: IsoflopRow[] = [];
  const skipped: ExponentFit['skipped'] = [];
  for (const { compute, runs: g } of groups) {
    const distinct = new Set(g.map((r) => r.N!)).size;
    if (distinct < o.minRuns) {
      skipped.push({
        compute,
        runs: g.length,
        reason: `only ${distinct} distinct model size(s); a parabola needs at least ${o.minRuns}`,
      });
      continue;
    }
    const xs = g.map((r) => Math.log(r.N!));
    const p = fitParabola(
      xs,
      g.map((r) => r.loss),
    );
    if (!(p.c2 > 0)) {
      skipped.push({
        compute,
        runs: g.length,
        reason: 'the parabola of loss against log N opens downward (no minimum)',
      });
      continue;
    }
    const xStar = p.center - p.c1 / (2 * p.c2);
    const u = xStar - p.center;
    const N = Math.exp(xStar);
    const D = compute / (6 * N);
    let N_min = Infinity,
      N_max = -Infinity;
    for (const r of g) {
      N_min = Math.min(N_min, r.N!);
      N_max = Math.max(N_max, r.N!);
    }
    const row = {
      compute,
      N_opt: N,
      D_opt: D,
      tokens_per_param: D / N,
      loss: p.c0 + p.c1 * u + p.c2 * u * u,
      runs: g.length,
      N_min,
      N_max,
      extrapolated: N < N_min || N > N_max,
    };
    (row.extrapolated && !o.keepExtrapolated ? excluded : rows).push(row);
  }
  return { rows, excluded, skipped };
}

/** Sentences for exponents no compute-optimal allocation can have: a > 1 (D_opt shrinks with C) or b < 0. */
export function exponentWarnings({ a, b }: { a: number; b: number }): string[] {
  const w: string[] = [];
  if (a > 1)
    w.push(
      `a = ${a.toPrecision(4)} > 1: N_opt grows faster than compute, so D_opt = C/(6 N_opt) shrinks as compute grows; check for budgets whose optimum the sweep did not bracket`,
    );
  if (b < 0)
    w.push(
      `b = ${b.toPrecision(4)} < 0: D_opt falls as compute grows, which no compute-optimal allocation does; check the optima`,
    );
  return w;
}

/** N_opt = k_N C^a and D_opt = k_D C^b by least squares in log-log space (simple-statistics linearRegression). */
export function fitExponents(
  rows: readonly Allocation[],
  what: string,
): { a: number; b: number; k_N: number; k_D: number } {
  if (new Set(rows.map((r) => r.compute)).size < 2) {
    throw new InputError(
      `${rows.length} usable ${what}(s): fitting N_opt ∝ C^a needs optima at two or more compute budgets`,
    );
  }
  const n = linearRegression(rows.map((r) => [Math.log(r.compute), Math.log(r.N_opt)]));
  const d = linearRegression(rows.map((r) => [Math.log(r.compute), Math.log(r.D_opt)]));
  return { a: n.m, b: d.m, k_N: Math.exp(n.b), k_D: Math.exp(d.b) };
}

/** Runs grouped by budget: equal values of the budget column, or C within a relative tolerance of a group's smallest. */
export function groupByBudget(
  runs: readonly Run[],
  o: Pick<IsoflopOptions, 'budgetColumn' | 'tolerance'>,
): BudgetGroup[] {
  const usable = runs.filter((r) => r.N !== undefined && r.C !== undefined);
  if (usable.length === 0) throw new InputError('isoflop: no run has both N and C (give N and D, or N and C)');
  const geometricMean = (g: Run[]) => Math.exp(g.reduce((s, r) => s + Math.log(r.C!), 0) / g.length);
  if (o.budgetColumn !== undefined) {
    const col = o.budgetColumn;
    const canonical = canonicalColumn(col);
    const key = (r: Run): number => {
      if (canonical === 'C') return r.C!;
      const raw = Object.hasOwn(r.tags, col) ? r.tags[col] : undefined;
      if (raw === undefined)
        throw new InputError(
          `--budget-column ${col}: no such column (other columns: ${Object.keys(r.tags).join(', ') || 'none'})`,
        );
      const v = parseNumber(raw);
      if (v === null || !(v > 0))
        throw new InputError(`--budget-column ${col}: line ${r.line}: "${raw}" is not a positive number`);
      return v;
    };
    const byKey = new Map<number, Run[]>();
    for (const r of usable) {
      const k = key(r);
      byKey.set(k, [...(byKey.get(k) ?? []), r]);
    }
    // The budget column names the nominal budget (FLOPs): that, not the runs' 6ND, is the profile's C.
    return [...byKey.entries()]
      .sort((p, q) => p[0] - q[0])
      .map(([k, g]) => ({ compute: canonical === 'C' ? geometricMean(g) : k, runs: g }));
  }
  const sorted = [...usable].sort((p, q) => p.C! - q.C!);
  const groups: Run[][] = [];
  let first = -Infinity;
  for (const r of sorted) {
    if (Math.log(r.C!) - first > Math.log1p(o.tolerance)) {
      groups.push([]);
      first = Math.log(r.C!);
    }
    groups[groups.length - 1]!.push(r);
  }
  return groups.map((g) => ({ compute: geometricMean(g), runs: g }));
}

/** Least-squares parabola y = c0 + c1 u + c2 u^2 with u = x - mean(x) (centred for conditioning). */
export function fitParabola(
  x: readonly number[],
  y: readonly number[],
): { center: number; c0: number; c1: number; c2: number } {
  const n = x.length;
  const center = x.reduce((s, v) => s + v, 0) / n;
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const u = x[i]! - center;
    let p = 1;
    for (let j = 0; j < 5; j++) {
      S[j]! += p;
      if (j < 3) T[j]! += p * y[i]!;
      p *= u;
    }
  }
  const M = [
    [S[0]!, S[1]!, S[2]!],
    [S[1]!, S[2]!, S[3]!],
    [S[2]!, S[3]!, S[4]!],
  ];
  const [c0, c1, c2] = solve3(M, T);
  return { center, c0: c0!, c1: c1!, c2: c2! };
}

function solve3(M: number[][], b: number[]): number[] {
  const det = (m: number[][]) =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(M);
  return [0, 1, 2].map((j) => det(M.map((row, i) => row.map((v, k) => (k === j ? b[i]! : v)))) / d);
}
