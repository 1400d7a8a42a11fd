import { join } from 'node:path';
import { atomicWrite } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { sectionMarkdown, summaryLine } from '../../reproduce/format.ts';
import { reproduce } from '../../reproduce/run.ts';
import type { Command } from '../command.ts';
import { str } from '../options.ts';

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'regenerate the published scaling-law numbers from the bundled data, with verdicts',
  help: `Usage: scalefit reproduce [--fits DIR] [--reports DIR] [--no-write] [--json]

Refits the bundled data (data/epoch-chinchilla.csv) and recomputes published constants (data/published/), then
prints one table per paper: quantity, published value, ours, difference, tolerance (with its reason), verdict.
Exits 1 when any row fails. Writes fit files to --fits (default fits/) and the tables to --reports
(default reports/reproduce/), replacing earlier outputs of this command.

Options:
  --fits DIR       where to write fit JSON files (default fits)
  --reports DIR    where to write the report (default reports/reproduce)
  --no-write       print only
  --json           print the tables as JSON`,
  options: { fits: { type: 'string' }, reports: { type: 'string' }, 'no-write': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [0, 0],
  run({ values, stdout }) {
    const t0 = performance.now();
    const result = reproduce();
    const markdown = [
      '# scalefit reproduce',
      '',
      'Every published number we can check, regenerated from the bundled data (`scalefit reproduce`, run by `npm start`).',
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
      atomicWrite(join(reportsDir, 'README.md'), markdown);
    }
    if (values.json) stdout(stableJson(summary));
    else {
      stdout(`${markdown}\n`);
      const t = Object.entries(result.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ');
      stdout(`time: ${((performance.now() - t0) / 1000).toFixed(2)} s (${t})\n`);
    }
    return result.sections.every((s) => s.rows.every((r) => r.pass)) ? 0 : 1;
  },
};
