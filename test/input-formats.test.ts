import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { readRuns } from '../src/data/readRuns.ts';
import type { LoadOptions } from '../src/data/load.ts';
import { runCli } from './helpers/runCli.ts';

// The same 30 runs as CSV, JSON lines and Parquet, made by scripts/make-format-fixtures.mjs.
const FIXTURES = 'test/fixtures/formats';
const FORMATS = ['csv', 'jsonl', 'parquet'] as const;
const dir = mkdtempSync(join(tmpdir(), 'scalefit-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs without `line`: the source location differs by format (a CSV's first run is on line 2, the others' on 1). */
async function runsOf(format: string, o: LoadOptions = {}) {
  const ds = await readRuns(join(FIXTURES, `runs.${format}`), o);
  return { ds, runs: ds.runs.map(({ line: _line, ...r }) => r) };
}

function writeParquet(
  name: string,
  columns: Array<{ name: string; data: unknown[]; type: 'DOUBLE' | 'STRING' | 'INT64' }>,
): string {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData: columns as never })));
  return path;
}

describe('readRuns(CSV, JSON lines, Parquet)', () => {
  it('readRuns(runs.csv | runs.jsonl | runs.parquet) gives identical runs, with the same aliases, filters and derived columns', async () => {
    for (const o of [{}, { where: ['dataset==c4', 'N>=1e9'], excludeTopLoss: 2 }] as LoadOptions[]) {
      const [csv, jsonl, parquet] = await Promise.all(FORMATS.map((f) => runsOf(f, o)));
      expect(csv!.runs.length).toBeGreaterThan(5);
      expect(jsonl!.runs).toEqual(csv!.runs);
      expect(parquet!.runs).toEqual(csv!.runs);
      for (const other of [jsonl!, parquet!]) {
        expect(other.ds.rowsRead).toBe(csv!.ds.rowsRead);
        expect(other.ds.columns).toEqual(csv!.ds.columns);
        expect(other.ds.tagColumns).toEqual(csv!.ds.tagColumns);
      }
    }
  });

  it('readRuns(parquet) names rows in errors and warnings, where a CSV names lines', async () => {
    const bad = writeParquet('bad-loss.parquet', [
      { name: 'params', data: [1n * 10n ** 8n, 2n * 10n ** 8n, 4n * 10n ** 8n], type: 'INT64' },
      { name: 'tokens', data: [2e9, 4e9, 8e9], type: 'DOUBLE' },
      { name: 'loss', data: [3.1, 2.9, -1], type: 'DOUBLE' },
    ]);
    await expect(readRuns(bad)).rejects.toThrow(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: row 3: column "loss": -1 is not positive`),
    );
    const noLoss = writeParquet('no-loss.parquet', [
      { name: 'params', data: [1e8], type: 'DOUBLE' },
      { name: 'tokens', data: [2e9], type: 'DOUBLE' },
    ]);
    await expect(readRuns(noLoss)).rejects.toThrow(/no-loss\.parquet: no loss column; expected one of loss, val_loss/);
    const dup = writeParquet('dup.parquet', [
      { name: 'N', data: [1e8, 1e8], type: 'DOUBLE' },
      { name: 'D', data: [2e9, 2e9], type: 'DOUBLE' },
      { name: 'loss', data: [3, 3], type: 'DOUBLE' },
    ]);
    expect((await readRuns(dup)).warnings.join(' ')).toMatch(/first: row 2 repeats row 1/);
  });

  it('readRuns(jsonl) refuses a line that is not a JSON object, or a bad value, naming the line', async () => {
    const write = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    await expect(readRuns(write('a.jsonl', '{"N": 1e8, "D": 2e9, "loss": 3}\n{"N": 1e8,\n'))).rejects.toThrow(
      /a\.jsonl:2: not valid JSON/,
    );
    await expect(readRuns(write('b.jsonl', '{"N": 1e8, "D": 2e9, "loss": 3}\n\n[1, 2]\n'))).rejects.toThrow(
      /b\.jsonl:3: expected a JSON object per line/,
    );
    await expect(
      readRuns(write('c.jsonl', '{"N": 1e8, "D": 2e9, "loss": 3}\n{"N": 2e8, "D": 2e9, "loss": "n/a"}\n')),
    ).rejects.toThrow(/c\.jsonl:2: column "loss": "n\/a" is not a number/);
    await expect(readRuns(write('d.jsonl', '\n\n'))).rejects.toThrow(/d\.jsonl: the file is empty/);
    await expect(readRuns(write('e.parquet', 'N,D,loss\n1,2,3\n'))).rejects.toThrow(
      /e\.parquet: not a readable Parquet file/,
    );
  });

  it('scalefit fit runs.parquet and runs.jsonl fit as runs.csv does', async () => {
    const params = await Promise.all(
      FORMATS.map(async (f) => {
        const r = await runCli(['fit', join(FIXTURES, `runs.${f}`), '--where', 'dataset==c4', '--json', '--quiet']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        return (JSON.parse(r.stdout) as { params: unknown }).params;
      }),
    );
    expect(params[1]).toEqual(params[0]);
    expect(params[2]).toEqual(params[0]);
  });
});
