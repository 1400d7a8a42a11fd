import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/runCli.ts';

/**
 * Hand-edited or corrupted fit files (issue 14, F9): refused with one line and exit 2 by every command that reads
 * one, before it computes anything (they printed N_opt inf, a loss of 1.26e8, a report from 5 of 30 runs, a Vega error).
 */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-fitjson-'));
const good = JSON.parse(readFileSync('fits/epoch-chinchilla.json', 'utf8'));
const refit = "refit with 'scalefit fit DATA --out FILE'";

const TAMPERED: Array<[string, (j: any) => void, string]> = [
  [
    'alpha = 1e308',
    (j) => (j.params.alpha = 1e308),
    'exponent alpha = 1e+308 is above 10, outside any scaling law (hand-edited?)',
  ],
  [
    'a negative exponent',
    (j) => (j.params.beta = -0.3),
    'exponent beta = -0.3 is not positive: under this fit the loss does not fall with scale (a degenerate fit), so predictions and allocations from it are meaningless',
  ],
  [
    'data.N shorter than data.loss',
    (j) => (j.data.N = j.data.N.slice(0, 5)),
    'data.N has 5 values but data.loss has 240; every data column needs one value per run',
  ],
  [
    'empty data',
    (j) => {
      for (const k of ['N', 'D', 'C', 'loss', 'line']) j.data[k] = [];
      j.input.rows_kept = 0;
    },
    'data holds no runs',
  ],
  ['a negative N in data', (j) => (j.data.N[3] = -1), 'data.N[3] = -1 is not a positive finite number'],
  [
    'rows_kept that disagrees with the data',
    (j) => (j.input.rows_kept = 30),
    'input.rows_kept is 30 but data holds 240 runs',
  ],
  [
    'a run without D or C',
    (j) => {
      j.data.D[7] = null;
      j.data.C[7] = null;
    },
    'run 7 in data has no D, which chinchilla needs',
  ],
  ['more runs fitted than held', (j) => (j.n = 500), 'the fit says it used 500 runs but data holds 240'],
  [
    'a fixed parameter the law lacks',
    (j) => (j.fixed = ['gamma']),
    '"gamma" in fixed, tied, bounds or at_bound is not a parameter of chinchilla',
  ],
  ['params missing', (j) => delete j.params.B, 'fit file for chinchilla lacks parameter(s) B'],
];

describe('readFitJson on tampered fit files', () => {
  for (const [name, edit, error] of TAMPERED) {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    const j = structuredClone(good);
    edit(j);
    writeFileSync(file, JSON.stringify(j));
    for (const argv of [
      ['predict', file, '--N', '70B', '--D', '1.4T'],
      ['optimal', file, '--compute', '5.76e23'],
      ['optimal-inference', file, '--compute', '1e22', '--inference-tokens', '1e12'],
      ['report', '--from', file, '--out', join(dir, 'r')],
    ]) {
      it(`main(['${argv[0]}', fit with ${name}]) refuses in one line, exit 2`, async () => {
        const r = await runCli(argv);
        expect(r).toEqual({ code: 2, stdout: '', stderr: `scalefit: error: ${file}: ${error}; ${refit}\n` });
      });
    }
  }

  it("main(['predict', formula-law fit with a negative exponent]) reads it: a formula's signs are its author's", async () => {
    // L = A N^alpha D^beta falls with N and D for alpha, beta < 0; only a built-in law writes its exponents positive.
    const file = join(dir, 'formula.json');
    expect((await runCli(['fit', 'test/fixtures/bad/crlf.csv', '--law', 'A*N^alpha*D^beta', '--out', file])).code).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).params.alpha).toBeLessThan(0);
    const r = await runCli(['predict', file, '--N', '70B', '--D', '1.4T']);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(file, 'utf8'));
    j.params.alpha = -1e308;
    writeFileSync(file, JSON.stringify(j));
    expect((await runCli(['predict', file, '--N', '70B', '--D', '1.4T'])).stderr).toMatch(
      /exponent alpha = -1e\+308 is above 10 in size/,
    );
  });

  it("main(['predict', untouched fit]) still reads the file fits/ ships", async () => {
    expect((await runCli(['predict', 'fits/epoch-chinchilla.json', '--N', '70B', '--D', '1.4T'])).code).toBe(0);
  });
});
