import { allocationExponents, checkAllocatable, computeForModelSize, optimalAllocation } from '../../analysis/optimalAllocation.ts';
import { perDecade } from '../../analysis/perDecade.ts';
import { PF_DAY } from '../../data/load.ts';
import { parseNumber } from '../../data/parseNumber.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { stableJson } from '../../io/stableJson.ts';
import { getLaw } from '../../laws/index.ts';
import { allocationJson, allocationTable } from '../../report/allocationText.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import type { Command } from '../command.ts';
import { optimalDataconCommand } from './optimalDatacon.ts';
import { optimalInferenceCommand } from './optimalInference.ts';
import { list, oneOf } from '../options.ts';

export const optimalCommand: Command = {
  name: 'optimal',
  help: `Usage: scalefit optimal <fit.json> --compute 5.76e23 [--compute ...] [--params 70B ...] [options]

For each compute budget C (C = 6ND), the model size N_opt and tokens D_opt minimising the fitted loss, tokens per
parameter, the predicted loss, and how N_opt and D_opt grow per 10x compute (N x 10^a, D x 10^b). Chinchilla fits
use the closed form of Hoffmann et al. 2022; other laws of N and D a numeric minimisation. --params answers the
inverse question: the compute (and tokens) at which a model of that size is compute-optimal.

Options:
  --compute C                a compute budget (repeatable; 5.76e23)
  --params N                 a model size for the inverse question (repeatable; 70B)
  --compute-unit U           unit of --compute: flops (default) or pf-days; output shows both
  --json                     print {"a", "b", "per_10x", "allocations": [...], "inverse": [...]} as JSON
  --inference-tokens T       count inference too (6ND + 2NT; Sardana et al. 2024): as scalefit optimal-inference,
                             with --target-loss L or one --compute (total FLOPs)
  --unique-tokens U          only U unique tokens exist (Muennighoff et al. 2023): as scalefit optimal-datacon,
                             with one --compute (and --r-d-star/--r-n-star for a chinchilla fit)`,
  options: {
    compute: { type: 'string', multiple: true }, params: { type: 'string', multiple: true }, 'compute-unit': { type: 'string' }, json: { type: 'boolean' },
    'inference-tokens': { type: 'string' }, 'target-loss': { type: 'string' }, 'unique-tokens': { type: 'string' }, 'r-d-star': { type: 'string' }, 'r-n-star': { type: 'string' },
  },
  positionals: [1, 1],
  run(ctx) {
    const { values, positionals, stdout } = ctx;
    const special = values['inference-tokens'] !== undefined ? optimalInferenceCommand : values['unique-tokens'] !== undefined ? optimalDataconCommand : undefined;
    if (special) {
      // The inference-aware and data-constrained questions take one budget: hand over to their own commands.
      const compute = list(values, 'compute');
      if (compute.length > 1) throw new InputError(`--${special === optimalInferenceCommand ? 'inference-tokens' : 'unique-tokens'}: give one --compute (got ${compute.length})`);
      if (values.params !== undefined) throw new InputError('--params answers the plain compute-optimal question; drop it with --inference-tokens or --unique-tokens');
      const { params: _p, 'compute-unit': _u, ...rest } = values;
      // Those commands read FLOPs: convert a PF-day budget here rather than drop --compute-unit.
      let budget = compute[0];
      if (budget !== undefined && oneOf(values, 'compute-unit', ['flops', 'pf-days'] as const, 'flops') === 'pf-days') {
        const x = parseNumber(budget);
        if (x === null || !(x > 0)) throw new InputError(`--compute ${budget}: not a positive number`);
        budget = String(x * PF_DAY);
      }
      return special.run({ ...ctx, values: { ...rest, compute: budget } });
    }
    const fit = readFitJson(positionals[0]!);
    const law = getLaw(fit.law);
    checkAllocatable(law);
    const scale = oneOf(values, 'compute-unit', ['flops', 'pf-days'] as const, 'flops') === 'pf-days' ? PF_DAY : 1;
    const positive = (key: string) => list(values, key).map((raw) => {
      const x = parseNumber(raw);
      if (x === null || !(x > 0)) throw new InputError(`--${key} ${raw}: not a positive number`);
      return x;
    });
    const budgets = positive('compute').map((c) => c * scale);
    const sizes = positive('params');
    if (budgets.length === 0 && sizes.length === 0) throw new InputError('optimal: give --compute C (a budget) and/or --params N (a model size)');
    const allocations = budgets.map((c) => optimalAllocation(law, fit.params, c));
    const inverse = sizes.map((n) => computeForModelSize(law, fit.params, n));
    const at = budgets[0] ?? inverse[0]!.compute;
    const { a, b } = allocationExponents(law, fit.params, at);
    const exact = law.name === 'chinchilla' || law.name === 'kaplan-nd';
    const exponents = exact ? 'exact (N_opt ∝ C^a for this law)' : `local, between C and 10C at C = ${formatNumber(at)} FLOPs`;
    const mult = perDecade(a, b);
    if (values.json) {
      stdout(stableJson({
        law: fit.law, formula: fit.formula, params: fit.params, compute_unit: 'FLOPs',
        a, b, exponents, per_10x: mult,
        allocations: allocations.map(allocationJson), inverse: inverse.map(allocationJson),
      }));
      return 0;
    }
    const lines = [
      `${fit.law}: ${fit.formula}`,
      `allocation under C = 6ND: N_opt ∝ C^a, D_opt ∝ C^b with a = ${formatNumber(a, 4)}, b = ${formatNumber(b, 4)} (${exponents})`,
      `per 10x compute: model x${formatNumber(mult.N, 3)}, data x${formatNumber(mult.D, 3)}`,
    ];
    let text = `${lines.join('\n')}\n`;
    if (allocations.length) text += `\ncompute-optimal allocation:\n${allocationTable(allocations)}`;
    if (inverse.length) text += `\ncompute at which a model size is compute-optimal:\n${allocationTable(inverse)}`;
    stdout(text);
    return 0;
  },
};
