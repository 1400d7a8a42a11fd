import { matchesFilter, parseFilter } from '../data/filters.ts';
import type { Run, Variable } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { Constraints } from '../fit/constraints.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { fitLaw } from '../fit/fit.ts';
import { selectFitRuns } from '../fit/selectFitRuns.ts';
import type { Law, Params } from '../core/law.ts';
import type { LossSpec } from '../core/loss.ts';
import { seededRandom } from '../math/rng.ts';
import { percentile } from '../math/quantile.ts';
import { formatNumber } from '../core/formatNumber.ts';

export type Holdout = 'auto' | 'size' | 'compute';

/** How {@link compareLaws} holds out runs (largest by size or compute, or a train filter) and fits each law. */
export interface CompareOptions {
  /** How to hold out the largest runs: by model size N, by compute C, or `auto` (size when N forms a grid). */
  holdout: Holdout;
  /** A filter (e.g. `N<=1e9`): fit on the matching runs and test on the rest, instead of leave-largest-out. */
  train?: string;
  fit: FitOptionsInput;
  /** Resamples of the held-out runs for the intervals on held-out error (default 1000; no refits, so cheap). */
  resamples?: number;
  /** Seed of those resamples (default 0): the same seed gives the same intervals. */
  seed?: number;
  /** Coverage of the intervals (default 0.95). */
  level?: number;
}

export interface Fold {
  name: string;
  train: number;
  test: number;
}

export interface FoldResult extends Fold {
  /** Root mean square of log L-hat - log L on the held-out runs. */
  rmse: number;
  /** Percentile bootstrap interval of `rmse` over resamples of the held-out runs. */
  rmseInterval: [number, number];
  /** Mean |L-hat - L| / L on the held-out runs. */
  mare: number;
  converged: boolean;
}

/** One law in a comparison: its fit, the common score on its runs, and its errors on the held-out runs. */
export interface LawComparison {
  law: string;
  title: string;
  status: 'ok' | 'skipped';
  reason?: string;
  /** Runs the law is fitted and scored on: every run, or (a law fitted on the compute-efficient frontier) those. */
  n?: number;
  scoredOn?: string;
  /** Whether the law is scored on the same runs as the ranked laws (a frontier law is not, and is not ranked). */
  comparable?: boolean;
  nFree?: number;
  /** The law's own fit: its loss and the minimised objective (not comparable across losses; see rssLog). */
  loss?: LossSpec;
  objective?: number;
  /** The common score: sum of squared log residuals on the scored runs, whatever loss the law was fitted with. */
  rssLog?: number;
  /** Gaussian AIC and BIC from rssLog: n log(RSS/n) + 2k (k free parameters), + k log n; the same for every law. */
  aic?: number;
  bic?: number;
  params?: Params;
  converged?: boolean;
  folds?: FoldResult[];
  /** Mean held-out RMSE over the folds. */
  heldOutRmse?: number;
  heldOutRmseInterval?: [number, number];
  /** 1 for the laws tied with the best held-out error, 2 for the next group, ...; absent for laws not ranked. */
  tier?: number;
}

/** Several laws fitted to the same runs, ranked by held-out error where it decides, by AIC where it does not. */
export interface Comparison {
  holdout: 'size' | 'compute' | 'train';
  folds: Fold[];
  /** Comparable laws, best first (see compareLaws for the rule). */
  ranking: string[];
  /** Whether the first law is decisively best, and why (or why not). */
  verdict: { decisive: boolean; text: string };
  /** How the held-out intervals were drawn. */
  intervals: { resamples: number; seed: number; level: number };
  laws: LawComparison[];
}

const VARIABLE_NAMES: Record<Variable, string> = {
  N: 'N (parameters)',
  D: 'D (tokens)',
  C: 'C (FLOPs)',
  S: 'S (steps)',
  U: 'U (unique tokens)',
};

/** Held-out splits: the largest model size, then the two largest (or the top compute decile, then two deciles). */
export function holdoutFolds(
  runs: readonly Run[],
  o: Pick<CompareOptions, 'holdout' | 'train'>,
): { kind: Comparison['holdout']; folds: Array<{ name: string; test: boolean[] }> } {
  if (o.train !== undefined) {
    const f = parseFilter(o.train);
    const test = runs.map((r) => !matchesFilter(r, f));
    return { kind: 'train', folds: [{ name: `train ${o.train}, test the rest`, test }] };
  }
  const hasN = runs.every((r) => r.N !== undefined);
  const hasC = runs.every((r) => r.C !== undefined);
  const sizes = hasN ? [...new Set(runs.map((r) => r.N!))].sort((a, b) => b - a) : [];
  let kind: 'size' | 'compute';
  if (o.holdout === 'size' || o.holdout === 'compute') kind = o.holdout;
  // A grid of model sizes (each shared by several runs) is held out by size; continuous N by compute decile.
  else kind = hasN && sizes.length >= 3 && sizes.length <= runs.length / 3 ? 'size' : 'compute';
  if (kind === 'size') {
    if (!hasN)
      throw new InputError('--holdout size needs an N (parameters) value for every run; use --holdout compute');
    if (sizes.length < 3)
      throw new InputError(
        `--holdout size needs at least 3 distinct model sizes, found ${sizes.length}; use --holdout compute`,
      );
    return {
      kind,
      folds: [1, 2].map((k) => ({
        name: `without the ${k === 1 ? 'largest model size' : 'two largest model sizes'} (N >= ${sizes[k - 1]!.toPrecision(3)})`,
        test: runs.map((r) => r.N! >= sizes[k - 1]!),
      })),
    };
  }
  if (!hasC) throw new InputError('--holdout compute needs C (or N and D) for every run');
  const sorted = runs.map((r) => r.C!).sort((a, b) => b - a);
  return {
    kind,
    folds: [1, 2].map((k) => {
      const cut = sorted[Math.max(0, Math.ceil((k * runs.length) / 10) - 1)]!;
      return {
        name: `without the ${k === 1 ? 'largest compute decile' : 'two largest compute deciles'} (C >= ${cut.toPrecision(3)})`,
        test: runs.map((r) => r.C! >= cut),
      };
    }),
  };
}

/** Keep only the constraints that name parameters of this law (one --fix may target one law of several). */
function constraintsFor(law: Law, c: Constraints | undefined): Constraints {
  const has = (k: string) => law.paramNames.includes(k);
  const pick = <T>(r: Record<string, T> | undefined) =>
    r ? Object.fromEntries(Object.entries(r).filter(([k]) => has(k))) : undefined;
  return {
    fix: pick(c?.fix),
    tie: c?.tie ? Object.fromEntries(Object.entries(c.tie).filter(([t, s]) => has(t) && has(s))) : undefined,
    bounds: pick(c?.bounds),
  };
}

/** Squared log errors and relative errors of a law's predictions on runs. */
function errors(law: Law, params: Params, runs: readonly Run[]): { sq: number[]; rel: number[] } {
  const sq: number[] = [],
    rel: number[] = [];
  for (const r of runs) {
    const pred = law.predict(params, { N: r.N, D: r.D, C: r.C, S: r.S, U: r.U });
    sq.push((Math.log(pred) - Math.log(r.loss)) ** 2);
    rel.push(Math.abs(pred - r.loss) / r.loss);
  }
  return { sq, rel };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Per law and fold, the squared log errors on that fold's held-out runs (the bootstrap resamples these). */
interface HeldOut {
  law: string;
  sq: number[][];
}

/**
 * Resampled held-out RMSEs of each law, per fold and their mean over folds: resample b draws, in every fold, the
 * held-out runs with replacement from stream b of `seed`, the same draw for every law (so differences between
 * laws are paired; laws passed together must share their held-out runs).
 */
function resampledRmse(
  heldOut: readonly HeldOut[],
  resamples: number,
  seed: number,
): Map<string, { folds: Float64Array[]; mean: Float64Array }> {
  const folds = heldOut[0]?.sq.length ?? 0;
  const out = new Map(
    heldOut.map((h) => [
      h.law,
      { folds: Array.from({ length: folds }, () => new Float64Array(resamples)), mean: new Float64Array(resamples) },
    ]),
  );
  for (let b = 0; b < resamples; b++) {
    const u = seededRandom(seed, b);
    const draws = Array.from({ length: folds }, (_, f) => {
      const m = heldOut[0]!.sq[f]!.length;
      return Array.from({ length: m }, () => Math.floor(u() * m));
    });
    for (const h of heldOut) {
      const o = out.get(h.law)!;
      let s = 0;
      for (let f = 0; f < folds; f++) {
        const sq = h.sq[f]!;
        let t = 0;
        for (const i of draws[f]!) t += sq[i]!;
        o.folds[f]![b] = Math.sqrt(t / sq.length);
        s += o.folds[f]![b]!;
      }
      o.mean[b] = s / folds;
    }
  }
  return out;
}

/**
 * Fit each law to the same runs and compare them on one footing:
 * - in-sample: every law's log residuals on its runs, summed in squares (rssLog), and the Gaussian AIC/BIC from
 *   them, whatever loss each law was fitted with (a Huber objective and a sum of squares are not comparable; the
 *   fits' own objectives are shown beside, labelled with their loss);
 * - out of sample: leave-largest-out cross-validation (fit without the largest model size, or the top compute
 *   decile, predict the held-out runs; repeat holding out the two largest), the RMSE of log loss per fold and its
 *   mean, with percentile intervals from resampling the held-out runs (seeded; no refits);
 * - a law fitted on the compute-efficient frontier (kaplan-c) is fitted, scored and tested on frontier runs only,
 *   said so per law, and not ranked against laws scored on every run.
 * Ranking: laws are ordered by mean held-out RMSE, but a difference the held-out runs do not resolve (the paired
 * bootstrap interval of the RMSE difference to the best law includes 0) is no evidence: such laws form a tier
 * with the best, ordered by AIC within it; the next tier starts at the best remaining law. The verdict says
 * whether the first law is decisively best and by what. A law whose variables the data lacks is skipped with a
 * reason, not an error.
 *
 * @example
 * import { compareLaws, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const comparison = compareLaws([getLaw('chinchilla'), getLaw('kaplan-nd')], ds.runs, { holdout: 'auto', fit: {} });
 * comparison.ranking[0]; // → 'chinchilla'
 */
export function compareLaws(laws: readonly Law[], runs: readonly Run[], o: CompareOptions): Comparison {
  const resamples = o.resamples ?? 1000,
    seed = o.seed ?? 0,
    level = o.level ?? 0.95;
  const c = o.fit.constraints;
  const named = [...Object.keys(c?.fix ?? {}), ...Object.keys(c?.bounds ?? {}), ...Object.entries(c?.tie ?? {}).flat()];
  for (const name of named) {
    if (!laws.some((l) => l.paramNames.includes(name)))
      throw new InputError(`constraint on "${name}": none of ${laws.map((l) => l.name).join(', ')} has that parameter`);
  }
  const { kind, folds } = holdoutFolds(runs, o);
  const foldInfo: Fold[] = folds.map((f) => {
    const test = f.test.filter(Boolean).length;
    return { name: f.name, train: runs.length - test, test };
  });
  for (const f of foldInfo) {
    if (f.test === 0 || f.train === 0)
      throw new InputError(
        `compare: the split "${f.name}" leaves ${f.train} training and ${f.test} held-out runs; both must be non-empty`,
      );
  }
  const lo = (1 - level) / 2,
    hi = 1 - lo;
  const errorsOf = new Map<string, number[][]>();
  const results: LawComparison[] = laws.map((law) => {
    const lacking = law.variables.filter((v) => runs.some((r) => r[v] === undefined));
    if (lacking.length) {
      const v = lacking[0]!;
      const count = runs.filter((r) => r[v] === undefined).length;
      return {
        law: law.name,
        title: law.title,
        status: 'skipped',
        reason: `needs ${lacking.map((x) => VARIABLE_NAMES[x]).join(', ')}, missing for ${count} of ${runs.length} runs`,
      };
    }
    const fitOptions = { ...o.fit, constraints: constraintsFor(law, o.fit.constraints) };
    try {
      const full = fitLaw(law, runs, fitOptions);
      // The runs this law is about: all, or its compute-efficient frontier (fitted, scored and tested there only).
      const own = new Set(selectFitRuns(law, runs).runs);
      const comparable = own.size === runs.length;
      const scored = runs.filter((r) => own.has(r));
      const inSample = errors(law, full.params, scored);
      const rssLog = inSample.sq.reduce((s, x) => s + x, 0);
      const n = scored.length,
        k = full.nFree;
      const logLik = n * Math.log(Math.max(rssLog, Number.MIN_VALUE) / n);
      const sq: number[][] = [];
      const foldResults: FoldResult[] = folds.map((f, j) => {
        const train = runs.filter((_, i) => !f.test[i]);
        const test = runs.filter((r, i) => f.test[i] && own.has(r));
        if (test.length === 0)
          throw new InputError(
            `none of the held-out runs of "${f.name}" is on the compute-efficient frontier ${law.name} is fitted on`,
          );
        const fit = fitLaw(law, train, fitOptions);
        const e = errors(law, fit.params, test);
        sq.push(e.sq);
        return {
          ...foldInfo[j]!,
          test: test.length,
          rmse: Math.sqrt(mean(e.sq)),
          rmseInterval: [NaN, NaN],
          mare: mean(e.rel),
          converged: fit.converged,
        };
      });
      errorsOf.set(law.name, sq);
      return {
        law: law.name,
        title: law.title,
        status: 'ok',
        n,
        nFree: k,
        scoredOn: comparable ? `all ${n} runs` : `the compute-efficient frontier (${n} of ${runs.length} runs)`,
        comparable,
        loss: full.loss,
        objective: full.objective,
        rssLog,
        aic: logLik + 2 * k,
        bic: logLik + k * Math.log(n),
        params: full.params,
        converged: full.converged,
        folds: foldResults,
        heldOutRmse: mean(foldResults.map((f) => f.rmse)),
        ...(comparable
          ? {}
          : {
              reason: `fitted and scored on the compute-efficient frontier (${n} of ${runs.length} runs), not on the runs the other laws are scored on: shown, not ranked`,
            }),
      } satisfies LawComparison;
    } catch (e) {
      if (e instanceof InputError) return { law: law.name, title: law.title, status: 'skipped', reason: e.message };
      throw e;
    }
  });

  // Intervals from resampling the held-out runs: the comparable laws together (paired, for the ranking), each
  // frontier law on its own held-out frontier runs.
  const ok = results.filter((r) => r.status === 'ok');
  const paired = ok.filter((r) => r.comparable).map((r) => ({ law: r.law, sq: errorsOf.get(r.law)! }));
  const boots = resampledRmse(paired, resamples, seed);
  for (const r of ok.filter((x) => !x.comparable))
    for (const [k, v] of resampledRmse([{ law: r.law, sq: errorsOf.get(r.law)! }], resamples, seed)) boots.set(k, v);
  for (const r of ok) {
    const b = boots.get(r.law)!;
    r.heldOutRmseInterval = [percentile([...b.mean], lo), percentile([...b.mean], hi)];
    r.folds!.forEach((f, j) => (f.rmseInterval = [percentile([...b.folds[j]!], lo), percentile([...b.folds[j]!], hi)]));
  }

  // Tiered ranking over the comparable laws (see the doc comment).
  const byName = new Map(results.map((r) => [r.law, r]));
  let remaining = results
    .filter((r) => r.status === 'ok' && r.comparable && Number.isFinite(r.heldOutRmse))
    .sort((a, b) => a.heldOutRmse! - b.heldOutRmse! || a.law.localeCompare(b.law));
  const ranking: string[] = [];
  let tier = 0;
  const tiedWith = (a: string, b: string) => {
    const da = boots.get(a)!.mean,
      db = boots.get(b)!.mean;
    const diff = Array.from(da, (x, i) => x - db[i]!);
    const [dlo, dhi] = [percentile(diff, lo), percentile(diff, hi)];
    return { tied: dlo <= 0 && dhi >= 0, interval: [dlo, dhi] as [number, number] };
  };
  while (remaining.length) {
    tier++;
    const best = remaining[0]!;
    const group = remaining.filter((r) => r === best || tiedWith(r.law, best.law).tied);
    group.sort((a, b) => a.aic! - b.aic! || a.heldOutRmse! - b.heldOutRmse!);
    for (const g of group) (g.tier = tier), ranking.push(g.law);
    remaining = remaining.filter((r) => !group.includes(r));
  }
  return {
    holdout: kind,
    folds: foldInfo,
    ranking,
    verdict: verdictOf(ranking, byName, tiedWith, level),
    intervals: { resamples, seed, level },
    laws: results,
  };
}

function verdictOf(
  ranking: string[],
  laws: Map<string, LawComparison>,
  tiedWith: (a: string, b: string) => { tied: boolean; interval: [number, number] },
  level: number,
): Comparison['verdict'] {
  if (ranking.length === 0) return { decisive: false, text: 'no law could be fitted and ranked' };
  const first = laws.get(ranking[0]!)!;
  if (ranking.length === 1) return { decisive: false, text: `${first.law} is the only law ranked` };
  const pct = `${Math.round(level * 100)}%`;
  const fmt = (x: number) => formatNumber(x, 3);
  const tied = ranking.slice(1).filter((n) => laws.get(n)!.tier === first.tier);
  if (tied.length === 0) {
    const second = laws.get(ranking[1]!)!;
    const d = tiedWith(second.law, first.law).interval;
    return {
      decisive: true,
      text: `${first.law} is decisively best: it has the lowest held-out error, and the paired ${pct} interval of every other law's excess held-out RMSE excludes 0 (${second.law}: [${fmt(d[0])}, ${fmt(d[1])}])`,
    };
  }
  const next = laws.get(tied[0]!)!;
  const dAic = next.aic! - first.aic!;
  const d = tiedWith(next.law, first.law).interval;
  const heldOutText = `the held-out runs do not separate ${[first.law, ...tied].join(', ')} (paired ${pct} interval of ${next.law}'s minus ${first.law}'s held-out RMSE [${fmt(d[0])}, ${fmt(d[1])}] includes 0)`;
  if (dAic >= 10)
    return {
      decisive: true,
      text: `${first.law} ranks first by AIC (lower by ${fmt(dAic)} than ${next.law}'s, on the same runs): ${heldOutText}`,
    };
  return {
    decisive: false,
    text: `not decisive: ${heldOutText}, and the AIC difference is ${fmt(dAic)} (${dAic < 2 ? 'under 2: no support either way' : 'under 10: weak'})`,
  };
}
