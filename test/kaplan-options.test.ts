import { describe, expect, it } from 'vitest';
import { computeFrontier } from '../src/data/computeFrontier.ts';
import { loadRuns } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { asymptoticUncertainty } from '../src/fit/uncertainty.ts';
import { getLaw } from '../src/laws/index.ts';
import { runCli } from './helpers/runCli.ts';

const EPOCH = 'data/epoch-chinchilla.csv';

describe('Kaplan laws: a flag at its default changes nothing, a constraint does not change the loss (issue 13)', () => {
  it('fit --law kaplan-c --space log gives byte-identical JSON to fit --law kaplan-c', async () => {
    const plain = await runCli(['fit', EPOCH, '--law', 'kaplan-c', '--json']);
    const withSpace = await runCli(['fit', EPOCH, '--law', 'kaplan-c', '--space', 'log', '--json']);
    expect(plain.code).toBe(0);
    expect(withSpace.code).toBe(0);
    expect(withSpace.stdout).toBe(plain.stdout);
    expect(JSON.parse(plain.stdout).loss.kind).toBe('mse');
  });

  it('fit --law kaplan-nd --space log --delta 1e-3 keeps least squares and the same parameters', async () => {
    const plain = JSON.parse((await runCli(['fit', EPOCH, '--law', 'kaplan-nd', '--json'])).stdout);
    const given = JSON.parse(
      (await runCli(['fit', EPOCH, '--law', 'kaplan-nd', '--space', 'log', '--delta', '1e-3', '--json'])).stdout,
    );
    expect(given.loss).toEqual(plain.loss);
    expect(given.params).toEqual(plain.params);
  });

  for (const [law, ...flag] of [
    ['kaplan-c', '--fix', 'alpha_C=0.05'],
    ['kaplan-c', '--bounds', 'alpha_C=0:1'],
    ['kaplan-nd', '--tie', 'alpha_D=alpha_N'],
  ] as const) {
    it(`fit --law ${law} ${flag.join(' ')} stays least squares (not huber)`, async () => {
      const r = await runCli(['fit', EPOCH, '--law', law, ...flag, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).loss.kind).toBe('mse');
    });
  }

  it('fitLaw(kaplan-c, runs, { constraints: bounds }) at an inactive bound gives the least-squares optimum', () => {
    const runs = loadRuns(EPOCH, { need: ['C'] }).runs;
    const law = getLaw('kaplan-c');
    const free = fitLaw(law, runs);
    const bounded = fitLaw(law, runs, { constraints: { bounds: { alpha_C: [0, 1] } } });
    expect(bounded.loss.kind).toBe('mse');
    // Both are the least-squares optimum on the same frontier runs; L-BFGS reaches the exact regression to ~1e-6.
    expect(bounded.params.alpha_C! / free.params.alpha_C!).toBeCloseTo(1, 5);
  });

  it('fit --law kaplan-c --loss huber still gives huber when asked', async () => {
    const r = await runCli(['fit', EPOCH, '--law', 'kaplan-c', '--loss', 'huber', '--json']);
    expect(JSON.parse(r.stdout).loss.kind).toBe('huber');
  });
});

describe('kaplan-c standard errors (issue 13)', () => {
  it('asymptoticUncertainty(kaplan-c) uses the compute-efficient frontier runs the fit used, not every run', () => {
    const runs = loadRuns(EPOCH, { need: ['C'], excludeTopLoss: 5 }).runs;
    const law = getLaw('kaplan-c');
    const fit = fitLaw(law, runs);
    const frontier = computeFrontier(runs);
    expect(frontier.length).toBeLessThan(runs.length);
    const onAll = asymptoticUncertainty(law, runs, fit).stderr;
    const onFrontier = asymptoticUncertainty(law, frontier, fit).stderr;
    // Same numbers: the frontier is what s² and the Jacobian come from, whichever set of runs the caller passes.
    expect(onAll.alpha_C).toBeCloseTo(onFrontier.alpha_C!, 15);
    expect(onAll.C_c! / onFrontier.C_c!).toBeCloseTo(1, 12);
    // and s² from the frontier: the residuals of the frontier runs only
    const X = frontier.map((r) => Math.log(r.loss) - Math.log(law.predict(fit.params, { C: r.C })));
    const s2 = X.reduce((s, r) => s + r * r, 0) / (frontier.length - 2);
    expect(fit.rss / (fit.n - 2)).toBeCloseTo(s2, 12);
  });
});
