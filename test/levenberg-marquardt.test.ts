import { describe, expect, it } from 'vitest';
import { loadRuns } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { syntheticRuns } from './helpers/synthetic.ts';

const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const MSE_LINEAR = { loss: { kind: 'mse' as const, delta: 1e-3, space: 'linear' as const } };

describe('fitLaw(..., {optimizer: lm})', () => {
  const cases = [
    {
      name: 'Epoch reconstruction (240 runs)',
      runs: loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs,
    },
    {
      name: 'generated, 1% noise',
      runs: syntheticRuns((N, D) => chinchilla.predict(HOFFMANN, { N, D }), { rows: 200, seed: 21, sigma: 0.01 }),
    },
  ];
  for (const { name, runs } of cases) {
    it(`fitLaw(chinchilla, ${name}, {optimizer: lm, mse, linear}) matches L-BFGS on the same least-squares objective`, () => {
      const lm = fitLaw(chinchilla, runs, { ...MSE_LINEAR, optimizer: 'lm' });
      const lb = fitLaw(chinchilla, runs, MSE_LINEAR);
      expect(lm.converged).toBe(true);
      expect(Math.abs(lm.objective / lb.objective - 1)).toBeLessThan(1e-8);
      for (const p of ['E', 'alpha', 'beta']) expect(lm.params[p]!).toBeCloseTo(lb.params[p]!, 4);
      for (const p of ['A', 'B']) expect(lm.params[p]! / lb.params[p]!).toBeCloseTo(1, 2);
    });
  }

  it('fitLaw(chinchilla, noise-free runs, {optimizer: lm}) recovers the truth', () => {
    const runs = syntheticRuns((N, D) => chinchilla.predict(HOFFMANN, { N, D }), { rows: 100, seed: 4 });
    const fit = fitLaw(chinchilla, runs, { ...MSE_LINEAR, optimizer: 'lm' });
    for (const [p, v] of Object.entries(HOFFMANN)) expect(fit.params[p]! / v).toBeCloseTo(1, 4);
  });

  it('fitLaw(chinchilla, runs, {optimizer: lm, fix E, tie beta=alpha}) recovers the truth with 3 free parameters', () => {
    const truth = { ...HOFFMANN, alpha: 0.3, beta: 0.3 };
    const runs = syntheticRuns((N, D) => chinchilla.predict(truth, { N, D }), { rows: 100, seed: 5 });
    const fit = fitLaw(chinchilla, runs, {
      ...MSE_LINEAR,
      optimizer: 'lm',
      constraints: { fix: { E: 1.69 }, tie: { beta: 'alpha' } },
    });
    expect(fit.converged).toBe(true);
    expect(fit.nFree).toBe(3);
    expect(fit.fixed).toEqual(['E']);
    expect(fit.tied).toEqual({ beta: 'alpha' });
    expect(fit.params.E).toBe(1.69);
    expect(fit.params.beta).toBe(fit.params.alpha);
    for (const [p, v] of Object.entries(truth)) expect(fit.params[p]! / v).toBeCloseTo(1, 4);
  });

  it('fitLaw(chinchilla, runs, {optimizer: lm, bounds}) keeps alpha in its box and agrees with L-BFGS', () => {
    const runs = cases[1]!.runs;
    const constraints = { bounds: { alpha: [0.1, 0.3] as [number, number] } };
    const lm = fitLaw(chinchilla, runs, { ...MSE_LINEAR, optimizer: 'lm', constraints });
    const lb = fitLaw(chinchilla, runs, { ...MSE_LINEAR, constraints });
    expect(lm.params.alpha).toBeLessThanOrEqual(0.3);
    expect(lm.atBound).toEqual(['alpha']);
    expect(lm.bounds).toEqual(constraints.bounds);
    expect(Math.abs(lm.objective / lb.objective - 1)).toBeLessThan(1e-6);
  });

  it('fitLaw(chinchilla, runs, {optimizer: lm, tie, an active and an inactive bound}) reaches the L-BFGS optimum', () => {
    const runs = cases[1]!.runs;
    const constraints = {
      tie: { alpha: 'beta' },
      bounds: { beta: [0.1, 0.3] as [number, number], E: [-Infinity, 1.6] as [number, number] },
    };
    const lm = fitLaw(chinchilla, runs, { ...MSE_LINEAR, optimizer: 'lm', constraints });
    const lb = fitLaw(chinchilla, runs, { ...MSE_LINEAR, constraints });
    expect(lm.converged).toBe(true);
    expect(lm.nFree).toBe(lb.nFree);
    expect([...lm.atBound].sort()).toEqual([...lb.atBound].sort());
    expect(Math.abs(lm.objective / lb.objective - 1)).toBeLessThan(1e-6);
    expect(lm.params.beta).toBeCloseTo(lb.params.beta!, 4);
  });

  it('fitLaw(..., {optimizer: lm, loss: huber}) is refused: LM minimises sums of squares', () => {
    expect(() =>
      fitLaw(chinchilla, cases[0]!.runs, { optimizer: 'lm', loss: { kind: 'huber', delta: 1e-3, space: 'log' } }),
    ).toThrow(/--optimizer lm: .*--loss mse/);
  });
});
