import { COLUMN_MEANING } from '../data/columns.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { Law } from '../core/law.ts';
import { formatNumber } from '../core/formatNumber.ts';

/** Values closer than this (relative) count as one value: a derived N = C/(6D) may differ from its peers by ulps. */
const SAME_VALUE = 1e-9;

/**
 * Refuse data that cannot identify a law's parameters, before any optimisation: fewer runs than free parameters, or a
 * variable the law reads that takes a single value (all runs at one N). With one N, Chinchilla's E + A/N^alpha is one
 * constant, so E, A and alpha are unidentified (any split fits equally well); we refuse rather than print a
 * confident number for each. (Weaker, numerical non-identifiability is the covariance's business, after the fit.)
 *
 * @example checkFitData(chinchilla, runs, 5, 'runs.csv') // throws InputError when every run has the same N
 */
export function checkFitData(law: Law, runs: readonly Run[], nFree: number, source = 'the data'): void {
  // With parameters fixed or tied, a single value can be enough (e.g. A and alpha held, one model size): the user has
  // supplied what the data lacks, and the covariance still flags what remains unidentified.
  const constrained = nFree < law.paramNames.length;
  if (runs.length < nFree) {
    throw new InputError(
      `${source}: ${runs.length} run(s) cannot determine the ${nFree} free parameters of ${law.name}; add runs (at least ${nFree}), loosen --where, or hold parameters with --fix`,
    );
  }
  for (const v of law.variables) {
    // Unique tokens U may be one value for every run (the usual data-constrained sweep: one corpus, many epochs); what
    // identifies the repetition terms is D/U, which varies with D.
    if (v === 'U') continue;
    let lo = Infinity,
      hi = -Infinity;
    for (const r of runs) {
      const x = r[v];
      if (x === undefined) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (!constrained && lo > 0 && hi <= lo * (1 + SAME_VALUE)) {
      throw new InputError(
        `${source}: all ${runs.length} runs have ${v} = ${formatNumber(lo)}; ${law.name} needs at least 2 distinct values of ${v} (${COLUMN_MEANING[v]}) to identify the parameters of its ${v} term; add runs at other ${v}, fit another subset with --where, or hold the parameters of that term with --fix`,
      );
    }
  }
}
