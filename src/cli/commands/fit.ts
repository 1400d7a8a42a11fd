import { readRuns } from '../../data/readRuns.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { fitDataset } from '../../pipeline/fitDataset.ts';
import { stableJson } from '../../io/stableJson.ts';
import { fitText } from '../../report/fitText.ts';
import { unitsText } from '../../report/unitsText.ts';
import { defineCommand } from '../command.ts';
import { checkAtPoints, uncertaintySettingsFrom } from '../uncertaintyOptions.ts';
import { DATA_OPTIONS, FIT_OPTIONS, fitOptionsFrom, lawFrom, loadOptionsFrom, outputOptions, UNCERTAINTY_OPTIONS } from '../options.ts';

export const fitCommand = defineCommand({
  name: 'fit',
  usage: ['<data.csv> [options]'],
  description: `Fits a law (default chinchilla: L(N,D) = E + A/N^alpha + B/D^beta) by minimising the summed Huber loss on
log-loss residuals with L-BFGS (Hoffmann et al. 2022, App. D.2), from the law's default starts (--starts), and prints
the parameters with standard errors (asymptotic, or bootstrap intervals with --bootstrap K).

Without --bootstrap, stderr and ci are asymptotic: s²(JᵀJ)⁻¹ for --loss mse, a sandwich estimate for huber, none for
lad.`,
  examples: [
    { command: 'scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5', note: "Epoch AI's reconstruction of Chinchilla's runs with their outlier rule" },
    { command: 'scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5 --bootstrap 200 --seed 42 --compute 5.76e23', note: 'with bootstrap intervals, and N_opt, D_opt for Gopher\'s budget' },
    { command: 'scalefit fit data/epoch-chinchilla.csv --law kaplan-nd --json', note: 'another law, as JSON' },
    { command: 'scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5 --law "E + A/N^alpha + B/D^beta + F/(N*D)^gamma"', note: 'your own law as a formula (parameters: the symbols other than N, D, C, S, U)' },
  ],
  options: {
    ...outputOptions({ value: 'FILE', description: 'write the fit JSON to FILE (atomically)' }, 'print the fit JSON to stdout instead of the table'),
    ...FIT_OPTIONS,
    ...UNCERTAINTY_OPTIONS,
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  async run({ values, given, positionals, stdout, stderr, interactive }) {
    const law = lawFrom(values);
    const out = values.out;
    const replacing = out ? checkOverwrite(out, values.force) : false;
    const fitOptions = fitOptionsFrom(values, given);
    const settings = uncertaintySettingsFrom(values);
    checkAtPoints(law, values.at, settings.at);
    const ds = await readRuns(positionals[0]!, loadOptionsFrom(values, law.variables));
    const withSource = { ...fitOptions, source: ds.file };
    const progress = { write: stderr, enabled: interactive, columns: process.stderr.columns };
    const { fit, json } = await fitDataset(law, ds, { fit: withSource, uncertainty: settings, progress, parallelStarts: true });
    const text = stableJson(json);
    if (out) atomicWrite(out, text, { replace: Boolean(values.force) });
    if (values.json) stdout(text);
    else stdout(`${fitText(json, fit.wallMs)}\n${unitsText(law, fit.params)}${out ? wroteLine(out, replacing) : ''}`);
    return 0;
  },
});
