import { dataConstrainedOptimal } from '../../analysis/dataConstrainedOptimal.ts';
import type { DataConstrainedAllocation } from '../../analysis/dataConstrainedOptimal.ts';
import { datacon } from '../../laws/datacon.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { fitFromFileOrPublished } from '../../io/publishedFit.ts';
import { PUBLISHED_OPTION } from '../options.ts';
import { stableJson } from '../../io/stableJson.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { defineCommand } from '../command.ts';
import { defineOptions } from '../optionTypes.ts';
import { textTable } from '../../report/textTable.ts';
import { wrapText } from '../../report/wrapText.ts';

/** The data-constrained question's options (also taken by `scalefit optimal --unique-tokens`). */
export const DATACON_OPTIONS = defineOptions({
  compute: {
    type: 'number',
    value: 'C',
    above: 0,
    example: '1e22',
    description: 'training FLOPs (suffixes allowed: 1e21, 5.76e23); required',
  },
  'unique-tokens': {
    type: 'number',
    value: 'U',
    above: 0,
    example: '100B',
    description: 'unique tokens available (e.g. 100B); required',
  },
  'r-d-star': {
    type: 'number',
    value: 'X',
    above: 0,
    example: '15.4',
    description: 'decay constant R_D* of repeated tokens, with a chinchilla fit (Muennighoff et al. 2023 fit 15.4)',
  },
  'r-n-star': {
    type: 'number',
    value: 'Y',
    above: 0,
    example: '5.3',
    description: 'decay constant R_N* of excess parameters, with a chinchilla fit (Muennighoff et al. 2023 fit 5.3)',
  },
  json: {
    type: 'flag',
    group: 'Output options',
    description: 'print JSON in the shape of scalefit optimal --json (docs/json-outputs.md)',
  },
  published: PUBLISHED_OPTION,
});

export const optimalDataconCommand = defineCommand({
  name: 'optimal-datacon',
  usage: [
    '<fit.json> --compute C --unique-tokens U [--json]',
    '--published NAME --compute C --unique-tokens U [--json]',
  ],
  description: `Minimises the data-constrained loss (Muennighoff et al. 2023) L(N, D = C/6N, U) over N for a compute budget C
(FLOPs) when only U unique tokens exist, and compares with the Chinchilla allocation of the same budget.
The fit must be of the datacon law (scalefit fit --law datacon), or a chinchilla fit with --r-d-star and --r-n-star.`,
  examples: [
    {
      command:
        'scalefit optimal-datacon fits/epoch-chinchilla.json --compute 1e23 --unique-tokens 100B --r-d-star 15.4 --r-n-star 5.3',
      note: "Chinchilla's fit with Muennighoff et al.'s decay constants, for 100B unique tokens",
    },
  ],
  options: DATACON_OPTIONS,
  positionals: [0, 1],
  run({ values, positionals, stdout }) {
    const { fit, name: fitName } = fitFromFileOrPublished(positionals[0], values.published, readFitJson);
    const compute = values.compute,
      uniqueTokens = values['unique-tokens'];
    if (compute === undefined) throw new InputError('optimal-datacon: --compute C is required');
    if (uniqueTokens === undefined) throw new InputError('optimal-datacon: --unique-tokens U is required');
    const params = { ...fit.params };
    // Decided by the parameters the fit has, not by its law's name: datacon's, or Chinchilla's E, A, B, alpha, beta
    // with R_D*, R_N* given as options.
    const missing = datacon.paramNames.filter((n) => !(n in params));
    const decay = ['R_D_star', 'R_N_star'];
    if (missing.some((n) => !decay.includes(n))) {
      throw new InputError(`${fitName}: optimal-datacon needs a datacon or chinchilla fit, not ${fit.law}`);
    }
    if (missing.length) {
      const rD = values['r-d-star'],
        rN = values['r-n-star'];
      if (rD === undefined || rN === undefined) {
        throw new InputError(
          `${fitName}: a ${fit.law} fit has no R_D*, R_N*; give --r-d-star and --r-n-star or fit --law datacon`,
        );
      }
      params.R_D_star = rD;
      params.R_N_star = rN;
    }
    const r = dataConstrainedOptimal(params, compute, uniqueTokens);
    if (values.json) {
      // The shape of `scalefit optimal --json` (docs/json-outputs.md): allocation rows with compute, N_opt, D_opt,
      // tokens_per_param and loss (the data-constrained law's, with U unique tokens), plus this mode's epochs.
      const json = (a: DataConstrainedAllocation) => ({
        compute: r.compute,
        N_opt: a.N,
        D_opt: a.D,
        tokens_per_param: a.D / a.N,
        loss: a.loss,
        epochs: a.epochs,
      });
      stdout(
        stableJson({
          law: 'datacon',
          formula: datacon.formula,
          params,
          compute_unit: 'FLOPs',
          mode: 'data-constrained',
          unique_tokens: r.uniqueTokens,
          allocations: [json(r.optimum)],
          chinchilla: json(r.chinchilla),
          unconstrained_loss: r.unconstrainedLoss,
        }),
      );
      return 0;
    }
    const row = (label: string, a: { N: number; D: number; epochs: number; loss: number }) => [
      label,
      formatNumber(a.N, 4),
      formatNumber(a.D, 4),
      formatNumber(a.epochs, 4),
      formatNumber(a.loss),
    ];
    stdout(
      [
        wrapText(
          `Data-constrained allocation (Muennighoff et al. 2023) for C = ${formatNumber(r.compute, 4)} FLOPs, U = ${formatNumber(r.uniqueTokens, 4)} unique tokens`,
          100,
          '  ',
        ),
        textTable(
          [
            ['', 'N (params)', 'D (tokens)', 'epochs', 'loss'],
            row('optimum', r.optimum),
            row('Chinchilla allocation', r.chinchilla),
          ],
          'l',
        ).trimEnd(),
        `loss with unlimited unique data: ${formatNumber(r.unconstrainedLoss)}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
});
