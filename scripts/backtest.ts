/**
 * `npm run backtest`: how well do scalefit's prediction intervals cover runs they were not fitted on?
 * Over every bundled backtest (data/backtests/ and Epoch's Chinchilla data split at C < 1e21), fit the train rows,
 * predict the test rows, and print per backtest and pooled: coverage of the nominal 90% and 95% intervals, mean
 * interval half-width over mean absolute held-out error, point errors, and the sign of the held-out errors.
 * Options: --bootstrap K (default 200), --seed S (default 0), --workers W, --json.
 */
import { parseArgs } from 'node:util';
import { bootstrapFit } from '../src/bootstrap/bootstrap.ts';
import { matchesFilter, parseFilter } from '../src/data/filters.ts';
import { loadRuns } from '../src/data/load.ts';
import type { LoadOptions } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { getLaw } from '../src/laws/index.ts';
import type { Params } from '../src/core/law.ts';
import { completePoint } from '../src/core/law.ts';
import { predictionInterval } from '../src/analysis/predictionInterval.ts';
import { rollingOriginBacktest } from '../src/analysis/rollingOrigin.ts';
import { runScatter } from '../src/analysis/runScatter.ts';
import { trainingRange } from '../src/analysis/extrapolationDistance.ts';

interface Spec {
  name: string;
  file: string;
  law: string;
  load: LoadOptions;
  train: string;
}
const ISO = 'data/backtests/isoflops/isoflops.csv';
const SPECS: Spec[] = [
  {
    name: 'epoch-chinchilla (C<1e21)',
    file: 'data/epoch-chinchilla.csv',
    law: 'chinchilla',
    load: { excludeTopLoss: 5 },
    train: 'C<1e21',
  },
  // One D for every run: chinchilla's D term is not identified, so the GPT-3 backtest fits L(N) = E + (N_c/N)^alpha_N.
  {
    name: 'gpt3 (<=13B -> 175B)',
    file: 'data/backtests/gpt3/runs.csv',
    law: 'kaplan-n-offset',
    load: {},
    train: 'split==train',
  },
  ...[
    ['isoflops epochai_chinchilla', 'epochai_chinchilla__massivetext__chinchilla'],
    ['isoflops ml_scalefit_chinchilla', 'ml_scalefit__massivetext__chinchilla'],
    ['isoflops llama_3', 'llama_3__raw_loss'],
    ['isoflops marin comma', 'marin_202603__comma__llama_2'],
    ['isoflops marin dclm', 'marin_202603__dclm__llama_2'],
    ['isoflops marin nemotron', 'marin_202603__nemotron__llama_2'],
  ].map(([name, source]) => ({
    name: name!,
    file: ISO,
    law: 'chinchilla',
    load: { where: [`source==${source}`] },
    train: 'split==train',
  })),
];

const { values } = parseArgs({
  options: {
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const K = Number(values.bootstrap ?? 200);
const seed = Number(values.seed ?? 0);
const workers = Number(values.workers ?? 2);

interface Tally {
  n: number;
  in90: number;
  in95: number;
  half90: number;
  absErr: number;
  relErr: number;
  maxRel: number;
  over: number;
  factor: number;
}
const empty = (): Tally => ({ n: 0, in90: 0, in95: 0, half90: 0, absErr: 0, relErr: 0, maxRel: 0, over: 0, factor: 0 });
const rows: Array<{ name: string; method: string; t: Tally }> = [];
const METHODS = ['calibrated', 'uncalibrated: z, no extrapolation term'] as const;
const pooled = Object.fromEntries(METHODS.map((m) => [m, empty()])) as Record<string, Tally>;

for (const s of SPECS) {
  const law = getLaw(s.law);
  const ds = loadRuns(s.file, { ...s.load, need: law.variables });
  const f = parseFilter(s.train);
  const train = ds.runs.filter((r) => matchesFilter(r, f));
  const test = ds.runs.filter((r) => !matchesFilter(r, f));
  const fit = fitLaw(law, train);
  const boot = await bootstrapFit(law, train, fit, {}, { K, seed, workers });
  const bp: Params[] = [];
  for (let i = 0; i < K; i++) {
    const p = Object.fromEntries(law.paramNames.map((n) => [n, boot.resamples.params[n]![i]]));
    if (Object.values(p).every((v) => typeof v === 'number' && Number.isFinite(v))) bp.push(p as Params);
  }
  const nested = rollingOriginBacktest(law, train, {}, fit.nFree);
  const inputs = {
    boot: bp,
    sigmaRun: runScatter(law, fit.params, train, fit.nFree),
    range: trainingRange(law, train),
    nested: nested.predictions,
  };
  for (const method of METHODS) {
    const use = method === 'calibrated' ? inputs : { ...inputs, nested: null };
    const t = empty();
    for (const r of test) {
      const pt = completePoint(r);
      const i90 = predictionInterval(law, fit.params, use, pt, 0.9)!;
      const i95 = predictionInterval(law, fit.params, use, pt, 0.95)!;
      const err = i90.predicted - r.loss;
      t.n++;
      if (r.loss >= i90.lo && r.loss <= i90.hi) t.in90++;
      if (r.loss >= i95.lo && r.loss <= i95.hi) t.in95++;
      t.half90 += (i90.hi - i90.lo) / 2;
      t.absErr += Math.abs(err);
      t.relErr += Math.abs(err) / r.loss;
      t.maxRel = Math.max(t.maxRel, Math.abs(err) / r.loss);
      if (err > 0) t.over++;
      t.factor = Math.max(t.factor, i90.factor ?? 0);
    }
    rows.push({ name: s.name, method, t });
    const p = pooled[method]!;
    for (const k of Object.keys(t) as Array<keyof Tally>)
      p[k] = k === 'maxRel' || k === 'factor' ? Math.max(p[k], t[k]) : p[k] + t[k];
  }
}
for (const method of METHODS) rows.push({ name: 'pooled', method, t: pooled[method]! });

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ K, seed, rows }, null, 1)}\n`);
} else {
  const head = [
    'backtest',
    'intervals',
    'held out',
    'max C factor',
    'cover 90%',
    'cover 95%',
    'half-width/|error| (90%)',
    'mean |rel. error|',
    'max',
    'over-predicted',
  ];
  const body = rows.map(({ name, method, t }) => [
    name,
    method,
    String(t.n),
    `${t.factor.toFixed(1)}x`,
    pct(t.in90 / t.n),
    pct(t.in95 / t.n),
    (t.half90 / t.absErr).toFixed(2),
    pct(t.relErr / t.n, 2),
    pct(t.maxRel, 2),
    `${t.over}/${t.n}`,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  process.stdout.write(`${[line(head), line(w.map((x) => '-'.repeat(x))), ...body.map(line)].join('\n')}\n`);
  process.stdout.write(
    `bootstrap ${K} resamples (seed ${seed}); targets: pooled 90% coverage in [85%, 95%], half-width/|error| <= 2.5\n`,
  );
}
