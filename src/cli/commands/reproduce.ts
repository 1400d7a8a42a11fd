import { join } from 'node:path';
import { atomicWrite } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { buildReport, writeReport } from '../../pipeline/buildReport.ts';
import { sectionMarkdown, summaryLine } from '../../reproduce/format.ts';
import { reproduceSummaryText } from '../../reproduce/summaryText.ts';
import { verdictTables } from '../../reproduce/verdictTables.ts';
import { wrapText } from '../../report/wrapText.ts';
import { REPRODUCE_DEFAULTS, reproduce } from '../../reproduce/run.ts';
import { defineCommand } from '../command.ts';
import { UNCERTAINTY_OPTIONS } from '../options.ts';

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  usage: ['[options]'],
  description: `Refits the bundled data (data/epoch-chinchilla.csv) and recomputes published constants (data/published/), then
prints a summary: one line per paper with its checks, verdict and the row closest to its tolerance, and every
failing row in full. Exits 1 when any row fails. Writes the full tables (quantity, published value, ours,
difference, tolerance with its reason, verdict) to reports/reproduce/README.md, the report of the refit with the
verdicts to reports/reproduce/index.html and report.md, and fits/epoch-chinchilla.json (the grid fit with its
bootstrap) and fits/reproduce.json (every row), replacing earlier outputs of this command.`,
  examples: [
    { command: 'scalefit reproduce', note: 'what npm start runs: 66 published numbers, 8 to 18 s on 2 cores' },
    {
      command: 'scalefit reproduce --no-write --bootstrap 200',
      note: 'a quicker check that writes nothing (bootstrap rows judged on 200 resamples)',
    },
  ],
  options: {
    bootstrap: {
      ...UNCERTAINTY_OPTIONS.bootstrap,
      also: undefined,
      group: undefined,
      default: REPRODUCE_DEFAULTS.bootstrap,
      description: "resamples for Epoch's bootstrap intervals (they used 4000)",
    },
    seed: {
      ...UNCERTAINTY_OPTIONS.seed,
      group: undefined,
      default: REPRODUCE_DEFAULTS.seed,
      description: 'bootstrap seed',
    },
    workers: {
      ...UNCERTAINTY_OPTIONS.workers,
      group: undefined,
      description: 'worker threads (results do not depend on it)',
    },
    fits: { type: 'string', value: 'DIR', default: 'fits', description: 'where to write fit JSON files' },
    reports: {
      type: 'string',
      value: 'DIR',
      default: join('reports', 'reproduce'),
      description: 'where to write the report',
    },
    'no-write': { type: 'flag', description: 'print only' },
    markdown: {
      type: 'flag',
      group: 'Output options',
      description: 'print the full tables (Markdown, as reports/reproduce/README.md) instead of the summary',
    },
    json: { type: 'flag', group: 'Output options', description: 'print every row as JSON' },
  },
  positionals: [0, 0],
  async run({ values, stdout }) {
    const t0 = performance.now();
    const workers = values.workers;
    const result = await reproduce({ bootstrap: values.bootstrap, seed: values.seed, workers });
    const markdown = [
      '# scalefit reproduce',
      '',
      'Every published number we can check, regenerated from the bundled data (`scalefit reproduce`, run by `npm start`).',
      'The report of the refit, with its charts, is in [index.html](index.html) and [report.md](report.md).',
      '',
      ...result.sections.map(sectionMarkdown).flatMap((s) => [s, '']),
      `**${summaryLine(result.sections)}**`,
      '',
    ].join('\n');
    const summary = { sections: result.sections, ...result.extra };
    const write = !values['no-write'];
    const fitsDir = values.fits;
    const reportsDir = values.reports;
    if (write) {
      for (const [name, fit] of Object.entries(result.fits)) atomicWrite(join(fitsDir, name), stableJson(fit));
      atomicWrite(join(fitsDir, 'reproduce.json'), stableJson(summary));
      const { summary: verdicts, full } = verdictTables(result.sections);
      const report = await buildReport({
        from: join(fitsDir, 'epoch-chinchilla.json'),
        extraTables: { first: [verdicts], last: full },
      });
      writeReport(reportsDir, [...report.files, { path: 'README.md', data: markdown }], true);
    }
    if (values.json) stdout(stableJson(summary));
    else if (values.markdown) stdout(`${markdown}\n`);
    else {
      // Paths as the user can open them from where they ran the command (the folders are relative to it).
      stdout(
        reproduceSummaryText(
          result.sections,
          write
            ? {
                tables: join(reportsDir, 'README.md'),
                report: [join(reportsDir, 'index.html'), join(reportsDir, 'report.md')],
                fits: [...Object.keys(result.fits), 'reproduce.json'].map((f) => join(fitsDir, f)),
              }
            : { tables: null, report: [], fits: [] },
        ),
      );
      const t = Object.entries(result.timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
        .join(', ');
      stdout(
        `${wrapText(`time: ${((performance.now() - t0) / 1000).toFixed(2)} s on ${workers} worker(s) (${t})`, 100, '  ')}\n`,
      );
    }
    return result.sections.every((s) => s.rows.every((r) => r.pass)) ? 0 : 1;
  },
});
