/**
 * Copy the tables `scalefit reproduce` wrote (reports/reproduce/README.md) into README.md between the markers
 * <!-- reproduce:start --> and <!-- reproduce:end -->, so README shows exactly what the command wrote.
 * Run by `npm run examples` after reproduce.
 */
import { readFileSync } from 'node:fs';
import { atomicWrite } from '../src/io/atomicWrite.ts';

const START = '<!-- reproduce:start -->';
const END = '<!-- reproduce:end -->';
const tables = readFileSync('reports/reproduce/README.md', 'utf8')
  .split('\n')
  .filter((l) => !l.startsWith('# '))
  .join('\n')
  .trim();
const readme = readFileSync('README.md', 'utf8');
const i = readme.indexOf(START),
  j = readme.indexOf(END);
if (i < 0 || j < i) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
const checks = /\*\*\d+ of (\d+) published numbers/.exec(tables)?.[1] ?? '?';
const body = `${START}\n<details><summary>The full tables <code>npm start</code> writes to reports/reproduce/README.md (${checks} checks)</summary>\n\n${tables.replace(/\]\((index\.html|report\.md)\)/g, '](reports/reproduce/$1)')}\n\n</details>\n${END}`;
atomicWrite('README.md', readme.slice(0, i) + body + readme.slice(j + END.length));
console.log('README.md: reproduce tables updated');
