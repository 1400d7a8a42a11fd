import { runCli as run } from './helpers/runCli.ts';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { kaplanC } from '../src/laws/kaplan-c.ts';
import { kaplanND } from '../src/laws/kaplan-nd.ts';
import { kaplanRuns } from './helpers/kaplanData.ts';
import { isoflopRuns, lossCurves, toCsv } from './helpers/isoflopData.ts';
import { KAPLAN_PUBLISHED } from './helpers/lawParams.ts';
import { syntheticRuns } from './helpers/synthetic.ts';

// Hoffmann et al. 2022 (arXiv:2203.15556) approach 3 parameters.
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scalefit-cli-'));
  writeFileSync(
    join(dir, 'chin.csv'),
    toCsv(
      syntheticRuns((N, D) => chinchilla.predict(HOFFMANN, { N, D }), { rows: 80, seed: 9 }),
      ['N', 'D', 'loss'],
    ),
  );
  writeFileSync(
    join(dir, 'nd.csv'),
    toCsv(kaplanRuns(kaplanND, KAPLAN_PUBLISHED['kaplan-nd']!, { rows: 80, seed: 2 }), ['N', 'D', 'loss']),
  );
  writeFileSync(join(dir, 'iso.csv'), toCsv(isoflopRuns(HOFFMANN), ['N', 'D', 'C', 'loss', 'budget']));
  writeFileSync(join(dir, 'curves.csv'), toCsv(lossCurves(HOFFMANN), ['run', 'N', 'D', 'loss']));
});

describe('scalefit predict / optimal: round trip through a fit JSON written by fit', () => {
  it("predict fits/X.json --N 70B --D 1.4T prints the fitted law's loss at each point", async () => {
    const fitFile = join(dir, 'fits', 'chin.json');
    expect((await run(['fit', join(dir, 'chin.csv'), '--out', fitFile])).code).toBe(0);
    const params = JSON.parse(readFileSync(fitFile, 'utf8')).params;
    const r = await run(['predict', fitFile, '--N', '70B', '--N', '7B', '--D', '1.4T', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.points).toHaveLength(2);
    expect(json.points[0].loss).toBeCloseTo(chinchilla.predict(params, { N: 70e9, D: 1.4e12 }), 12);
    expect(json.points[1].C).toBeCloseTo(6 * 7e9 * 1.4e12, -8);
    expect(json.points[0].loss).toBeCloseTo(chinchilla.predict(HOFFMANN, { N: 70e9, D: 1.4e12 }), 4);
    const text = await run(['predict', fitFile, '--N', '70B', '--D', '1.4T']);
    expect(text.stdout).toMatch(/C \(FLOPs\)/);
  });

  it('predict --at points.csv reads the points from a CSV', async () => {
    const fitFile = join(dir, 'fits', 'chin-at.json');
    await run(['fit', join(dir, 'chin.csv'), '--out', fitFile]);
    writeFileSync(join(dir, 'points.csv'), 'params,tokens\n70B,1.4T\n1e9,2e10\n');
    const json = JSON.parse((await run(['predict', fitFile, '--at', join(dir, 'points.csv'), '--json'])).stdout);
    expect(json.points.map((p: { N: number }) => p.N)).toEqual([70e9, 1e9]);
  });

  it('optimal fits/X.json --compute 5.76e23 --params 70B --json gives a, b, allocations and the inverse', async () => {
    const fitFile = join(dir, 'fits', 'chin-opt.json');
    await run(['fit', join(dir, 'chin.csv'), '--out', fitFile]);
    const r = await run(['optimal', fitFile, '--compute', '5.76e23', '--compute', '1e24', '--params', '70B', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    // The fit recovers Hoffmann's law from noise-free data, so a = beta/(alpha+beta) = 0.4516.
    expect(json.a).toBeCloseTo(0.4516, 3);
    expect(json.b).toBeCloseTo(0.5484, 3);
    expect(json.per_10x.N).toBeCloseTo(10 ** json.a, 10);
    expect(json.allocations).toHaveLength(2);
    expect(Object.keys(json.allocations[0])).toEqual(['compute', 'N_opt', 'D_opt', 'tokens_per_param', 'loss']);
    expect(json.allocations[0].compute).toBe(5.76e23);
    expect(json.inverse[0].N_opt).toBe(70e9);
    const text = (await run(['optimal', fitFile, '--compute', '5.76e23'])).stdout;
    expect(text).toMatch(/per 10x compute: model x2\.8\d, data x3\.5\d/);
    expect(text).toMatch(/compute \(FLOPs\)/);
  });

  it('optimal --compute-unit pf-days reads the budget in PF-days', async () => {
    const fitFile = join(dir, 'fits', 'chin-pf.json');
    await run(['fit', join(dir, 'chin.csv'), '--out', fitFile]);
    const json = JSON.parse(
      (await run(['optimal', fitFile, '--compute', '6666.67', '--compute-unit', 'pf-days', '--json'])).stdout,
    );
    expect(json.allocations[0].compute).toBeCloseTo(6666.67 * 8.64e19, -10);
  });

  it('fit --law kaplan-nd --offset writes kaplan-nd-offset, and optimal reads it (numeric optimum)', async () => {
    const fitFile = join(dir, 'fits', 'nd.json');
    const f = await run(['fit', join(dir, 'nd.csv'), '--law', 'kaplan-nd', '--offset', '--out', fitFile]);
    expect(f.code).toBe(0);
    expect(f.stdout).toMatch(/units: E in loss, N_c in parameters, D_c in tokens/);
    const fit = JSON.parse(readFileSync(fitFile, 'utf8'));
    expect(fit.law).toBe('kaplan-nd-offset');
    expect(Object.keys(fit.params)).toEqual(['E', 'N_c', 'D_c', 'alpha_N', 'alpha_D']);
    const r = await run(['optimal', fitFile, '--compute', '1e21', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).exponents).toMatch(/local/);
  });

  it('predict refuses a point that lacks a variable of the law', async () => {
    const fitFile = join(dir, 'fits', 'nd-plain.json');
    await run(['fit', join(dir, 'nd.csv'), '--law', 'kaplan-nd', '--out', fitFile]);
    const r = await run(['predict', fitFile, '--N', '1B']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --D/);
  });

  it('optimal refuses a one-variable law', async () => {
    const fitFile = join(dir, 'fits', 'n.json');
    expect((await run(['fit', 'test/fixtures/kaplan-n-only.csv', '--law', 'kaplan-n', '--out', fitFile])).code).toBe(0);
    const r = await run(['optimal', fitFile, '--compute', '1e21']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kaplan-n is a law of N: a compute-optimal allocation needs a law of N and D/);
  });

  it('predict and optimal refuse a truncated fit file clearly', async () => {
    const bad = join(dir, 'truncated.json');
    writeFileSync(bad, '{"scalefit": "0.1.0", "law": "chinchilla", "params": {"E": 1.6');
    for (const cmd of [
      ['predict', bad, '--N', '1B', '--D', '1T'],
      ['optimal', bad, '--compute', '1e21'],
    ]) {
      const r = await run(cmd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not a fit JSON file \(invalid JSON/);
    }
  });

  it("predict refuses a fit file that lacks its law's parameters", async () => {
    const fitFile = join(dir, 'fits', 'chin-bad.json');
    await run(['fit', join(dir, 'chin.csv'), '--out', fitFile]);
    const fit = JSON.parse(readFileSync(fitFile, 'utf8'));
    delete fit.params.beta;
    writeFileSync(fitFile, JSON.stringify(fit));
    const r = await run(['predict', fitFile, '--N', '1B', '--D', '1T']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lacks parameter\(s\) beta/);
  });
});

describe('scalefit fit --law kaplan-*', () => {
  it('fit data.csv --law kaplan-n on a CSV with just N,loss', async () => {
    const r = await run(['fit', 'test/fixtures/kaplan-n-only.csv', '--law', 'kaplan-n', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.law).toBe('kaplan-n');
    expect(json.params.alpha_N).toBeCloseTo(0.076, 3);
    expect(json.units).toEqual({ N_c: 'parameters', compute: 'FLOPs' });
  });

  it('fit --law kaplan-nd on a CSV with just N,loss names the missing D column', async () => {
    const r = await run(['fit', 'test/fixtures/kaplan-n-only.csv', '--law', 'kaplan-nd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing column D \(tokens/);
  });

  it('fit --law kaplan-c --compute-unit pf-days labels C_c in FLOPs and PF-days', async () => {
    const file = join(dir, 'c.csv');
    const truth = KAPLAN_PUBLISHED['kaplan-c']!;
    writeFileSync(
      file,
      `C,loss\n${[1e-3, 1e-2, 0.1, 1, 10].map((c) => `${c},${kaplanC.predict(truth, { C: c * 8.64e19 })}`).join('\n')}\n`,
    );
    const r = await run(['fit', file, '--law', 'kaplan-c', '--compute-unit', 'pf-days']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/units: C_c in FLOPs \(= 3\.1e\+8 PF-days\)/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/compute-efficient frontier kept 5 of 5 runs/);
  });

  it('fit --law chinchilla --offset is refused', async () => {
    const r = await run(['fit', join(dir, 'chin.csv'), '--offset']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already has an irreducible term E/);
  });
});

describe('scalefit isoflop / envelope', () => {
  it('isoflop data.csv --json prints a, b and the per-budget allocations; --out writes the same JSON', async () => {
    const out = join(dir, 'iso.json');
    const r = await run(['isoflop', join(dir, 'iso.csv'), '--json', '--out', out]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Math.abs(json.a - 0.28 / 0.62)).toBeLessThan(0.01);
    expect(json.allocations).toHaveLength(9);
    expect(Object.keys(json.allocations[0])).toEqual(['compute', 'N_opt', 'D_opt', 'tokens_per_param', 'loss']);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    const byCol = JSON.parse(
      (await run(['isoflop', join(dir, 'iso.csv'), '--budget-column', 'budget', '--json'])).stdout,
    );
    expect(byCol.a).toBeCloseTo(json.a, 12);
  });

  it('isoflop text output labels units and lists skipped budgets', async () => {
    const r = await run(['isoflop', join(dir, 'iso.csv'), '--where', 'N<3e8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C in FLOPs/);
    expect(r.stdout).toMatch(/skipped \(\d+\):/);
  });

  it('envelope curves.csv --json recovers a within 0.01', async () => {
    const out = join(dir, 'env.json');
    const r = await run(['envelope', join(dir, 'curves.csv'), '--json', '--out', out]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Math.abs(json.a - 0.28 / 0.62)).toBeLessThan(0.01);
    expect(existsSync(out)).toBe(true);
  });

  it('envelope refuses an existing --out without --force', async () => {
    const out = join(dir, 'env-exists.json');
    writeFileSync(out, 'x');
    const r = await run(['envelope', join(dir, 'curves.csv'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists; pass --force/);
  });
});
