/**
 * Copy the measured tables into README.md, so README's Performance section shows measured runs and nothing typed by
 * hand: the scipy comparison (rendered from bench/results.json, as bench/RESULTS.md is) between <!-- bench:start -->
 * and <!-- bench:end -->, start-up from bench/startup.json between <!-- startup:start --> and <!-- startup:end -->,
 * and the browser app from bench/app.json between <!-- app:start --> and <!-- app:end -->. Run by `npm run bench`
 * after bench/run.ts, and again after its start-up and app steps.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { BenchResults } from '../bench/render.ts';
import { renderApp, renderStartup, renderTables, replaceBlock } from '../bench/render.ts';
import { atomicWrite } from '../src/io/atomicWrite.ts';

let readme = readFileSync('README.md', 'utf8');
readme = replaceBlock(
  readme,
  'bench',
  renderTables(JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults),
);
if (existsSync('bench/startup.json'))
  readme = replaceBlock(readme, 'startup', renderStartup(JSON.parse(readFileSync('bench/startup.json', 'utf8'))));
if (existsSync('bench/app.json'))
  readme = replaceBlock(readme, 'app', renderApp(JSON.parse(readFileSync('bench/app.json', 'utf8'))));
atomicWrite('README.md', readme);
console.log('README.md: benchmark, start-up and app tables updated from bench/results.json, startup.json, app.json');
