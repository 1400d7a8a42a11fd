import { envelopeApproach1 } from '../../analysis/envelope.ts';
import type { ExponentFit } from '../../analysis/isoflop.ts';
import { isoflopApproach2 } from '../../analysis/isoflop.ts';
import { perDecade } from '../../analysis/perDecade.ts';
import { loadRuns } from '../../data/load.ts';
import type { Dataset } from '../../data/types.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { allocationJson, allocationTable } from '../../report/allocationText.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { VERSION } from '../../core/version.ts';
import { defineCommand } from '../command.ts';
import type { Values } from '../optionTypes.ts';
import { DATA_OPTIONS, loadOptionsFrom, outputOptions } from '../options.ts';

const ANALYSIS_OUTPUT = outputOptions(
  { value: 'FILE', description: 'write the result JSON to FILE (atomically)' },
  'print {"a", "b", "allocations": [{compute, N_opt, D_opt, tokens_per_param, loss}], ...} as JSON',
);

export const isoflopCommand = defineCommand({
  name: 'isoflop',
  usage: ['<data.csv> [options]'],
  description: `Groups runs by compute budget, fits a parabola of loss against log N in each group (at least 3 model sizes), takes
its minimum N*(C), and fits N* = k C^a and D* = C/(6N*) = k' C^b by least squares in log-log space.`,
  examples: [
    { command: 'scalefit isoflop data/epoch-chinchilla.csv', note: 'approach 2 on the reconstructed Chinchilla runs, grouped by C within 10%' },
  ],
  options: {
    'budget-column': { type: 'string', value: 'COL', example: 'budget', description: "column naming each run's budget (default: group runs whose C agree within --tolerance)" },
    tolerance: { type: 'number', value: 'X', above: 0, max: 1, default: 0.1, description: 'relative tolerance on C for grouping runs into budgets' },
    ...ANALYSIS_OUTPUT,
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  run(ctx) {
    const { tolerance, 'budget-column': budgetColumn } = ctx.values;
    return runAnalysis(ctx, 'isoflop', (ds) => isoflopApproach2(ds.runs, { tolerance, ...(budgetColumn !== undefined ? { budgetColumn } : {}) }));
  },
});

export const envelopeCommand = defineCommand({
  name: 'envelope',
  usage: ['<curves.csv> [options]'],
  description: `For files of whole loss curves (one row per checkpoint: run id, N, tokens so far D, loss): takes the lower envelope
of loss over runs at log-spaced compute values C = 6ND, records which N attains it, and fits N_opt = k C^a and
D_opt = k' C^b in log-log space. Values attained by the smallest or largest model are skipped (and listed).`,
  examples: [
    { command: 'scalefit envelope data/examples/loss-curves.csv', note: "synthetic curves of 10 model sizes from Hoffmann et al.'s law (scripts/example-loss-curves.ts); a comes out near the law's beta/(alpha+beta) = 0.45" },
  ],
  options: {
    points: { type: 'integer', value: 'K', min: 2, max: 10_000, default: 40, description: 'log-spaced compute values to read the envelope at' },
    ...ANALYSIS_OUTPUT,
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  run(ctx) {
    const { points } = ctx.values;
    return runAnalysis(ctx, 'envelope', (ds) => envelopeApproach1(ds.runs, { points }));
  },
});

type AnalysisValues = Values<typeof ANALYSIS_OUTPUT & typeof DATA_OPTIONS>;

function runAnalysis({ values, positionals, stdout }: { values: AnalysisValues; positionals: string[]; stdout: (s: string) => void }, analysis: string, compute: (ds: Dataset) => ExponentFit): number {
  const out = values.out;
  const replacing = out ? checkOverwrite(out, values.force) : false;
  const ds = loadRuns(positionals[0]!, loadOptionsFrom(values, ['N', 'D', 'C']));
  const r = compute(ds);
  const mult = perDecade(r.a, r.b);
  const json = {
    scalefit: VERSION,
    analysis,
    method: r.method,
    input: { file: ds.file, sha256: ds.sha256, rowsRead: ds.rowsRead, rowsDropped: ds.rowsDropped, rowsKept: ds.runs.length, columns: ds.columns, filters: ds.filters, computeUnit: ds.computeUnit, warnings: ds.warnings },
    compute_unit: 'FLOPs',
    a: r.a,
    b: r.b,
    k_N: r.k_N,
    k_D: r.k_D,
    per_10x: mult,
    allocations: r.allocations.map(allocationJson),
    details: r.allocations.map((x) => ({ compute: x.compute, runs: x.runs, N_min: x.N_min, N_max: x.N_max, extrapolated: x.extrapolated })),
    skipped: r.skipped,
  };
  const text = stableJson(json);
  if (out) atomicWrite(out, text, { replace: Boolean(values.force) });
  if (values.json) {
    stdout(text);
    return 0;
  }
  const lines = [
    `${r.method}: ${ds.file}, ${ds.runs.length} rows`,
    `N_opt = ${formatNumber(r.k_N, 4)} C^${formatNumber(r.a, 4)}, D_opt = ${formatNumber(r.k_D, 4)} C^${formatNumber(r.b, 4)} (C in FLOPs)`,
    `a = ${formatNumber(r.a, 4)}, b = ${formatNumber(r.b, 4)}; per 10x compute: model x${formatNumber(mult.N, 3)}, data x${formatNumber(mult.D, 3)}`,
    '',
    `optima (${r.allocations.length}):`,
  ];
  let textOut = `${lines.join('\n')}\n${allocationTable(r.allocations)}`;
  const extrapolated = r.allocations.filter((x) => x.extrapolated).length;
  if (extrapolated) textOut += `warning: ${extrapolated} optimum/optima lie outside the model sizes trained at their budget (extrapolated parabola minimum)\n`;
  if (r.skipped.length) textOut += `skipped (${r.skipped.length}):\n${r.skipped.map((s) => `  C = ${formatNumber(s.compute, 4)} FLOPs (${s.runs} runs): ${s.reason}`).join('\n')}\n`;
  for (const w of ds.warnings) textOut += `warning: ${w}\n`;
  if (out) textOut += wroteLine(out, replacing);
  stdout(textOut);
  return 0;
}
