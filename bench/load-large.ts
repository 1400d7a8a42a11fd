/**
 * Large inputs: write a 1,000,000-row loss-curve CSV (1000 runs x 1000 checkpoints, about 60 MB) into a temp folder,
 * then time, each in a fresh process, the loader alone (`loadRuns`, wall time of the call) and `scalefit inspect` and
 * `scalefit fit` end to end (`node bin/scalefit.js ...`, start-up included), with CPU time and peak RSS of the process.
 * Targets (issues 14 and 18): load under 5 s, inspect under 5 s, fit under 10 s and 1 GB, on a 2-core machine.
 *
 *   node --import tsx bench/load-large.ts [--rows R] [--reps K]     (standalone; `npm run bench` runs it too)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuns } from '../src/data/load.ts';

const self = fileURLToPath(import.meta.url);
const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface LargeSample {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

export interface LargeResult {
  rows: number;
  fileMb: number;
  /** One entry per repetition; the three cases are interleaved within a repetition. */
  load: LargeSample[];
  inspect: LargeSample[];
  fit: LargeSample[];
  /** The fit's printed exponents, to show the fit is a real one. */
  fitSummary: string;
}

/** 1000 runs (N log-spaced 1e7..1e10) x checkpoints every 500 steps of 0.5M tokens; Chinchilla-shaped loss. */
export function writeLossCurves(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  const runs = 1000;
  const perRun = Math.ceil(rows / runs);
  let written = 0;
  let buf = 'run_id,params,step,tokens,flops,loss\n';
  for (let r = 0; r < runs && written < rows; r++) {
    const N = Math.round(1e7 * 1000 ** (r / (runs - 1)));
    for (let k = 1; k <= perRun && written < rows; k++, written++) {
      const step = 500 * k;
      const D = step * 524288;
      const loss = 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
      buf += `run-${String(r).padStart(4, '0')},${N},${step},${D},${(6 * N * D).toPrecision(6)},${loss.toFixed(6)}\n`;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}

/** Run `node [--import usage.mjs] args` in a fresh process; wall time from here, CPU and peak RSS from the child. */
function timedChild(args: string[], dir: string): { sample: LargeSample; stdout: string } {
  const usage = join(dir, 'usage.json');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(REPO, 'bench/usage.mjs'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, SCALEFIT_BENCH_USAGE: usage },
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  const u = JSON.parse(readFileSync(usage, 'utf8')) as { cpuMs: number; peakRssMb: number };
  return { sample: { wallMs, ...u }, stdout: r.stdout };
}

/** Generate the file once, then `reps` repetitions of load / inspect / fit in a rotating order. */
export function measureLarge(rows: number, reps: number): LargeResult {
  // bin/scalefit.js runs the compiled CLI: build dist/ first if the sources are newer.
  const build = spawnSync(process.execPath, [join(REPO, 'scripts/build.mjs'), '--if-stale'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('bench: npm run build failed');
  const dir = mkdtempSync(join(tmpdir(), 'scalefit-bench-'));
  const path = join(dir, 'loss-curves.csv');
  try {
    writeLossCurves(path, rows);
    const out: LargeResult = {
      rows,
      fileMb: statSync(path).size / 1e6,
      load: [],
      inspect: [],
      fit: [],
      fitSummary: '',
    };
    const cases = {
      load: () => timedChild(['--import', 'tsx', self, '--load', path], dir),
      inspect: () => timedChild([join(REPO, 'bin/scalefit.js'), 'inspect', path], dir),
      fit: () => timedChild([join(REPO, 'bin/scalefit.js'), 'fit', path, '--quiet'], dir),
    };
    for (let r = 0; r < reps; r++) {
      const order = (['load', 'inspect', 'fit'] as const).map((_, i, a) => a[(i + r) % 3]!);
      for (const k of order) {
        const { sample, stdout } = cases[k]();
        out[k].push(k === 'load' ? { ...sample, wallMs: Number(stdout) } : sample);
        if (k === 'fit')
          out.fitSummary = stdout
            .split('\n')
            .filter((l) => /^\s+(alpha|beta|objective)\s+=/.test(l))
            .map((l) => l.trim().replace(/\s+/g, ' '))
            .join('; ');
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--load') {
  // Child: the loader alone; its wall time is measured here, without this process's start-up.
  const t0 = performance.now();
  loadRuns(process.argv[3]!, { need: ['N', 'D'] });
  process.stdout.write(String(performance.now() - t0));
} else if (process.argv[1] === self) {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const res = measureLarge(arg('--rows', 1_000_000), arg('--reps', 1));
  for (const k of ['load', 'inspect', 'fit'] as const) {
    for (const s of res[k])
      console.log(
        `${k}: ${res.rows} rows (${res.fileMb.toFixed(1)} MB): ${(s.wallMs / 1000).toFixed(2)} s wall, ${(s.cpuMs / 1000).toFixed(2)} s CPU, peak RSS ${s.peakRssMb.toFixed(0)} MB`,
      );
  }
  console.log(`fit: ${res.fitSummary}`);
}
