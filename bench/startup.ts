/**
 * Start-up benchmark (issue 11): wall time of the installed-style CLI (bin/scalefit.js running the compiled dist/)
 * beside bare `node -e 0`, interleaved in the same run so that both see the same machine load; medians of REPS
 * repetitions (default 15). Targets: `scalefit --help` within 150 ms of bare node, `scalefit fit` on a 20-run CSV
 * within 300 ms. On Linux, also the CPU time of each child (user + system, from /proc/self/stat's cutime + cstime,
 * 10 ms ticks): a steadier figure than wall time on a busy machine. Writes bench/startup.json.
 *
 *   node --import tsx bench/startup.ts [reps]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'scalefit.js');
const REPS = Number(process.argv[2] ?? 15);

/** CPU seconds of this process's reaped children so far (Linux), or null elsewhere. */
function childrenCpu(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  // Fields after the command name "(...)": cutime and cstime are fields 16 and 17 (1-based) of the whole line.
  const after = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(after[13]) + Number(after[14])) / 100;
}

interface Case {
  name: string;
  args: string[];
  target_ms_over_node?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

build({ ifStale: true });
const dir = mkdtempSync(join(tmpdir(), 'scalefit-startup-'));
try {
  const csv = join(dir, 'runs20.csv');
  writeFileSync(
    csv,
    readFileSync(join(ROOT, 'data', 'epoch-chinchilla.csv'), 'utf8')
      .split('\n')
      .slice(0, 21)
      .join('\n') + '\n',
  );
  const cases: Case[] = [
    { name: 'node -e 0 (bare node)', args: ['-e', '0'] },
    { name: 'scalefit --help', args: [BIN, '--help'], target_ms_over_node: 150 },
    { name: 'scalefit --version', args: [BIN, '--version'] },
    { name: 'scalefit fit (20-run CSV)', args: [BIN, 'fit', csv], target_ms_over_node: 300 },
    { name: 'scalefit inspect (20-run CSV)', args: [BIN, 'inspect', csv] },
  ];
  const wall = cases.map(() => [] as number[]);
  const cpu = cases.map(() => [] as number[]);
  for (let rep = 0; rep < REPS + 1; rep++) {
    // Rotate the order every repetition, so no case always runs right after another; repetition 0 warms caches.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + rep) % cases.length;
      const c0 = childrenCpu();
      const t0 = performance.now();
      const r = spawnSync(process.execPath, cases[i]!.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const ms = performance.now() - t0;
      const c1 = childrenCpu();
      if (r.status !== 0) throw new Error(`${cases[i]!.name} failed (exit ${r.status}): ${r.stderr}`);
      if (rep === 0) continue;
      wall[i]!.push(ms);
      if (c0 !== null && c1 !== null) cpu[i]!.push((c1 - c0) * 1000);
    }
  }
  const node = median(wall[0]!);
  const rows = cases.map((c, i) => {
    const w = median(wall[i]!);
    return {
      case: c.name,
      wall_ms: Math.round(w),
      over_node_ms: i === 0 ? 0 : Math.round(w - node),
      cpu_ms: cpu[i]!.length ? Math.round(median(cpu[i]!)) : null,
      target: c.target_ms_over_node === undefined ? null : `within ${c.target_ms_over_node} ms of bare node`,
      met: c.target_ms_over_node === undefined ? null : w - node <= c.target_ms_over_node,
    };
  });
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(`\nStart-up: medians of ${REPS} interleaved runs (node ${process.version}; load average ${load})\n`);
  console.log('| case | wall (median) | over bare node | CPU (median) | target | met |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${r.wall_ms} ms | ${r.over_node_ms} ms | ${r.cpu_ms ?? '-'} ms | ${r.target ?? '-'} | ${r.met === null ? '-' : r.met ? 'yes' : 'no'} |`,
    );
  writeFileSync(
    join(ROOT, 'bench', 'startup.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, reps: REPS, load_average: load, cases: rows }, null, 2)}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
