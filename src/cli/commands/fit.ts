import { loadRuns } from '../../data/load.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { fitDataset } from '../../pipeline/fitDataset.ts';
import { stableJson } from '../../io/stableJson.ts';
import { fitText } from '../../report/fitText.ts';
import { unitsText } from '../../report/unitsText.ts';
import type { Command } from '../command.ts';
import { checkAtPoints, UNCERTAINTY_HELP, UNCERTAINTY_OPTIONS, uncertaintySettingsFrom } from '../uncertaintyOptions.ts';
import { DATA_HELP, DATA_OPTIONS, FIT_HELP, FIT_OPTIONS, fitOptionsFrom, lawFrom, list, loadOptionsFrom, str } from '../options.ts';

export const fitCommand: Command = {
  name: 'fit',
  help: `Usage: scalefit fit <data.csv> [options]

Fits a law (default chinchilla: L(N,D) = E + A/N^alpha + B/D^beta) by minimising the summed Huber loss on
log-loss residuals with L-BFGS from many starts (Hoffmann et al. 2022, App. D.2), and prints the parameters.

Options:
  --out FILE                 write the fit JSON to FILE (atomically)
  --force                    overwrite an existing --out file
  --json                     print the fit JSON to stdout instead of the table
${FIT_HELP}
${UNCERTAINTY_HELP}
${DATA_HELP}`,
  options: { ...DATA_OPTIONS, ...FIT_OPTIONS, ...UNCERTAINTY_OPTIONS, out: { type: 'string' }, json: { type: 'boolean' }, force: { type: 'boolean' } },
  positionals: [1, 1],
  async run({ values, positionals, stdout, stderr, interactive }) {
    const law = lawFrom(values);
    const out = str(values, 'out');
    const replacing = out ? checkOverwrite(out, Boolean(values.force)) : false;
    const fitOptions = fitOptionsFrom(values);
    const settings = uncertaintySettingsFrom(values);
    checkAtPoints(law, list(values, 'at'), settings.at);
    const ds = loadRuns(positionals[0]!, loadOptionsFrom(values, law.variables));
    const withSource = { ...fitOptions, source: ds.file };
    const progress = { write: stderr, enabled: interactive, columns: process.stderr.columns };
    const { fit, json } = await fitDataset(law, ds, { fit: withSource, uncertainty: settings, progress, parallelStarts: true });
    const text = stableJson(json);
    if (out) atomicWrite(out, text);
    if (values.json) stdout(text);
    else stdout(`${fitText(json, fit.wallMs)}\n${unitsText(law, fit.params)}${out ? wroteLine(out, replacing) : ''}`);
    return 0;
  },
};
