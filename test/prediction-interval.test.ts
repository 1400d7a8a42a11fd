import { describe, expect, it } from 'vitest';
import { bootstrapFit } from '../src/bootstrap/bootstrap.ts';
import { seededRandom } from '../src/math/rng.ts';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { getLaw } from '../src/laws/index.ts';
import type { Params } from '../src/core/law.ts';
import { calibrateExtrapolation } from '../src/analysis/calibrateExtrapolation.ts';
import { extrapolationDistance, trainingRange } from '../src/analysis/extrapolationDistance.ts';
import { predictionInterval } from '../src/analysis/predictionInterval.ts';
import { rollingOriginBacktest } from '../src/analysis/rollingOrigin.ts';
import { runScatter } from '../src/analysis/runScatter.ts';

const kaplanC = getLaw('kaplan-c');
const chinchilla = getLaw('chinchilla');

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

async function intervalInputs(law: typeof kaplanC, runs: Run[], K: number, seed: number) {
  const fit = fitLaw(law, runs);
  const boot = await bootstrapFit(law, runs, fit, {}, { K, seed, workers: 1 });
  const bp: Params[] = [];
  for (let i = 0; i < K; i++) {
    const p = Object.fromEntries(law.paramNames.map((n) => [n, boot.resamples.params[n]![i]]));
    if (Object.values(p).every((v) => typeof v === 'number')) bp.push(p as Params);
  }
  const nested = rollingOriginBacktest(law, runs, {}, fit.nFree);
  return {
    fit,
    inputs: {
      boot: bp,
      sigmaRun: runScatter(law, fit.params, runs, fit.nFree),
      range: trainingRange(law, runs),
      nested: nested.predictions,
    },
  };
}

describe('predictionInterval', () => {
  it('predictionInterval(...) covers at its nominal rate on data from a known law with known noise', async () => {
    // Kaplan's L(C) = (C_c/C)^alpha_C with log-normal run noise sd 0.01: the law is right, so the calibrated interval
    // should cover a fresh run one decade beyond the data at about its level.
    const truth = { C_c: 3.1e8 * 8.64e19, alpha_C: 0.05 };
    const seeds = 200;
    let in90 = 0;
    for (let s = 0; s < seeds; s++) {
      const random = seededRandom(1234, s);
      const runs: Run[] = Array.from({ length: 24 }, (_, i) => {
        const C = 10 ** (18 + (3 * i) / 23);
        return { C, loss: kaplanC.predict(truth, { C }) * Math.exp(0.01 * normal(random)), tags: {}, line: i + 2 };
      });
      const { fit, inputs } = await intervalInputs(kaplanC, runs, 30, s);
      const C = 1e22;
      const actual = kaplanC.predict(truth, { C }) * Math.exp(0.01 * normal(random));
      const i90 = predictionInterval(kaplanC, fit.params, inputs, { C }, 0.9)!;
      if (actual >= i90.lo && actual <= i90.hi) in90++;
    }
    // Binomial sd at p = 0.9 over 200 seeds is 2.1%: accept 3 sd either side of 90%.
    expect(in90 / seeds).toBeGreaterThan(0.9 - 3 * 0.0212);
    expect(in90 / seeds).toBeLessThan(0.9 + 3 * 0.0212);
  }, 120_000);

  it('predictionInterval(...) widens with distance on data from a misspecified law (a broken power law fitted with chinchilla)', async () => {
    // Loss falls as N^-0.34 below 1e9 parameters and as N^-0.2 above (a break Chinchilla's single exponent cannot
    // follow), on an N x D grid from 1e7 to 3e9 parameters with noise sd 0.003.
    const random = seededRandom(7, 0);
    const broken = (N: number, D: number) =>
      1.7 + (N < 1e9 ? 400 / N ** 0.34 : (400 / 1e9 ** 0.34) * (1e9 / N) ** 0.2) + 410 / D ** 0.28;
    const runs: Run[] = [];
    for (let i = 0; i < 12; i++)
      for (const tpp of [5, 20, 80]) {
        const N = 10 ** (7 + (2.5 * i) / 11);
        const D = tpp * N;
        runs.push({
          N,
          D,
          C: 6 * N * D,
          loss: broken(N, D) * Math.exp(0.003 * normal(random)),
          tags: {},
          line: runs.length + 2,
        });
      }
    const { fit, inputs } = await intervalInputs(chinchilla, runs, 20, 0);
    const cal = calibrateExtrapolation(inputs.nested, inputs.sigmaRun, 0.9);
    expect(cal.slope).toBeGreaterThan(0);
    const at = (N: number) => predictionInterval(chinchilla, fit.params, inputs, { N, D: 20 * N }, 0.9)!;
    const withoutTerm = (N: number) =>
      predictionInterval(chinchilla, fit.params, { ...inputs, nested: null }, { N, D: 20 * N }, 0.9)!;
    const near = at(1e10),
      far = at(1e12);
    expect(far.distance).toBeGreaterThan(near.distance);
    expect(far.sigmaExtrapolation).toBeGreaterThan(near.sigmaExtrapolation);
    const logHalf = (i: { lo: number; hi: number }) => Math.log(i.hi / i.lo) / 2;
    // The term grows with distance: the width added over the interval without it grows from 1e10 to 1e12 parameters.
    expect(logHalf(far) - logHalf(withoutTerm(1e12))).toBeGreaterThan(2 * (logHalf(near) - logHalf(withoutTerm(1e10))));
    // And the true loss at 1e12 parameters lies inside.
    const truth = broken(1e12, 2e13);
    expect(truth).toBeGreaterThan(far.lo);
    expect(truth).toBeLessThan(far.hi);
  }, 60_000);

  it('extrapolationDistance(range, point) is the decades beyond the training runs, 0 inside', () => {
    const runs: Run[] = [
      { N: 1e8, D: 2e9, loss: 3, tags: {}, line: 2 },
      { N: 1e9, D: 2e10, loss: 2.5, tags: {}, line: 3 },
    ];
    const range = trainingRange(chinchilla, runs);
    expect(extrapolationDistance(range, { N: 3e8, D: 6e9 })).toBe(0);
    // 10x N and 10x D beyond the largest run: two decades in the box and in compute alike.
    expect(extrapolationDistance(range, { N: 1e10, D: 2e11 })).toBeCloseTo(2, 12);
    // A model 10x larger at the largest compute: inside the compute range, one decade outside the box in N (and D).
    expect(extrapolationDistance(range, { N: 1e10, D: 2e9 })).toBeCloseTo(1, 12);
  });
});

describe('one prediction interval everywhere', () => {
  it('predict and optimal print the intervals report shows, for the same fit and point', async () => {
    const { buildReport } = await import('../src/pipeline/buildReport.ts');
    const { runCli } = await import('./helpers/runCli.ts');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const r = await buildReport({
      data: 'data/epoch-chinchilla.csv',
      load: { excludeTopLoss: 5 },
      train: 'C<1e21',
      images: false,
      compute: [1e22],
      at: [{ N: 70e9, D: 1.4e12 }],
      uncertainty: {
        bootstrap: 30,
        seed: 1,
        workers: 1,
        resample: 'rows',
        level: 0.9,
        compute: [1e22],
        at: [{ N: 70e9, D: 1.4e12 }],
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'pi-'));
    const fitFile = join(dir, 'fit.json');
    writeFileSync(fitFile, r.files.find((f) => f.path === 'fit.json')!.data);
    const at = r.model.at[0]!;
    expect(at.lo).not.toBeNull();
    const p = JSON.parse((await runCli(['predict', fitFile, '--N', '70B', '--D', '1.4T', '--json'])).stdout);
    expect(p.level).toBe(0.9);
    expect(p.points[0].lo).toBe(at.lo);
    expect(p.points[0].hi).toBe(at.hi);
    const o = JSON.parse((await runCli(['optimal', fitFile, '--compute', '1e22', '--json'])).stdout);
    const alloc = r.model.allocations[0]!;
    expect(o.intervals[0].loss_lo).toBe(alloc.loss_lo);
    expect(o.intervals[0].loss_hi).toBe(alloc.loss_hi);
    expect(o.intervals[0].N_opt_lo).toBe(alloc.N_lo);
    expect(o.intervals[0].N_opt_hi).toBe(alloc.N_hi);
    // --level is honoured: a 50% interval is narrower and inside the 90% one.
    const p50 = JSON.parse(
      (await runCli(['predict', fitFile, '--N', '70B', '--D', '1.4T', '--json', '--level', '0.5'])).stdout,
    );
    expect(p50.points[0].lo).toBeGreaterThan(at.lo!);
    expect(p50.points[0].hi).toBeLessThan(at.hi!);
    // And the fit's own --at section (what fit --at prints) holds the same interval.
    const saved = JSON.parse(String(r.files.find((f) => f.path === 'fit.json')!.data));
    expect(saved.predictions.at[0].interval.lo).toBe(at.lo);
    expect(saved.predictions.compute[0].loss.interval.hi).toBe(alloc.loss_hi);
  }, 120_000);
});

describe('robust summaries', () => {
  it('robustSpread(xs) is the sd of a normal sample and ignores a few wild resamples', async () => {
    const { robustSpread } = await import('../src/bootstrap/robustSpread.ts');
    const random = seededRandom(3, 0);
    const xs = Array.from({ length: 4000 }, () => normal(random));
    // Monte Carlo: the 68% half-interval of 4000 normal draws has sd ~0.02 around 1.
    expect(robustSpread(xs)).toBeGreaterThan(0.94);
    expect(robustSpread(xs)).toBeLessThan(1.06);
    const wild = [...xs.slice(0, 3990), ...Array.from({ length: 10 }, () => 3.27e8)];
    expect(robustSpread(wild)).toBeLessThan(1.1);
  });

  it('heavyTailSpread(fit, name, sd) picks the robust spread only when the sd exceeds it 1.5x', async () => {
    const { heavyTailSpread } = await import('../src/report/fitText.ts');
    const fit = { bootstrap: { params: { A: { spread: 100 }, B: { spread: 100 } } } } as never;
    expect(heavyTailSpread(fit, 'A', 3.27e8)).toBe(100);
    expect(heavyTailSpread(fit, 'B', 120)).toBeNull();
  });
});

describe('law-form uncertainty', () => {
  it("lawAveragedInterval(laws, level) equals a single law's interval at weight 1 and spans both laws when they disagree", async () => {
    const { lawAveragedInterval } = await import('../src/analysis/lawAveragedInterval.ts');
    const a = { law: 'a', predicted: 2, lo: 2 / 1.05, hi: 2 * 1.05, weight: 1 };
    const b = { law: 'b', predicted: 1.6, lo: 1.5, hi: 1.7, weight: 0 };
    const only = lawAveragedInterval([a, b], 0.9);
    // One component: its own quantiles back, to the accuracy of the normal CDF approximation (1.5e-7).
    expect(only.lo).toBeCloseTo(2 / 1.05, 5);
    expect(only.hi).toBeCloseTo(2 * 1.05, 5);
    const both = lawAveragedInterval([a, { ...b, weight: 1 }], 0.9);
    expect(both.lo).toBeLessThan(1.6);
    expect(both.hi).toBeGreaterThan(2);
  });

  it('compare --at without --bootstrap is bad input (exit 2)', async () => {
    const { runCli } = await import('./helpers/runCli.ts');
    const r = await runCli([
      'compare',
      'data/epoch-chinchilla.csv',
      '--laws',
      'chinchilla,kaplan-nd',
      '--at',
      'N=70B,D=1.4T',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --bootstrap K/);
  });
});
