import { InputError } from '../core/errors.ts';
import { chiSquareSurvival } from '../math/chiSquare.ts';
import { fitLogLikelihood } from '../fit/logLikelihood.ts';
import type { FitJson } from '../io/fitJsonSchema.ts';

/** A likelihood-ratio test between two nested fits of one law to the same runs. */
export interface LikelihoodRatioTest {
  /** The fit with fewer free parameters (fixed or tied ones), and the one with more. */
  restricted: { logLikelihood: number; nFree: number; fixed: string[]; tied: Record<string, string> };
  full: { logLikelihood: number; nFree: number; fixed: string[]; tied: Record<string, string> };
  /** 2 (log L_full - log L_restricted), clamped at 0 (a negative value means the full fit missed its optimum). */
  statistic: number;
  /** Degrees of freedom: the difference in free parameters. */
  df: number;
  /** P(chi2_df > statistic): how likely a statistic this large is if the restriction holds (Wilks 1938). */
  pValue: number;
  loss: string;
  n: number;
  notes: string[];
}

/**
 * Likelihood-ratio test of a restricted fit (some parameters fixed, e.g. to a paper's published values, or tied)
 * against the free fit: statistic 2 (l_full - l_restricted), asymptotically chi-square with df = the difference in
 * free parameters when the restriction holds (Wilks 1938). Besiroglu et al. 2024 (arXiv:2404.10102, section 3) test
 * Hoffmann et al.'s published parameters this way under their Huber likelihood. Both fits need a likelihood
 * (`--loss mse`, Gaussian; or `--loss huber-mle`) of the same kind, space and delta, the same law and the same runs
 * (input file hash, filters, rows kept), and must be nested: every constraint of the full fit also holds in the
 * restricted one. Either order is accepted. A parameter fixed on the edge of its domain (an exponent at 0) makes
 * the chi-square reference conservative (Self & Liang 1987); the notes say so.
 *
 * @example likelihoodRatioTest(readFitJson('hoffmann-fixed.json'), readFitJson('free.json')).pValue
 */
export function likelihoodRatioTest(
  a: FitJson,
  b: FitJson,
  names: [string, string] = ['first fit', 'second fit'],
): LikelihoodRatioTest {
  const [na, nb] = names;
  const refuse = (why: string) => new InputError(`lrt: ${why}`);
  if (a.law !== b.law)
    throw refuse(
      `${na} is a ${a.law} fit, ${nb} a ${b.law} fit; a likelihood-ratio test compares two fits of one law (use scalefit compare for different laws)`,
    );
  if (
    a.input.sha256 !== b.input.sha256 ||
    a.input.rows_kept !== b.input.rows_kept ||
    a.n !== b.n ||
    JSON.stringify(a.input.filters) !== JSON.stringify(b.input.filters) ||
    a.input.exclude_top_loss !== b.input.exclude_top_loss
  ) {
    throw refuse(
      `the two fits are of different runs (${a.input.file}: ${a.n} runs, ${b.input.file}: ${b.n} runs, or other filters); refit both on the same data with the same --where and --exclude-top-loss`,
    );
  }
  const lossText = (f: FitJson) =>
    `${f.loss.kind}${f.loss.kind === 'huber-mle' ? ` (delta ${f.loss.delta})` : ''} on ${f.loss.space} loss`;
  if (
    a.loss.kind !== b.loss.kind ||
    a.loss.space !== b.loss.space ||
    (a.loss.kind === 'huber-mle' && a.loss.delta !== b.loss.delta)
  ) {
    throw refuse(`${na} uses ${lossText(a)}, ${nb} ${lossText(b)}; both fits need the same likelihood`);
  }
  const la = fitLogLikelihood(a),
    lb = fitLogLikelihood(b);
  if (la === null || lb === null)
    throw refuse(
      `${lossText(a)} is not a likelihood (no fitted scale); refit both with --loss huber-mle (Besiroglu et al. 2024) or --loss mse (Gaussian)`,
    );
  if (a.n_free === b.n_free)
    throw refuse(
      `both fits have ${a.n_free} free parameters, so neither is nested in the other; fix or tie parameters in one of them (--fix NAME=VALUE)`,
    );
  const [r, f, rl, fl, rn, fn] = a.n_free < b.n_free ? [a, b, la, lb, na, nb] : [b, a, lb, la, nb, na];
  const fixedValue = (fit: FitJson, p: string) => fit.params[p]!;
  for (const p of f.fixed) {
    if (
      !r.fixed.includes(p) ||
      Math.abs(fixedValue(r, p) - fixedValue(f, p)) > 1e-12 * Math.max(1, Math.abs(fixedValue(f, p)))
    ) {
      throw refuse(
        `${fn} fixes ${p} = ${fixedValue(f, p)} but ${rn} does not hold it there, so the fits are not nested`,
      );
    }
  }
  for (const [t, s] of Object.entries(f.tied)) {
    if (r.tied[t] !== s && !(r.fixed.includes(t) && r.fixed.includes(s) && fixedValue(r, t) === fixedValue(r, s)))
      throw refuse(`${fn} ties ${t} to ${s} but ${rn} does not, so the fits are not nested`);
  }
  for (const [p, range] of Object.entries(f.bounds)) {
    const rb = r.bounds[p];
    const inside =
      r.fixed.includes(p) ||
      (rb !== undefined &&
        (rb[0] ?? -Infinity) >= (range[0] ?? -Infinity) &&
        (rb[1] ?? Infinity) <= (range[1] ?? Infinity));
    if (!inside) throw refuse(`${fn} bounds ${p} but ${rn} is not held within that bound, so the fits are not nested`);
  }
  const notes: string[] = [];
  const raw = 2 * (fl - rl);
  // The optimiser's own noise: a restricted fit may end a hair above the free one when the restriction is
  // (nearly) true; a larger gap means the free fit missed its optimum and the test is meaningless.
  if (raw < -1e-6 * Math.max(1, Math.abs(fl)))
    notes.push(
      `the restricted fit's likelihood is above the free fit's by ${(-raw / 2).toPrecision(3)}: the free fit did not reach its optimum; refit it (e.g. --starts hoffmann)`,
    );
  const statistic = Math.max(0, raw);
  const df = f.n_free - r.n_free;
  if (!f.converged || !r.converged) notes.push('a fit did not converge; the statistic may be off');
  if (r.fixed.some((p) => r.params[p] === 0))
    notes.push(
      'a parameter is fixed on the edge of its domain (0): the chi-square p-value is then conservative (Self & Liang 1987)',
    );
  if (f.loss.kind === 'huber-mle')
    notes.push(
      'the Huber likelihood with a fitted scale (Besiroglu et al. 2024); the scale is free in both fits and not counted in df',
    );
  const summary = (fit: FitJson, l: number) => ({
    logLikelihood: l,
    nFree: fit.n_free,
    fixed: fit.fixed,
    tied: fit.tied,
  });
  return {
    restricted: summary(r, rl),
    full: summary(f, fl),
    statistic,
    df,
    pValue: chiSquareSurvival(statistic, df),
    loss: lossText(f),
    n: f.n,
    notes,
  };
}
