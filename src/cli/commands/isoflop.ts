import { envelopeApproach1 } from '../../analysis/envelope.ts';
import { envelopeBootstrap } from '../../analysis/envelopeBootstrap.ts';
import type { ExponentFit, IsoflopRow } from '../../analysis/isoflop.ts';
import { isoflopApproach2 } from '../../analysis/isoflop.ts';
import { isoflopBootstrap } from '../../analysis/isoflopBootstrap.ts';
import { fitOptimaPowerLaws } from '../../analysis/optimaPowerLaws.ts';
import { perDecade } from '../../analysis/perDecade.ts';
import { readRuns } from '../../data/readRuns.ts';
import type { Dataset } from '../../data/types.ts';
import type { Variable } from '../../core/run.ts';
import { InputError } from '../../core/errors.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { inputJson } from '../../io/inputJson.ts';
import { allocationJson, allocationTable } from '../../report/allocationText.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { VERSION } from '../../core/version.ts';
import { defineCommand } from '../command.ts';
import type { Values } from '../optionTypes.ts';
import { defineOptions } from '../optionTypes.ts';
import { DATA_OPTIONS, UNCERTAINTY_OPTIONS, loadOptionsFrom, outputOptions } from '../options.ts';

const ANALYSIS_OUTPUT = outputOptions(
  { value: 'FILE', description: 'write the result JSON to FILE (atomically)' },
  'print {"a", "b", "bootstrap", "allocations": [{compute, N_opt, D_opt, tokens_per_param, loss}], "excluded", ...} as JSON',
);

/** Percentile intervals on the exponents a and b (isoflop, envelope). */
const EXPONENT_BOOTSTRAP = defineOptions({
  bootstrap: {
    ...UNCERTAINTY_OPTIONS.bootstrap,
    description: 'K resamples: percentile intervals on a and b (Efron & Tibshirani 1993)',
  },
  seed: { ...UNCERTAINTY_OPTIONS.seed, description: 'bootstrap seed; the same seed gives the same JSON' },
  level: UNCERTAINTY_OPTIONS.level,
});

export const isoflopCommand = defineCommand({
  name: 'isoflop',
  usage: ['<data.csv> [options]', '<optima.csv> --optima [options]'],
  description: `Groups runs by compute budget, fits a parabola of loss against log N in each group (at least 3 model sizes), takes
its minimum N*(C), and fits N* = k C^a and D* = C/(6N*) = k' C^b by least squares in log-log space. A budget whose
minimum lies outside the model sizes trained there is excluded from the fit and named (its parabola is extrapolated).
With --optima the file already holds one optimum per budget (C and N_opt and/or D_opt; no loss needed) and the power
laws are fitted to those.`,
  examples: [
    {
      command: 'scalefit isoflop data/epoch-chinchilla.csv',
      note: 'approach 2 on the reconstructed Chinchilla runs, grouped by C within 10%',
    },
    {
      command:
        'scalefit isoflop data/backtests/isoflops-raw/isoflops.csv --budget-column budget --where "source==llama_3__raw_loss" --bootstrap 1000',
      note: "Llama 3's digitised sweeps: a = 0.4632, as the study's own refit",
    },
  ],
  options: {
    'budget-column': {
      type: 'string',
      value: 'COL',
      example: 'budget',
      description:
        "column naming each run's budget in FLOPs, which is then the C of its optimum (default: group runs whose C agree within --tolerance)",
    },
    tolerance: {
      type: 'number',
      value: 'X',
      above: 0,
      max: 1,
      default: 0.1,
      description: 'relative tolerance on C for grouping runs into budgets',
    },
    'keep-extrapolated': {
      type: 'flag',
      description:
        'keep budgets whose minimum lies outside the model sizes trained there (default: exclude and name them)',
    },
    optima: {
      type: 'flag',
      description: 'the file holds optima (one row per budget: C and N_opt and/or D_opt): fit the power laws to them',
    },
    weight: {
      type: 'string',
      value: 'COL',
      example: 'weight',
      description: 'with --optima: weighted least squares, weights from column COL',
    },
    ...EXPONENT_BOOTSTRAP,
    ...ANALYSIS_OUTPUT,
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  run(ctx) {
    const { tolerance, 'budget-column': budgetColumn, weight } = ctx.values;
    const boot = { K: ctx.values.bootstrap, seed: ctx.values.seed, level: ctx.values.level };
    if (ctx.values.optima) {
      if (budgetColumn !== undefined || ctx.values['keep-extrapolated'])
        throw new InputError(
          '--optima: the file already holds one optimum per budget; --budget-column and --keep-extrapolated do not apply',
        );
      return runAnalysis(
        ctx,
        'optima',
        ['C'],
        (ds) =>
          fitOptimaPowerLaws(ds.runs, {
            ...(weight !== undefined ? { weightColumn: weight } : {}),
            ...(boot.K ? { bootstrap: boot } : {}),
          }),
        false,
      );
    }
    if (weight !== undefined)
      throw new InputError(
        '--weight applies to --optima (a file of optima); isoFLOP profiles weight every budget alike',
      );
    const o = {
      tolerance,
      keepExtrapolated: ctx.values['keep-extrapolated'],
      ...(budgetColumn !== undefined ? { budgetColumn } : {}),
    };
    return runAnalysis(ctx, 'isoflop', ['N', 'D', 'C'], (ds) => {
      const r = isoflopApproach2(ds.runs, o);
      return boot.K ? { ...r, bootstrap: isoflopBootstrap(ds.runs, o, boot) } : r;
    });
  },
});

export const envelopeCommand = defineCommand({
  name: 'envelope',
  usage: ['<curves.csv> [options]'],
  description: `For files of whole loss curves (one row per checkpoint: run id, N, tokens so far D, loss): takes the lower envelope
of loss over runs at log-spaced compute values C = 6ND (1500, as Hoffmann et al. 2022), records which N attains it,
and fits N_opt = k C^a and D_opt = k' C^b in log-log space. Values attained by the smallest or largest model are
skipped (and counted).`,
  examples: [
    {
      command: 'scalefit envelope data/examples/loss-curves.csv --bootstrap 200',
      note: "synthetic curves of 10 model sizes from Hoffmann et al.'s law (scripts/example-loss-curves.ts); a comes out near the law's beta/(alpha+beta) = 0.45",
    },
  ],
  options: {
    points: {
      type: 'integer',
      value: 'K',
      min: 2,
      max: 10_000,
      default: 1500,
      description: 'log-spaced compute values to read the envelope at (Hoffmann et al. 2022 use 1500)',
    },
    ...EXPONENT_BOOTSTRAP,
    ...ANALYSIS_OUTPUT,
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  run(ctx) {
    const { points } = ctx.values;
    const boot = { K: ctx.values.bootstrap, seed: ctx.values.seed, level: ctx.values.level };
    return runAnalysis(ctx, 'envelope', ['N', 'D', 'C'], (ds) => {
      const r = envelopeApproach1(ds.runs, { points });
      return boot.K ? { ...r, bootstrap: envelopeBootstrap(ds.runs, { points }, boot) } : r;
    });
  },
});

/** Text tables longer than this are summarised (the JSON keeps every row). */
const MAX_TEXT_ROWS = 60;

type AnalysisValues = Values<typeof ANALYSIS_OUTPUT & typeof DATA_OPTIONS>;

async function runAnalysis(
  { values, positionals, stdout }: { values: AnalysisValues; positionals: string[]; stdout: (s: string) => void },
  analysis: string,
  need: Variable[],
  compute: (ds: Dataset) => ExponentFit,
  needLoss = true,
): Promise<number> {
  const out = values.out;
  const replacing = out ? checkOverwrite(out, values.force) : false;
  const ds = await readRuns(positionals[0]!, { ...loadOptionsFrom(values, need), needLoss });
  const r = compute(ds);
  const mult = perDecade(r.a, r.b);
  const json = {
    scalefit: VERSION,
    analysis,
    method: r.method,
    input: inputJson(ds),
    compute_unit: 'FLOPs',
    a: r.a,
    b: r.b,
    k_N: r.k_N,
    k_D: r.k_D,
    per_10x: mult,
    ...(r.bootstrap ? { bootstrap: r.bootstrap } : {}),
    warnings: r.warnings,
    allocations: r.allocations.map(allocationJson),
    details: r.allocations.map((x) => ({
      compute: x.compute,
      runs: x.runs,
      N_min: x.N_min,
      N_max: x.N_max,
      extrapolated: x.extrapolated,
    })),
    excluded: r.excluded.map((x) => ({
      compute: x.compute,
      N_opt: x.N_opt,
      N_min: x.N_min,
      N_max: x.N_max,
      runs: x.runs,
      reason: excludedReason(x),
    })),
    skipped: r.skipped,
  };
  const text = stableJson(json);
  if (out) atomicWrite(out, text, { replace: Boolean(values.force) });
  if (values.json) {
    stdout(text);
    return 0;
  }
  const ci = (x: { ci: [number, number] }) => `[${formatNumber(x.ci[0], 4)}, ${formatNumber(x.ci[1], 4)}]`;
  const lines = [
    `${r.method}: ${ds.file}, ${ds.runs.length} rows`,
    `N_opt = ${formatNumber(r.k_N, 4)} C^${formatNumber(r.a, 4)}, D_opt = ${formatNumber(r.k_D, 4)} C^${formatNumber(r.b, 4)} (C in FLOPs)`,
    `a = ${formatNumber(r.a, 4)}, b = ${formatNumber(r.b, 4)}; per 10x compute: model x${formatNumber(mult.N, 3)}, data x${formatNumber(mult.D, 3)}`,
  ];
  const bs = r.bootstrap;
  if (bs) {
    lines.push(
      `bootstrap (${bs.K} resamples of ${bs.resample}; seed ${bs.seed}${bs.failed ? `; ${bs.failed} failed, left out` : ''}): a ${ci(bs.a)}, b ${ci(bs.b)} (${Math.round(bs.level * 100)}% percentile intervals; sd a ${formatNumber(bs.a.sd, 3)}, b ${formatNumber(bs.b.sd, 3)})`,
    );
  }
  lines.push('', `optima used (${r.allocations.length}):`);
  const shown =
    r.allocations.length > MAX_TEXT_ROWS
      ? everyNth(r.allocations, Math.ceil(r.allocations.length / 20))
      : r.allocations;
  let textOut = `${lines.join('\n')}\n${allocationTable(shown)}`;
  if (shown.length < r.allocations.length)
    textOut += `(${shown.length} of ${r.allocations.length} rows shown; --json lists all)\n`;
  const kept = r.allocations.filter((x) => x.extrapolated);
  if (kept.length)
    textOut += `warning: ${kept.length} optimum/optima lie outside the model sizes trained at their budget and are kept (--keep-extrapolated): ${kept.map((x) => `C = ${formatNumber(x.compute, 4)}`).join(', ')}\n`;
  if (r.excluded.length) {
    textOut += `excluded (${r.excluded.length}): minimum outside the model sizes trained at its budget (--keep-extrapolated keeps them)\n${r.excluded.map((x) => `  C = ${formatNumber(x.compute, 4)} FLOPs (${x.runs} runs): ${excludedReason(x)}`).join('\n')}\n`;
  }
  if (r.skipped.length) textOut += skippedText(r.skipped);
  for (const w of r.warnings) textOut += `warning: ${w}\n`;
  for (const w of ds.warnings) textOut += `warning: ${w}\n`;
  if (out) textOut += wroteLine(out, replacing);
  stdout(textOut);
  return 0;
}

function excludedReason(x: IsoflopRow): string {
  return `N_opt = ${formatNumber(x.N_opt, 4)} outside the sizes trained [${formatNumber(x.N_min, 4)}, ${formatNumber(x.N_max, 4)}]`;
}

/** Skipped budgets one per line; many (the envelope's 1500 compute values) counted by reason instead. */
function skippedText(skipped: ExponentFit['skipped']): string {
  if (skipped.length <= 12)
    return `skipped (${skipped.length}):\n${skipped.map((s) => `  C = ${formatNumber(s.compute, 4)} FLOPs (${s.runs} runs): ${s.reason}`).join('\n')}\n`;
  const byReason = new Map<string, number[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.compute]);
  return `skipped (${skipped.length}):\n${[...byReason].map(([reason, cs]) => `  ${cs.length} compute value(s) from ${formatNumber(Math.min(...cs), 3)} to ${formatNumber(Math.max(...cs), 3)} FLOPs: ${reason}`).join('\n')}\n`;
}

function everyNth<T>(xs: readonly T[], k: number): T[] {
  return xs.filter((_, i) => i % k === 0 || i === xs.length - 1);
}
