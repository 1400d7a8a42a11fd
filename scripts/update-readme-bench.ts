/**
 * Copy the benchmark tables (rendered from bench/results.json, as bench/RESULTS.md is) into README.md between the
 * markers <!-- bench:start --> and <!-- bench:end -->, so README's Performance section shows a measured run and
 * nothing typed by hand. Run by `npm run bench` after bench/run.ts.
 */
import { readFileSync } from 'node:fs';
import type { BenchResults } from '../bench/render.ts';
import { renderTables } from '../bench/render.ts';
import { atomicWrite } from '../src/io/atomicWrite.ts';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
const readme = readFileSync('README.md', 'utf8');
const i = readme.indexOf(START),
  j = readme.indexOf(END);
if (i < 0 || j < i) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
atomicWrite(
  'README.md',
  `${readme.slice(0, i)}${START}\n${renderTables(results)}\n${END}${readme.slice(j + END.length)}`,
);
console.log('README.md: benchmark tables updated from bench/results.json');
