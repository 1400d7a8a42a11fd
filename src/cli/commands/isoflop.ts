import { envelopeApproach1 } from '../../analysis/envelope.ts';
import type { ExponentFit } from '../../analysis/isoflop.ts';
import { isoflopApproach2 } from '../../analysis/isoflop.ts';
import { perDecade } from '../../analysis/perDecade.ts';
import { loadRuns } from '../../data/load.ts';
import type { Dataset } from '../../data/types.ts';
import { InputError } from '../../core/errors.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { allocationJson, allocationTable } from '../../report/allocationText.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { VERSION } from '../../core/version.ts';
import type { Command, CommandContext } from '../command.ts';
import { DATA_HELP, DATA_OPTIONS, intOption, loadOptionsFrom, num, str } from '../options.ts';

export const isoflopCommand: Command = {
  name: 'isoflop',
  help: `Usage: scalefit isoflop <data.csv> [options]

Groups runs by compute budget, fits a parabola of loss against log N in each group (at least 3 model sizes), takes
its minimum N*(C), and fits N* = k C^a and D* = C/(6N*) = k' C^b by least squares in log-log space.

Options:
  --budget-column COL        column naming each run's budget (default: group runs whose C agree within --tolerance)
  --tolerance X              relative tolerance on C for grouping (default 0.1)
  --out FILE                 write the result JSON to FILE (atomically); --force to overwrite
  --json                     print {"a", "b", "allocations": [{compute, N_opt, D_opt, tokens_per_param, loss}], ...}
${DATA_HELP}`,
  options: { ...DATA_OPTIONS, 'budget-column': { type: 'string' }, tolerance: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [1, 1],
  run(ctx) {
    const tolerance = num(ctx.values, 'tolerance', 0.1);
    if (!(tolerance > 0)) throw new InputError(`--tolerance ${tolerance}: must be > 0`);
    const budgetColumn = str(ctx.values, 'budget-column');
    return runAnalysis(ctx, 'isoflop', (ds) => isoflopApproach2(ds.runs, { tolerance, ...(budgetColumn !== undefined ? { budgetColumn } : {}) }));
  },
};

export const envelopeCommand: Command = {
  name: 'envelope',
  help: `Usage: scalefit envelope <curves.csv> [options]

For files of whole loss curves (one row per checkpoint: run id, N, tokens so far D, loss): takes the lower envelope
of loss over runs at log-spaced compute values C = 6ND, records which N attains it, and fits N_opt = k C^a and
D_opt = k' C^b in log-log space. Values attained by the smallest or largest model are skipped (and listed).

Options:
  --points K                 log-spaced compute values to read the envelope at (default 40)
  --out FILE                 write the result JSON to FILE (atomically); --force to overwrite
  --json                     print {"a", "b", "allocations": [...], ...} as JSON
${DATA_HELP}`,
  options: { ...DATA_OPTIONS, points: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [1, 1],
  run(ctx) {
    const points = intOption(ctx.values, 'points', 40, 2);
    return runAnalysis(ctx, 'envelope', (ds) => envelopeApproach1(ds.runs, { points }));
  },
};

function runAnalysis({ values, positionals, stdout }: CommandContext, analysis: string, compute: (ds: Dataset) => ExponentFit): number {
  const out = str(values, 'out');
  const replacing = out ? checkOverwrite(out, Boolean(values.force)) : false;
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
  if (out) atomicWrite(out, text);
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
