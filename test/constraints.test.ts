import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { makeParametrization, parseConstraintOptions, thetaIndexOf } from '../src/fit/constraints.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { buildFitJson } from '../src/io/fitJson.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { datacon } from '../src/laws/datacon.ts';
import { fitText } from '../src/report/fitText.ts';
import type { Dataset } from '../src/data/types.ts';
import { syntheticRuns } from './helpers/synthetic.ts';

// Hoffmann et al. 2022 eq. 10 (approach 3) parameters, used as the generating truth.
const TRUTH = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const law = (p: Record<string, number>) => (N: number, D: number) => chinchilla.predict(p, { N, D });

function dataset(runs: ReturnType<typeof syntheticRuns>): Dataset {
  return {
    file: 'synthetic.csv',
    sha256: 'x',
    columns: { N: 'N', D: 'D', loss: 'loss' },
    tagColumns: [],
    runs,
    rowsRead: runs.length,
    rowsDropped: 0,
    filters: [],
    excludeTopLoss: 0,
    warnings: [],
    computeUnit: 'flops',
  };
}

describe('constraints', () => {
  it('parseConstraintOptions(fix, tie, bounds) reads NAME=VALUE, NAME=OTHER and NAME=LOW:HIGH', () => {
    expect(parseConstraintOptions(['E=1.69'], ['beta=alpha'], ['alpha=0.1:1', 'beta=:0.5'])).toEqual({
      fix: { E: 1.69 },
      tie: { beta: 'alpha' },
      bounds: { alpha: [0.1, 1], beta: [-Infinity, 0.5] },
    });
    expect(() => parseConstraintOptions(['E'], [], [])).toThrow(/NAME=VALUE/);
    expect(() => parseConstraintOptions([], [], ['alpha=0.1'])).toThrow(/LOW:HIGH/);
  });

  it('thetaIndexOf(law, name) maps natural parameters to their theta coordinates', () => {
    // chinchilla: params E, A, B, alpha, beta; theta a = log A, b = log B, e = log E, alpha, beta.
    expect(['E', 'A', 'B', 'alpha', 'beta'].map((n) => thetaIndexOf(chinchilla, n))).toEqual([2, 0, 1, 3, 4]);
    expect(thetaIndexOf(datacon, 'R_N_star')).toBe(6);
  });

  it('makeParametrization(chinchilla, {fix: {E}}) fixes E, not the first theta coordinate', () => {
    const P = makeParametrization(chinchilla, { fix: { E: 1.69 } });
    const theta = new Float64Array(5);
    P.toTheta(P.toZ([6, 6, 0.5, 0.3, 0.3]), theta);
    const p = chinchilla.toParams(theta);
    expect(p.E).toBeCloseTo(1.69, 12);
    expect(p.A).toBeCloseTo(Math.exp(6), 9);
    expect(P.k).toBe(4);
    expect(P.fixed).toEqual(['E']);
  });

  it('makeParametrization(law, c).gradZ is the chain rule through fix, tie and bound transforms', () => {
    const P = makeParametrization(chinchilla, {
      fix: { E: 1.8 },
      tie: { beta: 'alpha' },
      bounds: { alpha: [0.1, 1], A: [1, Infinity] },
    });
    const f = (t: Float64Array) => t.reduce((s, v, i) => s + (i + 1) * v * v, 0);
    const theta = new Float64Array(5);
    const z = P.toZ([5, 6, 0.5, 0.3, 0.3]);
    P.toTheta(z, theta);
    const gTheta = theta.map((v, i) => 2 * (i + 1) * v);
    const gz = new Float64Array(P.k);
    P.gradZ(z, gTheta, gz);
    for (let j = 0; j < P.k; j++) {
      const h = 1e-6;
      const up = z.slice(),
        down = z.slice();
      up[j]! += h;
      down[j]! -= h;
      const tu = new Float64Array(5),
        td = new Float64Array(5);
      P.toTheta(up, tu);
      P.toTheta(down, td);
      expect(gz[j]!).toBeCloseTo((f(tu) - f(td)) / (2 * h), 5);
    }
  });

  it('makeParametrization refuses unknown names, self-ties, cross-scale ties and empty bounds', () => {
    expect(() => makeParametrization(chinchilla, { fix: { Z: 1 } })).toThrow(/no parameter "Z"/);
    expect(() => makeParametrization(chinchilla, { tie: { alpha: 'alpha' } })).toThrow(/itself/);
    expect(() => makeParametrization(chinchilla, { tie: { alpha: 'A' } })).toThrow(/different scales/);
    expect(() => makeParametrization(chinchilla, { bounds: { A: [-5, -1] } })).toThrow(
      /outside the parameter's domain/,
    );
  });

  it('fitLaw(chinchilla, runs, {fix: {E}}) recovers the other parameters and counts 4 free parameters', () => {
    const runs = syntheticRuns(law(TRUTH), { rows: 150, seed: 11, sigma: 0.003 });
    const fit = fitLaw(chinchilla, runs, { constraints: { fix: { E: 1.69 } } });
    expect(fit.params.E).toBe(1.69);
    expect(fit.nFree).toBe(4);
    expect(fit.fixed).toEqual(['E']);
    expect(fit.params.alpha).toBeCloseTo(0.34, 2);
    expect(fit.params.beta).toBeCloseTo(0.28, 2);
    expect(Math.abs(Math.log(fit.params.A! / 406.4))).toBeLessThan(0.1);
    expect(Math.abs(Math.log(fit.params.B! / 410.7))).toBeLessThan(0.1);
    // lmfit's Gaussian AIC/BIC with the free-parameter count.
    const n = runs.length;
    expect(fit.aic).toBeCloseTo(n * Math.log(fit.rss / n) + 2 * 4, 9);
    expect(fit.bic).toBeCloseTo(n * Math.log(fit.rss / n) + 4 * Math.log(n), 9);
    const free = fitLaw(chinchilla, runs);
    expect(free.nFree).toBe(5);
    expect(free.aic - fit.aic).toBeCloseTo(n * Math.log(free.rss / fit.rss) + 2, 9);
  });

  it('fitLaw(chinchilla, runs, {tie: {beta: alpha}}) recovers a shared exponent with 4 free parameters', () => {
    const truth = { ...TRUTH, alpha: 0.3, beta: 0.3 };
    const runs = syntheticRuns(law(truth), { rows: 150, seed: 12, sigma: 0.003 });
    const fit = fitLaw(chinchilla, runs, { constraints: { tie: { beta: 'alpha' } } });
    expect(fit.params.beta).toBe(fit.params.alpha);
    expect(fit.params.alpha).toBeCloseTo(0.3, 2);
    expect(fit.params.E).toBeCloseTo(1.69, 1);
    expect(fit.nFree).toBe(4);
    expect(fit.tied).toEqual({ beta: 'alpha' });
  });

  it('fitLaw(chinchilla, runs, {bounds}) keeps parameters in the box and names those at a bound', () => {
    const runs = syntheticRuns(law(TRUTH), { rows: 150, seed: 13, sigma: 0.003 });
    const fit = fitLaw(chinchilla, runs, { constraints: { bounds: { alpha: [0.1, 0.3], E: [1.0, Infinity] } } });
    expect(fit.params.alpha).toBeLessThanOrEqual(0.3);
    expect(fit.params.alpha).toBeCloseTo(0.3, 5);
    expect(fit.atBound).toEqual(['alpha']);
    expect(fit.params.E).toBeGreaterThanOrEqual(1.0);
    expect(fit.nFree).toBe(5);
    const inside = fitLaw(chinchilla, runs, { constraints: { bounds: { alpha: [0.1, 1] } } });
    expect(inside.atBound).toEqual([]);
    // A bound that does not bind leaves the optimum where the free fit puts it.
    const free = fitLaw(chinchilla, runs);
    expect(inside.params.alpha).toBeCloseTo(free.params.alpha!, 4);
    expect(inside.objective).toBeCloseTo(free.objective, 9);
  });

  it('fitText(json) shows fixed and tied parameters without an error bar', () => {
    const runs = syntheticRuns(law(TRUTH), { rows: 60, seed: 14, sigma: 0.003 });
    const fit = fitLaw(chinchilla, runs, { constraints: { fix: { E: 1.69 }, tie: { beta: 'alpha' } } });
    const json = buildFitJson(fit, dataset(runs), { stderr: { E: 0, A: 1, B: 1, alpha: 0.01, beta: 0.01 } });
    const text = fitText(json);
    const line = (name: string) => text.split('\n').find((l) => l.trimStart().startsWith(`${name} `))!;
    expect(line('E')).toMatch(/\(fixed\)/);
    expect(line('E')).not.toMatch(/\+\/-/);
    expect(line('beta')).toMatch(/tied to alpha/);
    expect(line('alpha')).toMatch(/\+\/-/);
    expect(text).toMatch(/free parameters {2}= 3/);
  });

  it('scalefit fit --fix E=1.69 --tie beta=alpha --bounds alpha=0.1:1 --json applies them end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-constraints-'));
    const file = join(dir, 'runs.csv');
    const runs = syntheticRuns(law({ ...TRUTH, alpha: 0.3, beta: 0.3 }), { rows: 80, seed: 15, sigma: 0.003 });
    writeFileSync(file, `N,D,loss\n${runs.map((r) => `${r.N},${r.D},${r.loss}`).join('\n')}\n`);
    let out = '';
    const code = await main(
      ['fit', file, '--fix', 'E=1.69', '--tie', 'beta=alpha', '--bounds', 'alpha=0.1:1', '--json'],
      { stdout: (s) => ((out += s), true), stderr: () => true },
    );
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.params.E).toBe(1.69);
    expect(json.params.beta).toBe(json.params.alpha);
    expect(json.params.alpha).toBeCloseTo(0.3, 2);
    expect(json.n_free).toBe(3);
    expect(json.fixed).toEqual(['E']);
    expect(json.tied).toEqual({ beta: 'alpha' });
    let err = '';
    expect(await main(['fit', file, '--fix', 'Z=1'], { stdout: () => true, stderr: (s) => ((err += s), true) })).toBe(
      2,
    );
    expect(err).toMatch(/no parameter "Z"/);
  });
});

describe('constraints under the bootstrap', () => {
  it('scalefit fit --fix E=1.69 --bootstrap gives E no standard error or interval, as the asymptotic path does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-constraints-'));
    const file = join(dir, 'runs.csv');
    const runs = syntheticRuns(law(TRUTH), { rows: 60, seed: 16, sigma: 0.003 });
    writeFileSync(file, `N,D,loss\n${runs.map((r) => `${r.N},${r.D},${r.loss}`).join('\n')}\n`);
    let out = '';
    const code = await main(['fit', file, '--fix', 'E=1.69', '--tie', 'beta=alpha', '--bootstrap', '6', '--json'], {
      stdout: (s) => ((out += s), true),
      stderr: () => true,
    });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.stderr.E).toBeNull();
    expect(json.ci.E).toBeUndefined();
    expect(json.stderr.alpha).toBeGreaterThan(0);
    expect(json.stderr.beta).toBe(json.stderr.alpha);
    expect(json.ci.beta).toEqual(json.ci.alpha);
  });
});

describe('checkFitData with constraints', () => {
  it('fitLaw(chinchilla, one model size, {fix A, alpha}) fits E, B, beta instead of refusing', () => {
    const p = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
    const runs = [1e10, 2e10, 5e10, 1e11, 2e11, 5e11].map((D, i) => ({
      N: 4e8,
      D,
      C: 6 * 4e8 * D,
      loss: chinchilla.predict(p, { N: 4e8, D }),
      tags: {},
      line: i + 2,
    }));
    const fit = fitLaw(chinchilla, runs, { constraints: { fix: { A: 406.4, alpha: 0.34 } } });
    expect(fit.params.B! / 410.7).toBeCloseTo(1, 4);
    expect(fit.params.beta).toBeCloseTo(0.28, 5);
    expect(fit.params.E).toBeCloseTo(1.69, 5);
  });
});
