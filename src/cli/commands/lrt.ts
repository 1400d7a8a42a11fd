import { likelihoodRatioTest } from '../../analysis/likelihoodRatioTest.ts';
import type { LikelihoodRatioTest } from '../../analysis/likelihoodRatioTest.ts';
import { InputError } from '../../core/errors.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { readRuns } from '../../data/readRuns.ts';
import { buildFitJson, readFitJson } from '../../io/fitJson.ts';
import type { FitJson } from '../../io/fitJson.ts';
import { snakeCaseKeys } from '../../io/snakeCaseKeys.ts';
import { stableJson } from '../../io/stableJson.ts';
import { fitLaw } from '../../fit/fit.ts';
import { wrapText } from '../../report/wrapText.ts';
import { defineCommand } from '../command.ts';
import { DATA_OPTIONS, FIT_OPTIONS, fitOptionsFrom, lawFrom, loadOptionsFrom } from '../options.ts';

export const lrtCommand = defineCommand({
  name: 'lrt',
  usage: [
    '<restricted.json> <full.json> [--json]',
    '<data.csv> --loss huber-mle --fix NAME=VALUE [--fix ...] [options]',
  ],
  description: `Likelihood-ratio test between two nested fits of one law to the same runs: the statistic 2 (log L_full -
log L_restricted), its degrees of freedom (the difference in free parameters) and the chi-square p-value (Wilks 1938).
Besiroglu et al. 2024 test Hoffmann et al.'s published parameters this way.

Give two fit files (scalefit fit --out, in either order), or one data file: it is then fitted twice, with the
--fix/--tie/--bounds given (the restricted fit) and without them (the free fit). Both fits need a likelihood:
--loss huber-mle (Huber density with a fitted scale) or --loss mse (Gaussian); the default Huber loss has no scale
and is refused.`,
  examples: [
    {
      command:
        'scalefit lrt data/epoch-chinchilla.csv --exclude-top-loss 5 --loss huber-mle --fix E=1.69 --fix A=406.4 --fix B=410.7 --fix alpha=0.34 --fix beta=0.28',
      note: "Hoffmann et al.'s published parameters against the free fit of Epoch AI's data (Besiroglu et al. 2024)",
    },
  ],
  options: {
    json: { type: 'flag', group: 'Output options', description: 'print the test as JSON' },
    ...FIT_OPTIONS,
    ...DATA_OPTIONS,
  },
  positionals: [1, 2],
  async run({ values, given, positionals, stdout }) {
    let test: LikelihoodRatioTest;
    if (positionals.length === 2) {
      const fits = positionals.map((p) => readFitJson(p)) as [FitJson, FitJson];
      test = likelihoodRatioTest(fits[0], fits[1], [positionals[0]!, positionals[1]!]);
    } else {
      if (/\.json$/i.test(positionals[0]!))
        throw new InputError(
          `lrt: give two fit files (restricted and full), or one data file with --fix; got one fit file ${positionals[0]}`,
        );
      const options = fitOptionsFrom(values, given);
      const c = options.constraints ?? {};
      if (Object.keys(c.fix ?? {}).length + Object.keys(c.tie ?? {}).length === 0)
        throw new InputError(
          'lrt DATA: give the restriction to test with --fix NAME=VALUE or --tie NAME=OTHER (the free fit is the same law without them)',
        );
      if (options.loss?.kind === undefined)
        throw new InputError(
          'lrt DATA: give --loss huber-mle (Besiroglu et al. 2024) or --loss mse (Gaussian); the default Huber loss has no likelihood',
        );
      const law = lawFrom(values);
      const ds = await readRuns(positionals[0]!, {
        ...loadOptionsFrom(values, law.variables),
        minimumSteps: law.minimumSteps,
      });
      const withSource = { ...options, source: ds.file };
      const restricted = buildFitJson(fitLaw(law, ds.runs, withSource), ds);
      const full = buildFitJson(fitLaw(law, ds.runs, { ...withSource, constraints: { bounds: c.bounds } }), ds);
      test = likelihoodRatioTest(restricted, full, ['the restricted fit', 'the free fit']);
    }
    if (values.json) {
      // The library's result in the JSON outputs' snake_case (log_likelihood, n_free, p_value); tied maps keep their names.
      stdout(stableJson(snakeCaseKeys(test, ['tied'])));
      return 0;
    }
    const restriction = [
      ...test.restricted.fixed.filter((p) => !test.full.fixed.includes(p)).map((p) => `${p} fixed`),
      ...Object.entries(test.restricted.tied)
        .filter(([t]) => !test.full.tied[t])
        .map(([t, s]) => `${t} = ${s}`),
    ];
    const lines = [
      `Likelihood-ratio test (${test.loss}, ${test.n} runs)`,
      `  restricted fit   log-likelihood ${test.restricted.logLikelihood.toPrecision(9)}, ${test.restricted.nFree} free parameters${restriction.length ? ` (${restriction.join(', ')})` : ''}`,
      `  full fit         log-likelihood ${test.full.logLikelihood.toPrecision(9)}, ${test.full.nFree} free parameters`,
      `  statistic        ${formatNumber(test.statistic, 6)} = 2 (log L_full - log L_restricted)`,
      `  df               ${test.df}`,
      `  p-value          ${test.pValue === 0 ? '< 1e-300' : formatNumber(test.pValue, 4)} (chi-square, ${test.df} df)`,
      `  verdict          ${wrapText(`${test.pValue < 0.05 ? 'the restriction is rejected at the 5% level: the data call for the free parameters' : 'the restriction is not rejected at the 5% level: the data are consistent with it'}`, 81, ' '.repeat(19))}`,
      ...test.notes.map((n) => `  note: ${wrapText(n, 92, ' '.repeat(8))}`),
    ];
    stdout(`${lines.join('\n')}\n`);
    return 0;
  },
});
