import type { KernelResult } from './kernel.ts';
/**
 * The benchmark's results as data (bench/results.json) and as Markdown tables: bench/RESULTS.md and README's
 * Performance section are both rendered from results.json by these functions, never typed by hand.
 */

/** One timed repetition. */
export interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Peak resident memory of the process (fresh-process cases only). */
  peakRssMb?: number;
}

/** The machine around a case: load averages (1, 5, 15 min) before and after, and cores busy during it (all processes). */
export interface MachineLoad {
  before: number[];
  after: number[];
  busyCores: number | null;
}

export interface CaseResult {
  id: string;
  title: string;
  scalefit: Sample[];
  /** The scipy reference's samples, paired by index with scalefit's (timed back to back), or null. */
  scipy: Sample[] | null;
  target: { ratioAtLeast?: number; wallMsBelow?: number; rssMbBelow?: number } | null;
  objectiveRelDiff: number | null;
  load: MachineLoad;
  note: string;
}

/** The kernel measurement as stored in results.json: {@link KernelResult} plus the machine load during it. */
export interface KernelSummary extends KernelResult {
  load: MachineLoad;
}

export interface BenchResults {
  command: string;
  started: string;
  finished: string;
  node: string;
  cpu: string;
  cores: number;
  workers: number;
  reps: number;
  /** How the scipy side ran, or why it did not. */
  scipy: string;
  loadavgStart: number[];
  loadavgEnd: number[];
  cases: CaseResult[];
  kernel: KernelSummary;
}

/** The per-evaluation target of issue 18: the grid's cost per evaluation within 1.3x of the plain loop. */
export const KERNEL_TARGET = 1.3;

/** Quantile with linear interpolation between order statistics (type 7, as numpy's default). */
export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Per-pair ratios scipy / scalefit of one measure. */
export function pairRatios(c: CaseResult, key: 'wallMs' | 'cpuMs'): number[] {
  if (!c.scipy) return [];
  const n = Math.min(c.scipy.length, c.scalefit.length);
  return Array.from({ length: n }, (_, i) => c.scipy![i]![key] / c.scalefit[i]![key]);
}

const secs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
const x = (v: number): string => `${v.toFixed(v >= 100 ? 0 : 1)}x`;
const spread = (xs: number[], f: (v: number) => string): string => {
  if (xs.length === 0) return 'n/a';
  if (xs.length === 1) return `${f(xs[0]!)} (one run)`;
  const iqr = xs.length >= 4 ? `; IQR ${f(quantile(xs, 0.25))}-${f(quantile(xs, 0.75))}` : '';
  return `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))}${iqr})`;
};
const busy = (l: MachineLoad, cores: number): string =>
  l.busyCores === null ? 'n/a' : `${l.busyCores.toFixed(1)} of ${cores}`;
const la = (v: number[]): string => v.map((a) => a.toFixed(2)).join(' ');

/** 'met', 'missed' or '-' for a case's target, judged on medians (peak RSS on the largest repetition). */
export function verdict(c: CaseResult): string {
  const t = c.target;
  if (!t) return '-';
  const checks: boolean[] = [];
  if (t.ratioAtLeast !== undefined) {
    const r = pairRatios(c, 'wallMs');
    if (r.length === 0) return 'n/a (no scipy)';
    checks.push(median(r) >= t.ratioAtLeast);
  }
  if (t.wallMsBelow !== undefined) checks.push(median(c.scalefit.map((s) => s.wallMs)) < t.wallMsBelow);
  if (t.rssMbBelow !== undefined)
    checks.push(Math.max(...c.scalefit.map((s) => s.peakRssMb ?? Infinity)) < t.rssMbBelow);
  return checks.every(Boolean) ? 'met' : 'missed';
}

function targetText(c: CaseResult): string {
  const t = c.target;
  if (!t) return '-';
  const parts: string[] = [];
  if (t.ratioAtLeast !== undefined) parts.push(`>= ${t.ratioAtLeast}x`);
  if (t.wallMsBelow !== undefined) parts.push(`< ${secs(t.wallMsBelow)}`);
  if (t.rssMbBelow !== undefined) parts.push(`< ${t.rssMbBelow} MB`);
  return parts.join(', ');
}

/** The tables (against scipy; absolute; per evaluation) and a line on the machine's load. */
export function renderTables(r: BenchResults): string {
  const vs = r.cases.filter((c) => c.scipy !== null || c.target?.ratioAtLeast !== undefined);
  const abs = r.cases.filter((c) => !vs.includes(c));
  const lines: string[] = [];
  lines.push(
    `Against scipy (${r.scipy}); speed-up = scipy time / scalefit time per interleaved pair, median (min-max${r.reps >= 4 ? '; IQR' : ''}), ${r.reps} pairs:`,
    '',
    '| case | scalefit wall | scipy wall | speed-up, wall | speed-up, CPU | target | met | objective rel. diff | machine busy | note |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const c of vs) {
    lines.push(
      `| ${c.title} | ${spread(
        c.scalefit.map((s) => s.wallMs),
        secs,
      )} | ${
        c.scipy
          ? spread(
              c.scipy.map((s) => s.wallMs),
              secs,
            )
          : 'n/a'
      } | ${spread(pairRatios(c, 'wallMs'), x)} | ${spread(pairRatios(c, 'cpuMs'), x)} | ${targetText(c)} | ${verdict(c)} | ${c.objectiveRelDiff === null ? '-' : c.objectiveRelDiff.toExponential(1)} | ${busy(c.load, r.cores)} | ${c.note} |`,
    );
  }
  lines.push(
    '',
    'scalefit alone, median (min-max) over repetitions:',
    '',
    '| case | wall | CPU | peak RSS | target | met | machine busy | note |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const c of abs) {
    const rss = c.scalefit.some((s) => s.peakRssMb !== undefined)
      ? `${Math.max(...c.scalefit.map((s) => s.peakRssMb ?? 0)).toFixed(0)} MB`
      : '-';
    lines.push(
      `| ${c.title} | ${spread(
        c.scalefit.map((s) => s.wallMs),
        secs,
      )} | ${secs(median(c.scalefit.map((s) => s.cpuMs)))} | ${rss} | ${targetText(c)} | ${verdict(c)} | ${busy(c.load, r.cores)} | ${c.note} |`,
    );
  }
  const k = r.kernel;
  const us = (v: number) => `${v.toFixed(1)} us`;
  const ns = (xs: number[]) => `${((median(xs) * 1000) / k.runs).toFixed(0)} ns`;
  lines.push(
    '',
    `One objective + gradient evaluation on ${k.runs} runs, CPU time, at the ${k.evaluations} points ${k.starts} of the grid's starts visit; median (min-max) of ${k.plainUs.length} interleaved repetitions:`,
    '',
    '| evaluation | per evaluation | per run | ratio to the plain loop | target |',
    '|---|---|---|---|---|',
    `| plain typed-array loop of the same arithmetic (no optimiser) | ${spread(k.plainUs, us)} | ${ns(k.plainUs)} | 1 | - |`,
    `| the fused objective the fitter calls | ${spread(k.fusedUs, us)} | ${ns(k.fusedUs)} | ${spread(k.fusedRatio, (v) => v.toFixed(2))} | - |`,
    `| in the grid: objective + L-BFGS + line search, per evaluation | ${spread(k.gridUs, us)} | ${ns(k.gridUs)} | ${spread(k.gridRatio, (v) => v.toFixed(2))} | <= ${KERNEL_TARGET} (${median(k.gridRatio) <= KERNEL_TARGET ? 'met' : 'missed'}) |`,
    '',
    `Machine: ${r.cpu}, node ${r.node}; load average (1, 5, 15 min) ${la(r.loadavgStart)} at the start and ${la(r.loadavgEnd)} at the end; ` +
      '"machine busy" is the number of cores busy with any process during the case (from /proc/stat): above the ' +
      `${r.workers} that scalefit's threaded cases use, wall times include waiting for other processes. Run ${r.started.slice(0, 16).replace('T', ' ')} UTC: \`${r.command}\`.` +
      (Math.min(r.loadavgStart[0]!, r.loadavgEnd[0]!) > r.cores
        ? ` The load average stayed above the ${r.cores} cores throughout this run, so its wall times mostly measure waiting for a core and the wall-time verdicts say little; the CPU columns are the comparable figures.`
        : ''),
  );
  return lines.join('\n');
}

/** bench/RESULTS.md. */
export function renderResultsMd(r: BenchResults): string {
  return [
    '# Benchmark: scalefit against the scipy reference',
    '',
    "Written by `npm run bench` (bench/run.ts) from bench/results.json; README's Performance section is rendered from the",
    'same file by scripts/update-readme-bench.ts. Every comparison with scipy is a set of pairs timed back to back in',
    'alternating order on the same machine, and the speed-up is the median of the per-pair ratios with its spread.',
    '',
    renderTables(r),
    '',
  ].join('\n');
}
