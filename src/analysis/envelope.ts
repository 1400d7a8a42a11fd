import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { ExponentFit, IsoflopRow } from './isoflop.ts';
import { exponentWarnings, fitExponents } from './isoflop.ts';

/** How many compute budgets the lower envelope is sampled at. */
export interface EnvelopeOptions {
  /** How many log-spaced compute values the envelope is read at (Hoffmann et al. 2022 use 1500). */
  points: number;
}

export const ENVELOPE_DEFAULTS: EnvelopeOptions = { points: 1500 };

/**
 * Hoffmann et al. 2022 approach 1 (sec. 3.1, "fix model sizes and vary training tokens"): from whole loss curves
 * (several rows per `run`, each with N and the tokens D seen so far, C = 6ND), take the lower envelope of loss over
 * runs at log-spaced compute values (1500 by default, as Hoffmann et al.), record which N attains it, and fit
 * N_opt = k_N C^a, D_opt = C/(6 N_opt) = k_D C^b in log-log space. Each curve is interpolated linearly in
 * (log C, log loss) between its checkpoints and only inside its own range. Compute values where the smallest or
 * largest model attains the envelope are skipped: the optimum may lie outside the sizes trained there. With few
 * points the argmin N is a step function read at few places, which biases a (40 points: a = 0.441 on noise-free
 * curves whose true a is 0.4516; 1500 points: 0.451).
 *
 * @example
 * import { envelopeApproach1, getLaw } from 'scalefit';
 * const hoffmann = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }; // Hoffmann et al. 2022, eq. 10
 * // 20 model sizes, each a whole loss curve drawn from Hoffmann et al.'s law (a = 0.4516 for this law)
 * const law = getLaw('chinchilla');
 * const runs = [];
 * for (let k = 0; k < 20; k++) {
 *   const N = 10 ** (7 + k * 0.15);
 *   for (let j = 0; j < 40; j++) {
 *     const D = 1e8 * 10 ** (j * 0.1);
 *     const loss = law.predict(hoffmann, { N, D });
 *     runs.push({ N, D, C: 6 * N * D, loss, run: `model-${k}`, tags: {}, line: runs.length + 2 });
 *   }
 * }
 * envelopeApproach1(runs).a; // → 0.450
 */
export function envelopeApproach1(runs: readonly Run[], options: Partial<EnvelopeOptions> = {}): ExponentFit {
  const grid = envelopeGrid(runs, { ...ENVELOPE_DEFAULTS, ...options });
  const { rows, skipped } = envelopeOptima(
    grid,
    grid.curves.map((_, i) => i),
  );
  const fit = fitExponents(rows, 'envelope point');
  return {
    method: 'lower envelope of loss curves (Hoffmann et al. 2022 approach 1)',
    ...fit,
    allocations: rows,
    skipped,
    excluded: [],
    warnings: exponentWarnings(fit),
  };
}

/** The loss curves read at the envelope's log-spaced compute values (NaN outside a curve's own range). */
export interface EnvelopeGrid {
  curves: Array<{ N: number; logL: Float64Array }>;
  logC: Float64Array;
}

/** Group checkpoints into curves by run id and read each at `points` log-spaced compute values. */
export function envelopeGrid(runs: readonly Run[], o: EnvelopeOptions): EnvelopeGrid {
  if (runs.some((r) => r.run === undefined)) {
    throw new InputError(
      'envelope: every row needs a run id (a `run` column; one loss curve per run, one row per checkpoint)',
    );
  }
  const byRun = new Map<string, Run[]>();
  for (const r of runs) {
    if (r.N === undefined || r.C === undefined)
      throw new InputError(`envelope: line ${r.line}: needs N and tokens D (or C)`);
    byRun.set(r.run!, [...(byRun.get(r.run!) ?? []), r]);
  }
  const raw = [...byRun.entries()].map(([id, rs]) => {
    const sizes = new Set(rs.map((r) => r.N!));
    if (sizes.size > 1) throw new InputError(`envelope: run "${id}" has ${sizes.size} different N; a run is one model`);
    const pts = [...rs].sort((p, q) => p.C! - q.C!);
    return { N: rs[0]!.N!, logC: pts.map((r) => Math.log(r.C!)), logL: pts.map((r) => Math.log(r.loss)) };
  });
  if (raw.length < 3)
    throw new InputError(`envelope: ${raw.length} run(s); approach 1 needs loss curves of at least 3 model sizes`);
  const lo = Math.min(...raw.map((c) => c.logC[0]!)),
    hi = Math.max(...raw.map((c) => c.logC[c.logC.length - 1]!));
  const logC = Float64Array.from({ length: o.points }, (_, k) => lo + ((hi - lo) * k) / (o.points - 1));
  const curves = raw.map((c) => ({
    N: c.N,
    logL: Float64Array.from(logC, (x) => interpolate(c.logC, c.logL, x) ?? NaN),
  }));
  return { curves, logC };
}

/** The envelope's argmin N at each compute value, over the curves with the given indices (repeats allowed). */
export function envelopeOptima(
  grid: EnvelopeGrid,
  use: readonly number[],
): { rows: IsoflopRow[]; skipped: ExponentFit['skipped'] } {
  let nMin = Infinity,
    nMax = -Infinity;
  for (const i of use) {
    nMin = Math.min(nMin, grid.curves[i]!.N);
    nMax = Math.max(nMax, grid.curves[i]!.N);
  }
  const rows: IsoflopRow[] = [];
  const skipped: ExponentFit['skipped'] = [];
  const distinct = [...new Set(use)];
  for (let k = 0; k < grid.logC.length; k++) {
    let best = Infinity,
      bestN = NaN,
      covering = 0;
    for (const i of distinct) {
      const v = grid.curves[i]!.logL[k]!;
      if (Number.isNaN(v)) continue;
      covering++;
      if (v < best) {
        best = v;
        bestN = grid.curves[i]!.N;
      }
    }
    const compute = Math.exp(grid.logC[k]!);
    if (covering < 2) {
      skipped.push({ compute, runs: covering, reason: `only ${covering} run(s) reach this compute` });
      continue;
    }
    if (bestN === nMin || bestN === nMax) {
      skipped.push({
        compute,
        runs: covering,
        reason: `attained by the ${bestN === nMin ? 'smallest' : 'largest'} model: the optimum may lie outside the sizes trained`,
      });
      continue;
    }
    const D = compute / (6 * bestN);
    rows.push({
      compute,
      N_opt: bestN,
      D_opt: D,
      tokens_per_param: D / bestN,
      loss: Math.exp(best),
      runs: covering,
      N_min: nMin,
      N_max: nMax,
      extrapolated: false,
    });
  }
  return { rows, skipped };
}

function interpolate(xs: number[], ys: number[], x: number): number | undefined {
  if (x < xs[0]! || x > xs[xs.length - 1]!) return undefined;
  if (xs.length === 1) return ys[0];
  // Binary search for the first checkpoint at or beyond x (1500 points x thousands of checkpoints stay fast).
  let lo = 1,
    hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  const i = lo;
  const x0 = xs[i - 1]!,
    x1 = xs[i]!;
  const t = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
  return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
}
