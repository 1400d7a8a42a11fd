import { dataConstrainedOptimal } from '../../analysis/dataConstrainedOptimal.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { stableJson } from '../../io/stableJson.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import type { Command } from '../command.ts';
import { num, str } from '../options.ts';

export const optimalDataconCommand: Command = {
  name: 'optimal-datacon',
  help: `Usage: scalefit optimal-datacon <fit.json> --compute C --unique-tokens U [--json]

Minimises the data-constrained loss (Muennighoff et al. 2023) L(N, D = C/6N, U) over N for a compute budget C
(FLOPs) when only U unique tokens exist, and compares with the Chinchilla allocation of the same budget.
The fit must be of the datacon law (scalefit fit --law datacon), or a chinchilla fit with --r-d-star and --r-n-star.

Options:
  --compute C                training FLOPs (suffixes allowed: 1e21, 5.76e23)
  --unique-tokens U          unique tokens available (e.g. 100B)
  --r-d-star X, --r-n-star Y decay constants to use with a chinchilla fit
  --json                     print the result as JSON`,
  options: { compute: { type: 'string' }, 'unique-tokens': { type: 'string' }, 'r-d-star': { type: 'string' }, 'r-n-star': { type: 'string' }, json: { type: 'boolean' } },
  positionals: [1, 1],
  run({ values, positionals, stdout }) {
    const fit = readFitJson(positionals[0]!);
    if (str(values, 'compute') === undefined) throw new InputError('optimal-datacon: --compute C is required');
    if (str(values, 'unique-tokens') === undefined) throw new InputError('optimal-datacon: --unique-tokens U is required');
    const params = { ...fit.params };
    if (fit.law === 'chinchilla') {
      if (str(values, 'r-d-star') === undefined || str(values, 'r-n-star') === undefined) {
        throw new InputError(`${positionals[0]}: a chinchilla fit has no R_D*, R_N*; give --r-d-star and --r-n-star or fit --law datacon`);
      }
      params.R_D_star = num(values, 'r-d-star', NaN);
      params.R_N_star = num(values, 'r-n-star', NaN);
    } else if (fit.law !== 'datacon') {
      throw new InputError(`${positionals[0]}: optimal-datacon needs a datacon or chinchilla fit, not ${fit.law}`);
    }
    const r = dataConstrainedOptimal(params, num(values, 'compute', NaN), num(values, 'unique-tokens', NaN));
    if (values.json) {
      stdout(stableJson({ law: 'datacon', params, ...r }));
      return 0;
    }
    const row = (label: string, a: { N: number; D: number; epochs: number; loss: number }) =>
      `  ${label.padEnd(26)} N = ${formatNumber(a.N, 4).padStart(9)}  D = ${formatNumber(a.D, 4).padStart(9)}  epochs = ${formatNumber(a.epochs, 4).padStart(7)}  loss = ${formatNumber(a.loss)}`;
    stdout(
      [
        `Data-constrained allocation (Muennighoff et al. 2023) for C = ${formatNumber(r.compute, 4)} FLOPs, U = ${formatNumber(r.uniqueTokens, 4)} unique tokens`,
        row('optimum', r.optimum),
        row('Chinchilla allocation', r.chinchilla),
        `  loss with unlimited unique data: ${formatNumber(r.unconstrainedLoss)}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
