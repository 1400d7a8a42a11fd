import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { HOFFMANN } from './helpers/reportFixture.ts';
import { runCli } from './helpers/runCli.ts';

/** Tag columns named like Object.prototype's members (issue 14, F1): tags live in maps without a prototype. */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-tags-'));
const csv = join(dir, 'proto.csv');
const lines = ['N,D,loss,__proto__,constructor'];
for (const [i, N] of [1e8, 3e8, 1e9, 3e9].entries()) {
  for (const [j, D] of [2e9, 6e9, 2e10].entries())
    lines.push(`${N},${D},${chinchilla.predict(HOFFMANN, { N, D }).toFixed(5)},x${(i + j) % 2},c${i}`);
}
writeFileSync(csv, `${lines.join('\n')}\n`);

describe('tag columns named __proto__ and constructor', () => {
  it("main(['inspect', csv, '--json']) keeps both columns' values in every run", async () => {
    const r = await runCli(['inspect', csv, '--json']);
    expect(r.stderr).toBe('');
    const runs = JSON.parse(r.stdout).runs as Array<Record<string, string>>;
    expect(runs.map((run) => [run['__proto__'], run['constructor']])).toEqual(
      lines.slice(1).map((l) => l.split(',').slice(3)),
    );
  });

  it("main(['inspect', csv, '--where', '__proto__==x0']) and constructor==c1 filter on the tags", async () => {
    const a = await runCli(['inspect', csv, '--where', '__proto__==x0', '--json']);
    expect(a.stderr).toBe('');
    expect(JSON.parse(a.stdout).rows_kept).toBe(6);
    const b = await runCli(['inspect', csv, '--where', 'constructor==c1', '--json']);
    expect(JSON.parse(b.stdout).rows_kept).toBe(3);
  });

  it("main(['isoflop', csv, '--budget-column', 'toString']) says there is no such column (not Object's toString)", async () => {
    const r = await runCli(['isoflop', 'test/fixtures/bad/crlf.csv', '--budget-column', 'toString']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'scalefit: error: --budget-column toString: no such column (other columns: none)\n',
    });
  });

  it("main(['report', csv, '--train', '__proto__==x0']) trains on the x0 rows and holds out the rest", async () => {
    const out = join(dir, 'report');
    const r = await runCli(['report', csv, '--train', '__proto__==x0', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = readFileSync(join(out, 'predictions.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.filter((l) => l.includes(',train,')).length).toBe(6);
    expect(rows.filter((l) => l.includes(',held-out,')).length).toBe(6);
  });
});
