import { join } from 'node:path';
import { atomicWrite } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { buildReport, writeReport } from '../../pipeline/buildReport.ts';
import { sectionMarkdown, summaryLine } from '../../reproduce/format.ts';
import { REPRODUCE_DEFAULTS, reproduce } from '../../reproduce/run.ts';
import type { Command } from '../command.ts';
import { intOption, str } from '../options.ts';

export const reproduceCommand: Command = {
  name: 'reproduce',
  help: `Usage: scalefit reproduce [options]

Refits the bundled data (data/epoch-chinchilla.csv) and recomputes published constants (data/published/), then
prints one table per paper: quantity, published value, ours, difference, tolerance (with its reason), verdict.
Exits 1 when any row fails. Writes fits/epoch-chinchilla.json (the grid fit with its bootstrap) and
fits/reproduce.json (the tables), and a report in reports/reproduce/ (README.md with the tables, and the
scalefit report of the fit), replacing earlier outputs of this command.

Options:
  --bootstrap K    resamples for Epoch's bootstrap intervals (default ${REPRODUCE_DEFAULTS.bootstrap}; they used 4000)
  --seed S         bootstrap seed (default ${REPRODUCE_DEFAULTS.seed})
  --workers W      worker threads (default: all cores; results do not depend on it)
  --fits DIR       where to write fit JSON files (default fits)
  --reports DIR    where to write the report (default reports/reproduce)
  --no-write       print only
  --json           print the tables as JSON`,
  options: {
    bootstrap: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' },
    fits: { type: 'string' }, reports: { type: 'string' }, 'no-write': { type: 'boolean' }, json: { type: 'boolean' },
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
    if (!values['no-write']) {
      const fitsDir = str(values, 'fits') ?? 'fits';
      const reportsDir = str(values, 'reports') ?? join('reports', 'reproduce');
      for (const [name, fit] of Object.entries(result.fits)) atomicWrite(join(fitsDir, name), stableJson(fit));
      atomicWrite(join(fitsDir, 'reproduce.json'), stableJson(summary));
      const report = await buildReport({ from: join(fitsDir, 'epoch-chinchilla.json') });
      writeReport(reportsDir, report.files, true);
      atomicWrite(join(reportsDir, 'README.md'), markdown);
    }
    if (values.json) stdout(stableJson(summary));
    else {
      stdout(`${markdown}\n`);
      const t = Object.entries(result.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ');
      stdout(`time: ${((performance.now() - t0) / 1000).toFixed(2)} s on ${workers} worker(s) (${t})\n`);
    }
    return result.sections.every((s) => s.rows.every((r) => r.pass)) ? 0 : 1;
  },
};
