import { InputError } from '../core/errors.ts';
import { thetaOf } from '../fit/constraints.ts';
import { LAWS } from '../laws/index.ts';
import type { Law } from '../core/law.ts';
import type { FitJson } from './fitJsonSchema.ts';

/**
 * The largest power-law exponent a fit file may hold. Published exponents are 0.05 to 0.8 (Kaplan et al. 2020
 * alpha_S = 0.76); an exponent of 10 already says a 10x larger model cuts the reducible loss 1e10-fold, which no
 * data supports, and larger ones overflow the allocation formulas (alpha = 1e308 gave N_opt = inf).
 */
const MAX_EXPONENT = 10;

/**
 * Check a schema-valid fit JSON for what the schema cannot express, before any command uses it (a hand-edited or
 * corrupted file is bad input: exit 2 with one line, never an inf, a Vega error or a report built from part of
 * the data):
 * - domain: scale parameters (E, A, B, N_c, ...) not negative, exponents (the parameters the optimiser keeps on
 *   their natural scale: alpha, beta, alpha_N, ...) in (0, MAX_EXPONENT]; a non-positive exponent means the loss
 *   does not fall with scale, a degenerate fit that predictions and allocations must not be built on;
 * - lengths: every data column as long as `loss`, at least one run, `n` no more than the runs kept;
 * - consistency: data values finite and positive, `input.rows_kept` equal to the number of runs, the law's
 *   variables present, the names in fixed/tied/bounds/at_bound parameters of the law, n >= n_free.
 */
export function checkFitJson(fit: FitJson, law: Law, path: string): void {
  const refit = "refit with 'scalefit fit DATA --out FILE'";
  const bad = (what: string) => new InputError(`${path}: ${what}; ${refit}`);
  // A built-in law writes every exponent as positive (L = E + A/N^alpha); a formula law's signs are its author's
  // (`A*N^alpha` decreases with alpha < 0), so there only the size of an exponent is checked.
  const signed = Object.hasOwn(LAWS, law.name);
  for (const p of law.paramNames) {
    const v = fit.params[p]!;
    const exponent = thetaOf(law, p, 2) === 2;
    if (!exponent && Number.isNaN(thetaOf(law, p, v)))
      throw bad(`parameter ${p} = ${v} is outside the domain of ${law.name}`);
    if (exponent && !signed && Math.abs(v) > MAX_EXPONENT)
      throw bad(`exponent ${p} = ${v} is above ${MAX_EXPONENT} in size, outside any scaling law (hand-edited?)`);
    if (exponent && !signed) continue;
    if (exponent && !(v > 0))
      throw bad(
        `exponent ${p} = ${v} is not positive: under this fit the loss does not fall with scale (a degenerate fit), so predictions and allocations from it are meaningless`,
      );
    if (exponent && v > MAX_EXPONENT)
      throw bad(`exponent ${p} = ${v} is above ${MAX_EXPONENT}, outside any scaling law (hand-edited?)`);
  }
  const names = new Set(law.paramNames);
  const unknown = [
    ...fit.fixed,
    ...Object.keys(fit.tied),
    ...Object.values(fit.tied),
    ...Object.keys(fit.bounds),
    ...fit.at_bound,
  ].find((n) => !names.has(n));
  if (unknown !== undefined)
    throw bad(`"${unknown}" in fixed, tied, bounds or at_bound is not a parameter of ${law.name}`);
  if (fit.n_free > fit.n) throw bad(`${fit.n_free} free parameters from ${fit.n} runs (n_free > n)`);
  if (fit.objective !== null && !Number.isFinite(fit.objective)) throw bad(`objective ${fit.objective} is not finite`);

  const d = fit.data;
  if ('omitted' in d) return;
  const runs = d.loss.length;
  if (runs === 0) throw bad('data holds no runs');
  for (const k of ['N', 'D', 'C', 'S', 'U', 'loss', 'line'] as const) {
    const col = d[k];
    if (col === undefined) continue;
    if (col.length !== runs)
      throw bad(
        `data.${k} has ${col.length} values but data.loss has ${runs}; every data column needs one value per run`,
      );
    const i = col.findIndex((x) => x !== null && !(Number.isFinite(x) && (k === 'line' ? x >= 0 : x > 0)));
    if (i >= 0) throw bad(`data.${k}[${i}] = ${col[i]} is not a positive finite number`);
  }
  if (d.loss.some((x) => x === null)) throw bad('data.loss has an empty value');
  if (fit.n > runs) throw bad(`the fit says it used ${fit.n} runs but data holds ${runs}`);
  if (fit.input.rows_kept !== runs) throw bad(`input.rows_kept is ${fit.input.rows_kept} but data holds ${runs} runs`);
  // Each run must give the law its variables, directly or through C = 6ND.
  const has = (k: 'N' | 'D' | 'C' | 'S' | 'U', i: number) => d[k]?.[i] !== undefined && d[k]?.[i] !== null;
  for (let i = 0; i < runs; i++) {
    const ndc = (['N', 'D', 'C'] as const).filter((k) => has(k, i)).length;
    const missing = law.variables.find((v) => !has(v, i) && !((v === 'N' || v === 'D' || v === 'C') && ndc >= 2));
    if (missing !== undefined) throw bad(`run ${i} in data has no ${missing}, which ${law.name} needs`);
  }
}
