import { join } from 'node:path';
import { atomicWrite } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { buildReport, writeReport } from '../../pipeline/buildReport.ts';
import { sectionMarkdown, summaryLine } from '../../reproduce/format.ts';
import { REPRODUCE_DEFAULTS, reproduce } from '../../reproduce/run.ts';
import { defineCommand } from '../command.ts';
import { UNCERTAINTY_OPTIONS } from '../options.ts';

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  usage: ['[options]'],
  description: `Refits the bundled data (data/epoch-chinchilla.csv) and recomputes published constants (data/published/), then
prints one table per paper: quantity, published value, ours, difference, tolerance (with its reason), verdict.
Exits 1 when any row fails. Writes fits/epoch-chinchilla.json (the grid fit with its bootstrap) and
fits/reproduce.json (the tables), and a report in reports/reproduce/ (README.md with the tables, and the
scalefit report of the fit), replacing earlier outputs of this command.`,
  examples: [
    { command: 'scalefit reproduce', note: 'what npm start runs: 66 published numbers, 8 to 18 s on 2 cores' },
    { command: 'scalefit reproduce --no-write --bootstrap 200', note: 'a quicker check that writes nothing (bootstrap rows judged on 200 resamples)' },
  ],
  options: {
    bootstrap: { ...UNCERTAINTY_OPTIONS.bootstrap, also: undefined, group: undefined, default: REPRODUCE_DEFAULTS.bootstrap, description: "resamples for Epoch's bootstrap intervals (they used 4000)" },
    seed: { ...UNCERTAINTY_OPTIONS.seed, group: undefined, default: REPRODUCE_DEFAULTS.seed, description: 'bootstrap seed' },
    workers: { ...UNCERTAINTY_OPTIONS.workers, group: undefined, description: 'worker threads (results do not depend on it)' },
    fits: { type: 'string', value: 'DIR', default: 'fits', description: 'where to write fit JSON files' },
    reports: { type: 'string', value: 'DIR', default: join('reports', 'reproduce'), description: 'where to write the report' },
    'no-write': { type: 'flag', description: 'print only' },
    json: { type: 'flag', group: 'Output options', description: 'print the tables as JSON' },
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
    if (!values['no-write']) {
      const fitsDir = values.fits;
      const reportsDir = values.reports;
      for (const [name, fit] of Object.entries(result.fits)) atomicWrite(join(fitsDir, name), stableJson(fit));
      atomicWrite(join(fitsDir, 'reproduce.json'), stableJson(summary));
      const report = await buildReport({ from: join(fitsDir, 'epoch-chinchilla.json') });
      writeReport(reportsDir, [...report.files, { path: 'README.md', data: markdown }], true);
    }
    if (values.json) stdout(stableJson(summary));
    else {
      stdout(`${markdown}\n`);
      const t = Object.entries(result.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ');
      stdout(`time: ${((performance.now() - t0) / 1000).toFixed(2)} s on ${workers} worker(s) (${t})\n`);
    }
    return result.sections.every((s) => s.rows.every((r) => r.pass)) ? 0 : 1;
  },
});
