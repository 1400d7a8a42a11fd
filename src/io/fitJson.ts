import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { show } from '../data/csvReader.ts';
import type { Dataset } from '../data/types.ts';
import { InputError } from '../core/errors.ts';
import { thetaOf } from '../fit/constraints.ts';
import type { FitResult } from '../core/fitResult.ts';
import { getLaw } from '../laws/index.ts';
import { VERSION } from '../core/version.ts';

/** Above this many runs the fit JSON leaves the data out (say so in `data.omitted`) to stay a small file. */
export const MAX_RUNS_IN_FIT_JSON = 50_000;

/**
 * The fit JSON: everything a report needs to be rebuilt without refitting. No timestamps or timings, so the same
 * input, options and seed give byte-identical files. Commands may add sections (allocation, bootstrap, ...) via
 * `extra`; they come after the core keys, in the order given.
 */
export function buildFitJson(fit: FitResult, ds: Dataset, extra: Record<string, unknown> = {}): FitJson {
  const law = getLaw(fit.law);
  const includeData = ds.runs.length <= MAX_RUNS_IN_FIT_JSON;
  const col = (k: 'N' | 'D' | 'C' | 'S' | 'U') => (ds.runs.some((r) => r[k] !== undefined) ? ds.runs.map((r) => r[k] ?? null) : undefined);
  return {
    scalefit: VERSION,
    law: fit.law,
    formula: law.formula,
    params: fit.params,
    objective: fit.objective,
    loss: fit.loss,
    n: fit.n,
    nFree: fit.nFree,
    converged: fit.converged,
    message: fit.message,
    nfev: fit.nfev,
    iterations: fit.iterations,
    starts: fit.starts,
    fixed: fit.fixed,
    tied: fit.tied,
    bounds: fit.bounds,
    atBound: fit.atBound,
    rss: fit.rss,
    aic: fit.aic,
    bic: fit.bic,
    input: {
      file: ds.file,
      sha256: ds.sha256,
      rowsRead: ds.rowsRead,
      rowsDropped: ds.rowsDropped,
      rowsKept: ds.runs.length,
      columns: ds.columns,
      filters: ds.filters,
      excludeTopLoss: ds.excludeTopLoss,
      computeUnit: ds.computeUnit,
      warnings: ds.warnings,
    },
    data: includeData
      ? { N: col('N'), D: col('D'), C: col('C'), S: col('S'), U: col('U'), loss: ds.runs.map((r) => r.loss), line: ds.runs.map((r) => r.line) }
      : { omitted: `more than ${MAX_RUNS_IN_FIT_JSON} runs` },
    ...extra,
  };
}

/**
 * The schema fit JSON files are validated against when read back (predict, optimal, report --from). Built on first
 * use: zod is a large library, and writing a fit (scalefit fit) never needs it.
 */
function makeFitJsonSchema() {
const { z } = createRequire(import.meta.url)('zod') as typeof import('zod');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const numOrNullArray = z.array(z.number().nullable()).optional();
return z
  .object({
    scalefit: z.string(),
    law: z.string(),
    formula: z.string(),
    params: z.record(z.string(), finite),
    objective: z.number().nullable(),
    loss: z.object({ kind: z.enum(['huber', 'mse', 'lad']), delta: z.number(), space: z.enum(['log', 'linear']) }),
    n: z.number().int().nonnegative(),
    nFree: z.number().int().nonnegative(),
    converged: z.boolean(),
    message: z.string(),
    nfev: z.number(),
    iterations: z.number(),
    starts: z.object({ strategy: z.string(), count: z.number(), converged: z.number(), abandoned: z.number() }),
    fixed: z.array(z.string()),
    tied: z.record(z.string(), z.string()),
    bounds: z.record(z.string(), z.tuple([z.number().nullable(), z.number().nullable()])),
    atBound: z.array(z.string()),
    rss: z.number().nullable(),
    aic: z.number().nullable(),
    bic: z.number().nullable(),
    input: z.object({
      file: z.string(),
      sha256: z.string(),
      rowsRead: z.number(),
      rowsDropped: z.number(),
      rowsKept: z.number(),
      columns: z.record(z.string(), z.string()),
      filters: z.array(z.string()),
      excludeTopLoss: z.number(),
      computeUnit: z.enum(['flops', 'pf-days']),
      warnings: z.array(z.string()),
    }),
    data: z.union([
      z.object({ N: numOrNullArray, D: numOrNullArray, C: numOrNullArray, S: numOrNullArray, U: numOrNullArray, loss: z.array(z.number()), line: z.array(z.number()) }),
      z.object({ omitted: z.string() }),
    ]),
  })
  .passthrough();
}

let fitJsonSchema: ReturnType<typeof makeFitJsonSchema> | undefined;

export type FitJson = z.infer<ReturnType<typeof makeFitJsonSchema>>;

/** Read and validate a fit JSON file; a wrong or truncated file is refused with one clear line. */
export function readFitJson(path: string): FitJson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? String(e);
    throw new InputError(`${path}: cannot read fit file (${why})`);
  }
  const refit = "refit with 'scalefit fit DATA --out FILE'";
  if (text.trim() === '') throw new InputError(`${path}: the fit file is empty; ${refit}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not a fit JSON file (invalid JSON: ${show((e as Error).message, 80)}); was it truncated? ${refit}`);
  }
  const parsed = (fitJsonSchema ??= makeFitJsonSchema()).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${path}: not a valid scalefit fit file: ${issue.path.join('.') || '(top level)'}: ${show(issue.message, 120)}; ${refit}`);
  }
  let law;
  try {
    law = getLaw(parsed.data.law);
  } catch (e) {
    throw new InputError(`${path}: ${(e as Error).message} (was the fit made by a newer scalefit?)`);
  }
  const missing = law.paramNames.filter((p) => parsed.data.params[p] === undefined);
  if (missing.length) throw new InputError(`${path}: fit file for ${law.name} lacks parameter(s) ${missing.join(', ')}; ${refit}`);
  // The same domain check as --fix: a log-scaled parameter (E, A, B, ...) must not be negative. Zero stays readable:
  // exp(theta) of a fit that drove a term to nothing can underflow to 0.
  const outside = law.paramNames.find((p) => Number.isNaN(thetaOf(law, p, parsed.data.params[p]!)));
  if (outside !== undefined) {
    throw new InputError(`${path}: parameter ${outside} = ${parsed.data.params[outside]} is outside the domain of ${law.name}; ${refit}`);
  }
  return parsed.data;
}
