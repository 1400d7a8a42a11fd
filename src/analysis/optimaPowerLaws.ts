import type { Run } from '../core/run.ts';
import { parseNumber } from '../data/parseNumber.ts';
import { InputError } from '../core/errors.ts';
import type { ExponentBootstrap } from './exponentBootstrap.ts';
import { bootstrapExponents } from './exponentBootstrap.ts';
import type { ExponentFit, IsoflopRow } from './isoflop.ts';
import { exponentWarnings } from './isoflop.ts';

export interface OptimaOptions {
  /** A column of non-negative weights, one per optimum (weighted least squares in log-log space). */
  weightColumn?: string;
  /** Percentile intervals on a and b from resampling the optima (rows) with replacement. */
  bootstrap?: { K: number; seed: number; level: number };
}

/**
 * Power laws N_opt = k_N C^a and D_opt = k_D C^b fitted to optima the user already has (one row per compute
 * budget: C and N_opt and/or D_opt, the other derived by C = 6ND), by least squares of log N_opt and log D_opt on
 * log C, optionally weighted: minimise Σ w_i (log y_i - log k - a log C_i)². This is how several papers report their
 * exponents from isoFLOP minima (Hoffmann et al. 2022 sec. 3.2; Llama 3, arXiv:2407.21783 sec. 3.2.1, D* = A C^alpha).
 *
 * @example fitOptimaPowerLaws(optima).b // Llama 3's D* ∝ C^0.53 from its published minima
 */
export function fitOptimaPowerLaws(runs: readonly Run[], o: OptimaOptions = {}): ExponentFit {
  const rows: IsoflopRow[] = runs.map((r) => {
    if (r.C === undefined || (r.N === undefined && r.D === undefined)) {
      throw new InputError(`line ${r.line}: an optimum needs C and N_opt or D_opt (two of N, D, C)`);
    }
    const N = r.N ?? r.C / (6 * r.D!),
      D = r.D ?? r.C / (6 * r.N!);
    return {
      compute: r.C,
      N_opt: N,
      D_opt: D,
      tokens_per_param: D / N,
      loss: r.loss,
      runs: 1,
      N_min: N,
      N_max: N,
      extrapolated: false,
    };
  });
  const weights = runs.map((r) => weightOf(r, o.weightColumn));
  const fit = weightedExponents(rows, weights);
  const bootstrap: ExponentBootstrap | undefined =
    o.bootstrap && o.bootstrap.K > 0
      ? bootstrapExponents(
          o.bootstrap.K,
          o.bootstrap.seed,
          o.bootstrap.level,
          'optima (rows), with replacement',
          (random) => {
            const pick = rows.map(() => Math.floor(random() * rows.length));
            if (new Set(pick.map((i) => rows[i]!.compute)).size < 2) return null;
            return weightedExponents(
              pick.map((i) => rows[i]!),
              pick.map((i) => weights[i]!),
            );
          },
        )
      : undefined;
  return {
    method: `power laws fitted to the given optima${o.weightColumn ? ` (weighted by ${o.weightColumn})` : ''}`,
    ...fit,
    allocations: rows,
    skipped: [],
    excluded: [],
    warnings: exponentWarnings(fit),
    ...(bootstrap ? { bootstrap } : {}),
  };
}

function weightOf(r: Run, column: string | undefined): number {
  if (column === undefined) return 1;
  const raw = r.tags[column];
  if (raw === undefined)
    throw new InputError(
      `--weight ${column}: no such column (other columns: ${Object.keys(r.tags).join(', ') || 'none'})`,
    );
  const w = parseNumber(raw);
  if (w === null || !(w >= 0) || w === Infinity)
    throw new InputError(`--weight ${column}: line ${r.line}: "${raw}" is not a non-negative number`);
  return w;
}

/** Weighted least squares of log N_opt and log D_opt on log C (closed form for a straight line). */
function weightedExponents(
  rows: readonly IsoflopRow[],
  w: readonly number[],
): { a: number; b: number; k_N: number; k_D: number } {
  const used = rows.filter((_, i) => w[i]! > 0);
  if (new Set(used.map((r) => r.compute)).size < 2) {
    throw new InputError(
      `${used.length} optimum/optima with positive weight: fitting N_opt ∝ C^a needs optima at two or more compute budgets`,
    );
  }
  const line = (y: (r: IsoflopRow) => number) => {
    let sw = 0,
      sx = 0,
      sy = 0;
    rows.forEach((r, i) => {
      sw += w[i]!;
      sx += w[i]! * Math.log(r.compute);
      sy += w[i]! * Math.log(y(r));
    });
    const mx = sx / sw,
      my = sy / sw;
    let sxx = 0,
      sxy = 0;
    rows.forEach((r, i) => {
      const dx = Math.log(r.compute) - mx;
      sxx += w[i]! * dx * dx;
      sxy += w[i]! * dx * (Math.log(y(r)) - my);
    });
    const slope = sxy / sxx;
    return { slope, k: Math.exp(my - slope * mx) };
  };
  const n = line((r) => r.N_opt),
    d = line((r) => r.D_opt);
  return { a: n.slope, b: d.slope, k_N: n.k, k_D: d.k };
}
