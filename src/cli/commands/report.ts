import { basename, extname, join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { buildReport, checkReportOverwrite, writeReport } from '../../pipeline/buildReport.ts';
import { allocationTable } from '../../report/allocationText.ts';
import { DEFAULT_BUDGETS, NO_BOOTSTRAP } from '../../report/model.ts';
import { wrapText } from '../../report/wrapText.ts';
import { comparison } from '../../report/tables.ts';
import { defineCommand } from '../command.ts';
import { checkAtPoints, uncertaintySettingsFrom } from '../uncertaintyOptions.ts';
import {
  DATA_OPTIONS,
  FIT_OPTIONS,
  fitOptionsFrom,
  lawFrom,
  loadOptionsFrom,
  PUBLISHED_OPTION,
  UNCERTAINTY_OPTIONS,
} from '../options.ts';
import { publishedFitJson } from '../../io/publishedFit.ts';

export const reportCommand = defineCommand({
  name: 'report',
  usage: ['<data.csv> [options]', '[data.csv] --from FIT.json [options]', '<data.csv> --published NAME [options]'],
  description: `Fits the law on the runs matching --train, predicts the held-out rest (the backtest), and writes a report folder:
index.html (one self-contained page that opens offline), report.md with charts/*.svg and *.png, fit.json and
predictions.csv. Without --train every run trains and there is no backtest.

With --bootstrap K the intervals cover the parameters, the held-out predictions and the allocation table (--compute)
and the --at points.`,
  examples: [
    {
      command: 'scalefit report data/epoch-chinchilla.csv --exclude-top-loss 5 --train "C<1e21" --out my-report',
      note: 'fit the runs below 1e21 FLOPs, predict the larger ones; open my-report/index.html',
    },
    {
      command: 'scalefit report --from fits/epoch-chinchilla.json --out my-report --force',
      note: 'a report of a saved fit, without refitting',
    },
  ],
  options: {
    train: {
      type: 'string',
      value: 'EXPR',
      example: '"C<1e21"',
      description: 'runs matching EXPR train (e.g. "N<=1e9" or "C<1e21"); the rest are held out',
    },
    from: {
      type: 'string',
      value: 'FILE',
      example: 'fits/epoch-chinchilla.json',
      description: 'report on a saved fit JSON instead of fitting (its data, or the CSV if given)',
    },
    published: {
      ...PUBLISHED_OPTION,
      description:
        'report on a published law (data/published/) instead of fitting, scored on the CSV given: as --from, for hoffmann2022, besiroglu2024, kaplan2020-n, -d, -c, -nd, -ns',
    },
    out: {
      type: 'string',
      value: 'DIR',
      example: 'my-report',
      group: 'Output options',
      description: 'report folder',
      defaultText: 'out/<csv name>',
    },
    force: { type: 'flag', group: 'Output options', description: 'replace an existing report in DIR' },
    ...FIT_OPTIONS,
    ...UNCERTAINTY_OPTIONS,
    compute: {
      ...UNCERTAINTY_OPTIONS.compute,
      defaultText: DEFAULT_BUDGETS.map((c) => c.toExponential(0).replace('+', '')).join(', '),
      description: 'budgets in FLOPs for the allocation table',
    },
    ...DATA_OPTIONS,
    label: {
      type: 'string',
      value: 'COL',
      example: 'notes',
      group: 'Output options',
      description: 'column naming the runs in tables and predictions.csv',
      defaultText: 'the run-id column (run, run_id, name, model, ...), else N and D as "N=70M D=1.4B"',
    },
  },
  positionals: [0, 1],
  async run({ values, given, positionals, stdout, stderr, interactive }) {
    const data = positionals[0];
    if (values.published !== undefined && values.from !== undefined)
      throw new InputError(`give --from ${values.from} or --published ${values.published}, not both`);
    const fromFit = values.published !== undefined ? publishedFitJson(values.published) : undefined;
    const from = values.published !== undefined ? `--published ${values.published}` : values.from;
    if (!data && !from)
      throw new InputError('report: give a CSV of runs, or --from a saved fit (see scalefit report --help)');
    const name = basename(data ?? values.published ?? from!, extname(data ?? values.published ?? from!));
    const out = values.out ?? join('out', name);
    const force = values.force;
    checkReportOverwrite(out, force);
    const law = lawFrom(values);
    const settings = {
      ...uncertaintySettingsFrom(values),
      compute: values.compute.length ? values.compute : DEFAULT_BUDGETS,
    };
    const budgets = settings.compute;
    const at = settings.at;
    if (!from) checkAtPoints(law, values.at, at);
    if (from && settings.bootstrap)
      throw new InputError(
        'report --from: the saved fit is reported as it is; run scalefit fit --bootstrap K first (or drop --from)',
      );
    const result = await buildReport({
      data,
      from,
      law,
      ...(fromFit ? { fromFit } : {}),
      train: values.train ?? null,
      compute: budgets,
      at,
      load: loadOptionsFrom(values, law.variables),
      fit: fitOptionsFrom(values, given),
      uncertainty: settings,
      ...(values.label !== undefined ? { label: values.label } : {}),
      progress: { write: stderr, enabled: interactive, columns: process.stderr.columns },
    });
    writeReport(out, result.files, force);
    const m = result.model;
    const wrap = (text: string) => wrapText(text, 100, '  ');
    const lines = [
      wrap(
        `${m.law.name}: ${Object.entries(m.params)
          .map(([k, v]) => `${k}=${Number(v.toPrecision(5))}`)
          .join(' ')}`,
      ),
      wrap(result.headline ?? (m.train === null ? 'no --train: every run trains, no backtest' : 'no held-out runs')),
      ...(m.allocations.length
        ? [
            '',
            'compute-optimal allocation:',
            allocationTable(
              m.allocations.map((a) => ({
                compute: a.C,
                N_opt: a.N_opt,
                D_opt: a.D_opt,
                tokens_per_param: a.tokensPerParam,
                loss: a.loss,
              })),
            ).trimEnd(),
            wrap(comparison(m).trim()),
            '',
          ]
        : []),
      ...m.notes.filter((n) => !result.headline || n !== NO_BOOTSTRAP).map((n) => wrap(`note: ${n}`)),
      ...(m.bootstrap ? [] : ['hint: --bootstrap K adds intervals to the parameters, predictions and allocations']),
      ...(from && !data && m.train !== null && !m.backtest
        ? [wrap(`hint: scalefit report <data.csv> --from ${from} rebuilds the backtest`)]
        : []),
      wrap(
        `wrote ${join(out, 'index.html')}, ${join(out, 'report.md')} (${result.charts.length} charts), fit.json and predictions.csv`,
      ),
    ];
    stdout(`${lines.join('\n')}\n`);
    return 0;
  },
});
