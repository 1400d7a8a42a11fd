/**
 * Write docs/schemas/*.schema.json: JSON Schema (draft 2020-12) of scalefit's JSON outputs, one file per output,
 * generated with zod 4's z.toJSONSchema. The fit JSON's is the schema `readFitJson` validates against; the others are
 * declared here, and test/json-naming.test.ts checks every command's actual output against them, so neither can
 * drift from what the commands print. `node --import tsx scripts/json-schemas.ts`; test/json-schemas.test.ts checks
 * the committed files are current. Every object allows keys it does not list (a newer scalefit may add some).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { atomicWrite } from '../src/io/atomicWrite.ts';
import { makeFitJsonSchema } from '../src/io/fitJsonSchema.ts';

const num = z.number();
/** A number that is null where it was not finite (stableJson writes NaN and infinities as null). */
const stat = z.number().nullable();
const count = z.number().int().nonnegative();
const names = z.record(z.string(), num).describe('parameter name -> value');
const allocationRow = z
  .object({
    compute: num.describe('training FLOPs, 6·N·D'),
    N_opt: num.describe('parameters'),
    D_opt: num.describe('tokens'),
    tokens_per_param: num.describe('D_opt / N_opt'),
    loss: num.describe("the law's prediction at (N_opt, D_opt), nats"),
  })
  .loose();
const lawHeader = { law: z.string(), formula: z.string(), params: names, compute_unit: z.literal('FLOPs') };
const perDecade = z
  .object({ N: num, D: num })
  .loose()
  .describe('how much N_opt and D_opt grow per 10x compute (10^a, 10^b)');

/** The zod schema of every JSON output but the fit JSON, by schema file stem. */
export function outputSchemas() {
  const fitInput = makeFitJsonSchema().shape.input;
  const inference = allocationRow.extend({ inference_flops: num.describe('2·N·T'), total_flops: num });
  const datacon = allocationRow.extend({ epochs: num.describe('D_opt / U') });
  return {
    optimal: z
      .discriminatedUnion('mode', [
        z
          .object({
            ...lawHeader,
            mode: z.literal('compute-optimal'),
            a: num.describe('N_opt ∝ C^a'),
            b: num.describe('D_opt ∝ C^b'),
            exponents: z.string().describe('whether a and b are exact for this law or local'),
            per_10x: perDecade,
            allocations: z.array(allocationRow).describe('one row per --compute budget'),
            inverse: z
              .array(allocationRow)
              .optional()
              .describe('rows for --params N: the budget at which that model size is compute-optimal'),
            intervals: z
              .array(
                z
                  .object({
                    compute: num,
                    level: num,
                    N_opt_lo: stat,
                    N_opt_hi: stat,
                    D_opt_lo: stat,
                    D_opt_hi: stat,
                    loss: num,
                    loss_lo: stat,
                    loss_hi: stat,
                    extrapolation_factor: stat,
                  })
                  .loose(),
              )
              .optional()
              .describe('with a fit saved with a bootstrap: per budget, the intervals'),
            interval_method: z.string().optional(),
          })
          .loose(),
        z
          .object({
            ...lawHeader,
            mode: z.literal('inference'),
            inference_tokens: num.describe('T, tokens served at inference'),
            target_loss: num.optional(),
            total_budget: num.optional(),
            allocations: z
              .array(inference)
              .length(1)
              .describe('the allocation minimising training plus inference FLOPs (Sardana et al. 2024)'),
            chinchilla: inference.describe('the Chinchilla-optimal row for the same loss, charged the same inference'),
            ratio_to_chinchilla: z.object({ N_opt: num, D_opt: num, tokens_per_param: num, total_flops: num }).loose(),
          })
          .loose(),
        z
          .object({
            ...lawHeader,
            mode: z.literal('data-constrained'),
            unique_tokens: num.describe('U'),
            allocations: z
              .array(datacon)
              .length(1)
              .describe('the best allocation with U unique tokens (Muennighoff et al. 2023)'),
            chinchilla: datacon.describe('the Chinchilla allocation of the same budget, scored by the same law'),
            unconstrained_loss: num.describe('the loss the budget reaches with unlimited unique data'),
          })
          .loose(),
      ])
      .describe('scalefit optimal --json, optimal-inference --json, optimal-datacon --json'),
    'predict-curve': z
      .object({
        law: z.string(),
        formula: z.string(),
        level: num,
        tokens_per_step: num.optional().describe('tokens per optimiser step, when known'),
        bootstrap: z.number().int().nonnegative().describe('resamples behind the bands (0: point predictions only)'),
        schedules: z.array(
          z
            .object({
              label: z.string(),
              steps: z.array(num),
              lr: z.array(num),
              loss: z.array(num),
              lo: z.array(num.nullable()).optional(),
              hi: z.array(num.nullable()).optional(),
              final: num,
            })
            .loose(),
        ),
      })
      .loose()
      .describe('scalefit predict-curve --json: the predicted loss curve of each asked schedule, with bands'),
    predict: z
      .object({
        law: z.string(),
        formula: z.string(),
        compute_unit: z.literal('FLOPs'),
        level: num,
        method: z.string().describe('how the intervals were made, or why there are none'),
        points: z.array(
          z
            .object({
              N: num.optional(),
              D: num.optional(),
              C: num.optional(),
              S: num.optional(),
              U: num.optional(),
              loss: num.describe('the predicted loss'),
              lo: stat.optional(),
              hi: stat.optional(),
              extrapolation_factor: stat.optional().describe('C over the largest training compute'),
              extrapolation_decades: num.optional().describe('decades beyond the training range'),
            })
            .loose(),
        ),
      })
      .loose()
      .describe('scalefit predict --json'),
    isoflop: z
      .object({
        scalefit: z.string(),
        analysis: z.enum(['isoflop', 'envelope']),
        method: z.string(),
        input: fitInput,
        compute_unit: z.literal('FLOPs'),
        a: num,
        b: num,
        k_N: num.describe('N_opt = k_N·C^a'),
        k_D: num.describe('D_opt = k_D·C^b'),
        per_10x: perDecade,
        bootstrap: z
          .object({
            K: count,
            seed: count,
            level: num,
            resample: z.string(),
            failed: count,
            a: z.object({ sd: stat, ci: z.tuple([stat, stat]) }).loose(),
            b: z.object({ sd: stat, ci: z.tuple([stat, stat]) }).loose(),
          })
          .loose()
          .optional(),
        warnings: z.array(z.string()),
        allocations: z.array(allocationRow).describe('the per-budget optima'),
        details: z.array(z.object({ compute: num }).loose()).describe('per budget: the runs and fit behind each row'),
        excluded: z
          .array(z.object({ compute: num, reason: z.string() }).loose())
          .describe('budgets whose minimum lies outside the sizes trained there'),
        skipped: z
          .array(z.object({ compute: num, runs: count, reason: z.string() }).loose())
          .describe('budgets without a usable parabola or envelope'),
      })
      .loose()
      .describe('scalefit isoflop --json, scalefit envelope --json'),
    inspect: z
      .union([
        z
          .object({
            file: z.string(),
            sha256: z.string(),
            columns: z.record(z.string(), z.string()).describe('variable -> the header it was read from'),
            tag_columns: z.array(z.string()),
            rows_read: count,
            rows_dropped: count,
            rows_kept: count,
            compute_unit: z.enum(['flops', 'pf-days']),
            runs: z
              .array(z.record(z.string(), z.unknown()))
              .describe(
                'per run N, D, C, loss, and S, U, run and the tag columns where present (a tag named like a variable: tag:NAME)',
              ),
            warnings: z.array(z.string()),
          })
          .loose(),
        z
          .object({
            file: z.string(),
            header: z.array(z.string()),
            columns: z.record(z.string(), z.string()),
            tag_columns: z.array(z.string()),
            missing: z.array(z.string()),
            note: z.string(),
          })
          .loose()
          .describe('a file the loader cannot use yet'),
      ])
      .describe('scalefit inspect --json'),
    compare: z
      .object({
        input: z.object({ file: z.string(), sha256: z.string(), rows_kept: count }).loose(),
        holdout: z.enum(['size', 'compute', 'train']),
        folds: z.array(z.object({ name: z.string(), train: count, test: count }).loose()),
        ranking: z.array(z.string()).describe('law names, lowest mean held-out RMSE first'),
        laws: z.array(
          z
            .object({
              law: z.string(),
              title: z.string(),
              status: z.enum(['ok', 'skipped']),
              reason: z.string().optional(),
              n: count.optional(),
              n_free: count.optional(),
              objective: stat.optional(),
              aic: stat.optional(),
              bic: stat.optional(),
              params: names.optional(),
              converged: z.boolean().optional(),
              folds: z
                .array(
                  z
                    .object({
                      name: z.string(),
                      train: count,
                      test: count,
                      rmse: stat,
                      mare: stat,
                      converged: z.boolean(),
                    })
                    .loose(),
                )
                .optional(),
              held_out_rmse: stat.optional().describe('mean RMSE of log loss over the folds: what the ranking uses'),
            })
            .loose(),
        ),
        law_form: z
          .array(
            z
              .object({
                point: z.record(z.string(), num),
                level: num,
                weights: z.enum(['heldout', 'aic']),
                laws: z.array(z.object({ law: z.string(), predicted: num, lo: num, hi: num, weight: num }).loose()),
                averaged: z.object({ predicted: num, lo: num, hi: num }).loose(),
              })
              .loose(),
          )
          .optional()
          .describe('with --at and --bootstrap: the prediction with the uncertainty about the law form'),
      })
      .loose()
      .describe('scalefit compare --json and --out DIR/compare.json'),
    lrt: z
      .object({
        restricted: z
          .object({
            log_likelihood: num,
            n_free: count,
            fixed: z.array(z.string()),
            tied: z.record(z.string(), z.string()),
          })
          .loose()
          .describe('the fit with fewer free parameters (fixed or tied ones)'),
        full: z
          .object({
            log_likelihood: num,
            n_free: count,
            fixed: z.array(z.string()),
            tied: z.record(z.string(), z.string()),
          })
          .loose(),
        statistic: num.describe('2 (log L_full - log L_restricted), clamped at 0'),
        df: count.describe('the difference in free parameters'),
        p_value: num.describe('P(chi2_df > statistic) if the restriction holds (Wilks 1938)'),
        loss: z.string(),
        n: count,
        notes: z.array(z.string()),
      })
      .loose()
      .describe('scalefit lrt --json'),
    reproduce: z
      .object({
        sections: z.array(
          z
            .object({
              id: z.string(),
              paper: z.string(),
              title: z.string(),
              citation: z.string(),
              rows: z.array(
                z
                  .object({
                    quantity: z.string(),
                    published: num,
                    ours: stat,
                    tolerance: z.object({ kind: z.enum(['abs', 'rel']), value: num }).loose(),
                    reason: z.string(),
                    diff: stat,
                    pass: z.boolean(),
                  })
                  .loose(),
              ),
              notes: z.array(z.string()),
            })
            .loose(),
        ),
        epoch_huber_mle: z
          .object({ params: names, log_sigma: num, neg_log_lik: num, converged: z.boolean() })
          .loose()
          .describe("Besiroglu et al. 2024's Huber-likelihood estimate with a fitted scale"),
      })
      .loose()
      .describe('scalefit reproduce --json and fits/reproduce.json'),
  };
}

function schemaText(schema: z.ZodType, title: string): string {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ $schema, title, ...rest }, null, 2)}\n`;
}

/** Each schema file's name and content. */
export function jsonSchemas(): Record<string, string> {
  const fit = makeFitJsonSchema().describe(
    "A fitted scaling law with its input, uncertainty and predictions: scalefit fit --json/--out, a report's fit.json, fits/*.json (docs/json-outputs.md)",
  );
  const files: Record<string, string> = { 'fit.schema.json': schemaText(fit, 'scalefit fit JSON') };
  for (const [name, schema] of Object.entries(outputSchemas()))
    files[`${name}.schema.json`] = schemaText(schema, `scalefit ${name} JSON`);
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(jsonSchemas())) {
    atomicWrite(`docs/schemas/${name}`, text);
    console.log(`docs/schemas/${name}`);
  }
}
