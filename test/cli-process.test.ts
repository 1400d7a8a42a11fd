import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOFFMANN } from './helpers/reportFixture.ts';
import { lossCurves, toCsv } from './helpers/isoflopData.ts';
import { runCli } from './helpers/runCli.ts';
import { spawnCli } from './helpers/spawnCli.ts';
import { STALE_MS } from '../src/io/tempFiles.ts';

/**
 * The crash classes of the real process (issue 14), which in-process runs of main() cannot see: each test spawns
 * `node bin/scalefit.js`.
 */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const curves = join(dir, 'curves.csv');
writeFileSync(
  curves,
  toCsv(
    lossCurves(HOFFMANN).filter((_, i) => i % 6 === 0),
    ['N', 'D', 'loss', 'run'],
  ),
);

const FIT = 'fits/epoch-chinchilla.json';
const SMALL = 'test/fixtures/bad/crlf.csv';
const COMMANDS: string[][] = [
  ['--help'],
  ['--version'],
  ['reproduce', '--help'],
  ['fit', SMALL],
  ['fit', SMALL, '--json'],
  ['inspect', 'data/epoch-chinchilla.csv', '--json'],
  ['predict', FIT, '--N', '70B', '--D', '1.4T'],
  ['optimal', FIT, '--compute', '5.76e23'],
  ['optimal-inference', FIT, '--compute', '1e22', '--inference-tokens', '1e12'],
  ['optimal-datacon', FIT, '--compute', '1e22', '--unique-tokens', '1e11', '--r-d-star', '15', '--r-n-star', '5'],
  ['isoflop', 'data/epoch-chinchilla.csv'],
  ['envelope', curves],
  ['compare', SMALL, '--laws', 'chinchilla,kaplan-n'],
  ['report', SMALL, '--train', 'N<=1.6e9', '--out', join(dir, 'report')],
];

describe.concurrent('the CLI process', () => {
  // `scalefit inspect big.csv --json | head -c 100`: the reader closes the pipe before the output is written.
  it.each(COMMANDS)(
    'scalefit %s with its stdout closed by the reader exits quietly (no EPIPE stack), exit 0',
    async (...argv) => {
      const r = await spawnCli(argv, { onStart: (child) => child.stdout!.destroy() });
      expect(r.stderr).toBe('');
      expect(r.signal).toBe(null);
      expect(r.code).toBe(0);
    },
    120_000,
  );
});

/** Every file under `d` with its bytes (a report's whole state). */
function snapshot(d: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(d, { recursive: true })
      .map(String)
      .sort()
      .filter((f) => statSync(join(d, f)).isFile())
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(d, f)))
          .digest('hex'),
      ]),
  );
}
const temps = (d: string) => readdirSync(d).filter((f) => /\.tmp$|\.old$/.test(f));
const FAULTS = ['--import', './test/helpers/writeFaults.mjs'];

describe('the CLI process under kills, full disks and concurrent runs', () => {
  it('scalefit inspect --json > file on a full file system (ulimit -f: EFBIG) fails in one line, exit 1, instead of a silently cut file', async () => {
    // Node's stdout stream ignores a short write to a file: the JSON was cut at the limit and the exit code was 0.
    const out = join(dir, 'inspect.json');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        'bash',
        [
          '-c',
          `ulimit -f 20 && exec "${process.execPath}" bin/scalefit.js inspect data/epoch-chinchilla.csv --json > ${out}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe(
      'scalefit: error: cannot write to stdout (EFBIG: file too large); the output is incomplete\n',
    );
    expect(r.code).toBe(1);
  }, 120_000);

  it('scalefit report --force SIGKILLed mid-write leaves the old report whole; the next run sweeps the stale temp folder', async () => {
    const base = join(dir, 'killed');
    const out = join(base, 'report');
    expect((await runCli(['report', SMALL, '--out', out, '--train', 'N<=1.6e9'])).code).toBe(0);
    const old = snapshot(out);
    // Paused in the third file written (per-file renames had replaced index.html and report.md by then).
    const r = await spawnCli(['report', SMALL, '--out', out, '--force'], {
      nodeArgs: FAULTS,
      env: { ...process.env, WRITE_FAULT: 'pause:3' },
      onStart: (child) =>
        child.stderr!.on('data', (b: Buffer) => b.toString().includes('paused') && child.kill('SIGKILL')),
    });
    expect(r.signal).toBe('SIGKILL');
    expect(snapshot(out)).toEqual(old);
    expect(temps(base)).toHaveLength(1);
    const longAgo = (Date.now() - STALE_MS - 60_000) / 1000;
    utimesSync(join(base, temps(base)[0]!), longAgo, longAgo);
    expect((await runCli(['report', SMALL, '--out', out, '--force'])).code).toBe(0);
    expect(temps(base)).toEqual([]);
    expect(snapshot(out)).not.toEqual(old); // the new report (no --train) replaced the old one
  }, 180_000);

  it('scalefit report --force on a disk that fills up mid-report fails in one line (exit 1) and leaves the old report whole', async () => {
    const base = join(dir, 'full');
    const out = join(base, 'report');
    expect((await runCli(['report', SMALL, '--out', out])).code).toBe(0);
    const old = snapshot(out);
    const r = await spawnCli(['report', SMALL, '--out', out, '--force', '--train', 'N<=1.6e9'], {
      nodeArgs: FAULTS,
      env: { ...process.env, WRITE_FAULT: 'enospc:3' },
    });
    expect(r.stderr).toBe(
      `scalefit: error: cannot write ${out}/ (ENOSPC: disk full); the previous report, if any, is unchanged\n`,
    );
    expect(r.code).toBe(1);
    expect(snapshot(out)).toEqual(old);
    expect(temps(base)).toEqual([]);
  }, 180_000);

  it('scalefit report --force under a file-size limit (ulimit -f: writes fail with EFBIG) leaves the old report whole', async () => {
    const base = join(dir, 'fsize');
    const out = join(base, 'report');
    expect((await runCli(['report', SMALL, '--out', out])).code).toBe(0);
    const old = snapshot(out);
    // 200 KB: the fit JSON and CSV fit, the self-contained index.html (about 900 KB, Vega inlined) does not.
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        'bash',
        [
          '-c',
          `ulimit -f 200 && exec "${process.execPath}" bin/scalefit.js report ${SMALL} --out ${out} --force --train N\\<=1.6e9`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toBe(
      `scalefit: error: cannot write ${out}/ (EFBIG: file too large (file size limit)); the previous report, if any, is unchanged\n`,
    );
    expect(r.code).toBe(1);
    expect(snapshot(out)).toEqual(old);
    expect(temps(base)).toEqual([]);
  }, 180_000);

  it('two concurrent scalefit fit --out x.json (no --force): one writes, the other fails with exit 2 and says the file exists', async () => {
    const out = join(dir, 'concurrent.json');
    // A bootstrap keeps both runs busy after their start-up checks, so both pass them before either writes.
    const argv = ['fit', SMALL, '--bootstrap', '40', '--seed', '1', '--workers', '1', '--out', out];
    const [a, b] = await Promise.all([spawnCli(argv), spawnCli(argv)]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toMatch(
      new RegExp(
        `^scalefit: error: ${out} exists( \\(another run wrote it meanwhile\\))?; pass --force to overwrite it or choose another --out\\n$`,
      ),
    );
    expect(loser.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).law).toBe('chinchilla');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);

  it('two concurrent scalefit report --out R (no --force): one report is written whole, the other run fails with exit 2', async () => {
    const base = join(dir, 'race');
    const out = join(base, 'report');
    const argv = ['report', SMALL, '--out', out, '--bootstrap', '20', '--seed', '1', '--workers', '1'];
    const [a, b] = await Promise.all([spawnCli(argv), spawnCli(argv)]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    expect((a.code === 2 ? a : b).stderr).toMatch(/^scalefit: error: .* already holds a report .*--force.*\n$/);
    expect(Object.keys(snapshot(out))).toEqual(
      expect.arrayContaining(['index.html', 'report.md', 'fit.json', 'predictions.csv', 'charts/7-bootstrap.png']),
    );
    expect(temps(base)).toEqual([]);
  }, 180_000);
});
