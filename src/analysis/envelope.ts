import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { ExponentFit, IsoflopRow } from './isoflop.ts';
import { fitExponents } from './isoflop.ts';

export interface EnvelopeOptions {
  /** How many log-spaced compute values the envelope is read at. */
  points: number;
}

export const ENVELOPE_DEFAULTS: EnvelopeOptions = { points: 40 };

/**
 * Hoffmann et al. 2022 approach 1 (sec. 3.1, "fix model sizes and vary training tokens"): from whole loss curves
 * (several rows per `run`, each with N and the tokens D seen so far, C = 6ND), take the lower envelope of loss over
 * runs at log-spaced compute values, record which N attains it, and fit N_opt = k_N C^a, D_opt = C/(6 N_opt) = k_D C^b
 * in log-log space. Each curve is interpolated linearly in (log C, log loss) between its checkpoints and only inside
 * its own range. Compute values where the smallest or largest model attains the envelope are skipped: the optimum
 * may lie outside the sizes trained there.
 *
 * @example envelopeApproach1(curves).a // ~0.5 for Chinchilla-like curves
 */
export function envelopeApproach1(runs: readonly Run[], options: Partial<EnvelopeOptions> = {}): ExponentFit {
  const o = { ...ENVELOPE_DEFAULTS, ...options };
  if (runs.some((r) => r.run === undefined)) {
    throw new InputError('envelope: every row needs a run id (a `run` column; one loss curve per run, one row per checkpoint)');
  }
  const byRun = new Map<string, Run[]>();
  for (const r of runs) {
    if (r.N === undefined || r.C === undefined) throw new InputError(`envelope: line ${r.line}: needs N and tokens D (or C)`);
    byRun.set(r.run!, [...(byRun.get(r.run!) ?? []), r]);
  }
  const curves = [...byRun.entries()].map(([id, rs]) => {
    const sizes = new Set(rs.map((r) => r.N!));
    if (sizes.size > 1) throw new InputError(`envelope: run "${id}" has ${sizes.size} different N; a run is one model`);
    const pts = [...rs].sort((p, q) => p.C! - q.C!);
    return { N: rs[0]!.N!, logC: pts.map((r) => Math.log(r.C!)), logL: pts.map((r) => Math.log(r.loss)) };
  });
  if (curves.length < 3) throw new InputError(`envelope: ${curves.length} run(s); approach 1 needs loss curves of at least 3 model sizes`);
  const allN = curves.map((c) => c.N);
  const nMin = Math.min(...allN), nMax = Math.max(...allN);
  const lo = Math.min(...curves.map((c) => c.logC[0]!)), hi = Math.max(...curves.map((c) => c.logC[c.logC.length - 1]!));
  const rows: IsoflopRow[] = [];
  const skipped: ExponentFit['skipped'] = [];
  for (let k = 0; k < o.points; k++) {
    const lc = lo + ((hi - lo) * k) / (o.points - 1);
    let best = Infinity, bestN = NaN, covering = 0;
    for (const c of curves) {
      const v = interpolate(c.logC, c.logL, lc);
      if (v === undefined) continue;
      covering++;
      if (v < best) {
        best = v;
        bestN = c.N;
      }
    }
    const compute = Math.exp(lc);
    if (covering < 2) {
      skipped.push({ compute, runs: covering, reason: `only ${covering} run(s) reach this compute` });
      continue;
    }
    if (bestN === nMin || bestN === nMax) {
      skipped.push({ compute, runs: covering, reason: `attained by the ${bestN === nMin ? 'smallest' : 'largest'} model: the optimum may lie outside the sizes trained` });
      continue;
    }
    const D = compute / (6 * bestN);
    rows.push({ compute, N_opt: bestN, D_opt: D, tokens_per_param: D / bestN, loss: Math.exp(best), runs: covering, N_min: nMin, N_max: nMax, extrapolated: false });
  }
  return { method: 'lower envelope of loss curves (Hoffmann et al. 2022 approach 1)', ...fitExponents(rows, 'envelope point'), allocations: rows, skipped };
}

function interpolate(xs: number[], ys: number[], x: number): number | undefined {
  if (x < xs[0]! || x > xs[xs.length - 1]!) return undefined;
  let i = 1;
  while (i < xs.length - 1 && xs[i]! < x) i++;
  if (xs.length === 1) return ys[0];
  const x0 = xs[i - 1]!, x1 = xs[i]!;
  const t = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
  return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
}
