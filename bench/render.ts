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
    `One objective + gradient evaluation on ${k.runs} runs, CPU time, at the ${k.evaluations} points ${k.starts} of the grid's starts visit; median (min-max) of ${k.plainUs.length} interleaved repetitions in a fresh process:`,
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

export interface StartupJson {
  date?: string;
  node: string;
  reps: number;
  load_average: string;
  cases: {
    case: string;
    wall_ms: number;
    over_node_ms: number;
    cpu_ms: number | null;
    target: string | null;
    met: boolean | null;
  }[];
}

export interface AppJson {
  date: string;
  chromium: string;
  loadavg: { start: number[]; end: number[] };
  page_load_ms: number;
  default_fit: {
    first_after_ms: number;
    first_ms: number;
    reps: number;
    median_ms: number;
    min_ms: number;
    max_ms: number;
    target_ms: number;
  };
  bootstrap_1000: {
    workers: number;
    page_ms: number;
    cli_ms: number;
    page_over_cli: number;
    max_rel_diff_sd_ci: number;
  };
}

const whenRun = (iso: string | undefined) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'date not recorded';
const msOrS = (v: number) => (v >= 1000 ? `${(v / 1000).toPrecision(3)} s` : `${v.toPrecision(3)} ms`);
const metOrMissed = (ok: boolean) => (ok ? 'met' : 'missed');

/** The start-up table, from bench/startup.json. */
export function renderStartup(s: StartupJson): string {
  const name = (c: string) =>
    c.startsWith('node -e 0')
      ? '`node -e 0`'
      : c.replace(/^scalefit (\S+)(.*)$/, (_, cmd: string, rest: string) =>
          rest.includes('20-run') ? `\`scalefit ${cmd}\` on a 20-run CSV` : `\`scalefit ${cmd}\``,
        );
  const rows = s.cases.map((c) => {
    const bare = c.over_node_ms === 0 && c.case.startsWith('node');
    const target = c.target ? `${c.target.replace(' of bare node', '')} (${c.met ? 'met' : 'missed'})` : '-';
    return `| ${name(c.case)} | ${c.wall_ms} ms | ${bare ? '-' : `${c.over_node_ms} ms`} | ${c.cpu_ms ?? '-'} ms | ${target} |`;
  });
  return [
    `Medians of ${s.reps} runs of the compiled CLI (bin/scalefit.js, the esbuild bundle) interleaved with bare \`node -e 0\`, ${whenRun(s.date)}, node ${s.node}, load average ${s.load_average}:`,
    '',
    '| case | wall | over bare node | CPU | target (wall over bare node) |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The browser app's table, from bench/app.json. */
export function renderApp(a: AppJson): string {
  const f = a.default_fit,
    b = a.bootstrap_1000;
  return [
    `The app in headless Chromium ${a.chromium.split('.')[0]} from \`file://\`, ${whenRun(a.date)}, load average ${a.loadavg.start[0]} at the start and ${a.loadavg.end[0]} at the end. A fit is timed from the file's drop to the result on the page's thread (loading, fit, uncertainty and report assembly in the engine worker, and the messages; charts excluded):`,
    '',
    '| case | wall | target |',
    '|---|---|---|',
    `| page load (\`file://\`, until the load event) | ${msOrS(a.page_load_ms)} | - |`,
    `| default fit of the Epoch data (245 runs), the first, dropped ${f.first_after_ms / 1000} s after the page loaded | ${msOrS(f.first_ms)} | < ${f.target_ms} ms (${metOrMissed(f.first_ms < f.target_ms)}) |`,
    `| the same, median of ${f.reps} more (min-max) | ${msOrS(f.median_ms)} (${msOrS(f.min_ms)}-${msOrS(f.max_ms)}) | < ${f.target_ms} ms (${metOrMissed(f.median_ms < f.target_ms)}) |`,
    `| 1000-resample bootstrap on ${b.workers} Web Workers | ${msOrS(b.page_ms)} | - |`,
    `| the same by \`scalefit fit --bootstrap 1000\` on ${b.workers} threads, in the same run | ${msOrS(b.cli_ms)} (page/CLI ${b.page_over_cli.toFixed(2)}) | - |`,
    '',
    `The page's bootstrap intervals differ from the CLI's by at most ${b.max_rel_diff_sd_ci.toPrecision(2)} relative (same seed, same resamples).`,
  ].join('\n');
}

/** Replace the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`,
    end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start),
    j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md lacks the ${start} ... ${end} markers`);
  return `${text.slice(0, i)}${start}\n${body}\n${end}${text.slice(j + end.length)}`;
}
