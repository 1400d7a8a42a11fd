import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from './helpers/runCli.ts';
import { predictCurve } from '../src/analysis/predictCurve.ts';
import { readCurves } from '../src/data/readCurves.ts';
import { getLaw } from '../src/laws/index.ts';

const CURVES = 'data/examples/curves.csv';
let dir: string, fitFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scalefit-cli-curves-'));
  fitFile = join(dir, 'tissue.json');
  const r = await run([
    'fit-curves',
    CURVES,
    '--law',
    'lr-annealing',
    '--bootstrap',
    '20',
    '--seed',
    '3',
    '--out',
    fitFile,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
});

describe('scalefit fit-curves / predict-curve', () => {
  it('fit-curves prints the law, the curves and the parameters with intervals, and saves a curves fit', () => {
    const json = JSON.parse(readFileSync(fitFile, 'utf8'));
    expect(json.kind).toBe('curves');
    expect(json.law).toBe('lr-annealing');
    expect(json.curves.map((c: { run: string }) => c.run)).toEqual(['constant', 'cosine', 'wsd-20']);
    expect(json.curve_bootstrap.resample).toBe('checkpoints');
    expect(json.curve_bootstrap.resamples.params.alpha).toHaveLength(20);
    // The example's curves come from a law with L0 = 2.5 (scripts/make-example-curves.ts); lr-annealing is another
    // law, so only its asymptote is comparable: within 2% of it.
    expect(Math.abs(json.params.L0 / 2.5 - 1)).toBeLessThan(0.02);
  });
  it('fit-curves --bootstrap K --seed S writes the same fit file twice', async () => {
    const again = join(dir, 'again.json');
    expect(
      (await run(['fit-curves', CURVES, '--law', 'lr-annealing', '--bootstrap', '20', '--seed', '3', '--out', again]))
        .code,
    ).toBe(0);
    const strip = (t: string) => t.replace(/"wallMs":[^,}]*/g, '');
    expect(strip(readFileSync(again, 'utf8'))).toBe(strip(readFileSync(fitFile, 'utf8')));
  });
  it('predict-curve --schedule wsd predicts what the fit gives the logged WSD run at its last step, with an interval around the prediction', async () => {
    const r = await run([
      'predict-curve',
      fitFile,
      '--schedule',
      'cosine,wsd',
      '--steps',
      '4000',
      '--warmup',
      '200',
      '--final-lr',
      '3e-5',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schedules.map((s: { label: string }) => s.label)).toEqual([
      'cosine, 4000 steps',
      'wsd cooldown 0.2, 4000 steps',
    ]);
    const wsd = out.schedules[1];
    // The generated schedule is the one the WSD run was logged with (rates rounded to 6 digits, linear between rows), so
    // the prediction at its last step is the fitted law's value on that run, to the rounding of the logged rates.
    const data = await readCurves(CURVES);
    const logged = data.curves.find((c) => c.run === 'wsd-20')!.schedule;
    const params = JSON.parse(readFileSync(fitFile, 'utf8')).params;
    expect(Math.abs(wsd.final / predictCurve(getLaw('lr-annealing'), params, logged, [4000])[0]! - 1)).toBeLessThan(
      1e-6,
    );
    wsd.loss.forEach((l: number, i: number) => {
      expect(wsd.lo[i]).toBeLessThanOrEqual(l + 1e-12);
      expect(wsd.hi[i]).toBeGreaterThanOrEqual(l - 1e-12);
    });
    expect(wsd.final_minus_first_interval[0]).toBeLessThanOrEqual(wsd.final_minus_first);
  });
  it("predict-curve --tokens uses the fitted curves' tokens per step, and --cooldown 0,0.2 compares two WSD schedules", async () => {
    const r = await run(['predict-curve', fitFile, '--schedule', 'wsd', '--cooldown', '0,0.2', '--tokens', '4B']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wsd cooldown 0\.2, 7629 steps/);
    expect(r.stdout).toMatch(/final loss by schedule/);
  });
  it('predict-curve refuses bad requests in one line with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[fitFile], /give a schedule/],
      [
        [fitFile, '--schedule', 'cosine', '--steps', '100', '--cooldown', '0.2'],
        /--cooldown applies to --schedule wsd/,
      ],
      [[fitFile, '--schedule', 'cosine'], /give --steps T or --tokens D/],
      [[fitFile, '--schedule', 'cosine', '--steps', '100', '--warmup', '100'], /warmup must be/],
      [['fits/epoch-chinchilla.json', '--schedule', 'cosine', '--steps', '100'], /not a loss-curve fit/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['predict-curve', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
  it('predict-curve --out writes every step of every schedule as CSV', async () => {
    const csv = join(dir, 'curve.csv');
    expect((await run(['predict-curve', fitFile, '--schedule', 'wsd', '--steps', '100', '--out', csv])).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('schedule,step,tokens,lr,loss,lo,hi');
    expect(lines).toHaveLength(101);
  });
});
