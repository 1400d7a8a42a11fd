import { readRuns } from '../../data/readRuns.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { fitDataset } from '../../pipeline/fitDataset.ts';
import { stableJson } from '../../io/stableJson.ts';
import { fitText } from '../../report/fitText.ts';
import { unitsText } from '../../report/unitsText.ts';
import { defineCommand } from '../command.ts';
import { checkAtPoints, uncertaintySettingsFrom } from '../uncertaintyOptions.ts';
import {
  DATA_OPTIONS,
  FIT_OPTIONS,
  fitOptionsFrom,
  lawFrom,
  loadOptionsFrom,
  outputOptions,
  PUBLISHED_OPTION,
  UNCERTAINTY_OPTIONS,
} from '../options.ts';
import { InputError } from '../../core/errors.ts';
import { fitJsonFromConstants, publishedFitJson } from '../../io/publishedFit.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { parseNumber } from '../../data/parseNumber.ts';

export const fitCommand = defineCommand({
  name: 'fit',
  usage: ['<data.csv> [options]', '--law NAME --params NAME=VALUE,... --out FILE', '--published NAME --out FILE'],
  description: `Fits a law (default chinchilla: L(N,D) = E + A/N^alpha + B/D^beta) by minimising the summed Huber loss on
log-loss residuals with L-BFGS (Hoffmann et al. 2022, App. D.2), from the law's default starts (--starts), and prints
the parameters with standard errors (asymptotic, or bootstrap intervals with --bootstrap K).

Without --bootstrap, stderr and ci are asymptotic: s²(JᵀJ)⁻¹ for --loss mse, a sandwich estimate for huber, none for
lad.

Without data, --params (a law's published constants) or --published NAME (a law in data/published/) writes a fit
JSON marked as published, with no runs and no standard errors, to use with optimal, predict or scalefit report --from.`,
  examples: [
    {
      command: 'scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5',
      note: "Epoch AI's reconstruction of Chinchilla's runs with their outlier rule",
    },
    {
      command:
        'scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5 --bootstrap 200 --seed 42 --compute 5.76e23',
      note: "with bootstrap intervals, and N_opt, D_opt for Gopher's budget",
    },
    { command: 'scalefit fit data/epoch-chinchilla.csv --law kaplan-nd --json', note: 'another law, as JSON' },
    {
      command:
        'scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5 --law "E + A/N^alpha + B/D^beta + F/(N*D)^gamma"',
      note: 'your own law as a formula (parameters: the symbols other than N, D, C, S, U)',
    },
    {
      command: 'scalefit fit --law chinchilla --params E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28 --out hoffmann.json',
      note: "a fit file from Hoffmann et al.'s published constants (no data)",
    },
  ],
  options: {
    ...outputOptions(
      { value: 'FILE', description: 'write the fit JSON to FILE (atomically)' },
      'print the fit JSON to stdout instead of the table',
    ),
    ...FIT_OPTIONS,
    params: {
      type: 'string',
      value: 'NAME=VALUE,...',
      repeatable: true,
      example: 'E=1.69,A=406.4',
      group: 'Fit options',
      description: "a law's published constants: write a fit JSON from them, without data (every parameter of --law)",
    },
    published: {
      ...PUBLISHED_OPTION,
      group: 'Fit options',
      description: 'write the fit JSON of a published law (data/published/), without data',
    },
    ...UNCERTAINTY_OPTIONS,
    ...DATA_OPTIONS,
  },
  positionals: [0, 1],
  async run({ values, given, positionals, stdout, stderr, interactive }) {
    const out = values.out;
    if (values.params.length || values.published !== undefined) {
      // Constants, not a fit: refuse what needs runs before anything is written.
      const what = values.published !== undefined ? `--published ${values.published}` : '--params';
      if (values.params.length && values.published !== undefined)
        throw new InputError('give --params or --published, not both');
      if (positionals.length)
        throw new InputError(
          `${what} writes a fit from published constants without data; drop ${positionals[0]} (to score the constants on runs: scalefit report ${positionals[0]} --from FILE)`,
        );
      const needRuns = [
        'bootstrap',
        'at',
        'compute',
        'fix',
        'tie',
        'bounds',
        'loss',
        'delta',
        'space',
        'starts',
        'optimizer',
        'where',
        'columns',
        'exclude-top-loss',
      ].find((o) => given.has(o));
      if (needRuns)
        throw new InputError(
          `--${needRuns} needs runs to fit; ${what} has none (use scalefit optimal/predict on the written file for allocations and predictions)`,
        );
      if (values.published !== undefined && given.has('law'))
        throw new InputError(`--published ${values.published} names its own law; drop --law`);
      const replacingConstants = out ? checkOverwrite(out, values.force) : false;
      const json =
        values.published !== undefined
          ? publishedFitJson(values.published)
          : fitJsonFromConstants(lawFrom(values), parseParams(values.params), {
              name: 'constants',
              citation: 'given with --params',
            });
      const text = stableJson(json);
      if (out) atomicWrite(out, text, { replace: Boolean(values.force) });
      if (values.json) stdout(text);
      else
        stdout(
          `${json.law}: ${json.formula}\n${Object.entries(json.params)
            .map(([k, v]) => `    ${k} = ${formatNumber(v)}`)
            .join(
              '\n',
            )}\n${json.message}: no runs, no standard errors\n${out ? wroteLine(out, replacingConstants) : ''}`,
        );
      return 0;
    }
    if (!positionals.length)
      throw new InputError(
        'fit: expected a data file (CSV, JSON lines or Parquet), or --params/--published to write a fit from published constants (see scalefit fit --help)',
      );
    const law = lawFrom(values);
    const replacing = out ? checkOverwrite(out, values.force) : false;
    const fitOptions = fitOptionsFrom(values, given);
    const settings = uncertaintySettingsFrom(values);
    checkAtPoints(law, values.at, settings.at);
    const ds = await readRuns(positionals[0]!, {
      ...loadOptionsFrom(values, law.variables),
      minimumSteps: law.minimumSteps,
    });
    const withSource = { ...fitOptions, source: ds.file };
    const progress = { write: stderr, enabled: interactive, columns: process.stderr.columns };
    const { fit, json } = await fitDataset(law, ds, {
      fit: withSource,
      uncertainty: settings,
      progress,
      parallelStarts: true,
    });
    const text = stableJson(json);
    if (out) atomicWrite(out, text, { replace: Boolean(values.force) });
    if (values.json) stdout(text);
    else stdout(`${fitText(json, fit.wallMs)}\n${unitsText(law, fit.params)}${out ? wroteLine(out, replacing) : ''}`);
    return 0;
  },
});

/** `E=1.69`, `A=406.4`, ... as numbers (suffixes such as 1.3B allowed), each named once. */
function parseParams(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items
    .flatMap((i) => i.split(','))
    .map((i) => i.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim(),
      text = item.slice(eq + 1).trim();
    if (eq < 1 || text === '')
      throw new InputError(`--params "${item}": expected NAME=VALUE, e.g. --params E=1.69,A=406.4`);
    const v = parseNumber(text);
    if (v === null || !Number.isFinite(v)) throw new InputError(`--params "${item}": "${text}" is not a number`);
    if (Object.hasOwn(out, name)) throw new InputError(`--params: ${name} given twice`);
    out[name] = v;
  }
  return out;
}
