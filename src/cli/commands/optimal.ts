import {
  allocationExponents,
  checkAllocatable,
  computeForModelSize,
  optimalAllocation,
} from '../../analysis/optimalAllocation.ts';
import { perDecade } from '../../analysis/perDecade.ts';
import { PF_DAY } from '../../data/load.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { fitFromFileOrPublished } from '../../io/publishedFit.ts';
import { PUBLISHED_OPTION } from '../options.ts';
import { stableJson } from '../../io/stableJson.ts';
import { getLaw } from '../../laws/index.ts';
import { allocationJson, allocationTable } from '../../report/allocationText.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { wrapText } from '../../report/wrapText.ts';
import { defineCommand } from '../command.ts';
import { DATACON_OPTIONS, optimalDataconCommand } from './optimalDatacon.ts';
import { INFERENCE_OPTIONS, optimalInferenceCommand } from './optimalInference.ts';
import { DATA_OPTIONS } from '../options.ts';
import { intervalInputsFromFit } from '../../analysis/intervalInputsFromFit.ts';
import { pointPredictions } from '../../analysis/pointPredictions.ts';
import { INTERVAL_METHOD } from '../../analysis/predictionInterval.ts';
import { fitLevel, levelText } from '../../report/model.ts';
import { textTable } from '../../report/textTable.ts';

export const optimalCommand = defineCommand({
  name: 'optimal',
  usage: [
    '<fit.json> --compute 5.76e23 [--compute ...] [--params 70B ...] [options]',
    '--published NAME --compute 5.76e23 [options]',
  ],
  description: `For each compute budget C (C = 6ND), the model size N_opt and tokens D_opt minimising the fitted loss, tokens per
parameter, the predicted loss, and how N_opt and D_opt grow per 10x compute (N x 10^a, D x 10^b). Chinchilla fits
use the closed form of Hoffmann et al. 2022; other laws of N and D a numeric minimisation. --params answers the
inverse question: the compute (and tokens) at which a model of that size is compute-optimal.

--inference-tokens T counts inference too (6ND + 2NT; Sardana et al. 2024), as scalefit optimal-inference, with
--target-loss L or one --compute (total FLOPs). --unique-tokens U limits the unique data (Muennighoff et al. 2023),
as scalefit optimal-datacon, with one --compute (and --r-d-star, --r-n-star for a chinchilla fit).

A fit saved with scalefit fit --bootstrap K also gives each budget bootstrap intervals for N_opt and D_opt and the calibrated
prediction interval of the loss there (the ones report shows; docs/prediction-intervals.md).`,
  examples: [
    {
      command: 'scalefit optimal fits/epoch-chinchilla.json --compute 5.76e23',
      note: "N_opt, D_opt, tokens/param and loss for Gopher's budget, from the committed fit of Epoch AI's data",
    },
    {
      command: 'scalefit optimal fits/epoch-chinchilla.json --params 70B --json',
      note: 'the budget at which a 70B model is compute-optimal',
    },
  ],
  options: {
    published: PUBLISHED_OPTION,
    compute: {
      type: 'number',
      value: 'C',
      above: 0,
      repeatable: true,
      separator: ',',
      example: '5.76e23',
      description: 'a compute budget, in --compute-unit',
    },
    params: {
      type: 'number',
      value: 'N',
      above: 0,
      repeatable: true,
      example: '70B',
      description: 'a model size for the inverse question',
    },
    'compute-unit': {
      ...DATA_OPTIONS['compute-unit'],
      group: undefined,
      description: 'unit of --compute (the output shows both; 1 PF-day = 8.64e19 FLOPs)',
    },
    'inference-tokens': INFERENCE_OPTIONS['inference-tokens'],
    'target-loss': INFERENCE_OPTIONS['target-loss'],
    'unique-tokens': DATACON_OPTIONS['unique-tokens'],
    'r-d-star': DATACON_OPTIONS['r-d-star'],
    'r-n-star': DATACON_OPTIONS['r-n-star'],
    level: {
      type: 'number',
      value: 'X',
      above: 0,
      below: 1,
      example: '0.9',
      defaultText: "the fit's --level, else 0.95",
      description: 'coverage of the intervals (of a fit saved with a bootstrap)',
    },
    json: {
      type: 'flag',
      group: 'Output options',
      description:
        'print JSON: in every mode, "allocations" rows with compute, N_opt, D_opt, tokens_per_param and loss (docs/json-outputs.md)',
    },
  },
  positionals: [0, 1],
  run(ctx) {
    const { values, positionals, stdout } = ctx;
    const special =
      values['inference-tokens'] !== undefined
        ? optimalInferenceCommand
        : values['unique-tokens'] !== undefined
          ? optimalDataconCommand
          : undefined;
    const scale = values['compute-unit'] === 'pf-days' ? PF_DAY : 1;
    const budgets = values.compute.map((c) => c * scale);
    if (special) {
      // The inference-aware and data-constrained questions take one budget: hand over to their own commands
      // (in FLOPs: the PF-day budget is converted here rather than --compute-unit dropped).
      if (budgets.length > 1)
        throw new InputError(
          `--${special === optimalInferenceCommand ? 'inference-tokens' : 'unique-tokens'}: give one --compute (got ${budgets.length})`,
        );
      if (values.params.length)
        throw new InputError(
          '--params answers the plain compute-optimal question; drop it with --inference-tokens or --unique-tokens',
        );
      const { params: _p, 'compute-unit': _u, level: _l, ...rest } = values;
      return special.run({ ...ctx, values: { ...rest, compute: budgets[0] } as unknown as typeof ctx.values });
    }
    const { fit, name: fitName } = fitFromFileOrPublished(positionals[0], values.published, readFitJson);
    const law = getLaw(fit.law);
    checkAllocatable(law);
    const sizes = values.params;
    if (budgets.length === 0 && sizes.length === 0)
      throw new InputError('optimal: give --compute C (a budget) and/or --params N (a model size)');
    const allocations = budgets.map((c) => optimalAllocation(law, fit.params, c));
    const inverse = sizes.map((n) => computeForModelSize(law, fit.params, n));
    const at = budgets[0] ?? inverse[0]!.compute;
    const { a, b } = allocationExponents(law, fit.params, at);
    const exact = law.constantAllocationExponents === true;
    const exponents = exact
      ? 'exact (N_opt ∝ C^a for this law)'
      : `local, between C and 10C at C = ${formatNumber(at)} FLOPs`;
    const mult = perDecade(a, b);
    const level = values.level ?? fitLevel(fit);
    const inputs = intervalInputsFromFit(fit, law);
    const intervals = inputs ? pointPredictions(law, fit.params, inputs, [], budgets, level).compute : [];
    const intervalRows = intervals.map((x) => ({
      compute: x.C,
      level,
      N_opt_lo: x.N_ci?.[0] ?? null,
      N_opt_hi: x.N_ci?.[1] ?? null,
      D_opt_lo: x.D_ci?.[0] ?? null,
      D_opt_hi: x.D_ci?.[1] ?? null,
      loss: x.loss?.predicted ?? null,
      loss_lo: x.loss?.interval?.lo ?? null,
      loss_hi: x.loss?.interval?.hi ?? null,
      extrapolation_factor: x.loss?.interval?.factor ?? null,
    }));
    const noInterval =
      !budgets.length || inputs
        ? ''
        : 'published' in fit
          ? `no intervals: ${fitName} holds published constants, with no runs or bootstrap to give an interval\n`
          : `no intervals: ${fitName} has no bootstrap; refit with scalefit fit DATA --bootstrap 200 --out ${fitName} for intervals\n`;
    if (values.json) {
      stdout(
        stableJson({
          law: fit.law,
          formula: fit.formula,
          params: fit.params,
          compute_unit: 'FLOPs',
          mode: 'compute-optimal',
          a,
          b,
          exponents,
          per_10x: mult,
          allocations: allocations.map(allocationJson),
          inverse: inverse.map(allocationJson),
          ...(inputs ? { intervals: intervalRows, interval_method: INTERVAL_METHOD } : {}),
        }),
      );
      return 0;
    }
    const lines = [
      `${fit.law}: ${fit.formula}`,
      `allocation under C = 6ND: N_opt ∝ C^a, D_opt ∝ C^b with a = ${formatNumber(a, 4)}, b = ${formatNumber(b, 4)}`,
      `  (${exact ? 'exact: the law has constant exponents' : `local exponents, between C and 10C at C = ${formatNumber(at)} FLOPs`})`,
      `per 10x compute: model x${formatNumber(mult.N, 3)}, data x${formatNumber(mult.D, 3)}`,
    ];
    let text = `${lines.join('\n')}\n`;
    if (allocations.length) text += `\ncompute-optimal allocation:\n${allocationTable(allocations)}`;
    if (intervalRows.length) {
      const iv = (lo: number | null, hi: number | null, d = 4) =>
        lo === null || hi === null ? 'n/a' : `[${formatNumber(lo, d)}, ${formatNumber(hi, d)}]`;
      text += `\n${wrapText(`${levelText(level)} intervals (N_opt, D_opt: bootstrap percentiles; loss: calibrated prediction interval, docs/prediction-intervals.md):`, 100, '  ')}\n${textTable(
        [
          ['compute (FLOPs)', 'N_opt (params)', 'D_opt (tokens)', 'loss', 'x training C'],
          ...intervalRows.map((r) => [
            formatNumber(r.compute, 4),
            iv(r.N_opt_lo, r.N_opt_hi),
            iv(r.D_opt_lo, r.D_opt_hi),
            iv(r.loss_lo, r.loss_hi, 5),
            r.extrapolation_factor === null ? 'n/a' : `${formatNumber(r.extrapolation_factor, 3)}x`,
          ]),
        ],
      )}`;
    }
    text += noInterval;
    if (inverse.length) text += `\ncompute at which a model size is compute-optimal:\n${allocationTable(inverse)}`;
    stdout(text);
    return 0;
  },
});
