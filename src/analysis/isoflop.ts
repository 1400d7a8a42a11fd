import { linearRegression } from 'simple-statistics';
import { canonicalColumn } from '../data/columns.ts';
import { parseNumber } from '../data/parseNumber.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { Allocation } from './optimalAllocation.ts';

export interface IsoflopOptions {
  /** Column naming each run's compute budget; runs with equal values form one isoFLOP profile. */
  budgetColumn?: string;
  /** Without a budget column: runs whose C lie within this relative tolerance of a group's smallest C join it. */
  tolerance: number;
  /** Fewest runs (distinct N) a profile needs for its parabola. */
  minRuns: number;
}

export const ISOFLOP_DEFAULTS: IsoflopOptions = { tolerance: 0.1, minRuns: 3 };

/** One isoFLOP profile's optimum. `compute` is the geometric mean of its runs' C (FLOPs). */
export interface IsoflopRow extends Allocation {
  runs: number;
  /** The smallest and largest N trained at this budget: an N_opt outside them is an extrapolation. */
  N_min: number;
  N_max: number;
  extrapolated: boolean;
}

export interface ExponentFit {
  method: string;
  /** N_opt = k_N C^a and D_opt = k_D C^b, C in FLOPs, least squares in log-log space. */
  a: number;
  b: number;
  k_N: number;
  k_D: number;
  allocations: IsoflopRow[];
  skipped: Array<{ compute: number; runs: number; reason: string }>;
}

/**
 * Hoffmann et al. 2022 approach 2 (sec. 3.2, "IsoFLOP profiles"): group runs by compute budget, fit a parabola of
 * loss against log N in each group, take its minimum N*(C), then fit N* = k_N C^a and D* = C/(6N*) = k_D C^b by
 * linear regression in log-log space. Groups with fewer than `minRuns` distinct model sizes, or whose parabola
 * opens downward, are skipped and listed with the reason.
 *
 * @example isoflopApproach2(runs).a // ~0.5 for Chinchilla-like data
 */
export function isoflopApproach2(runs: readonly Run[], options: Partial<IsoflopOptions> = {}): ExponentFit {
  const o = { ...ISOFLOP_DEFAULTS, ...options };
  const groups = groupByBudget(runs, o);
  const rows: IsoflopRow[] = [];
  const skipped: ExponentFit['skipped'] = [];
  for (const g of groups) {
    const compute = Math.exp(g.reduce((s, r) => s + Math.log(r.C!), 0) / g.length);
    const distinct = new Set(g.map((r) => r.N!)).size;
    if (distinct < o.minRuns) {
      skipped.push({ compute, runs: g.length, reason: `only ${distinct} distinct model size(s); a parabola needs at least ${o.minRuns}` });
      continue;
    }
    const xs = g.map((r) => Math.log(r.N!));
    const p = fitParabola(xs, g.map((r) => r.loss));
    if (!(p.c2 > 0)) {
      skipped.push({ compute, runs: g.length, reason: 'the parabola of loss against log N opens downward (no minimum)' });
      continue;
    }
    const xStar = p.center - p.c1 / (2 * p.c2);
    const u = xStar - p.center;
    const N = Math.exp(xStar);
    const D = compute / (6 * N);
    const N_min = Math.min(...g.map((r) => r.N!)), N_max = Math.max(...g.map((r) => r.N!));
    rows.push({ compute, N_opt: N, D_opt: D, tokens_per_param: D / N, loss: p.c0 + p.c1 * u + p.c2 * u * u, runs: g.length, N_min, N_max, extrapolated: N < N_min || N > N_max });
  }
  return { method: 'isoflop profiles (Hoffmann et al. 2022 approach 2)', ...fitExponents(rows, 'isoFLOP profile'), allocations: rows, skipped };
}

/** N_opt = k_N C^a and D_opt = k_D C^b by least squares in log-log space (simple-statistics linearRegression). */
export function fitExponents(rows: readonly Allocation[], what: string): { a: number; b: number; k_N: number; k_D: number } {
  if (new Set(rows.map((r) => r.compute)).size < 2) {
    throw new InputError(`${rows.length} usable ${what}(s): fitting N_opt ∝ C^a needs optima at two or more compute budgets`);
  }
  const n = linearRegression(rows.map((r) => [Math.log(r.compute), Math.log(r.N_opt)]));
  const d = linearRegression(rows.map((r) => [Math.log(r.compute), Math.log(r.D_opt)]));
  return { a: n.m, b: d.m, k_N: Math.exp(n.b), k_D: Math.exp(d.b) };
}

function groupByBudget(runs: readonly Run[], o: IsoflopOptions): Run[][] {
  const usable = runs.filter((r) => r.N !== undefined && r.C !== undefined);
  if (usable.length === 0) throw new InputError('isoflop: no run has both N and C (give N and D, or N and C)');
  if (o.budgetColumn !== undefined) {
    const col = o.budgetColumn;
    const canonical = canonicalColumn(col);
    const key = (r: Run): number => {
      if (canonical === 'C') return r.C!;
      const raw = Object.hasOwn(r.tags, col) ? r.tags[col] : undefined;
      if (raw === undefined) throw new InputError(`--budget-column ${col}: no such column (other columns: ${Object.keys(r.tags).join(', ') || 'none'})`);
      const v = parseNumber(raw);
      if (v === null) throw new InputError(`--budget-column ${col}: line ${r.line}: "${raw}" is not a number`);
      return v;
    };
    const byKey = new Map<number, Run[]>();
    for (const r of usable) {
      const k = key(r);
      byKey.set(k, [...(byKey.get(k) ?? []), r]);
    }
    return [...byKey.entries()].sort((p, q) => p[0] - q[0]).map((e) => e[1]);
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
  return groups;
}

/** Least-squares parabola y = c0 + c1 u + c2 u^2 with u = x - mean(x) (centred for conditioning). */
export function fitParabola(x: readonly number[], y: readonly number[]): { center: number; c0: number; c1: number; c2: number } {
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
