import { formatNumber } from '../../core/formatNumber.ts';
import { InputError } from '../../core/errors.ts';
import { curveBand } from '../../analysis/curveBand.ts';
import type { Params } from '../../core/law.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { stableJson } from '../../io/stableJson.ts';
import { CURVE_LAWS, getLaw } from '../../laws/index.ts';
import { percentile } from '../../math/quantile.ts';
import { textTable as table } from '../../report/textTable.ts';
import { defineCommand } from '../command.ts';
import { SCHEDULE_OPTIONS, schedulesFrom } from '../scheduleOptions.ts';
import type { FitJson } from '../../io/fitJson.ts';

export const predictCurveCommand = defineCommand({
  name: 'predict-curve',
  usage: [
    '<fit.json> --schedule wsd --cooldown 0.2 --steps 50000 [options]',
    '<fit.json> --schedule-file schedule.csv [options]',
  ],
  description: `Reads a curve fit written by scalefit fit-curves --out and predicts the loss curve of a schedule: a built-in
one (--schedule constant, cosine, linear or wsd, with --steps or --tokens, --peak-lr, --warmup, --final-lr and for wsd
--cooldown, the fraction of all steps spent in the final linear decay) or a file of steps and rates
(--schedule-file). Several --schedule or --cooldown values are predicted side by side, with the final loss of each
and its difference from the first: "what does a 20% cooldown buy at 10B tokens?" is
--schedule wsd --cooldown 0,0.2 --tokens 10B.

A fit saved by fit-curves with a bootstrap gives each step an interval: the percentiles of the K refits' curves (the curve's
uncertainty, not a single checkpoint's noise); differences between schedules are paired (each refit predicts both).`,
  examples: [
    {
      command: 'scalefit predict-curve fits/example-curves-mpl.json --schedule wsd --cooldown 0,0.1,0.2 --tokens 8B',
      note: 'the committed multi-power fit of data/examples/curves.csv: what a 10% or 20% cooldown buys at 8B tokens',
    },
    { command: 'scalefit predict-curve fits/example-curves-mpl.json --schedule cosine,wsd --steps 8000 --json' },
  ],
  options: {
    ...SCHEDULE_OPTIONS,
    points: {
      type: 'integer',
      value: 'K',
      min: 2,
      max: 10_000,
      default: 11,
      group: 'Output options',
      description: 'evenly spaced steps shown per schedule (always with the last)',
    },
    level: {
      type: 'number',
      value: 'X',
      above: 0,
      below: 1,
      example: '0.9',
      defaultText: "the fit's, else 0.95",
      group: 'Output options',
      description: 'interval coverage',
    },
    out: {
      type: 'string',
      value: 'FILE',
      example: 'curve.csv',
      group: 'Output options',
      description: 'write every step of every predicted curve as CSV (schedule,step,tokens,lr,loss,lo,hi)',
    },
    force: { type: 'flag', group: 'Output options', description: 'overwrite an existing --out' },
    json: {
      type: 'flag',
      group: 'Output options',
      description: 'print {"law", "schedules": [{label, steps, loss, lo, hi, final}]} as JSON',
    },
  },
  positionals: [1, 1],
  async run({ values, positionals, stdout }) {
    const path = positionals[0]!;
    const out = values.out;
    const replacing = out ? checkOverwrite(out, values.force) : false;
    const fit = readFitJson(path);
    const law = getLaw(fit.law);
    if (!Object.hasOwn(CURVE_LAWS, law.name))
      throw new InputError(
        `${path}: a ${law.name} fit is not a loss-curve fit; make one with scalefit fit-curves CURVES --out FILE`,
      );
    const curves = fit.curves ?? [];
    const agreed = (xs: Array<number | undefined>) =>
      xs.length > 0 && xs.every((x) => x !== undefined && Math.abs(x / xs[0]! - 1) < 1e-9) ? xs[0] : undefined;
    const tps = values['tokens-per-step'] ?? agreed(curves.map((c) => c.tokens_per_step));
    const schedules = await schedulesFrom(values, agreed(curves.map((c) => c.peak_lr)), tps);
    if (schedules.length === 0)
      throw new InputError(
        'predict-curve: give a schedule: --schedule wsd --cooldown 0.2 --steps 50000 (or --schedule-file FILE)',
      );
    const boot = curveBootstrapParams(fit, law.paramNames);
    const level = values.level ?? fit.curve_bootstrap?.level ?? 0.95;
    const predictions = schedules.map(({ label, schedule }) => {
      const T = schedule.lr.length - 1;
      const shown = [
        ...new Set(
          Array.from({ length: values.points }, (_, i) => Math.max(1, Math.round((T * (i + 1)) / values.points))),
        ),
      ];
      return { label, schedule, shown, band: curveBand(law, fit.params, boot, schedule, shown, level) };
    });
    const finals = predictions.map((p) => ({
      label: p.label,
      loss: p.band.loss[p.band.loss.length - 1]!,
      draws: p.band.draws?.map((d) => d[d.length - 1]!),
    }));
    const diff = (i: number) => {
      const a = finals[i]!,
        b = finals[0]!;
      if (!a.draws || !b.draws) return undefined;
      const d = a.draws.map((x, j) => x - b.draws![j]!);
      return [percentile(d, (1 - level) / 2), percentile(d, (1 + level) / 2)] as const;
    };
    if (out) {
      const rows = ['schedule,step,tokens,lr,loss,lo,hi'];
      for (const p of predictions) {
        const T = p.schedule.lr.length - 1;
        const every = Array.from({ length: T }, (_, i) => i + 1);
        const b = curveBand(law, fit.params, boot, p.schedule, every, level);
        every.forEach((s, i) =>
          rows.push(
            [p.label, s, tps ? s * tps : '', p.schedule.lr[s], b.loss[i], b.lo?.[i] ?? '', b.hi?.[i] ?? ''].join(','),
          ),
        );
      }
      atomicWrite(out, `${rows.join('\n')}\n`, { replace: Boolean(values.force) });
    }
    const pct = `${Math.round(level * 1000) / 10}%`;
    if (values.json) {
      stdout(
        stableJson({
          law: law.name,
          formula: law.formula,
          level,
          tokens_per_step: tps ?? null,
          bootstrap: boot ? boot.length : 0,
          schedules: predictions.map((p, i) => ({
            label: p.label,
            steps: p.band.steps,
            lr: p.band.steps.map((s) => p.schedule.lr[s]!),
            loss: p.band.loss,
            ...(p.band.lo ? { lo: p.band.lo, hi: p.band.hi } : {}),
            final: finals[i]!.loss,
            ...(i > 0
              ? {
                  final_minus_first: finals[i]!.loss - finals[0]!.loss,
                  ...(diff(i) ? { final_minus_first_interval: diff(i) } : {}),
                }
              : {}),
          })),
        }),
      );
      return 0;
    }
    const lines = [
      `${law.name}: ${law.formula}`,
      `fit: ${path} (${fit.n} checkpoints; ${boot ? `${boot.length} bootstrap refits: ${pct} intervals of the curve` : 'no bootstrap: refit with fit-curves --bootstrap K for intervals'})`,
    ];
    for (const p of predictions) {
      lines.push(
        '',
        `${p.label}:`,
        table([
          ['step', ...(tps ? ['tokens'] : []), 'lr', 'loss', ...(p.band.lo ? [`${pct} interval`] : [])],
          ...p.band.steps.map((s, j) => [
            String(s),
            ...(tps ? [formatNumber(s * tps, 3)] : []),
            formatNumber(p.schedule.lr[s]!, 3),
            formatNumber(p.band.loss[j]!, 5),
            ...(p.band.lo ? [`[${formatNumber(p.band.lo[j]!, 5)}, ${formatNumber(p.band.hi![j]!, 5)}]`] : []),
          ]),
        ]).trimEnd(),
      );
    }
    if (predictions.length > 1) {
      lines.push(
        '',
        'final loss by schedule:',
        table([
          ['schedule', 'final loss', `vs ${finals[0]!.label}`, ...(boot ? [`${pct} interval of the difference`] : [])],
          ...finals.map((f, i) => [
            f.label,
            formatNumber(f.loss, 5),
            i === 0 ? '' : formatNumber(f.loss - finals[0]!.loss, 3),
            ...(boot ? [i === 0 ? '' : `[${formatNumber(diff(i)![0], 3)}, ${formatNumber(diff(i)![1], 3)}]`] : []),
          ]),
        ]).trimEnd(),
      );
    }
    stdout(`${lines.join('\n')}\n${out ? wroteLine(out, replacing) : ''}`);
    return 0;
  },
});

/** The per-resample parameters of a curve fit's `curve_bootstrap` (null without one, or with fewer than 2 usable). */
function curveBootstrapParams(fit: FitJson, names: readonly string[]): Params[] | null {
  const cols = fit.curve_bootstrap?.resamples.params;
  if (!cols || !names.every((k) => Array.isArray(cols[k]))) return null;
  const list = cols[names[0]!]!.map((_, i) => Object.fromEntries(names.map((k) => [k, cols[k]![i]]))).filter((p) =>
    names.every((k) => typeof p[k] === 'number' && Number.isFinite(p[k])),
  ) as Params[];
  return list.length >= 2 ? list : null;
}
