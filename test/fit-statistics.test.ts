import { describe, expect, it } from 'vitest';
import type { Run } from '../src/core/run.ts';
import { goodnessOfFit } from '../src/fit/goodnessOfFit.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { runCli } from './helpers/runCli.ts';

const run = (N: number, D: number, loss: number, line: number): Run => ({ N, D, C: 6 * N * D, loss, tags: {}, line });

describe('fit statistics', () => {
  it('goodnessOfFit(law, params, runs) is 1 - SS_res/SS_tot and the root mean square residual, on loss and log loss', () => {
    const runs = [run(1e8, 1e9, 2, 2), run(2e8, 1e9, 3, 3), run(4e8, 1e9, 4, 4), run(8e8, 1e9, 5, 5)];
    // A = B = 0 makes the law the constant E: predicting the mean loss (3.5) gives R² = 0 on loss exactly,
    // SS_res = SS_tot = 1.5² + 0.5² + 0.5² + 1.5² = 5, RMSE = sqrt(5/4).
    const g = goodnessOfFit(chinchilla, { E: 3.5, A: 0, B: 0, alpha: 0.3, beta: 0.3 }, runs);
    expect(g.runs).toBe(4);
    expect(g.r2).toBeCloseTo(0, 14);
    expect(g.rmse).toBeCloseTo(Math.sqrt(5 / 4), 14);
    const logs = [2, 3, 4, 5].map(Math.log);
    const meanLog = logs.reduce((s, x) => s + x, 0) / 4;
    const ssRes = logs.reduce((s, x) => s + (Math.log(3.5) - x) ** 2, 0);
    const ssTot = logs.reduce((s, x) => s + (x - meanLog) ** 2, 0);
    expect(g.r2Log).toBeCloseTo(1 - ssRes / ssTot, 14);
    expect(g.rmseLog).toBeCloseTo(Math.sqrt(ssRes / 4), 14);
    // One residual of 0 and one of -0.5: RMSE = sqrt(0.25 / 2).
    const exact = goodnessOfFit(chinchilla, { E: 2, A: 0, B: 0, alpha: 0.3, beta: 0.3 }, [
      run(1e8, 1e9, 2, 2),
      run(1e9, 1e9, 2.5, 3),
    ]);
    expect(exact.rmse).toBeCloseTo(0.5 / Math.SQRT2, 14);
  });

  it('scalefit fit --json carries R² and RMSE on loss and log loss; the table prints them under [[Fit Statistics]]', async () => {
    const r = await runCli(['fit', 'data/epoch-chinchilla.csv', '--exclude-top-loss', '5', '--loss', 'mse', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const g = json.goodness_of_fit;
    expect(g.runs).toBe(240);
    // For a least-squares fit on log loss the RMSE of log loss is sqrt(RSS/n) of the fit itself.
    expect(g.rmse_log).toBeCloseTo(Math.sqrt(json.rss / 240), 12);
    const logs = (json.data.loss as number[]).map(Math.log);
    const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
    const ssTot = logs.reduce((s, x) => s + (x - mean) ** 2, 0);
    expect(g.r2_log).toBeCloseTo(1 - json.rss / ssTot, 12);
    expect(g.r2).toBeGreaterThan(0.99);
    const text = await runCli(['fit', 'data/epoch-chinchilla.csv', '--exclude-top-loss', '5']);
    expect(text.stdout).toMatch(
      /\[\[Fit Statistics\]\][\s\S]*R\^2 {14}= 0\.99\d+ on loss, 0\.99\d+ on log loss \(240 runs\)\n {4}RMSE {13}= [\d.]+ on loss \(nats\), [\d.]+ on log loss/,
    );
  });

  it('scalefit fit --law kaplan-c scores R² on the compute-efficient frontier runs it was fitted on', async () => {
    const r = await runCli([
      'fit',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--law',
      'kaplan-c',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.goodness_of_fit.runs).toBe(json.n);
    expect(json.goodness_of_fit.runs).toBeLessThan(240);
  });
});
