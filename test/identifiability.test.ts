import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/math/rng.ts';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { identifiability } from '../src/fit/identifiability.ts';
import { asymptoticIntervals, asymptoticUncertainty } from '../src/fit/uncertainty.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { loadRuns } from '../src/data/load.ts';
import { runCli } from './helpers/runCli.ts';

/** An 8 x 3 grid of (N, D) runs, N from 1e7 to 2.2e10 and 5, 20, 80 tokens per parameter, with loss f(N, D). */
function grid(f: (N: number, D: number, i: number) => number): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < 8; i++)
    for (const tpp of [5, 20, 80]) {
      const N = 1e7 * 3 ** i;
      runs.push({ N, D: tpp * N, loss: f(N, tpp * N, runs.length), tags: {}, line: runs.length + 2 });
    }
  return runs;
}

function status(runs: Run[]) {
  const fit = fitLaw(chinchilla, runs);
  const u = asymptoticUncertainty(chinchilla, runs, fit);
  return {
    fit,
    ident: identifiability(chinchilla, runs, fit, asymptoticIntervals(chinchilla, fit, u, 0.95), u.warnings),
  };
}

const random = seededRandom(11, 0);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

describe('identifiability', () => {
  it('identifiability(...) of loss rising with size: converged, not identified (alpha < 0)', () => {
    const { fit, ident } = status(grid((N) => 2 + 0.05 * Math.log(N) + 0.01 * gauss()));
    expect(fit.converged).toBe(true);
    expect(ident.identified).toBe(false);
    expect(ident.status).toMatch(/^converged, not identified: /);
    expect(ident.status).toMatch(/alpha < 0|loss rises with N/);
  });

  it('identifiability(...) of pure noise and of a constant loss: not identified', () => {
    expect(status(grid(() => 3 + 0.05 * gauss())).ident.identified).toBe(false);
    const constant = status(grid(() => 3));
    expect(constant.ident.identified).toBe(false);
    expect(constant.ident.status).toMatch(/A -> 0|B -> 0/);
  });

  it('identifiability(...) of a run with N = 5e-324: not identified', () => {
    const runs: Run[] = [
      [5e-324, 1e9, 3.1],
      [1e8, 1e9, 3.0],
      [1e9, 1e10, 2.6],
      [1e9, 1e9, 2.8],
      [1e8, 1e10, 2.9],
      [3e8, 3e9, 2.75],
    ].map(([N, D, loss], i) => ({ N: N!, D: D!, loss: loss!, tags: {}, line: i + 2 }));
    expect(status(runs).ident.identified).toBe(false);
  });

  it("identifiability(...) of Epoch's Chinchilla data: converged, identified", () => {
    const runs = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs;
    expect(status(runs).ident.status).toBe('converged, identified');
  });

  it('identifiability(...) names E -> 0 and the fix', () => {
    // Loss = A/N^alpha + B/D^beta with no floor: E is driven toward 0 and the status says how to fix it.
    const { ident } = status(grid((N, D) => (400 / N ** 0.34 + 410 / D ** 0.28) * Math.exp(0.002 * gauss())));
    expect(ident.status).toMatch(/E -> 0/);
    expect(ident.status).toMatch(/fix E/);
  });

  it('fit and report print the status, and the report headline carries "not identified"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ident-'));
    const csv = join(dir, 'rising.csv');
    const rows = grid((N) => 2 + 0.05 * Math.log(N) + 0.01 * gauss());
    writeFileSync(csv, `N,D,loss\n${rows.map((r) => `${r.N},${r.D},${r.loss}`).join('\n')}\n`);
    const fit = await runCli(['fit', csv]);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toMatch(/status {11}= converged, not identified: /);
    const json = JSON.parse((await runCli(['fit', csv, '--json'])).stdout);
    expect(json.identifiability.identified).toBe(false);
    const out = join(dir, 'rep');
    const rep = await runCli(['report', csv, '--train', 'N<1e10', '--out', out, '--quiet']);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/The fit is converged, not identified/);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\*\*The fit is converged, not identified/);
    // Key-value tables render as lists in Markdown (GitHub draws an empty header row for a table without headers).
    expect(md).toMatch(/^- \*\*status\*\*: converged, not identified/m);
  }, 60_000);
});
