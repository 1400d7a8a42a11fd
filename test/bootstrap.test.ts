import { Piscina } from 'piscina';
import { describe, expect, it } from 'vitest';
import { bootstrapFit } from '../src/bootstrap/bootstrap.ts';
import { bootstrapChunk } from '../src/bootstrap/bootstrapChunk.ts';
import { percentile } from '../src/math/quantile.ts';
import { modelGroups, resampleRuns } from '../src/bootstrap/resample.ts';
import { seededRandom } from '../src/math/rng.ts';
import { main } from '../src/cli/main.ts';
import { loadRuns } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { fitLawParallel } from '../src/parallel/fitParallel.ts';
import { chinchilla, hoffmannGrid } from '../src/laws/chinchilla.ts';
import { syntheticRuns } from './helpers/synthetic.ts';

const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const epoch = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(args, {
    stdout: (s) => {
      out += s;
      return true;
    },
    stderr: (s) => {
      err += s;
      return true;
    },
  });
  return { code, out, err };
}

describe('bootstrap building blocks', () => {
  it('seededRandom(seed, i) gives a fixed, distinct stream per (seed, index)', () => {
    const a = seededRandom(7, 0),
      b = seededRandom(7, 0),
      c = seededRandom(7, 1),
      d = seededRandom(8, 0);
    const xa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xa);
    expect(c()).not.toBe(xa[0]);
    expect(d()).not.toBe(xa[0]);
    expect(xa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('resampleRuns(models) draws whole model sizes', () => {
    const groups = modelGroups(epoch);
    const out = resampleRuns(epoch, 'models', seededRandom(1, 0));
    const count = (runs: typeof epoch, N: number) => runs.filter((r) => r.N === N).length;
    for (const N of new Set(out.map((r) => r.N!))) expect(count(out, N) % count(epoch, N)).toBe(0);
    expect(new Set(out.map((r) => r.N)).size).toBeLessThan(groups.length);
    expect(resampleRuns(epoch, 'rows', seededRandom(1, 0))).toHaveLength(epoch.length);
  });

  it('percentile(values, q) interpolates like numpy', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 0.025)).toBeCloseTo(1.1, 12);
  });
});

describe('bootstrapFit', () => {
  it('scalefit fit --bootstrap gives the same JSON with 1 and 2 workers for the same seed', async () => {
    const args = [
      'fit',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--bootstrap',
      '12',
      '--seed',
      '5',
      '--compute',
      '5.76e23',
      '--at',
      'N=70B,D=1.4T',
      '--json',
    ];
    const one = await cli([...args, '--workers', '1']);
    const two = await cli([...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.out).toBe(one.out);
    expect(one.err + two.err).toBe(''); // no progress bar when stderr is not a terminal
    const json = JSON.parse(one.out);
    expect(json.bootstrap.K).toBe(12);
    expect(json.bootstrap.resamples.params.alpha).toHaveLength(12);
    expect(Object.keys(json.ci)).toEqual(['E', 'A', 'B', 'alpha', 'beta']);
    expect(json.bootstrap.derived['tokens_per_param(C=5.76e+23)'].ci).toHaveLength(2);
    expect(json.bootstrap.derived['loss(N=7e+10,D=1.4e+12)'].estimate).toBeGreaterThan(1.8);
    const other = await cli([...args.map((a) => (a === '5' ? '6' : a)), '--workers', '2']);
    expect(other.out).not.toBe(one.out);
  });

  it('bootstrapFit(chinchilla, Epoch 240 runs) standard errors are near Besiroglu et al. 2024', async () => {
    // Besiroglu et al. 2024 (arXiv:2404.10102, Table 1 and sec. 4): bootstrap sd A 124.5, B 1293, E 0.026,
    // alpha 0.0154, beta 0.0206; 95% CI alpha [0.317, 0.373], beta [0.331, 0.415]; a = 0.513 with sd 0.020.
    // Tolerance: sd within 20% (a: 15%) and interval ends within 0.015. Why: K = 200 here (Monte Carlo error of a sd
    // is ~1/sqrt(2K) = 5%, more for the heavy-tailed A and B), and they bootstrap a different estimator (Huber
    // likelihood with a fitted scale, refitted by single-start BFGS from Hoffmann's values, K = 4000), which can stop
    // short of each resample's optimum and so adds spread of its own. Measured with seeds 1, 2, 3: the largest
    // deviation was 11.6% (B, seed 3; 9.8% on this seed, A), 6.2% for a. Was 35% for both (`reproduce`, K = 1000,
    // uses 15%).
    const fit = fitLaw(chinchilla, epoch);
    const b = await bootstrapFit(
      chinchilla,
      epoch,
      fit,
      {},
      { K: 200, seed: 1, workers: 2, resample: 'rows', level: 0.95, compute: [], at: [] },
    );
    const published = { A: 124.5, B: 1293, E: 0.026, alpha: 0.0154, beta: 0.0206 };
    for (const [p, sd] of Object.entries(published)) expect(Math.abs(b.stderr[p]! / sd - 1), p).toBeLessThan(0.2);
    expect(Math.abs(b.ci.alpha![0] - 0.317)).toBeLessThan(0.015);
    expect(Math.abs(b.ci.alpha![1] - 0.373)).toBeLessThan(0.015);
    expect(Math.abs(b.ci.beta![0] - 0.331)).toBeLessThan(0.015);
    expect(Math.abs(b.ci.beta![1] - 0.415)).toBeLessThan(0.015);
    expect(Math.abs(b.derived.a!.estimate - 0.513)).toBeLessThan(0.01);
    expect(Math.abs(b.derived.a!.sd / 0.02 - 1)).toBeLessThan(0.15);
    expect(b.failed).toBe(0);
  });

  it('bootstrapChunk refits (warm start first, as bootstrapFit runs them) reach the optimum of a 225-start multi-start refit of the same resample', () => {
    const grid = hoffmannGrid().filter((_, i) => i % 20 === 0);
    const fit = fitLaw(chinchilla, epoch);
    const task = {
      law: 'chinchilla',
      runs: epoch,
      fitOptions: { starts: 'default' as const, warmStarts: [fit.theta], polish: 1 },
      seed: 3,
      resample: 'rows' as const,
      from: 0,
      to: 6,
      warmFirst: true,
    };
    for (const r of bootstrapChunk(task)) {
      const runs = resampleRuns(epoch, 'rows', seededRandom(3, r.index));
      const multi = fitLaw(chinchilla, runs, { starts: grid });
      expect(r.objective!).toBeLessThanOrEqual(multi.objective * (1 + 1e-9));
    }
  });

  it('bootstrap percentile intervals hold the truth in most generated data sets (coverage)', async () => {
    // 20 data sets x 40 resamples (kept small to run in seconds): the 95% percentile interval for alpha should hold
    // the true value in about 19 of 20; fewer than 15 has probability < 0.1% at a true rate of 95%.
    let hits = 0;
    for (let s = 0; s < 20; s++) {
      const runs = syntheticRuns((N, D) => chinchilla.predict(HOFFMANN, { N, D }), {
        rows: 80,
        seed: 500 + s,
        sigma: 0.02,
      });
      const fit = fitLaw(chinchilla, runs);
      const b = await bootstrapFit(
        chinchilla,
        runs,
        fit,
        {},
        { K: 40, seed: s, workers: 1, resample: 'rows', level: 0.95, compute: [], at: [] },
      );
      if (b.ci.alpha![0] <= HOFFMANN.alpha && HOFFMANN.alpha <= b.ci.alpha![1]) hits++;
    }
    console.info(`bootstrap 95% interval coverage of alpha: ${hits}/20`);
    expect(hits).toBeGreaterThanOrEqual(15);
  });
});

describe('worker threads', () => {
  it('the tsx shim worker (fallback when esbuild cannot bundle) runs TypeScript tasks', async () => {
    const pool = new Piscina({
      filename: new URL('../src/parallel/worker.mjs', import.meta.url).href,
      execArgv: [],
      maxThreads: 1,
    });
    try {
      const r = (await pool.run({
        kind: 'starts',
        law: 'chinchilla',
        runs: epoch,
        fitOptions: {},
        from: 0,
        to: 1,
      })) as Array<{ f: number }>;
      expect(r).toHaveLength(1);
      expect(Number.isFinite(r[0]!.f)).toBe(true);
    } finally {
      await pool.destroy();
    }
  });
});

describe('fitLawParallel', () => {
  it('fitLawParallel(chinchilla, runs, starts, 2) equals fitLaw on the same starts', async () => {
    const starts = hoffmannGrid().filter((_, i) => i % 45 === 0);
    const a = fitLaw(chinchilla, epoch, { starts });
    const b = await fitLawParallel(chinchilla, epoch, { starts }, 2);
    expect({ ...b, wallMs: 0 }).toEqual({ ...a, wallMs: 0 });
  });
});

describe('runOnWorkers with a lazy task source', () => {
  it('runOnWorkers(source, 2) makes a task only when a thread is ready: at most 2 per thread outstanding, results in order', async () => {
    // What keeps `fit --bootstrap 1e9` from building 4e7 tasks (and cloning the runs into each) before the first runs.
    const { runOnWorkers } = await import('../src/parallel/workerPool.ts');
    const runs = loadRuns('test/fixtures/bad/crlf.csv').runs;
    const fitOptions = { starts: 'default' as const, polish: 1 };
    let made = 0,
      finished = 0,
      outstanding = 0;
    const source = {
      length: 24,
      at: (i: number) => {
        made++;
        outstanding = Math.max(outstanding, made - finished);
        return {
          kind: 'bootstrap' as const,
          law: 'chinchilla',
          runs,
          fitOptions,
          seed: 5,
          resample: 'rows' as const,
          from: i,
          to: i + 1,
        };
      },
    };
    const results = await runOnWorkers<Array<{ index: number; objective: number | null }>>(
      source,
      2,
      () => void finished++,
    );
    expect(made).toBe(24);
    expect(outstanding).toBeLessThanOrEqual(4);
    expect(results.map((r) => r[0]!.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const inThread = bootstrapChunk({ law: 'chinchilla', runs, fitOptions, seed: 5, resample: 'rows', from: 7, to: 8 });
    expect(results[7]![0]!.objective).toBe(inThread[0]!.objective);
  });
});
