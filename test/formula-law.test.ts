import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuns } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { formulaLaw } from '../src/laws/formula.ts';
import { getLaw } from '../src/laws/index.ts';
import { makeDesign } from '../src/core/law.ts';
import { runCli } from './helpers/runCli.ts';

const CHINCHILLA_FORMULA = 'E + A/N^alpha + B/D^beta';
const epoch = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs;
const dir = mkdtempSync(join(tmpdir(), 'scalefit-formula-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('formula laws', () => {
  it('formulaLaw(text) finds the parameters as the symbols that are not data columns, exponents on a linear scale', () => {
    const law = formulaLaw('E + A/N^alpha + B/D^beta + F/(N*D)^gamma');
    expect(law.paramNames).toEqual(['E', 'A', 'alpha', 'B', 'beta', 'F', 'gamma']);
    expect(law.variables).toEqual(['N', 'D']);
    expect(law.thetaNames).toEqual(['log E', 'log A', 'alpha', 'log B', 'beta', 'log F', 'gamma']);
    expect(formulaLaw('L(N, D) = E + A/N^alpha').paramNames).toEqual(['E', 'A', 'alpha']);
  });

  it('fitLaw(formula equal to chinchilla) reaches the built-in optimum on the Epoch data to 1e-9 relative objective', () => {
    const builtin = fitLaw(chinchilla, epoch);
    const user = fitLaw(getLaw(CHINCHILLA_FORMULA), epoch);
    expect(user.converged).toBe(true);
    // 1e-9: the bar; both polish to gtol 1e-11, so the two optima agree to rounding (~1e-15 here).
    expect(Math.abs(user.objective - builtin.objective) / builtin.objective).toBeLessThan(1e-9);
    // Parameters agree less closely than the objective: B and beta move along a flat valley (1e-7 relative here).
    for (const p of chinchilla.paramNames)
      expect(Math.abs(user.params[p]! / builtin.params[p]! - 1)).toBeLessThan(1e-5);
  });

  it('law.logPredict(theta, X, out, jac) matches central finite differences of log L-hat', () => {
    const law = formulaLaw('E + A/N^alpha + B/D^beta + F/(N*D)^gamma + exp(-c*log(C))');
    const X = makeDesign(epoch.slice(0, 30));
    const theta = law.toTheta({ E: 1.7, A: 400, alpha: 0.34, B: 410, beta: 0.28, F: 50, gamma: 0.1, c: 0.05 });
    const k = theta.length,
      n = X.n;
    const out = new Float64Array(n),
      jac = new Float64Array(n * k),
      plus = new Float64Array(n),
      minus = new Float64Array(n);
    law.logPredict(theta, X, out, jac);
    for (let j = 0; j < k; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      law.logPredict(
        theta.map((t, i) => (i === j ? t + h : t)),
        X,
        plus,
      );
      law.logPredict(
        theta.map((t, i) => (i === j ? t - h : t)),
        X,
        minus,
      );
      for (let i = 0; i < n; i++) {
        const fd = (plus[i]! - minus[i]!) / (2 * h);
        // Central differences err by O(h^2 f''') ~ 1e-12 plus rounding eps/h ~ 1e-10 of log L (order 1).
        expect(Math.abs(jac[i * k + j]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('law.gradient(params, point) matches finite differences in the natural parameters, law.predict the built-in law', () => {
    const law = getLaw(CHINCHILLA_FORMULA);
    const p = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
    const point = { N: 70e9, D: 1.4e12 };
    expect(law.predict(p, point)).toBeCloseTo(chinchilla.predict(p, point), 12);
    const g = law.gradient(p, point);
    const builtin = chinchilla.gradient(p, point);
    for (const name of law.paramNames) {
      const h = 1e-6 * Math.abs(p[name as keyof typeof p]);
      const fd =
        (law.predict({ ...p, [name]: p[name as keyof typeof p] + h }, point) -
          law.predict({ ...p, [name]: p[name as keyof typeof p] - h }, point)) /
        (2 * h);
      // Relative 1e-6: central differences of an O(1) value with h ~ 1e-6 relative keep ~8 digits.
      expect(Math.abs(g[name]! - fd)).toBeLessThan(1e-6 * Math.max(1e-6, Math.abs(fd)) + 1e-12);
      expect(g[name]).toBeCloseTo(builtin[name]!, 10);
    }
  });

  it('formulaLaw(JSON spec) takes bounds, scales and starts; a bound holds', () => {
    const spec = JSON.stringify({
      formula: CHINCHILLA_FORMULA,
      bounds: { alpha: [0, 0.3] },
      scales: { E: 'linear' },
      starts: [{ E: 1.8, A: 480, B: 2100, alpha: 0.3, beta: 0.37 }],
    });
    const law = getLaw(spec);
    expect(law.thetaNames).toEqual(['E', 'log A', 'alpha', 'log B', 'beta']);
    const r = fitLaw(law, epoch);
    expect(r.params.alpha).toBeLessThanOrEqual(0.3 + 1e-12);
    expect(r.atBound).toContain('alpha');
  });

  it('formulaLaw(JSON spec) reads null as an open side, also the low side of a log-scale parameter', () => {
    // A log-scale parameter is positive: its open low side is 0 (theta -> -Infinity), not a refusal.
    const law = getLaw(JSON.stringify({ formula: CHINCHILLA_FORMULA, bounds: { E: [null, 1.7] } }));
    expect(law.parameters.find((s) => s.name === 'E')!.bounds).toEqual([0, 1.7]);
    expect(law.thetaBounds![law.thetaNames.indexOf('log E')]).toEqual([-Infinity, Math.log(1.7)]);
    expect(fitLaw(law, epoch).params.E).toBeLessThanOrEqual(1.7 + 1e-12);
  });

  it('formulaLaw(text) refuses bad formulas with one clear line', () => {
    expect(() => formulaLaw('E + A/N^')).toThrow(/does not parse/);
    expect(() => formulaLaw('E + foo(N)')).toThrow(/unknown function foo\(\); known functions: exp, log/);
    expect(() => formulaLaw('N * D')).toThrow(/has no parameters/);
    expect(() => formulaLaw('E + A * alpha')).toThrow(/reads no data variable; use at least one of N, D, C, S, U/);
    expect(() => formulaLaw('E + A/N^alpha > 1')).toThrow(/operator ">" is not supported/);
    expect(() => getLaw(JSON.stringify({ formula: CHINCHILLA_FORMULA, bounds: { gamma: [0, 1] } }))).toThrow(
      /bounds names "gamma", which is not a parameter/,
    );
  });
});

describe('scalefit with --law FORMULA', () => {
  it('scalefit fit --law "FORMULA" --out fit.json, then predict and optimal from the fit file', async () => {
    const fitFile = join(dir, 'fit.json');
    const r = await runCli([
      'fit',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--law',
      CHINCHILLA_FORMULA,
      '--out',
      fitFile,
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(fitFile, 'utf8')) as { law: string; params: Record<string, number> };
    expect(saved.law).toBe(CHINCHILLA_FORMULA);
    const builtin = fitLaw(chinchilla, epoch);
    expect(saved.params.alpha).toBeCloseTo(builtin.params.alpha!, 5);
    const p = await runCli(['predict', fitFile, '--N', '70e9', '--D', '1.4e12', '--json']);
    expect(p.code).toBe(0);
    const pred = JSON.parse(p.stdout) as { law: string; points: Array<{ loss: number }> };
    expect(pred.law).toBe(CHINCHILLA_FORMULA);
    expect(pred.points[0]!.loss).toBeCloseTo(chinchilla.predict(builtin.params, { N: 70e9, D: 1.4e12 }), 5);
    const o = await runCli(['optimal', fitFile, '--compute', '5.76e23', '--json']);
    expect(o.stderr).toBe('');
    expect(o.code).toBe(0);
  });

  it("scalefit fit --law FORMULA --bootstrap on worker threads gives the built-in law's bootstrap (workers rebuild it from the formula)", async () => {
    const args = [
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--bootstrap',
      '16',
      '--seed',
      '3',
      '--workers',
      '2',
      '--json',
      '--quiet',
    ];
    const user = await runCli(['fit', ...args, '--law', CHINCHILLA_FORMULA]);
    const builtin = await runCli(['fit', ...args]);
    expect(user.stderr).toBe('');
    expect(user.code).toBe(0);
    const a = JSON.parse(user.stdout) as { params: Record<string, { ci?: number[] } | number> };
    const b = JSON.parse(builtin.stdout) as { params: Record<string, { ci?: number[] } | number> };
    expect(JSON.stringify(a.params.alpha).length).toBeGreaterThan(0);
    const ciOf = (x: { params: Record<string, unknown> }) => JSON.stringify(x.params.alpha);
    // Same resamples, same optimum per resample (to the polish tolerance): the intervals agree to many digits.
    const num = (s: string) => (s.match(/-?\d+\.\d+(e-?\d+)?/g) ?? []).map(Number);
    const [ua, ba] = [num(ciOf(a)), num(ciOf(b))];
    expect(ua.length).toBeGreaterThan(0);
    ua.forEach((v, i) => expect(v).toBeCloseTo(ba[i]!, 4));
  });

  it('scalefit fit --law law.json reads a formula spec file', async () => {
    const file = join(dir, 'law.json');
    writeFileSync(file, JSON.stringify({ formula: CHINCHILLA_FORMULA, bounds: { beta: [0, 0.3] } }));
    const r = await runCli([
      'fit',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--law',
      file,
      '--json',
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain('"beta"');
  });

  it('scalefit compare --laws chinchilla,FORMULA ranks a formula beside the built-in law', async () => {
    const r = await runCli([
      'compare',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--laws',
      `chinchilla,E + A/N^alpha + B/D^beta + F/(N*D)^gamma`,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('E + A/N^alpha + B/D^beta + F/(N*D)^gamma');
  });

  it('scalefit fit --law with a bad formula exits 2 with one line', async () => {
    for (const [law, msg] of [
      ['E + A/N^', /does not parse/],
      ['E + foo(N)', /unknown function foo\(\)/],
      ['N * D', /no parameters/],
      ['E + A * alpha', /no data variable/],
      ['chinchila', /did you mean chinchilla\?/],
      [join(dir, 'missing.json'), /cannot read the formula file/],
    ] as const) {
      const r = await runCli(['fit', 'data/epoch-chinchilla.csv', '--law', law]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('reports of a formula law', () => {
  it('buildReport and fitText name a formula law "user formula" instead of printing the formula twice', async () => {
    const { buildReport } = await import('../src/pipeline/buildReport.ts');
    const r = await buildReport({
      data: 'data/examples/my-runs.csv',
      law: getLaw('E + A/N^alpha + B/D^beta'),
      images: false,
    });
    const md = String(r.files.find((f) => f.path === 'report.md')!.data);
    expect(md).toContain('user formula: `L = E + A/N^alpha + B/D^beta`');
    expect(md.split('E + A/N^alpha + B/D^beta').length - 1).toBe(md.split('L = E + A/N^alpha + B/D^beta').length - 1);
    const html = String(r.files.find((f) => f.path === 'index.html')!.data);
    expect(html).toContain('user formula: L = E + A/N^alpha + B/D^beta');
  });
});
