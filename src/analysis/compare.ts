import { matchesFilter, parseFilter } from '../data/filters.ts';
import type { Run, Variable } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { Constraints } from '../fit/constraints.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { fitLaw } from '../fit/fit.ts';
import type { Law, Params } from '../core/law.ts';

export type Holdout = 'auto' | 'size' | 'compute';

/** How {@link compareLaws} holds out runs (largest by size or compute, or a train filter) and fits each law. */
export interface CompareOptions {
  /** How to hold out the largest runs: by model size N, by compute C, or `auto` (size when N forms a grid). */
  holdout: Holdout;
  /** A filter (e.g. `N<=1e9`): fit on the matching runs and test on the rest, instead of leave-largest-out. */
  train?: string;
  fit: FitOptionsInput;
}

export interface Fold {
  name: string;
  train: number;
  test: number;
}

export interface FoldResult extends Fold {
  /** Root mean square of log L-hat - log L on the held-out runs. */
  rmse: number;
  /** Mean |L-hat - L| / L on the held-out runs. */
  mare: number;
  converged: boolean;
}

/** One law in a comparison: its fit, AIC, BIC, and its errors on the held-out runs. */
export interface LawComparison {
  law: string;
  title: string;
  status: 'ok' | 'skipped';
  reason?: string;
  n?: number;
  nFree?: number;
  objective?: number;
  aic?: number;
  bic?: number;
  params?: Params;
  converged?: boolean;
  folds?: FoldResult[];
  /** Mean held-out RMSE over the folds: what the ranking uses. */
  heldOutRmse?: number;
}

/** Several laws fitted to the same runs and ranked by held-out error. */
export interface Comparison {
  holdout: 'size' | 'compute' | 'train';
  folds: Fold[];
  /** Laws that could be fitted, best (lowest mean held-out RMSE) first. */
  ranking: string[];
  laws: LawComparison[];
}

const VARIABLE_NAMES: Record<Variable, string> = { N: 'N (parameters)', D: 'D (tokens)', C: 'C (FLOPs)', S: 'S (steps)', U: 'U (unique tokens)' };

/** Held-out splits: the largest model size, then the two largest (or the top compute decile, then two deciles). */
export function holdoutFolds(runs: readonly Run[], o: Pick<CompareOptions, 'holdout' | 'train'>): { kind: Comparison['holdout']; folds: Array<{ name: string; test: boolean[] }> } {
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
    if (!hasN) throw new InputError('--holdout size needs an N (parameters) value for every run; use --holdout compute');
    if (sizes.length < 3) throw new InputError(`--holdout size needs at least 3 distinct model sizes, found ${sizes.length}; use --holdout compute`);
    return {
      kind,
      folds: [1, 2].map((k) => ({ name: `without the ${k === 1 ? 'largest model size' : 'two largest model sizes'} (N >= ${sizes[k - 1]!.toPrecision(3)})`, test: runs.map((r) => r.N! >= sizes[k - 1]!) })),
    };
  }
  if (!hasC) throw new InputError('--holdout compute needs C (or N and D) for every run');
  const sorted = runs.map((r) => r.C!).sort((a, b) => b - a);
  return {
    kind,
    folds: [1, 2].map((k) => {
      const cut = sorted[Math.max(0, Math.ceil((k * runs.length) / 10) - 1)]!;
      return { name: `without the ${k === 1 ? 'largest compute decile' : 'two largest compute deciles'} (C >= ${cut.toPrecision(3)})`, test: runs.map((r) => r.C! >= cut) };
    }),
  };
}

/** Keep only the constraints that name parameters of this law (one --fix may target one law of several). */
function constraintsFor(law: Law, c: Constraints | undefined): Constraints {
  const has = (k: string) => law.paramNames.includes(k);
  const pick = <T>(r: Record<string, T> | undefined) => (r ? Object.fromEntries(Object.entries(r).filter(([k]) => has(k))) : undefined);
  return { fix: pick(c?.fix), tie: c?.tie ? Object.fromEntries(Object.entries(c.tie).filter(([t, s]) => has(t) && has(s))) : undefined, bounds: pick(c?.bounds) };
}

function heldOutErrors(law: Law, params: Params, runs: readonly Run[]): { rmse: number; mare: number } {
  let se = 0, are = 0;
  for (const r of runs) {
    const pred = law.predict(params, { N: r.N, D: r.D, C: r.C, S: r.S, U: r.U });
    se += (Math.log(pred) - Math.log(r.loss)) ** 2;
    are += Math.abs(pred - r.loss) / r.loss;
  }
  return { rmse: Math.sqrt(se / runs.length), mare: are / runs.length };
}

/**
 * Fit each law to the same runs and compare them: AIC, BIC and the objective on all runs, and leave-largest-out
 * cross-validation (fit without the largest model size, or the top compute decile, predict the held-out runs;
 * repeat holding out the two largest), ranking laws by mean held-out RMSE of log loss. Extrapolation to larger
 * scale is what a scaling law is used for, so that, not the in-sample fit, decides. A law whose variables the data
 * lacks is skipped with a reason, not an error.
 *
 * @example
 * import { compareLaws, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const comparison = compareLaws([getLaw('chinchilla'), getLaw('kaplan-nd')], ds.runs, { holdout: 'auto', fit: {} });
 * comparison.ranking[0]; // → 'chinchilla'
 */
export function compareLaws(laws: readonly Law[], runs: readonly Run[], o: CompareOptions): Comparison {
  const c = o.fit.constraints;
  const named = [...Object.keys(c?.fix ?? {}), ...Object.keys(c?.bounds ?? {}), ...Object.entries(c?.tie ?? {}).flat()];
  for (const name of named) {
    if (!laws.some((l) => l.paramNames.includes(name))) throw new InputError(`constraint on "${name}": none of ${laws.map((l) => l.name).join(', ')} has that parameter`);
  }
  const { kind, folds } = holdoutFolds(runs, o);
  const foldInfo: Fold[] = folds.map((f) => {
    const test = f.test.filter(Boolean).length;
    return { name: f.name, train: runs.length - test, test };
  });
  for (const f of foldInfo) {
    if (f.test === 0 || f.train === 0) throw new InputError(`compare: the split "${f.name}" leaves ${f.train} training and ${f.test} held-out runs; both must be non-empty`);
  }
  const results: LawComparison[] = laws.map((law) => {
    const lacking = law.variables.filter((v) => runs.some((r) => r[v] === undefined));
    if (lacking.length) {
      const v = lacking[0]!;
      const count = runs.filter((r) => r[v] === undefined).length;
      return { law: law.name, title: law.title, status: 'skipped', reason: `needs ${lacking.map((x) => VARIABLE_NAMES[x]).join(', ')}, missing for ${count} of ${runs.length} runs` };
    }
    const fitOptions = { ...o.fit, constraints: constraintsFor(law, o.fit.constraints) };
    try {
      const full = fitLaw(law, runs, fitOptions);
      const foldResults: FoldResult[] = folds.map((f, j) => {
        const train = runs.filter((_, i) => !f.test[i]);
        const test = runs.filter((_, i) => f.test[i]);
        const fit = fitLaw(law, train, fitOptions);
        return { ...foldInfo[j]!, ...heldOutErrors(law, fit.params, test), converged: fit.converged };
      });
      return {
        law: law.name, title: law.title, status: 'ok', n: full.n, nFree: full.nFree, objective: full.objective, aic: full.aic, bic: full.bic,
        params: full.params, converged: full.converged, folds: foldResults,
        heldOutRmse: foldResults.reduce((s, f) => s + f.rmse, 0) / foldResults.length,
      };
    } catch (e) {
      if (e instanceof InputError) return { law: law.name, title: law.title, status: 'skipped', reason: e.message };
      throw e;
    }
  });
  const ranking = results
    .filter((r) => r.status === 'ok' && Number.isFinite(r.heldOutRmse))
    .sort((a, b) => a.heldOutRmse! - b.heldOutRmse! || a.law.localeCompare(b.law))
    .map((r) => r.law);
  return { holdout: kind, folds: foldInfo, ranking, laws: results };
}
