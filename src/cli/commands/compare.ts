import { compareLaws } from '../../analysis/compare.ts';
import type { Holdout } from '../../analysis/compare.ts';
import { loadRuns } from '../../data/load.ts';
import { InputError } from '../../core/errors.ts';
import { stableJson } from '../../io/stableJson.ts';
import { getLaw } from '../../laws/index.ts';
import { join } from 'node:path';
import { atomicWrite, checkOverwrite } from '../../io/atomicWrite.ts';
import { compareChart } from '../../report/charts/compareChart.ts';
import { compareSection } from '../../report/compareSection.ts';
import { renderSvg, svgToPng } from '../../report/render.ts';
import type { Command } from '../command.ts';
import { DATA_HELP, DATA_OPTIONS, FIT_OPTIONS, fitOptionsFrom, loadOptionsFrom, oneOf, str } from '../options.ts';

const { law: _law, ...FIT_OPTIONS_WITHOUT_LAW } = FIT_OPTIONS;

export const compareCommand: Command = {
  name: 'compare',
  help: `Usage: scalefit compare <data.csv> --laws chinchilla,datacon[,...] [options]

Fits each law to the same runs and reports AIC, BIC, the objective, and leave-largest-out cross-validation: fit
without the largest model size (or the top compute decile) and predict it, then without the two largest. Laws are
ranked by mean held-out RMSE of log loss. A law whose columns the data lacks is skipped with a note.

Options:
  --laws A,B,...             laws to compare (default: chinchilla)
  --holdout auto|size|compute  what "largest" means (auto: model size when N forms a grid, else compute)
  --train EXPR               fit on runs matching EXPR (e.g. "N<=1e9") and test on the rest instead
  --json                     print ranking and per-law metrics as JSON
  --out DIR                  also write DIR/compare.md (the report section), DIR/compare.json and the chart of
                             held-out error by law (DIR/charts/compare.svg, .png, .vl.json); --force to overwrite
Fit options (--loss, --delta, --space, --starts, --fix, --tie, --bounds) apply to every law having the parameter.
${DATA_HELP}`,
  options: { ...DATA_OPTIONS, ...FIT_OPTIONS_WITHOUT_LAW, laws: { type: 'string' }, holdout: { type: 'string' }, train: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' } },
  positionals: [1, 1],
  async run({ values, positionals, stdout }) {
    const out = str(values, 'out');
    if (out) checkOverwrite(join(out, 'compare.md'), Boolean(values.force));
    const names = (str(values, 'laws') ?? 'chinchilla').split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) throw new InputError('--laws: give at least one law name');
    const laws = [...new Set(names)].map((name) => getLaw(name));
    const holdout = oneOf<Holdout>(values, 'holdout', ['auto', 'size', 'compute'], 'auto');
    const fit = fitOptionsFrom(values);
    // Load without requiring any law's columns: a law whose columns are absent is skipped, not an error.
    const ds = loadRuns(positionals[0]!, { ...loadOptionsFrom(values, []) });
    const c = compareLaws(laws, ds.runs, { holdout, train: str(values, 'train'), fit });
    const json = stableJson({ input: { file: ds.file, sha256: ds.sha256, rowsKept: ds.runs.length }, ...c });
    if (out) {
      const spec = compareChart(c);
      const svg = await renderSvg(spec);
      atomicWrite(join(out, 'charts', 'compare.vl.json'), `${JSON.stringify(spec)}\n`);
      atomicWrite(join(out, 'charts', 'compare.svg'), svg);
      atomicWrite(join(out, 'charts', 'compare.png'), svgToPng(svg, 1.5));
      atomicWrite(join(out, 'compare.json'), json);
      atomicWrite(join(out, 'compare.md'), `${compareSection(c)}\n![Held-out error by law](charts/compare.svg)\n`);
    }
    if (values.json) stdout(json);
    else stdout(`${compareSection(c)}${out ? `wrote ${out}/compare.md, compare.json, charts/compare.{svg,png,vl.json}\n` : ''}`);
    return 0;
  },
};
