import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOFFMANN } from './helpers/reportFixture.ts';
import { lossCurves, toCsv } from './helpers/isoflopData.ts';
import { spawnCli } from './helpers/spawnCli.ts';

/**
 * The crash classes of the real process (issue 14), which in-process runs of main() cannot see: each test spawns
 * `node bin/scalefit.js`.
 */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const curves = join(dir, 'curves.csv');
writeFileSync(curves, toCsv(lossCurves(HOFFMANN).filter((_, i) => i % 6 === 0), ['N', 'D', 'loss', 'run']));

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
  it.each(COMMANDS)('scalefit %s with its stdout closed by the reader exits quietly (no EPIPE stack), exit 0', async (...argv) => {
    const r = await spawnCli(argv, { onStart: (child) => child.stdout!.destroy() });
    expect(r.stderr).toBe('');
    expect(r.signal).toBe(null);
    expect(r.code).toBe(0);
  }, 120_000);
});
