import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAWS } from '../src/laws/index.ts';
import { lawsTable } from '../src/report/lawsTable.ts';

describe("README's table of laws", () => {
  it('lawsTable(LAWS) equals the table in README (regenerate with npm run examples)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /<!-- laws:start -->\n([\s\S]*?)\n<!-- laws:end -->/.exec(readme);
    expect(block, 'README.md lacks the laws:start/laws:end markers').not.toBeNull();
    expect(block![1]).toBe(lawsTable(Object.values(LAWS)));
  });

  it('lawsTable lists every law of the registry once, by the name --law takes', () => {
    const rows = lawsTable(Object.values(LAWS)).split('\n').slice(2);
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1])).toEqual(Object.keys(LAWS));
    expect(rows.find((r) => r.startsWith('| `kaplan-c` |'))).toMatch(/on the compute-efficient frontier/);
    expect(rows.find((r) => r.startsWith('| `chinchilla` |'))).toMatch(/closed-form allocation/);
  });
});
