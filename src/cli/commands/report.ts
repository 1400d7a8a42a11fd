import { basename, extname, join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { buildReport, checkReportOverwrite, writeReport } from '../../pipeline/buildReport.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { DEFAULT_BUDGETS } from '../../report/model.ts';
import { comparison } from '../../report/tables.ts';
import type { Command } from '../command.ts';
import { checkAtPoints, UNCERTAINTY_OPTIONS, parseCompute, parsePoint, uncertaintySettingsFrom } from '../uncertaintyOptions.ts';
import { DATA_HELP, DATA_OPTIONS, FIT_HELP, FIT_OPTIONS, fitOptionsFrom, lawFrom, list, loadOptionsFrom, str } from '../options.ts';

export const reportCommand: Command = {
  name: 'report',
  help: `Usage: scalefit report <data.csv> [options]
       scalefit report [data.csv] --from fits/X.json [options]

Fits the law on the runs matching --train, predicts the held-out rest (the backtest), and writes a report folder:
index.html (one self-contained page that opens offline), report.md with charts/*.svg and *.png, fit.json and
predictions.csv.

Options:
  --train EXPR               runs matching EXPR train (e.g. "N<=1e9" or "C<1e21"); the rest are held out.
                             Without it every run trains and there is no backtest
  --out DIR                  report folder (default reports/<csv name>)
  --force                    overwrite an existing report in DIR
  --compute C                budgets in FLOPs for the allocation table (repeatable or comma-separated;
                             default ${DEFAULT_BUDGETS.map((c) => c.toExponential(0)).join(', ')})
  --at N=..,D=..             also predict the loss at this point (repeatable), e.g. --at N=70B,D=1.4T
  --from FILE                report on a saved fit JSON instead of fitting (its data, or the CSV if given)
${FIT_HELP}
Uncertainty options (of the train fit; --compute and --at above also get intervals):
  --bootstrap K              refit K resamples: intervals on parameters, backtest predictions and allocations
  --seed S, --workers W, --resample rows|models, --level X   as for scalefit fit
${DATA_HELP}`,
  options: {
    ...DATA_OPTIONS, ...FIT_OPTIONS,
    train: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' },
    ...UNCERTAINTY_OPTIONS,
    compute: { type: 'string', multiple: true }, at: { type: 'string', multiple: true }, from: { type: 'string' },
  },
  positionals: [0, 1],
  async run({ values, positionals, stdout, stderr, interactive }) {
    const data = positionals[0];
    const from = str(values, 'from');
    if (!data && !from) throw new InputError('report: give a CSV of runs, or --from a saved fit (see scalefit report --help)');
    const name = basename(data ?? from!, extname(data ?? from!));
    const out = str(values, 'out') ?? join('reports', name);
    const force = Boolean(values.force);
    checkReportOverwrite(out, force);
    const law = lawFrom(values);
    const compute = list(values, 'compute');
    const budgets = compute.length ? parseCompute(compute) : DEFAULT_BUDGETS;
    const at = list(values, 'at').map(parsePoint);
    if (!from) checkAtPoints(law, list(values, 'at'), at);
    const settings = { ...uncertaintySettingsFrom({ ...values, compute: undefined, at: undefined }), compute: budgets, at };
    if (from && settings.bootstrap) throw new InputError('report --from: the saved fit is reported as it is; run scalefit fit --bootstrap K first (or drop --from)');
    const result = await buildReport({
      data, from, law: law.name,
      train: str(values, 'train') ?? null,
      compute: budgets,
      at,
      load: loadOptionsFrom(values, law.variables),
      fit: fitOptionsFrom(values),
      uncertainty: settings,
      progress: { write: stderr, enabled: interactive, columns: process.stderr.columns },
    });
    writeReport(out, result.files, force);
    const m = result.model;
    const lines = [
      `${m.law}: ${Object.entries(m.params).map(([k, v]) => `${k}=${Number(v.toPrecision(5))}`).join(' ')}`,
      result.headline ?? (m.train === null ? 'no --train: every run trains, no backtest' : 'no held-out runs'),
      ...m.allocations.map((a) => `C=${formatNumber(a.C, 3)}: N_opt=${formatNumber(a.N_opt, 4)} D_opt=${formatNumber(a.D_opt, 4)} (${formatNumber(a.tokensPerParam, 3)} tokens/parameter)`),
      ...(m.allocations.length ? [comparison(m).trim()] : []),
      ...m.notes.filter((n) => !result.headline || !n.startsWith('no bootstrap')).map((n) => `note: ${n}`),
      `wrote ${out}/ (index.html, report.md, fit.json, predictions.csv, ${result.charts.length} charts)`,
    ];
    stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
