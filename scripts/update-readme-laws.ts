/**
 * Write the table of built-in laws (src/report/lawsTable.ts, from the registry) into README.md between
 * <!-- laws:start --> and <!-- laws:end -->. Run by `npm run examples`; test/readme-laws.test.ts fails when README's
 * table differs from the registry (it never rewrites README itself).
 */
import { readFileSync } from 'node:fs';
import { atomicWrite } from '../src/io/atomicWrite.ts';
import { LAWS } from '../src/laws/index.ts';
import { lawsTable } from '../src/report/lawsTable.ts';

const START = '<!-- laws:start -->';
const END = '<!-- laws:end -->';
const readme = readFileSync('README.md', 'utf8');
const i = readme.indexOf(START),
  j = readme.indexOf(END);
if (i < 0 || j < i) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
atomicWrite(
  'README.md',
  `${readme.slice(0, i)}${START}\n${lawsTable(Object.values(LAWS))}\n${END}${readme.slice(j + END.length)}`,
);
console.log('README.md: laws table updated');
