import { createRequire } from 'node:module';
import type { z } from 'zod';

/**
 * The schema fit JSON files are validated against when read back (predict, optimal, report --from). Built on first
 * use: zod is a large library, and writing a fit (scalefit fit) never needs it.
 */
export function makeFitJsonSchema() {
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
    loss: z.object({ kind: z.enum(['huber', 'mse', 'lad', 'huber-mle']), delta: z.number(), space: z.enum(['log', 'linear']) }),
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
    logLikelihood: z.number().nullable().optional(),
    scale: z.number().optional(),
    goodnessOfFit: z.object({ runs: z.number(), r2: z.number().nullable(), r2Log: z.number().nullable(), rmse: z.number().nullable(), rmseLog: z.number().nullable() }).optional(),
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


/** A fit JSON file's content, as the schema reads it. */
export type FitJson = z.infer<ReturnType<typeof makeFitJsonSchema>>;
