/**
 * Per-evaluation cost of the Chinchilla objective and gradient, three ways, on the parameter values the exhaustive grid
 * actually visits (Epoch's 245 runs, a sample of Hoffmann's 4500 starts):
 * - plain: a bare typed-array loop of the same arithmetic (2 exp + 1 log per run, no optimiser): the floor;
 * - fused: the objective the fitter calls (chinchilla's fused objective through the fit's change of coordinates);
 * - in the grid: the CPU time of the multi-start stage over those starts divided by its evaluations, so it includes
 *   L-BFGS, the line search and all bookkeeping.
 * Each repetition times the three back to back in a rotating order; the ratios to the plain loop are taken per
 * repetition. CPU time, not wall time: on a shared machine wall time mostly measures the other processes.
 *
 * `npm run bench` runs it in a fresh process (`measureKernelInChild`): in the process that has just run the threaded
 * grid, the plain loop alone took 13.6-19.6 us per evaluation from one process to the next, which moved the ratios by
 * 0.3; a fresh process gives every kernel the same start.
 *
 *   node --import tsx bench/kernel.ts [--reps R]     (prints the KernelResult as JSON)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Run } from '../src/core/run.ts';
import { loadRuns } from '../src/data/load.ts';
import { prepareFit, runStarts } from '../src/fit/multistart.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';

export interface KernelResult {
  runs: number;
  starts: number;
  evaluations: number;
  /** Microseconds of CPU per evaluation, one entry per repetition. */
  plainUs: number[];
  fusedUs: number[];
  gridUs: number[];
  /** Per-repetition ratios to the plain loop. */
  fusedRatio: number[];
  gridRatio: number[];
}

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Time the three kernels `reps` times on `runs`, over every `stride`-th start of Hoffmann's grid. */
export function measureKernel(runs: readonly Run[], reps: number, stride = 10): KernelResult {
  const ctx = prepareFit(chinchilla, runs, { starts: 'hoffmann' });
  const picked = ctx.starts.filter((_, i) => i % stride === 0);
  const sub = { ...ctx, starts: picked };
  // Record every point the grid evaluates (in the optimiser's coordinates z), to replay them through each kernel.
  const visited: Float64Array[] = [];
  const record = {
    ...sub,
    fg: (z: Float64Array, g: Float64Array) => (visited.push(Float64Array.from(z)), ctx.fg(z, g)),
  };
  runStarts(record, 0, picked.length);
  const X = ctx.X;
  const n = X.n,
    lnN = X.logN,
    lnD = X.logD,
    y = X.logLoss;
  const delta = ctx.o.loss.delta;
  const theta = new Float64Array(5);
  // The plain loop: the same Huber-on-log-residual objective and gradient in theta, evaluated per run with no
  // caching of repeated N and no duplicate folding; the unshifted sum (these grid points neither overflow nor underflow).
  const plain = (z: Float64Array, grad: Float64Array): number => {
    ctx.toTheta(z, theta);
    const a = theta[0]!,
      b = theta[1]!,
      e = theta[2]!,
      alpha = theta[3]!,
      beta = theta[4]!;
    const E = Math.exp(e);
    let f = 0,
      g0 = 0,
      g1 = 0,
      g2 = 0,
      g3 = 0,
      g4 = 0;
    for (let i = 0; i < n; i++) {
      const ln = lnN[i]!,
        ld = lnD[i]!;
      const x1 = Math.exp(a - alpha * ln),
        x2 = Math.exp(b - beta * ld);
      const s = x1 + x2 + E;
      const r = Math.log(s) - y[i]!;
      let psi: number;
      if (r <= delta && r >= -delta) {
        f += 0.5 * r * r;
        psi = r;
      } else {
        f += delta * ((r < 0 ? -r : r) - 0.5 * delta);
        psi = r < 0 ? -delta : delta;
      }
      const h = psi / s,
        h1 = h * x1,
        h2 = h * x2;
      g0 += h1;
      g1 += h2;
      g2 += h * E;
      g3 -= h1 * ln;
      g4 -= h2 * ld;
    }
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    grad[3] = g3;
    grad[4] = g4;
    return f;
  };
  const g = new Float64Array(5);
  let sink = 0;
  const replay = (f: (z: Float64Array, g: Float64Array) => number): number => {
    const c0 = cpuMs();
    for (const z of visited) sink += f(z, g);
    return ((cpuMs() - c0) * 1000) / visited.length;
  };
  let evaluations = 0;
  const grid = (): number => {
    const c0 = cpuMs();
    const rs = runStarts(sub, 0, picked.length);
    evaluations = rs.reduce((s, r) => s + r.evaluations, 0);
    return ((cpuMs() - c0) * 1000) / evaluations;
  };
  const out: KernelResult = {
    runs: n,
    starts: picked.length,
    evaluations: visited.length,
    plainUs: [],
    fusedUs: [],
    gridUs: [],
    fusedRatio: [],
    gridRatio: [],
  };
  replay(plain); // warm both replays up once (JIT)
  replay(ctx.fg);
  for (let r = 0; r < reps; r++) {
    const t: Record<'plain' | 'fused' | 'grid', number> = { plain: 0, fused: 0, grid: 0 };
    const order = (['plain', 'fused', 'grid'] as const).map((_, i, a) => a[(i + r) % 3]!);
    for (const k of order) t[k] = k === 'plain' ? replay(plain) : k === 'fused' ? replay(ctx.fg) : grid();
    out.plainUs.push(t.plain);
    out.fusedUs.push(t.fused);
    out.gridUs.push(t.grid);
    out.fusedRatio.push(t.fused / t.plain);
    out.gridRatio.push(t.grid / t.plain);
  }
  if (Number.isNaN(sink)) console.log('(non-finite objective in the replay)');
  return out;
}

const self = fileURLToPath(import.meta.url);
const EPOCH = fileURLToPath(new URL('../data/epoch-chinchilla.csv', import.meta.url));

/** measureKernel(all 245 Epoch runs, reps) in a fresh node process. */
export function measureKernelInChild(reps: number): KernelResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--reps', String(reps)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench: kernel measurement failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as KernelResult;
}

if (process.argv[1] === self) {
  const i = process.argv.indexOf('--reps');
  const reps = i > 0 ? Number(process.argv[i + 1]) : 5;
  process.stdout.write(`${JSON.stringify(measureKernel(loadRuns(EPOCH).runs, reps))}\n`);
}
