import { join } from 'node:path';
import { atomicWrite } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { buildReport, writeReport } from '../../report/build.ts';
import { sectionMarkdown, summaryLine } from '../../reproduce/format.ts';
import { reproduceSummaryText } from '../../reproduce/summaryText.ts';
import { verdictTables } from '../../reproduce/verdictTables.ts';
import { wrapText } from '../../report/wrapText.ts';
import { REPRODUCE_DEFAULTS, reproduce } from '../../reproduce/run.ts';
import type { Command } from '../command.ts';
import { intOption, str } from '../options.ts';

export const reproduceCommand: Command = {
  name: 'reproduce',
  help: `Usage: scalefit reproduce [options]

Refits the bundled data (data/epoch-chinchilla.csv) and recomputes published constants (data/published/), then
prints a summary: one line per paper with its checks, verdict and the row closest to its tolerance, and every
failing row in full. Exits 1 when any row fails. Writes the full tables (quantity, published value, ours,
difference, tolerance with its reason, verdict) to reports/reproduce/README.md, the report of the refit with the
verdicts to reports/reproduce/index.html and report.md, and fits/epoch-chinchilla.json (the grid fit with its
bootstrap) and fits/reproduce.json (every row), replacing earlier outputs of this command.

Options:
  --bootstrap K    resamples for Epoch's bootstrap intervals (default ${REPRODUCE_DEFAULTS.bootstrap}; they used 4000)
  --seed S         bootstrap seed (default ${REPRODUCE_DEFAULTS.seed})
  --workers W      worker threads (default: all cores; results do not depend on it)
  --fits DIR       where to write fit JSON files (default fits)
  --reports DIR    where to write the report (default reports/reproduce)
  --no-write       print only
  --markdown       print the full tables (Markdown, as reports/reproduce/README.md) instead of the summary
  --json           print every row as JSON`,
  options: {
    bootstrap: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' },
    fits: { type: 'string' }, reports: { type: 'string' }, 'no-write': { type: 'boolean' }, markdown: { type: 'boolean' }, json: { type: 'boolean' },
  },
  positionals: [0, 0],
  async run({ values, stdout }) {
    const t0 = performance.now();
    const workers = intOption(values, 'workers', REPRODUCE_DEFAULTS.workers, 1);
    const result = await reproduce({
      bootstrap: intOption(values, 'bootstrap', REPRODUCE_DEFAULTS.bootstrap, 2),
      seed: intOption(values, 'seed', REPRODUCE_DEFAULTS.seed),
      workers,
    });
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
    const fitsDir = str(values, 'fits') ?? 'fits';
    const reportsDir = str(values, 'reports') ?? join('reports', 'reproduce');
    if (write) {
      for (const [name, fit] of Object.entries(result.fits)) atomicWrite(join(fitsDir, name), stableJson(fit));
      atomicWrite(join(fitsDir, 'reproduce.json'), stableJson(summary));
      const { summary: verdicts, full } = verdictTables(result.sections);
      const report = await buildReport({ from: join(fitsDir, 'epoch-chinchilla.json'), extraTables: { first: [verdicts], last: full } });
      writeReport(reportsDir, report.files, true);
      atomicWrite(join(reportsDir, 'README.md'), markdown);
    }
    if (values.json) stdout(stableJson(summary));
    else if (values.markdown) stdout(`${markdown}\n`);
    else {
      // Paths as the user can open them from where they ran the command (the folders are relative to it).
      stdout(reproduceSummaryText(result.sections, write
        ? { tables: join(reportsDir, 'README.md'), report: [join(reportsDir, 'index.html'), join(reportsDir, 'report.md')], fits: [...Object.keys(result.fits), 'reproduce.json'].map((f) => join(fitsDir, f)) }
        : { tables: null, report: [], fits: [] }));
      const t = Object.entries(result.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ');
      stdout(`${wrapText(`time: ${((performance.now() - t0) / 1000).toFixed(2)} s on ${workers} worker(s) (${t})`, 100, '  ')}\n`);
    }
    return result.sections.every((s) => s.rows.every((r) => r.pass)) ? 0 : 1;
  },
};
