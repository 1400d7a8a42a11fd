import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

/** Gaps found by the acceptance audit of issues 2 and 7, one test per fix. */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  let stdout = '', stderr = '';
  const code = await main(argv, { stdout: (s) => ((stdout += s), true), stderr: (s) => ((stderr += s), true) });
  return { code, stdout, stderr };
}

describe('audit of issues 2 and 7', () => {
  it("main(['inspect', f, '--json']) keeps the mapped loss when a tag column is also named loss", async () => {
    const f = join(dir, 'two-losses.csv');
    writeFileSync(f, 'N,D,loss,val_loss\n1e8,2e9,3.0,3.5\n2e8,4e9,2.8,3.2\n');
    const r = await run(['inspect', f, '--columns', 'loss=val_loss', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { runs: Array<Record<string, unknown>> };
    expect(json.runs.map((x) => x.loss)).toEqual([3.5, 3.2]);
    expect(json.runs.map((x) => x['tag:loss'])).toEqual(['3.0', '2.8']);
  });
});
