import { describe, expect, it } from 'vitest';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { buildFitJson } from '../src/io/fitJson.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import type { Dataset } from '../src/data/types.ts';
import { buildModel } from '../src/report/model.ts';
import { HOFFMANN } from './helpers/reportFixture.ts';
import { bootstrapSection, paramColumns } from './helpers/bootstrapSection.ts';
import { rng, syntheticRuns } from './helpers/synthetic.ts';

const SIGMA = 0.01;

function dataset(runs: Run[]): Dataset {
  return {
    file: 'synthetic.csv',
    sha256: '0'.repeat(64),
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

describe('backtest on data from a known law', () => {
  // Hoffmann et al. 2022's law with 1% multiplicative noise, N from 7e7 to 1e11: fit N <= 1e9, hold out the rest.
  const runs = syntheticRuns((N, D) => chinchilla.predict(HOFFMANN, { N, D }), {
    rows: 400,
    seed: 3,
    sigma: SIGMA,
    nRange: [7e7, 1e11],
    dRange: [5e9, 1e12],
  });
  const train = runs.filter((r) => r.N! <= 1e9);
  const fit = fitLaw(chinchilla, train, {});
  // A case-resampling bootstrap as `fit --bootstrap K` stores it (bootstrap.resamples.params), started from the fit to stay fast.
  const u = rng(5);
  const boot = Array.from({ length: 60 }, () => {
    const sample = train.map(() => train[Math.floor(u() * train.length)]!);
    return fitLaw(chinchilla, sample, { starts: [fit.theta] }).params;
  });
  const fitJson = buildFitJson(fit, dataset(train), {
    bootstrap: bootstrapSection(chinchilla, paramColumns(chinchilla, boot)),
  });
  const model = buildModel({
    title: 't',
    fit: fitJson,
    runs: runs.map((r) => ({ ...r, set: r.N! <= 1e9 ? 'train' : 'held-out' })),
    train: 'N<=1e9',
    compute: [1e21],
    at: [],
  });

  it('buildModel(...).backtest: held-out errors match the noise level up to N = 1e11', () => {
    const b = model.backtest!;
    expect(b.count).toBeGreaterThan(100);
    // |z| for z ~ N(0, sigma) has mean sigma sqrt(2/pi) ~ 0.8 sigma; allow extrapolation error on top, not 2.5x.
    expect(b.meanAbsRelError).toBeGreaterThan(0.5 * SIGMA);
    expect(b.meanAbsRelError).toBeLessThan(1.5 * SIGMA);
    expect(model.sigmaLog).toBeGreaterThan(0.8 * SIGMA);
    expect(model.sigmaLog).toBeLessThan(1.2 * SIGMA);
  });

  it('buildModel(...).backtest: 95% intervals cover the held-out losses at about their nominal rate', () => {
    const b = model.backtest!;
    const coverage = b.inside! / b.count;
    expect(coverage).toBeGreaterThan(0.88);
    expect(coverage).toBeLessThanOrEqual(1);
  });

  it('buildModel(...) without a bootstrap marks intervals n/a instead of inventing them', () => {
    const m = buildModel({
      title: 't',
      fit: buildFitJson(fit, dataset(train)),
      runs: runs.map((r) => ({ ...r, set: r.N! <= 1e9 ? 'train' : 'held-out' })),
      train: 'N<=1e9',
      compute: [1e21],
      at: [],
    });
    expect(m.backtest!.inside).toBeNull();
    expect(m.runs.every((r) => r.lo === null)).toBe(true);
    expect(m.notes.join(' ')).toContain('no bootstrap, so no intervals');
  });
});
