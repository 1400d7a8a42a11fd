/**
 * Scale benchmark for the loader: write a 1,000,000-row loss-curve CSV (1000 runs x 1000 checkpoints, about 60 MB)
 * into a temp folder, then load it with `loadRuns` in a fresh child process and print the load time and peak RSS.
 * Target (issue 7): under 5 s and under 1 GB on a 2-core machine.
 *
 *   node --import tsx bench/load-large.ts [rows]
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuns } from '../src/data/load.ts';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--load') {
  const path = process.argv[3]!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ds = loadRuns(path, { need: ['N', 'D'] });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ rows: ds.rowsRead, kept: ds.runs.length, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(peakMb) }));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'scalefit-bench-'));
  const path = join(dir, 'loss-curves.csv');
  try {
    writeLossCurves(path, rows);
    const mb = statSync(path).size / 1e6;
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--load', path], { encoding: 'utf8' })) as { rows: number; ms: number; cpuMs: number; peakRssMb: number };
    // CPU time (all threads, GC included) is printed too: on a shared machine the wall time mostly measures the others.
    console.log(`load-large: ${out.rows} rows (${mb.toFixed(1)} MB) loaded in ${out.ms} ms wall (${out.cpuMs} ms CPU), peak RSS ${out.peakRssMb} MB (target < 5000 ms, < 1024 MB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 1000 runs (N log-spaced 1e7..1e10) x checkpoints every 500 steps of 0.5M tokens; Chinchilla-shaped loss. */
function writeLossCurves(path: string, rows: number): void {
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
