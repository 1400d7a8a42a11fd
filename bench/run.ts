/**
 * `npm run bench`: scalefit against the scipy reference (../shared/reference/chinchilla_fit_scipy.py, L-BFGS-B with
 * analytic gradients, the way Hoffmann et al. and Epoch AI fit), case by case in the same run, with the ratios.
 * A benchmark, not a test: figures vary 10-15% on a shared machine, so compare ratios from one run.
 * Writes bench/results.json. Options: --quick (smaller bootstrap), --no-scipy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrapFit } from '../src/bootstrap/bootstrap.ts';
import { loadRuns } from '../src/data/load.ts';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { mulberry32 } from '../src/math/rng.ts';
import type { FitResult } from '../src/core/fitResult.ts';
import { fitLawParallel } from '../src/parallel/fitParallel.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';

// Beside the repository (a clone has no ../shared: then the scipy side is reported absent).
const REFERENCE = fileURLToPath(new URL('../../shared/reference/chinchilla_fit_scipy.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const DATA = 'data/epoch-chinchilla.csv';
const quick = process.argv.includes('--quick');
const BOOT_K = quick ? 400 : 4000;

interface ScipyOut {
  objective: number;
  wall_s: number;
  cpu_s: number;
  n_starts: number;
  obj_calls: number;
  bootstrap?: { K: number; starts_each: number; wall_s: number; cpu_s: number };
}

function scipyPath(): string | null {
  if (process.argv.includes('--no-scipy')) return null;
  const path = existsSync(REFERENCE) ? REFERENCE : null;
  if (!path || !existsSync(PYTHON)) return null;
  try {
    execFileSync(PYTHON, ['-c', 'import scipy, numpy'], { stdio: 'ignore' });
    return path;
  } catch {
    return null;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'scalefit-bench-'));
function scipy(path: string, args: string[]): ScipyOut {
  const out = join(tmp, `scipy-${Math.random().toString(36).slice(2)}.json`);
  execFileSync(PYTHON, [path, ...args, '--json', out], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
  return JSON.parse(readFileSync(out, 'utf8')) as ScipyOut;
}

/** Wall time and CPU time (process.cpuUsage covers every thread of the process, worker threads included). */
function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

async function timedAsync<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
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
    runs.push({ N, D, C: 6 * N * D, loss: chinchilla.predict(p, { N, D }) * Math.exp(0.01 * z), tags: {}, line: i + 2 });
  }
  return runs;
}

const cpu = (scalefitCpuMs: number, scipyCpuMs: number | null) => ({ scalefitCpuMs, scipyCpuMs, cpuRatio: scipyCpuMs ? scipyCpuMs / scalefitCpuMs : null });
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
const rel = (a: number, b: number) => Math.abs(a / b - 1);

interface Row {
  case: string;
  scalefit: string;
  scalefitMs: number;
  scipy: string;
  scipyMs: number | null;
  ratio: number | null;
  /** CPU times and their ratio: robust to other load on a shared machine for single-threaded cases. */
  scalefitCpuMs: number;
  scipyCpuMs: number | null;
  cpuRatio: number | null;
  target: string;
  objectiveRelDiff: number | null;
  note: string;
}

async function main(): Promise<void> {
  const ref = scipyPath();
  const rows: Row[] = [];
  const workers = Math.min(2, availableParallelism());
  console.log(`scalefit bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (!ref) console.log('scipy reference absent (needs ../shared/reference/chinchilla_fit_scipy.py and /usr/bin/python3 with scipy: apt-get install -y python3-scipy); timing scalefit only');
  const all = loadRuns(DATA).runs;
  const epoch240 = loadRuns(DATA, { excludeTopLoss: 5 }).runs;

  // (1) Exhaustive Hoffmann grid, 4500 starts, all 245 runs.
  console.log('(1) exhaustive 4500-start grid on 245 runs ...');
  const g1 = timed(() => fitLaw(chinchilla, all, { starts: 'hoffmann' }));
  const g2 = await timedAsync(() => fitLawParallel(chinchilla, all, { starts: 'hoffmann' }, workers));
  const sGrid = ref ? scipy(ref, ['--data', DATA, '--grid', 'full']) : null;
  const gridNote = (f: FitResult) => `${f.nfev} evaluations, ${(f.nfev / 4500).toFixed(1)} per start`;
  rows.push({
    case: 'grid 4500 starts, 245 runs, 1 thread', scalefit: fmtMs(g1.ms), scalefitMs: g1.ms, scipy: sGrid ? fmtMs(sGrid.wall_s * 1000) : 'n/a',
    scipyMs: sGrid ? sGrid.wall_s * 1000 : null, ratio: sGrid ? (sGrid.wall_s * 1000) / g1.ms : null, target: '>= 5x',
    objectiveRelDiff: sGrid ? rel(g1.value.objective, sGrid.objective) : null, note: gridNote(g1.value),
    ...cpu(g1.cpuMs, sGrid ? sGrid.cpu_s * 1000 : null),
  });
  rows.push({
    case: `grid 4500 starts, 245 runs, ${workers} workers`, scalefit: fmtMs(g2.ms), scalefitMs: g2.ms, scipy: sGrid ? fmtMs(sGrid.wall_s * 1000) : 'n/a',
    scipyMs: sGrid ? sGrid.wall_s * 1000 : null, ratio: sGrid ? (sGrid.wall_s * 1000) / g2.ms : null, target: '>= 10x',
    objectiveRelDiff: sGrid ? rel(g2.value.objective, sGrid.objective) : null, note: 'includes starting the worker threads; CPU is summed over threads',
    ...cpu(g2.cpuMs, sGrid ? sGrid.cpu_s * 1000 : null),
  });

  // (2) Default fit on the same 245 runs: first call in a fresh process (JIT cold) and the median of 30 warm calls.
  console.log('(2) default fit on 245 runs ...');
  const cold = timed(() => fitLaw(chinchilla, all));
  const warm: number[] = [];
  const warmCpu: number[] = [];
  let d = cold.value;
  for (let i = 0; i < 30; i++) {
    const t = timed(() => fitLaw(chinchilla, all));
    warm.push(t.ms);
    warmCpu.push(t.cpuMs);
    d = t.value;
  }
  const warmMs = median(warm);
  for (const [label, ms, cpuMs] of [['default fit, 245 runs, warm (median of 30)', warmMs, median(warmCpu)], ['default fit, 245 runs, cold (first call)', cold.ms, cold.cpuMs]] as const) {
    rows.push({
      case: label, scalefit: fmtMs(ms), scalefitMs: ms, scipy: sGrid ? `${fmtMs(sGrid.wall_s * 1000)} (grid)` : 'n/a',
      scipyMs: sGrid ? sGrid.wall_s * 1000 : null, ratio: sGrid ? (sGrid.wall_s * 1000) / ms : null, target: '>= 1000x vs the grid',
      objectiveRelDiff: sGrid ? rel(d.objective, sGrid.objective) : null, note: `${d.nfev} evaluations, ${d.starts.count} starts`,
      ...cpu(cpuMs, sGrid ? sGrid.cpu_s * 1000 : null),
    });
  }

  // (3) Bootstrap of the 240-run Epoch fit.
  console.log(`(3) ${BOOT_K}-resample bootstrap of the 240-run fit on ${workers} workers ...`);
  const fit240 = fitLaw(chinchilla, epoch240);
  const boot = await timedAsync(() => bootstrapFit(chinchilla, epoch240, fit240, {}, { K: BOOT_K, seed: 0, workers, resample: 'rows', level: 0.95, compute: [], at: [] }));
  const sBootK = 4;
  const sBoot = ref ? scipy(ref, ['--data', DATA, '--exclude-top', '5', '--grid', 'one', '--bootstrap', String(sBootK), '--boot-grid', 'small', '--seed', '0']) : null;
  const sBootMs = sBoot?.bootstrap ? (sBoot.bootstrap.wall_s * 1000 * BOOT_K) / sBootK : null;
  const sBootCpu = sBoot?.bootstrap ? (sBoot.bootstrap.cpu_s * 1000 * BOOT_K) / sBootK : null;
  rows.push({
    case: `bootstrap ${BOOT_K} resamples, 240 runs, ${workers} workers`, scalefit: fmtMs(boot.ms), scalefitMs: boot.ms,
    scipy: sBootMs ? `${fmtMs(sBootMs)} (extrapolated from ${sBootK} x 243-start grid)` : 'n/a', scipyMs: sBootMs, ratio: sBootMs ? sBootMs / boot.ms : null,
    target: '< 20 s', objectiveRelDiff: null,
    note: `sd alpha ${boot.value.stderr.alpha!.toPrecision(3)}, beta ${boot.value.stderr.beta!.toPrecision(3)}; ${boot.value.failed} failed; CPU summed over threads`,
    ...cpu(boot.cpuMs, sBootCpu),
  });

  // (4) 20,000 generated runs.
  console.log('(4) default fit on 20,000 generated runs ...');
  const big = generatedRuns(20_000);
  const b1 = timed(() => fitLaw(chinchilla, big));
  let sBigMs: number | null = null, sBigObj: number | null = null, sBigCpu: number | null = null;
  if (ref) {
    const csv = join(tmp, 'generated-20000.csv');
    writeFileSync(csv, `N,D,loss\n${big.map((r) => `${r.N},${r.D},${r.loss}`).join('\n')}\n`);
    const s = scipy(ref, ['--data', csv, '--grid', 'small', '--max-starts', '27']);
    sBigMs = (s.wall_s * 1000 * 243) / 27;
    sBigCpu = (s.cpu_s * 1000 * 243) / 27;
    sBigObj = s.objective;
  }
  rows.push({
    case: 'default fit, 20,000 generated runs', scalefit: fmtMs(b1.ms), scalefitMs: b1.ms,
    scipy: sBigMs ? `${fmtMs(sBigMs)} (243-start grid, extrapolated from 27 starts)` : 'n/a', scipyMs: sBigMs, ratio: sBigMs ? sBigMs / b1.ms : null,
    target: '-', objectiveRelDiff: sBigObj ? (b1.value.objective - sBigObj) / sBigObj : null,
    note: `${b1.value.nfev} evaluations; objective diff is signed (negative: scalefit lower)`,
    ...cpu(b1.cpuMs, sBigCpu),
  });

  const x = (v: number | null) => (v ? `${v.toFixed(v >= 100 ? 0 : 1)}x` : 'n/a');
  const table = [
    '| case | scalefit wall | scipy wall | speed-up (wall) | scalefit CPU | scipy CPU | speed-up (CPU) | target | objective rel. diff | note |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.case} | ${r.scalefit} | ${r.scipy} | ${x(r.ratio)} | ${fmtMs(r.scalefitCpuMs)} | ${r.scipyCpuMs ? fmtMs(r.scipyCpuMs) : 'n/a'} | ${x(r.cpuRatio)} | ${r.target} | ${r.objectiveRelDiff === null ? '-' : r.objectiveRelDiff.toExponential(1)} | ${r.note} |`),
  ].join('\n');
  const load = (await import('node:os')).loadavg();
  console.log(`\n${table}\n\nload average at the end: ${load.map((v) => v.toFixed(2)).join(' ')} (on ${cpus().length} cores; above ${cpus().length} the wall times include waiting for other processes)`);
  writeFileSync('bench/results.json', `${JSON.stringify({ node: process.version, cpus: cpus().length, loadavg: (await import('node:os')).loadavg(), scipy: Boolean(ref), rows }, null, 2)}\n`);
  console.log('wrote bench/results.json');
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  writeFileSync('bench/RESULTS.md', [
    '# Benchmark: scalefit against the scipy reference',
    '',
    `Command: \`npm run bench\`${quick ? ' -- --quick' : ''} (bench/run.ts; figures also in bench/results.json). Run ${when} UTC on ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'},`,
    `node ${process.version}; scipy side: ${ref ? '`/usr/bin/python3 ../shared/reference/chinchilla_fit_scipy.py` (L-BFGS-B, analytic gradients), run in the same process tree one after the other' : 'absent'}.`,
    `Load average at the end of the run: ${load.map((v) => v.toFixed(2)).join(' ')} on ${cpus().length} cores (a shared machine): wall times include time spent waiting for`,
    'other processes, so the CPU-time speed-ups are the fairer comparison for single-threaded cases; multi-threaded cases need idle cores to show their wall-time gain.',
    'scipy figures marked extrapolated are timed on a subset (bootstrap: 4 resamples; 20,000 runs: 27 starts) and scaled linearly.',
    ...(sGrid ? [`In this run scipy spent ${((sGrid.wall_s * 1e6) / sGrid.obj_calls).toFixed(0)} us per objective call (the reference README recorded 67 us, 17.7 s for the grid, on a quieter machine);`,
      `scalefit spent ${((g1.ms * 1000) / g1.value.nfev).toFixed(1)} us per evaluation including the optimiser. Ratios are only comparable within one run.`] : []),
    '',
    table,
    '',
  ].join('\n'));
  console.log('wrote bench/RESULTS.md');
}

await main();
