import type { InferenceAllocation } from '../../analysis/inferenceOptimal.ts';
import { inferenceOptimal } from '../../analysis/inferenceOptimal.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { fitFromFileOrPublished } from '../../io/publishedFit.ts';
import { PUBLISHED_OPTION } from '../options.ts';
import { stableJson } from '../../io/stableJson.ts';
import { getLaw } from '../../laws/index.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { defineCommand } from '../command.ts';
import { defineOptions } from '../optionTypes.ts';
import { textTable } from '../../report/textTable.ts';
import { wrapText } from '../../report/wrapText.ts';

/** The inference-aware question's options (also taken by `scalefit optimal --inference-tokens`). */
export const INFERENCE_OPTIONS = defineOptions({
  'inference-tokens': {
    type: 'number',
    value: 'T',
    above: 0,
    example: '2T',
    description: 'tokens the model will process at inference over its lifetime (e.g. 2T); required',
  },
  'target-loss': { type: 'number', value: 'L', above: 0, example: '2.0', description: 'the loss to reach' },
  compute: {
    type: 'number',
    value: 'C',
    above: 0,
    example: '1e24',
    description: 'total FLOP budget (training + inference), when no --target-loss is given',
  },
  json: {
    type: 'flag',
    group: 'Output options',
    description: 'print JSON in the shape of scalefit optimal --json (docs/json-outputs.md)',
  },
  published: PUBLISHED_OPTION,
});

export const optimalInferenceCommand = defineCommand({
  name: 'optimal-inference',
  usage: [
    '<fit.json> --inference-tokens T (--target-loss L | --compute C)',
    '--published NAME --inference-tokens T [options]',
  ],
  description: `Chooses N and D to minimise training plus inference FLOPs, 6ND + 2N·T (Sardana et al. 2024, "Beyond
Chinchilla-Optimal"): with --target-loss, the cheapest model reaching loss L; with --compute, the lowest loss for a
total budget of C FLOPs (training and inference). Reports how much smaller and longer-trained the model is than the
Chinchilla-optimal model of the same loss.`,
  examples: [
    {
      command: 'scalefit optimal-inference fits/epoch-chinchilla.json --inference-tokens 2T --target-loss 2.0',
      note: 'the cheapest model reaching loss 2.0 that will serve 2T tokens',
    },
  ],
  options: INFERENCE_OPTIONS,
  positionals: [0, 1],
  run({ values, positionals, stdout }) {
    const { fit } = fitFromFileOrPublished(positionals[0], values.published, readFitJson);
    const law = getLaw(fit.law);
    const inferenceTokens = values['inference-tokens'];
    if (inferenceTokens === undefined) throw new InputError('optimal-inference: --inference-tokens T is required');
    const target = values['target-loss'];
    const budget = values.compute;
    if (target === undefined && budget === undefined)
      throw new InputError('optimal-inference: give --target-loss L or --compute C');
    if (target !== undefined && budget !== undefined)
      throw new InputError(
        'optimal-inference: give --target-loss or --compute, not both (a target loss fixes the budget)',
      );
    const r = inferenceOptimal(law, fit.params, {
      inferenceTokens,
      targetLoss: target,
      budget: target === undefined ? budget : undefined,
    });
    if (values.json) {
      // The shape of `scalefit optimal --json` (docs/json-outputs.md): allocation rows with compute (training FLOPs
      // 6ND), N_opt, D_opt, tokens_per_param and loss, plus this mode's inference and total FLOPs.
      const json = (a: InferenceAllocation) => ({
        compute: a.trainingFlops,
        N_opt: a.N,
        D_opt: a.D,
        tokens_per_param: a.tokensPerParam,
        loss: a.loss,
        inference_flops: a.inferenceFlops,
        total_flops: a.totalFlops,
      });
      stdout(
        stableJson({
          law: law.name,
          formula: law.formula,
          params: fit.params,
          compute_unit: 'FLOPs',
          mode: 'inference',
          inference_tokens: r.inferenceTokens,
          ...(r.mode === 'target-loss' ? { target_loss: r.targetLoss } : { total_budget: r.budget }),
          allocations: [json(r.optimum)],
          chinchilla: json(r.chinchilla),
          ratio_to_chinchilla: {
            N_opt: r.ratio.N,
            D_opt: r.ratio.D,
            tokens_per_param: r.ratio.tokensPerParam,
            total_flops: r.ratio.totalFlops,
          },
        }),
      );
      return 0;
    }
    const row = (label: string, a: InferenceAllocation) => [
      label,
      formatNumber(a.N, 4),
      formatNumber(a.D, 4),
      formatNumber(a.tokensPerParam, 4),
      formatNumber(a.loss, 5),
      formatNumber(a.trainingFlops, 3),
      formatNumber(a.inferenceFlops, 3),
      formatNumber(a.totalFlops, 4),
    ];
    const pct = (x: number) => `${formatNumber(Math.abs(1 - x) * 100, 3)}%`;
    stdout(
      [
        wrapText(
          `Inference-aware allocation (Sardana et al. 2024), ${formatNumber(r.inferenceTokens, 4)} inference tokens, ${r.mode === 'target-loss' ? `target loss ${formatNumber(r.targetLoss)}` : `total budget ${formatNumber(r.budget, 4)} FLOPs`}`,
          100,
          '  ',
        ),
        textTable(
          [
            ['', 'N (params)', 'D (tokens)', 'D/N', 'loss', 'train FLOPs', 'inference FLOPs', 'total FLOPs'],
            row('inference-aware', r.optimum),
            row('Chinchilla-optimal', r.chinchilla),
          ],
          'l',
        ).trimEnd(),
        wrapText(
          `the model is ${Math.abs(1 - r.ratio.N) < 1e-4 ? 'the same size' : r.ratio.N <= 1 ? `${pct(r.ratio.N)} smaller` : `${pct(r.ratio.N)} larger`}, trained on ${formatNumber(r.ratio.D, 4)}x the tokens (${formatNumber(r.ratio.tokensPerParam, 4)}x tokens per parameter), and costs ${pct(r.ratio.totalFlops)} ${r.ratio.totalFlops <= 1 ? 'less' : 'more'} in total FLOPs`,
          100,
          '  ',
        ),
        '',
      ].join('\n'),
    );
    return 0;
  },
});
