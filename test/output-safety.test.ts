import { runCli as run } from './helpers/runCli.ts';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { atomicWrite } from '../src/io/atomicWrite.ts';
import { readFitJson } from '../src/io/fitJson.ts';
import { STALE_MS } from '../src/io/tempFiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'scalefit-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'));

describe('output safety', () => {
  it('a fit SIGKILLed mid-write leaves the old fit JSON intact, and the next write sweeps its temp file', async () => {
    const d = join(dir, 'killed');
    mkdirSync(d);
    const out = join(d, 'fit.json');
    expect((await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', out])).code).toBe(0);
    const before = readFileSync(out);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/killedWriter.ts', out], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('writing') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before writing`)));
    });
    expect(temps(d)).toHaveLength(1); // the half-written temp file exists while the child is stopped mid-write
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(readFileSync(out)).toEqual(before);
    expect(readFitJson(out).law).toBe('chinchilla');
    // Only an old temp file is swept (its writer may be alive on another host sharing the folder): not yet...
    atomicWrite(join(d, 'fit.json'), before);
    expect(temps(d)).toHaveLength(1);
    // ... but once it is older than STALE_MS.
    const old = (Date.now() - STALE_MS - 60_000) / 1000;
    for (const t of temps(d)) utimesSync(join(d, t), old, old);
    atomicWrite(join(d, 'fit.json'), before);
    expect(temps(d)).toEqual([]);
  });

  it('atomicWrite keeps the old file and removes its temp file when a write fails midway', () => {
    const out = join(dir, 'failing.json');
    writeFileSync(out, 'old\n');
    function* failing(): Generator<string> {
      yield 'half a new fi';
      throw new Error('disk on fire');
    }
    expect(() => atomicWrite(out, failing())).toThrow('disk on fire');
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(temps(dir)).toEqual([]);
  });

  it('atomicWrite refuses a folder as the output name', () => {
    const out = join(dir, 'a-folder');
    mkdirSync(out);
    expect(() => atomicWrite(out, 'x')).toThrow(InputError);
    expect(temps(dir)).toEqual([]);
  });

  it("main(['fit', data, '--out', existing]) refuses without --force and replaces with --force", async () => {
    const out = join(dir, 'exists.json');
    writeFileSync(out, 'precious\n');
    const refused = await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', out]);
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `scalefit: error: ${out} exists; pass --force to overwrite it or choose another --out\n`,
    });
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
    expect((await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', out, '--force'])).code).toBe(0);
    expect(readFitJson(out).n).toBe(12);
  });

  it("main(['fit', data, '--out', f]) twice gives byte-identical fit JSON", async () => {
    const a = join(dir, 'a.json'),
      b = join(dir, 'b.json');
    expect((await run(['fit', 'data/epoch-chinchilla.csv', '--exclude-top-loss', '5', '--out', a])).code).toBe(0);
    expect((await run(['fit', 'data/epoch-chinchilla.csv', '--exclude-top-loss', '5', '--out', b])).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a, 'utf8')).not.toMatch(/wallMs|timestamp|"time"|"date"/);
    expect(existsSync(a)).toBe(true);
  });

  it("main(['fit', data, '--out', unwritable]) fails in one line with exit 1 (not bad input: the machine refused)", async () => {
    const r = await run(['fit', 'test/fixtures/bad/crlf.csv', '--out', '/proc/scalefit-test/fit.json']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'scalefit: error: cannot write /proc/scalefit-test/fit.json: cannot create folder /proc/scalefit-test (ENOENT)\n',
    });
  });
});
