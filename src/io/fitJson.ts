import { readFileSync } from 'node:fs';
import { show } from '../data/csvReader.ts';
import type { Dataset } from '../data/types.ts';
import { errnoText } from '../core/errnoText.ts';
import { InputError } from '../core/errors.ts';
import type { FitResult } from '../core/fitResult.ts';
import { getLaw } from '../laws/index.ts';
import { goodnessOfFit } from '../fit/goodnessOfFit.ts';
import type { GoodnessOfFit } from '../fit/goodnessOfFit.ts';
import { selectFitRuns } from '../fit/selectFitRuns.ts';
import { fitLogLikelihood } from '../fit/logLikelihood.ts';
import { VERSION } from '../core/version.ts';
import { checkFitJson } from './checkFitJson.ts';
import { makeFitJsonSchema } from './fitJsonSchema.ts';
import type { FitJson, FitJsonSections } from './fitJsonSchema.ts';
import { inputJson } from './inputJson.ts';
import { snakeCaseFitJson } from './snakeCaseFitJson.ts';

/**
 * What a command appends to the core of a fit JSON: its sections (uncertainty, bootstrap, predictions, ...), a
 * report's `train` and `held_out`: each declared in the fit JSON schema (a new section is added there first).
 */
export type FitJsonExtra = FitJsonSections & Pick<FitJson, 'train' | 'held_out'>;

/** Above this many runs the fit JSON leaves the data out (say so in `data.omitted`) to stay a small file. */
const MAX_RUNS_IN_FIT_JSON = 50_000;

/**
 * The fit JSON: everything a report needs to be rebuilt without refitting. No timestamps or timings, so the same
 * input, options and seed give byte-identical files. Commands may add sections (allocation, bootstrap, ...) via
 * `extra`; they come after the core keys, in the order given.
 *
 * @example
 * import { buildFitJson, fitLaw, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const fit = fitLaw(getLaw('chinchilla'), ds.runs);
 * const json = buildFitJson(fit, ds);
 * json.formula; // → 'L(N,D) = E + A/N^alpha + B/D^beta'
 * json.input.sha256.length; // → 64
 */
export function buildFitJson(fit: FitResult, ds: Dataset, extra: FitJsonExtra = {}): FitJson {
  const law = getLaw(fit.law);
  const includeData = ds.runs.length <= MAX_RUNS_IN_FIT_JSON;
  const col = (k: 'N' | 'D' | 'C' | 'S' | 'U') =>
    ds.runs.some((r) => r[k] !== undefined) ? ds.runs.map((r) => r[k] ?? null) : undefined;
  return {
    scalefit: VERSION,
    law: fit.law,
    formula: law.formula,
    params: fit.params,
    objective: fit.objective,
    loss: fit.loss,
    n: fit.n,
    n_free: fit.nFree,
    converged: fit.converged,
    message: fit.message,
    nfev: fit.nfev,
    iterations: fit.iterations,
    starts: fit.starts,
    fixed: fit.fixed,
    tied: fit.tied,
    bounds: fit.bounds,
    at_bound: fit.atBound,
    rss: fit.rss,
    aic: fit.aic,
    bic: fit.bic,
    log_likelihood: nullIfNotFinite(fitLogLikelihood(fit)),
    ...(fit.scale !== undefined ? { scale: fit.scale } : {}),
    goodness_of_fit: goodnessJson(goodnessOfFit(law, fit.params, selectFitRuns(law, ds.runs).runs)),
    input: inputJson(ds),
    data: includeData
      ? {
          N: col('N'),
          D: col('D'),
          C: col('C'),
          S: col('S'),
          U: col('U'),
          loss: ds.runs.map((r) => r.loss),
          line: ds.runs.map((r) => r.line),
        }
      : { omitted: `more than ${MAX_RUNS_IN_FIT_JSON} runs` },
    ...extra,
  };
}

/** NaN (an undefined R²) as null, as JSON writes it, so the object and its JSON text agree. */
const nullIfNotFinite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);

function goodnessJson(g: GoodnessOfFit) {
  return {
    runs: g.runs,
    r2: nullIfNotFinite(g.r2),
    r2_log: nullIfNotFinite(g.r2Log),
    rmse: nullIfNotFinite(g.rmse),
    rmse_log: nullIfNotFinite(g.rmseLog),
  };
}

let fitJsonSchema: ReturnType<typeof makeFitJsonSchema> | undefined;

export type { FitJson };

/**
 * Read and validate a fit JSON file; a wrong or truncated file is refused with one clear line.
 *
 * @example
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { buildFitJson, fitLaw, getLaw, loadRuns, readFitJson } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const file = join(mkdtempSync(join(tmpdir(), 'fit-')), 'fit.json');
 * writeFileSync(file, JSON.stringify(buildFitJson(fitLaw(getLaw('chinchilla'), ds.runs), ds)));
 * readFitJson(file).params.beta; // → 0.3672
 */
export function readFitJson(path: string): FitJson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read fit file (${errnoText(e)})`);
  }
  const refit = "refit with 'scalefit fit DATA --out FILE'";
  if (text.trim() === '') throw new InputError(`${path}: the fit file is empty; ${refit}`);
  let raw: unknown;
  try {
    // A file saved before the JSON keys were made snake_case (nFree, input.rowsKept, ...) reads as today's.
    raw = snakeCaseFitJson(JSON.parse(text));
  } catch (e) {
    throw new InputError(
      `${path}: not a fit JSON file (invalid JSON: ${show((e as Error).message, 80)}); was it truncated? ${refit}`,
    );
  }
  const parsed = (fitJsonSchema ??= makeFitJsonSchema()).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `${path}: not a valid scalefit fit file: ${issue.path.join('.') || '(top level)'}: ${show(issue.message, 120)}; ${refit}`,
    );
  }
  let law;
  try {
    law = getLaw(parsed.data.law);
  } catch (e) {
    throw new InputError(`${path}: ${(e as Error).message} (was the fit made by a newer scalefit?)`);
  }
  const missing = law.paramNames.filter((p) => parsed.data.params[p] === undefined);
  if (missing.length)
    throw new InputError(`${path}: fit file for ${law.name} lacks parameter(s) ${missing.join(', ')}; ${refit}`);
  // Domain (a log-scaled parameter may be 0: exp(theta) of a term driven to nothing underflows), lengths, consistency.
  checkFitJson(parsed.data, law, path);
  return parsed.data;
}
