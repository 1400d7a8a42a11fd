/**
 * `npm run bench`: scalefit against the scipy reference (../shared/reference/chinchilla_fit_scipy.py next to the
 * repository: L-BFGS-B with analytic gradients, the way Hoffmann et al. and Epoch AI fit), interleaved in one run.
 *
 * Built to hold up on a shared machine: every comparison is a set of pairs timed back to back in alternating order,
 * the ratio is taken per pair, and the median ratio is reported with its spread (min-max and interquartile range);
 * CPU time is reported beside wall time, and the machine's load (load average before and after, and the busy cores
 * during each case from /proc/stat) is recorded, so a reader can tell a quiet run from a crowded one.
 *
 * Writes bench/results.json and bench/RESULTS.md; `node --import tsx scripts/update-readme-bench.ts` copies the
 * tables into README (the `bench` npm script does both).
 *
 * Options: --reps R (repetitions per case, default 5), --quick (2 repetitions, 1 of the bootstrap, a 100,000-row large
 * file: a few minutes), --boot K (bootstrap resamples, default 4000), --large-rows N (default 1,000,000),
 * --no-scipy, --reference PATH (the scipy script; default: shared/reference/chinchilla_fit_scipy.py beside the checkout,
 * or beside the main checkout of a git worktree, found at run time; results.json never records a path of the machine).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrapFit } from '../src/bootstrap/bootstrap.ts';
import { loadRuns } from '../src/data/load.ts';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { mulberry32 } from '../src/math/rng.ts';
import { fitLawParallel } from '../src/parallel/fitParallel.ts';
import { chinchilla, hoffmannGrid } from '../src/laws/chinchilla.ts';
import { closeWorkerPool } from '../src/parallel/workerPool.ts';
import { measureKernelInChild } from './kernel.ts';
import { measureLarge } from './load-large.ts';
import type { BenchResults, CaseResult, MachineLoad, Sample } from './render.ts';
import { renderResultsMd } from './render.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const DATA = join(REPO, 'data/epoch-chinchilla.csv');

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const REPS = Number(opt('--reps') ?? (quick ? 2 : 5));
const BOOT_K = Number(opt('--boot') ?? 4000);
const BOOT_REPS = quick ? 1 : Math.min(REPS, 3);
const LARGE_ROWS = Number(opt('--large-rows') ?? (quick ? 100_000 : 1_000_000));
const LARGE_REPS = quick ? 1 : Math.min(REPS, 3);
const WARM_CALLS = 60;
const REFERENCE_IN_SHARED = 'shared/reference/chinchilla_fit_scipy.py';
const REFERENCE = opt('--reference') !== undefined ? resolve(opt('--reference')!) : findReference();
/** How results.json names the reference: never a path of this machine. */
const REFERENCE_LABEL =
  opt('--reference') !== undefined
    ? `${basename(opt('--reference')!)} (given with --reference)`
    : `${REFERENCE_IN_SHARED} beside the checkout`;

/**
 * The scipy reference script, found at run time: ../shared/ beside this checkout, or beside the main checkout when
 * this is a git worktree elsewhere (its common git directory is the main checkout's .git). Null when neither has it.
 */
function findReference(): string | null {
  const candidates = [resolve(REPO, '..', REFERENCE_IN_SHARED)];
  const git = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (git.status === 0 && git.stdout.trim())
    candidates.push(resolve(dirname(git.stdout.trim()), '..', REFERENCE_IN_SHARED));
  return candidates.find((c) => existsSync(c)) ?? null;
}
for (const [name, v] of [
  ['--reps', REPS],
  ['--boot', BOOT_K],
  ['--large-rows', LARGE_ROWS],
] as const) {
  if (!(Number.isInteger(v) && v >= 1)) {
    console.error(`bench: ${name} ${v}: expected a whole number >= 1`);
    process.exit(2);
  }
}

/** Why the scipy side is absent, or null when it can run. */
function scipyProblem(): string | null {
  if (flag('--no-scipy')) return 'skipped (--no-scipy)';
  if (REFERENCE === null)
    return `absent: no ${REFERENCE_IN_SHARED} beside the checkout (the reference scripts live next to the repository, in ../shared/reference/; pass --reference PATH)`;
  if (!existsSync(REFERENCE)) return `absent: --reference ${basename(REFERENCE)}: no such file`;
  if (!existsSync(PYTHON)) return `absent: no ${PYTHON} (apt-get install -y python3-numpy python3-scipy)`;
  const r = spawnSync(PYTHON, ['-c', 'import scipy, numpy'], { stdio: 'ignore' });
  return r.status === 0
    ? null
    : `absent: ${PYTHON} has no scipy/numpy (apt-get install -y python3-numpy python3-scipy)`;
}

interface ScipyOut {
  objective: number;
  wall_s: number;
  cpu_s: number;
  obj_calls: number;
}

const tmp = mkdtempSync(join(tmpdir(), 'scalefit-bench-'));
let scipyCalls = 0;
/** One scipy fit in a fresh python; its own wall and CPU time of the fit (python start-up and imports excluded). */
function scipy(args: string[]): ScipyOut {
  const out = join(tmp, `scipy-${scipyCalls++}.json`);
  const r = spawnSync(PYTHON, [REFERENCE!, ...args, '--json', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`bench: the scipy reference failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as ScipyOut;
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Wall and CPU time (process.cpuUsage covers every thread of the process, worker threads included). */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; sample: Sample }> {
  const t0 = performance.now(),
    c0 = cpuNow();
  const value = await f();
  return { value, sample: { wallMs: performance.now() - t0, cpuMs: cpuNow() - c0 } };
}

/** Busy and total jiffies of the whole machine (Linux /proc/stat), or null elsewhere. */
function cpuJiffies(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((s, v) => s + v, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Run a case and record the machine's load around it: load averages, and the cores busy (all processes) during it. */
async function withLoad<T>(f: () => Promise<T>): Promise<{ value: T; load: MachineLoad }> {
  const before = loadavg();
  const j0 = cpuJiffies();
  const value = await f();
  const j1 = cpuJiffies();
  const busyCores =
    j0 && j1 && j1.total > j0.total ? ((j1.busy - j0.busy) / (j1.total - j0.total)) * cpus().length : null;
  return { value, load: { before, after: loadavg(), busyCores } };
}

/** 20,000 runs from Hoffmann's law with 1% log-normal noise, log-uniform N and D (seeded; as make_synthetic_chinchilla.py). */
function generatedRuns(rows: number): Run[] {
  const u = mulberry32(12345);
  const p = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  const runs: Run[] = [];
  for (let i = 0; i < rows; i++) {
    const N = Math.exp(Math.log(7e7) + u() * Math.log(1.6e10 / 7e7));
    const D = Math.exp(Math.log(5e9) + u() * Math.log(5e11 / 5e9));
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    runs.push({
      N,
      D,
      C: 6 * N * D,
      loss: chinchilla.predict(p, { N, D }) * Math.exp(0.01 * z),
      tags: {},
      line: i + 2,
    });
  }
  return runs;
}

const rel = (a: number, b: number) => Math.abs(a / b - 1);

async function main(): Promise<void> {
  const problem = scipyProblem();
  const workers = Math.min(2, availableParallelism());
  const started = new Date();
  const loadStart = loadavg();
  console.log(
    `scalefit bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadStart.map((x) => x.toFixed(2)).join(' ')}; ${REPS} repetitions`,
  );
  console.log(
    problem
      ? `scipy reference ${problem}: the scalefit-only cases run, the comparisons are left out`
      : `scipy reference: ${REFERENCE_LABEL}`,
  );
  const all = loadRuns(DATA).runs;
  const epoch240 = loadRuns(DATA, { excludeTopLoss: 5 }).runs;
  const cases: CaseResult[] = [];

  // (1) The exhaustive grid: scipy, scalefit on one thread and on `workers` threads, interleaved (ABC, CBA, ...).
  // The pool is started once, before the first timed call (what a process running several fits pays once).
  const poolStart = await timed(() =>
    fitLawParallel(chinchilla, all, { starts: hoffmannGrid().slice(0, 8 * workers) }, workers),
  );
  console.log(
    `(1) exhaustive 4500-start grid on 245 runs, ${REPS} interleaved repetitions (worker pool started in ${(poolStart.sample.wallMs / 1000).toFixed(2)} s) ...`,
  );
  const grid = await withLoad(async () => {
    const s1: Sample[] = [],
      s2: Sample[] = [],
      sp: Sample[] = [];
    let obj1 = NaN,
      obj2 = NaN,
      objScipy = NaN,
      nfev = 0,
      scipyCalls = 0;
    for (let r = 0; r < REPS; r++) {
      const steps = ['scipy', 'one', 'two'] as const;
      for (const k of r % 2 === 0 ? steps : [...steps].reverse()) {
        if (k === 'scipy') {
          if (problem) continue;
          const s = scipy(['--data', DATA, '--grid', 'full']);
          sp.push({ wallMs: s.wall_s * 1000, cpuMs: s.cpu_s * 1000 });
          objScipy = s.objective;
          scipyCalls = s.obj_calls;
        } else if (k === 'one') {
          const t = await timed(() => fitLaw(chinchilla, all, { starts: 'hoffmann' }));
          s1.push(t.sample);
          obj1 = t.value.objective;
          nfev = t.value.nfev;
        } else {
          const t = await timed(() => fitLawParallel(chinchilla, all, { starts: 'hoffmann' }, workers));
          s2.push(t.sample);
          obj2 = t.value.objective;
        }
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');
    return { s1, s2, sp, obj1, obj2, objScipy, nfev, scipyCalls };
  });
  const g = grid.value;
  cases.push({
    id: 'grid-1',
    title: 'exhaustive grid, 4500 starts, 245 runs, 1 thread',
    scalefit: g.s1,
    scipy: problem ? null : g.sp,
    target: { ratioAtLeast: 6 },
    objectiveRelDiff: problem ? null : rel(g.obj1, g.objScipy),
    load: grid.load,
    note: `${g.nfev} evaluations (${(g.nfev / 4500).toFixed(1)} per start)${problem ? '' : `; scipy ${g.scipyCalls} objective calls`}`,
  });
  cases.push({
    id: 'grid-2',
    title: `exhaustive grid, 4500 starts, 245 runs, ${workers} worker threads`,
    scalefit: g.s2,
    scipy: problem ? null : g.sp,
    target: { ratioAtLeast: 10 },
    objectiveRelDiff: problem ? null : rel(g.obj2, g.objScipy),
    load: grid.load,
    note: `pool started once per process (${(poolStart.sample.wallMs / 1000).toFixed(2)} s, not included); CPU summed over threads`,
  });

  // (2) Per-evaluation cost of the objective and gradient against a plain typed-array loop (CPU time).
  console.log('(2) per-evaluation cost: plain loop, fused objective, the grid (in a fresh process) ...');
  const kernel = await withLoad(async () => measureKernelInChild(REPS));

  // (3) Default fit in-process: the first call (JIT cold) and WARM_CALLS warm calls.
  console.log('(3) default fit on 245 runs ...');
  const deflt = await withLoad(async () => {
    const cold = await timed(() => fitLaw(chinchilla, all));
    const warm: Sample[] = [];
    for (let i = 0; i < WARM_CALLS; i++) warm.push((await timed(() => fitLaw(chinchilla, all))).sample);
    return { cold, warm };
  });
  cases.push({
    id: 'default-warm',
    title: `default fit, 245 runs, in-process (${WARM_CALLS} calls after the first)`,
    scalefit: deflt.value.warm,
    scipy: null,
    target: { wallMsBelow: 10 },
    objectiveRelDiff: problem ? null : rel(deflt.value.cold.value.objective, g.objScipy),
    load: deflt.load,
    note: `${deflt.value.cold.value.nfev} evaluations, ${deflt.value.cold.value.starts.count} starts; objective compared with scipy's exhaustive grid`,
  });
  cases.push({
    id: 'default-cold',
    title: 'default fit, 245 runs, first call in the process (JIT cold)',
    scalefit: [deflt.value.cold.sample],
    scipy: null,
    target: null,
    objectiveRelDiff: null,
    load: deflt.load,
    note: '',
  });

  // (4) Bootstrap of the 240-run Epoch fit on `workers` threads.
  console.log(
    `(4) ${BOOT_K}-resample bootstrap of the 240-run fit on ${workers} threads, ${BOOT_REPS} repetition(s) ...`,
  );
  const fit240 = fitLaw(chinchilla, epoch240);
  const boot = await withLoad(async () => {
    const s: Sample[] = [];
    let note = '';
    for (let r = 0; r < BOOT_REPS; r++) {
      const t = await timed(() =>
        bootstrapFit(
          chinchilla,
          epoch240,
          fit240,
          {},
          { K: BOOT_K, seed: 0, workers, resample: 'rows', level: 0.95, compute: [], at: [] },
        ),
      );
      s.push(t.sample);
      note = `sd alpha ${t.value.stderr.alpha!.toPrecision(3)}, beta ${t.value.stderr.beta!.toPrecision(3)}; ${t.value.failed} failed; CPU summed over threads`;
    }
    return { s, note };
  });
  cases.push({
    id: 'bootstrap',
    title: `bootstrap, ${BOOT_K} resamples of 240 runs, ${workers} worker threads`,
    scalefit: boot.value.s,
    scipy: null,
    target: BOOT_K === 4000 ? { wallMsBelow: 8000 } : null,
    objectiveRelDiff: null,
    load: boot.load,
    note: boot.value.note,
  });

  // (5) 20,000 generated runs, default fit in-process.
  console.log('(5) default fit on 20,000 generated runs ...');
  const big = generatedRuns(20_000);
  const gen = await withLoad(async () => {
    const s: Sample[] = [];
    let nfev = 0;
    for (let r = 0; r < REPS; r++) {
      const t = await timed(() => fitLaw(chinchilla, big));
      s.push(t.sample);
      nfev = t.value.nfev;
    }
    return { s, nfev };
  });
  cases.push({
    id: 'generated-20k',
    title: 'default fit, 20,000 generated runs, in-process',
    scalefit: gen.value.s,
    scipy: null,
    target: null,
    objectiveRelDiff: null,
    load: gen.load,
    note: `${gen.value.nfev} evaluations`,
  });
  await closeWorkerPool();

  // (6) Large inputs, each in a fresh process: the loader alone, and inspect and fit end to end.
  console.log(
    `(6) ${LARGE_ROWS.toLocaleString('en')}-row loss-curve file: load, inspect, fit in fresh processes, ${LARGE_REPS} repetition(s) ...`,
  );
  const large = await withLoad(async () => measureLarge(LARGE_ROWS, LARGE_REPS));
  const L = large.value;
  const big1M = LARGE_ROWS === 1_000_000;
  const rowsText = `${LARGE_ROWS.toLocaleString('en')}-row loss-curve CSV (${L.fileMb.toFixed(1)} MB)`;
  cases.push({
    id: 'large-load',
    title: `${rowsText}: loader alone`,
    scalefit: L.load,
    scipy: null,
    target: big1M ? { wallMsBelow: 5000, rssMbBelow: 1024 } : null,
    objectiveRelDiff: null,
    load: large.load,
    note: 'loadRuns in a fresh process (start-up excluded)',
  });
  cases.push({
    id: 'large-inspect',
    title: `${rowsText}: scalefit inspect, end to end`,
    scalefit: L.inspect,
    scipy: null,
    target: big1M ? { wallMsBelow: 5000 } : null,
    objectiveRelDiff: null,
    load: large.load,
    note: 'node bin/scalefit.js inspect FILE',
  });
  cases.push({
    id: 'large-fit',
    title: `${rowsText}: scalefit fit, end to end`,
    scalefit: L.fit,
    scipy: null,
    target: big1M ? { wallMsBelow: 10000, rssMbBelow: 1024 } : null,
    objectiveRelDiff: null,
    load: large.load,
    note: `node bin/scalefit.js fit FILE: ${L.fitSummary}`,
  });

  const results: BenchResults = {
    // The command as run, with --reference's path cut to its file name (no path of this machine in the results).
    command: `npm run bench${argv.length ? ` -- ${argv.map((a, i) => (argv[i - 1] === '--reference' ? basename(a) : a)).join(' ')}` : ''}`,
    started: started.toISOString(),
    finished: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    cores: cpus().length,
    workers,
    reps: REPS,
    scipy: problem ?? `${REFERENCE_LABEL} with ${PYTHON}, OPENBLAS_NUM_THREADS=1`,
    loadavgStart: loadStart,
    loadavgEnd: loadavg(),
    cases,
    kernel: { ...kernel.value, load: kernel.load },
  };
  writeFileSync(join(REPO, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = renderResultsMd(results);
  writeFileSync(join(REPO, 'bench/RESULTS.md'), md);
  console.log(`\n${md}\nwrote bench/results.json and bench/RESULTS.md`);
  rmSync(tmp, { recursive: true, force: true });
}

await main();
