import { createRequire } from 'node:module';
import type { z } from 'zod';

/**
 * The schema fit JSON files are validated against when read back (predict, optimal, report --from), and the source
 * of the `FitJson` type. Every section a command writes is declared with the fields its readers use; every object is
 * `.loose()`, so a key a newer scalefit adds is kept, not refused. Keys are snake_case (docs/json-outputs.md);
 * `readFitJson` converts files written in the older camelCase spelling before validating them.
 *
 * Numbers: `z.number()` refuses NaN and ±Infinity (zod 4), which JSON cannot hold anyway; the writer (stableJson)
 * turns a non-finite number into null, so a statistic that can come out non-finite (a bootstrap sd with fewer than
 * two successful refits, a correlation with a zero variance, an interval bound that overflows) is declared
 * `nullable`, and readers must say "n/a" for it. What predictions are computed from (params, data, the bootstrap
 * resamples, the prediction section) must be finite.
 *
 * Built on first use: zod is a large library, and writing a fit (scalefit fit) never needs it.
 */
export function makeFitJsonSchema() {
  const { z } = createRequire(import.meta.url)('zod') as typeof import('zod');
  const num = z.number();
  /** A statistic that is null when it was not finite. */
  const stat = z.number().nullable();
  const count = z.number().int().nonnegative();
  const statPair = z.tuple([stat, stat]);
  /** Keyed by the law's parameter names. */
  const byParam = <T extends z.ZodType>(v: T) => z.record(z.string(), v);
  const matrix = byParam(byParam(stat));
  const numOrNullArray = z.array(num.nullable()).optional();
  const summary = z.object({ estimate: stat, sd: stat, spread: stat, median: stat, ci: statPair }).loose();
  const point = z
    .object({ N: num.optional(), D: num.optional(), C: num.optional(), S: num.optional(), U: num.optional() })
    .loose();
  const interval = z
    .object({
      predicted: num,
      lo: stat,
      hi: stat,
      level: num,
      distance: num,
      factor: stat,
      multiplier: stat,
      sigma_param: stat,
      sigma_run: stat,
      sigma_extrapolation: stat,
    })
    .loose();
  const pointPrediction = z.object({ point, predicted: num, interval: interval.nullable() }).loose();

  return z
    .object({
      scalefit: z.string(),
      law: z.string(),
      formula: z.string(),
      params: byParam(num),
      objective: z.number().nullable(),
      loss: z
        .object({ kind: z.enum(['huber', 'mse', 'lad', 'huber-mle']), delta: num, space: z.enum(['log', 'linear']) })
        .loose(),
      n: count,
      n_free: count,
      converged: z.boolean(),
      message: z.string(),
      nfev: count,
      iterations: count,
      starts: z.object({ strategy: z.string(), count, converged: count, abandoned: count }).loose(),
      fixed: z.array(z.string()),
      tied: byParam(z.string()),
      bounds: byParam(z.tuple([num.nullable(), num.nullable()])),
      at_bound: z.array(z.string()),
      rss: stat,
      aic: stat,
      bic: stat,
      log_likelihood: stat
        .optional()
        .describe('the maximised Gaussian (or Huber-likelihood) log-likelihood; null for a plain Huber fit'),
      scale: num.optional().describe('huber-mle: the fitted scale of the residuals'),
      goodness_of_fit: z
        .object({ runs: count, r2: stat, r2_log: stat, rmse: stat, rmse_log: stat })
        .loose()
        .optional()
        .describe('R² and RMSE on loss and on log loss, over the runs the law was fitted on'),
      published: z
        .object({ name: z.string(), citation: z.string() })
        .loose()
        .optional()
        .describe("a paper's published constants (--published NAME), not fitted here"),
      input: z
        .object({
          file: z.string(),
          sha256: z.string(),
          rows_read: count,
          rows_dropped: count,
          rows_kept: count,
          columns: z
            .record(z.string(), z.string())
            .describe('variable (N, D, C, loss, ...) -> the header it was read from'),
          filters: z.array(z.string()),
          exclude_top_loss: count,
          compute_unit: z.enum(['flops', 'pf-days']),
          warnings: z.array(z.string()),
        })
        .loose(),
      data: z.union([
        z
          .object({
            N: numOrNullArray,
            D: numOrNullArray,
            C: numOrNullArray,
            S: numOrNullArray,
            U: numOrNullArray,
            loss: z.array(num),
            line: z.array(count),
          })
          .loose(),
        z.object({ omitted: z.string() }).loose(),
      ]),

      units: z
        .record(z.string(), z.string())
        .optional()
        .describe('the unit of each parameter that has one, and of compute'),
      stderr: byParam(stat)
        .optional()
        .describe('the standard error shown for each parameter: null for a fixed one, and where none is shown'),
      covariance: matrix.nullable().optional(),
      ci: byParam(statPair)
        .optional()
        .describe('intervals at uncertainty.level: bootstrap percentiles, or asymptotic Wald intervals'),
      uncertainty: z
        .object({
          source: z.enum(['bootstrap', 'asymptotic', 'none']).describe('where stderr, covariance and ci come from'),
          level: z.number().gt(0).lt(1),
          method: z.string(),
          note: z.string(),
          condition_number: stat.describe(
            'of JᵀJ with unit-scaled columns; null when singular (infinite) or unavailable',
          ),
          correlation: matrix.nullable(),
          warnings: z.array(z.string()),
          notes: z.array(z.string()).optional(),
          asymptotic: z
            .object({ stderr: byParam(stat), ci: byParam(statPair) })
            .loose()
            .optional(),
          shown: z.string().optional().describe('why no standard errors are shown (a Huber fit without a bootstrap)'),
        })
        .loose()
        .optional(),
      identifiability: z
        .object({
          identified: z.boolean(),
          problems: z.array(z.object({ subject: z.string(), short: z.string(), advice: z.string() }).loose()),
          status: z.string(),
        })
        .loose()
        .optional(),
      bootstrap: z
        .object({
          K: count,
          seed: count,
          level: z.number().gt(0).lt(1),
          resample: z.string(),
          refit: z.string(),
          succeeded: count,
          failed: count,
          not_converged: count,
          stderr: byParam(stat),
          ci: byParam(statPair),
          covariance: matrix,
          params: byParam(summary),
          derived: z
            .record(z.string(), summary)
            .describe('keyed by quantity: a, b, G, N_opt(C=...), D_opt(C=...), tokens_per_param(C=...), loss(...)'),
          resamples: z
            .object({
              params: byParam(z.array(num.nullable())),
              objective: z.array(stat),
              converged: z.array(z.boolean()),
            })
            .loose()
            .describe(
              'per resample, in resample order: each parameter (null for a failed refit), the objective, convergence',
            ),
        })
        .loose()
        .optional(),
      prediction: z
        .object({
          method: z.string(),
          sigma_run: num.describe("robust run-to-run scatter of the train runs' log residuals"),
          range: z
            .object({
              variables: z.array(z.enum(['N', 'D', 'C', 'S', 'U'])),
              log10_min: z.record(z.string(), num),
              log10_max: z.record(z.string(), num),
              max_compute: stat.describe('the largest training compute (FLOPs), or null when the runs have no C'),
            })
            .loose(),
          rolling_origin: z
            .object({
              key: z.string(),
              folds: z.array(z.object({ cutoff: num, train: count, predicted: count, converged: z.boolean() }).loose()),
              fold: z
                .array(count)
                .describe(
                  "the nested predictions as columns of one length (fold, distance, log_error): fold index, decades outside the fold's range, log predicted - log actual",
                ),
              distance: z.array(num),
              log_error: z.array(num),
              notes: z.array(z.string()),
            })
            .loose()
            .refine(
              (r) => r.fold.length === r.distance.length && r.fold.length === r.log_error.length,
              'fold, distance and log_error must have one value per nested prediction',
            ),
        })
        .loose()
        .optional()
        .describe('what a calibrated prediction interval needs besides the bootstrap (docs/prediction-intervals.md)'),
      predictions: z
        .object({
          level: z.number().gt(0).lt(1),
          method: z.string(),
          at: z.array(pointPrediction),
          compute: z.array(
            z
              .object({
                C: num,
                N_opt: stat,
                D_opt: stat,
                tokens_per_param: stat,
                loss: pointPrediction.nullable(),
                N_ci: statPair.nullable(),
                D_ci: statPair.nullable(),
              })
              .loose(),
          ),
        })
        .loose()
        .optional()
        .describe('predictions at --at points and at the compute-optimal point of each --compute budget'),
      train: z.string().optional().describe("a report's fit: the --train filter it was made on"),
      held_out: count.optional().describe("a report's fit: how many runs the --train filter held out"),
      kind: z.literal('curves').optional().describe('a loss-curve fit (fit-curves): its runs are checkpoints'),
      reference: z.string().optional().describe("a curve fit: the law's paper"),
      lr_column: z.string().optional().describe('a curve fit: the learning-rate column read'),
      curves: z
        .array(
          z
            .object({
              run: z.string(),
              checkpoints: count,
              last_step: count,
              peak_lr: num,
              tokens_per_step: num.optional(),
            })
            .loose(),
        )
        .optional()
        .describe('a curve fit: one row per curve (run id, checkpoints, last step, peak rate, tokens per step)'),
      curve_bootstrap: z
        .object({
          K: count,
          seed: num,
          resample: z.string(),
          failed: count,
          level: num,
          resamples: z.object({ params: z.record(z.string(), z.array(num.nullable())) }).loose(),
        })
        .loose()
        .optional()
        .describe("a curve fit's bootstrap over curves or checkpoints (predict-curve's bands come from its resamples)"),
      curve_held_out: z
        .object({
          cut: num,
          train_checkpoints: count,
          held_out_checkpoints: count,
          rms_log_error: num,
          max_log_error: num,
        })
        .loose()
        .optional()
        .describe("a curve fit's held-out end of each curve (fit on steps below the cut, predict the rest)"),
    })
    .loose();
}

/**
 * A type without the `[key: string]: unknown` that `.loose()` adds to an object that declares keys, so that reading
 * a key the schema does not declare (a typo, an old camelCase name) is a type error, not an `unknown`. An object with
 * nothing but an index signature (a record keyed by parameter or column names) keeps it.
 */
type Declared<T> = T extends readonly unknown[]
  ? { [I in keyof T]: Declared<T[I]> }
  : T extends object
    ? [keyof { [K in keyof T as string extends K ? never : K]: 0 }] extends [never]
      ? { [K in keyof T]: Declared<T[K]> }
      : { [K in keyof T as string extends K ? never : K]: Declared<T[K]> }
    : T;

/** A fit JSON file's content, as the schema reads it (keys the schema does not declare are kept but not typed). */
export type FitJson = Declared<z.infer<ReturnType<typeof makeFitJsonSchema>>>;
/** The fit JSON's sections, by name (each may be absent). */
export type FitJsonSections = Pick<
  FitJson,
  | 'units'
  | 'stderr'
  | 'covariance'
  | 'ci'
  | 'uncertainty'
  | 'identifiability'
  | 'bootstrap'
  | 'prediction'
  | 'predictions'
>;
export type BootstrapJson = NonNullable<FitJson['bootstrap']>;
export type PredictionJson = NonNullable<FitJson['prediction']>;
export type PredictionsJson = NonNullable<FitJson['predictions']>;
export type UncertaintyJson = NonNullable<FitJson['uncertainty']>;
export type PointPredictionJson = PredictionsJson['at'][number];
export type IntervalJson = NonNullable<PointPredictionJson['interval']>;
