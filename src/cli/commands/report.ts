import { basename, extname, join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { buildReport, checkReportOverwrite, writeReport } from '../../pipeline/buildReport.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { DEFAULT_BUDGETS } from '../../report/model.ts';
import { comparison } from '../../report/tables.ts';
import { defineCommand } from '../command.ts';
import { checkAtPoints, uncertaintySettingsFrom } from '../uncertaintyOptions.ts';
import { DATA_OPTIONS, FIT_OPTIONS, fitOptionsFrom, lawFrom, loadOptionsFrom, UNCERTAINTY_OPTIONS } from '../options.ts';

export const reportCommand = defineCommand({
  name: 'report',
  usage: ['<data.csv> [options]', '[data.csv] --from FIT.json [options]'],
  description: `Fits the law on the runs matching --train, predicts the held-out rest (the backtest), and writes a report folder:
index.html (one self-contained page that opens offline), report.md with charts/*.svg and *.png, fit.json and
predictions.csv. Without --train every run trains and there is no backtest.

With --bootstrap K the intervals cover the parameters, the held-out predictions and the allocation table (--compute)
and the --at points.`,
  examples: [
    { command: 'scalefit report data/epoch-chinchilla.csv --exclude-top-loss 5 --train "C<1e21" --out my-report', note: 'fit the runs below 1e21 FLOPs, predict the larger ones; open my-report/index.html' },
    { command: 'scalefit report --from fits/epoch-chinchilla.json --out my-report --force', note: 'a report of a saved fit, without refitting' },
  ],
  options: {
    train: { type: 'string', value: 'EXPR', example: '"C<1e21"', description: 'runs matching EXPR train (e.g. "N<=1e9" or "C<1e21"); the rest are held out' },
    from: { type: 'string', value: 'FILE', example: 'fits/epoch-chinchilla.json', description: 'report on a saved fit JSON instead of fitting (its data, or the CSV if given)' },
    out: { type: 'string', value: 'DIR', example: 'my-report', group: 'Output options', description: 'report folder', defaultText: 'reports/<csv name>' },
    force: { type: 'flag', group: 'Output options', description: 'replace an existing report in DIR' },
    ...FIT_OPTIONS,
    ...UNCERTAINTY_OPTIONS,
    compute: { ...UNCERTAINTY_OPTIONS.compute, defaultText: DEFAULT_BUDGETS.map((c) => c.toExponential(0).replace('+', '')).join(', '), description: 'budgets in FLOPs for the allocation table' },
    ...DATA_OPTIONS,
  },
  positionals: [0, 1],
  async run({ values, given, positionals, stdout, stderr, interactive }) {
    const data = positionals[0];
    const from = values.from;
    if (!data && !from) throw new InputError('report: give a CSV of runs, or --from a saved fit (see scalefit report --help)');
    const name = basename(data ?? from!, extname(data ?? from!));
    const out = values.out ?? join('reports', name);
    const force = values.force;
    checkReportOverwrite(out, force);
    const law = lawFrom(values);
    const settings = { ...uncertaintySettingsFrom(values), compute: values.compute.length ? values.compute : DEFAULT_BUDGETS };
    const budgets = settings.compute;
    const at = settings.at;
    if (!from) checkAtPoints(law, values.at, at);
    if (from && settings.bootstrap) throw new InputError('report --from: the saved fit is reported as it is; run scalefit fit --bootstrap K first (or drop --from)');
    const result = await buildReport({
      data, from, law,
      train: values.train ?? null,
      compute: budgets,
      at,
      load: loadOptionsFrom(values, law.variables),
      fit: fitOptionsFrom(values, given),
      uncertainty: settings,
      progress: { write: stderr, enabled: interactive, columns: process.stderr.columns },
    });
    writeReport(out, result.files, force);
    const m = result.model;
    const lines = [
      `${m.law.name}: ${Object.entries(m.params).map(([k, v]) => `${k}=${Number(v.toPrecision(5))}`).join(' ')}`,
      result.headline ?? (m.train === null ? 'no --train: every run trains, no backtest' : 'no held-out runs'),
      ...m.allocations.map((a) => `C=${formatNumber(a.C, 3)}: N_opt=${formatNumber(a.N_opt, 4)} D_opt=${formatNumber(a.D_opt, 4)} (${formatNumber(a.tokensPerParam, 3)} tokens/parameter)`),
      ...(m.allocations.length ? [comparison(m).trim()] : []),
      ...m.notes.filter((n) => !result.headline || !n.startsWith('no bootstrap')).map((n) => `note: ${n}`),
      `wrote ${out}/ (index.html, report.md, fit.json, predictions.csv, ${result.charts.length} charts)`,
    ];
    stdout(`${lines.join('\n')}\n`);
    return 0;
  },
});
