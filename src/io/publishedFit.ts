import { InputError } from '../core/errors.ts';
import type { Law, Params } from '../core/law.ts';
import { VERSION } from '../core/version.ts';
import { PF_DAY } from '../data/load.ts';
import { publishedConstants } from '../data/publishedConstants.ts';
import type { PublishedConstants } from '../data/publishedConstants.ts';
import { getLaw } from '../laws/index.ts';
import { checkFitJson } from './checkFitJson.ts';
import type { FitJson } from './fitJsonSchema.ts';

/** Where a published law comes from: its name here, the paper and the place in it. */
export interface PublishedSource {
  name: string;
  citation: string;
}

/**
 * The published laws `--published NAME` names, read from data/published/scaling_law_constants.json (hand-transcribed,
 * each value with its source: data/published/SOURCE.md). Kaplan et al.'s C_c^min is printed in PF-days; kaplan-c
 * takes FLOPs, so it is converted (1 PF-day = 8.64e19 FLOPs).
 */
const PUBLISHED: Record<string, { law: string; citation: string; params: (c: PublishedConstants) => Params }> = {
  hoffmann2022: {
    law: 'chinchilla',
    citation: 'Hoffmann et al. 2022, arXiv:2203.15556, approach 3, eq. 10 (App. D.2)',
    params: ({ hoffmann2022: { approach3_parametric: t } }) => ({
      E: t.E,
      A: t.A,
      B: t.B,
      alpha: t.alpha,
      beta: t.beta,
    }),
  },
  besiroglu2024: {
    law: 'chinchilla',
    citation: 'Besiroglu et al. 2024, arXiv:2404.10102, eq. 4 (their refit of the Epoch reconstruction)',
    params: ({ besiroglu2024_epoch_replication: { paper_reported_values: t } }) => ({
      E: t.E,
      A: t.A,
      B: t.B,
      alpha: t.alpha,
      beta: t.beta,
    }),
  },
  'kaplan2020-n': {
    law: 'kaplan-n',
    citation: 'Kaplan et al. 2020, arXiv:2001.08361, eq. 1.1 (N non-embedding parameters)',
    params: (c) => {
      const s = c.kaplan2020['single_variable_fits_sec1.2_and_appendixA'];
      return { N_c: s.N_c, alpha_N: s.alpha_N };
    },
  },
  'kaplan2020-d': {
    law: 'kaplan-d',
    citation: 'Kaplan et al. 2020, arXiv:2001.08361, eq. 1.2',
    params: (c) => {
      const s = c.kaplan2020['single_variable_fits_sec1.2_and_appendixA'];
      return { D_c: s.D_c, alpha_D: s.alpha_D };
    },
  },
  'kaplan2020-c': {
    law: 'kaplan-c',
    citation: 'Kaplan et al. 2020, arXiv:2001.08361, eq. 1.3 (C_min; C_c^min = 3.1e8 PF-days as FLOPs)',
    params: (c) => {
      const s = c.kaplan2020['single_variable_fits_sec1.2_and_appendixA'];
      return { C_c: s.C_c_min * PF_DAY, alpha_C: s.alpha_C_min };
    },
  },
  'kaplan2020-nd': {
    law: 'kaplan-nd',
    citation: 'Kaplan et al. 2020, arXiv:2001.08361, eq. 1.5, table 2',
    params: ({ kaplan2020: { L_ND_fit_table2: t } }) => ({
      N_c: t.N_c,
      D_c: t.D_c,
      alpha_N: t.alpha_N,
      alpha_D: t.alpha_D,
    }),
  },
  'kaplan2020-ns': {
    law: 'kaplan-ns',
    citation: 'Kaplan et al. 2020, arXiv:2001.08361, eq. 1.6, table 3 (S is S_min)',
    params: ({ kaplan2020: { L_NS_fit_table3: t } }) => ({
      N_c: t.N_c,
      S_c: t.S_c,
      alpha_N: t.alpha_N,
      alpha_S: t.alpha_S,
    }),
  },
};

/** The names `--published` accepts. */
export const PUBLISHED_NAMES: readonly string[] = Object.keys(PUBLISHED);

/**
 * A published law as a fit JSON (see {@link fitJsonFromConstants}), by name: `hoffmann2022`, `besiroglu2024`,
 * `kaplan2020-n`, `-d`, `-c`, `-nd`, `-ns`.
 *
 * @example publishedFitJson('hoffmann2022').params.alpha // 0.34
 */
export function publishedFitJson(name: string): FitJson {
  const p = PUBLISHED[name];
  if (!Object.hasOwn(PUBLISHED, name) || !p)
    throw new InputError(
      `--published ${name}: unknown; the published laws are ${PUBLISHED_NAMES.join(', ')} (data/published/)`,
    );
  return fitJsonFromConstants(getLaw(p.law), p.params(publishedConstants()), { name, citation: p.citation });
}

/**
 * A fit JSON made from a law's published constants instead of from data, so `optimal`, `predict` and
 * `report --from FILE data.csv` work on a paper's law. Marked as such (`published`), with no runs (`data.omitted`),
 * no objective, no standard errors and no likelihood; every parameter of the law must be given, within its domain.
 *
 * @example fitJsonFromConstants(getLaw('chinchilla'), { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }, { name: 'constants', citation: 'Hoffmann et al. 2022' })
 */
export function fitJsonFromConstants(law: Law, params: Params, source: PublishedSource): FitJson {
  const missing = law.paramNames.filter((n) => params[n] === undefined);
  if (missing.length)
    throw new InputError(`--params: ${law.name} needs ${law.paramNames.join(', ')}; missing ${missing.join(', ')}`);
  const unknown = Object.keys(params).filter((n) => !law.paramNames.includes(n));
  if (unknown.length)
    throw new InputError(
      `--params: ${law.name} has no parameter ${unknown.map((u) => `"${u}"`).join(', ')} (parameters: ${law.paramNames.join(', ')})`,
    );
  const ordered = Object.fromEntries(law.paramNames.map((n) => [n, params[n]!]));
  const json: FitJson = {
    scalefit: VERSION,
    law: law.name,
    formula: law.formula,
    params: ordered,
    objective: null,
    loss: { kind: 'huber', delta: 1e-3, space: 'log' },
    n: 0,
    n_free: 0,
    converged: true,
    message: `published constants (${source.citation}), not fitted here`,
    nfev: 0,
    iterations: 0,
    starts: { strategy: 'published', count: 0, converged: 0, abandoned: 0 },
    fixed: [],
    tied: {},
    bounds: {},
    at_bound: [],
    rss: null,
    aic: null,
    bic: null,
    published: { name: source.name, citation: source.citation },
    input: {
      file: source.name,
      sha256: '',
      rows_read: 0,
      rows_dropped: 0,
      rows_kept: 0,
      columns: {},
      filters: [],
      exclude_top_loss: 0,
      compute_unit: 'flops',
      warnings: [],
    },
    data: { omitted: `published constants (${source.citation}): no runs` },
  };
  checkFitJson(json, law, `--params (${law.name})`);
  return json;
}

/**
 * The fit a command works on: a fit file (positional), or a published law (`--published NAME`); exactly one, with
 * the name to use in messages.
 *
 * @example fitFromFileOrPublished(undefined, 'hoffmann2022').fit.law // 'chinchilla'
 */
export function fitFromFileOrPublished(
  file: string | undefined,
  published: string | undefined,
  readFile: (path: string) => FitJson,
): { fit: FitJson; name: string } {
  if (file !== undefined && published !== undefined)
    throw new InputError(`give a fit file or --published ${published}, not both (got ${file})`);
  if (published !== undefined) return { fit: publishedFitJson(published), name: `--published ${published}` };
  if (file === undefined)
    throw new InputError(
      `give a fit file (scalefit fit DATA --out FILE) or --published NAME (${PUBLISHED_NAMES.join(', ')})`,
    );
  return { fit: readFile(file), name: file };
}
