import { runCli as run } from './helpers/runCli.ts';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { readFitJson } from '../src/io/fitJson.ts';
import { loadRunsFromText } from '../src/data/load.ts';
import { lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { atomicWrite, checkOverwrite } from '../src/io/atomicWrite.ts';

/** Gaps found by the acceptance audit of issues 2 and 7, one test per fix. */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it("readFitJson refuses parameters outside the law's domain (a hand-edited E = -1) and names a folder", async () => {
    const good = join(dir, 'good.json');
    expect((await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', good])).code).toBe(0);
    const json = JSON.parse(readFileSync(good, 'utf8')) as { params: Record<string, number> };
    json.params.E = -1;
    const bad = join(dir, 'negative-e.json');
    writeFileSync(bad, JSON.stringify(json));
    expect(() => readFitJson(bad)).toThrow(InputError);
    expect(() => readFitJson(bad)).toThrow(
      `${bad}: parameter E = -1 is outside the domain of chinchilla; refit with 'scalefit fit DATA --out FILE'`,
    );
    const r = await run(['predict', bad, '--N', '1e9', '--D', '2e10']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(() => readFitJson(folder)).toThrow(`${folder}: cannot read fit file (it is a folder, not a file)`);
  });

  it("main(['fit', data, '--out', f]) says whether it wrote a new file or replaced one (--force)", async () => {
    const out = join(dir, 'said.json');
    const first = await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', out]);
    expect(first.stdout).toContain(`wrote ${out} (new file)\n`);
    const again = await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', out, '--force']);
    expect(again.stdout).toContain(`wrote ${out} (replaced the existing file, --force)\n`);
    const iso = join(dir, 'iso.json');
    const r = await run(['isoflop', 'data/epoch-chinchilla.csv', '--out', iso]);
    expect(r.stdout).toContain(`wrote ${iso} (new file)\n`);
  });

  it("main(['inspect', f, '--need', 'N,Q']) refuses an unknown variable in one line, exit 2 (not an internal error)", async () => {
    const r = await run(['inspect', 'test/fixtures/bad/crlf.csv', '--need', 'N,Q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'scalefit: error: --need N,Q: "Q" is unknown; expected a list of N, D, C, S, U separated by ","\n',
    );
  });

  it('loadRunsFromText refuses --columns mapping two variables to one header', () => {
    const text = 'x,D,loss\n1e8,2e9,3.0\n2e8,4e9,2.8\n';
    expect(() => loadRunsFromText(text, 'x.csv', { columns: { N: 'x', D: 'x' } })).toThrow(
      'x.csv:1: --columns maps both N and D to "x"; map each variable to its own column',
    );
  });

  it('atomicWrite refuses to rename a file over a device (--out /dev/stdout --force would replace the device node)', () => {
    const link = join(dir, 'to-dev-null');
    symlinkSync('/dev/null', link);
    expect(() => atomicWrite(link, 'x')).toThrow(InputError);
    expect(() => atomicWrite(link, 'x')).toThrow(
      `${link} is not a regular file (a device, pipe or socket); choose a file name for the output, or print with --json`,
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(() => checkOverwrite(link, true)).toThrow('is not a regular file');
  });

  it("main(['fit', f, '--delta', '-1']) reads -1 as the value and says what --delta expects, in one line", async () => {
    // Node's parseArgs called this "ambiguous" and advised '--delta=-XYZ'; a value may start with '-'.
    const r = await run(['fit', 'test/fixtures/bad/crlf.csv', '--delta', '-1']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'scalefit: error: --delta -1: expected a number > 0 (e.g. 1e-3)\n',
    });
  });
});
