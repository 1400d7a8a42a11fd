import { formatNumber } from '../../core/formatNumber.ts';
import { readCurves } from '../../data/readCurves.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { stableJson } from '../../io/stableJson.ts';
import { CURVE_LAWS, getLaw } from '../../laws/index.ts';
import { fitCurves } from '../../pipeline/fitCurves.ts';
import { textTable as table } from '../../report/textTable.ts';
import { wrapText } from '../../report/wrapText.ts';
import { InputError } from '../../core/errors.ts';
import { buildCurvesReport } from '../../pipeline/buildCurvesReport.ts';
import { checkReportOverwrite, writeReport } from '../../pipeline/buildReport.ts';
import { defineCommand } from '../command.ts';
import { SCHEDULE_OPTIONS, schedulesFrom } from '../scheduleOptions.ts';
import { DATA_OPTIONS, UNCERTAINTY_OPTIONS, outputOptions, parseCurveLoadOptions } from '../options.ts';

export const fitCurvesCommand = defineCommand({
  name: 'fit-curves',
  usage: ['<curves.csv> [options]'],
  description: `Fits a loss-curve law to whole training curves under their learning-rate schedules: one row per checkpoint
with the run id, the step, the loss and the learning rate of that step (wandb's _step, train/loss and lr are read as
they are), and optionally D (tokens so far) or tokens_per_step. The laws: multi-power (Luo et al. 2025, 7 parameters)
and lr-annealing (Tissue et al. 2024, 4 parameters). The fit minimises the summed Huber loss on log-loss residuals with
L-BFGS from a grid of starts, as for runs.

--bootstrap K refits K resamples of whole curves (--resample curves, the default with 4 or more curves) or of
checkpoints within each curve (--resample checkpoints: keeps every schedule, but neighbouring checkpoints are
correlated, so its intervals are too narrow); the fit file keeps every resample's parameters, and predict-curve turns
them into intervals on a new schedule's curve. --holdout F fits each curve's steps below F of its last step and
reports the error on the rest.`,
  examples: [
    {
      command: 'scalefit fit-curves data/examples/curves.csv --law lr-annealing',
      note: 'three synthetic 4000-step runs (constant, cosine, WSD) made by scripts/make-example-curves.ts',
    },
    {
      command: 'scalefit fit-curves data/examples/curves.csv --law lr-annealing --holdout 0.7',
      note: 'fit the first 70% of each curve, report the error on the rest',
    },
    {
      command:
        'scalefit fit-curves data/examples/curves.csv --law multi-power --where "run==wsd-20" --out out/mpl-wsd.json',
      note: 'the multi-power law on the WSD run alone; predict-curve then predicts any other schedule from it',
    },
  ],
  options: {
    ...outputOptions(
      { value: 'FILE', description: 'write the fit JSON to FILE (atomically), for predict-curve' },
      'print the fit JSON to stdout instead of the table',
    ),
    law: {
      type: 'choice',
      value: 'NAME',
      choices: () => Object.keys(CURVE_LAWS),
      default: 'multi-power',
      group: 'Fit options',
      description: 'the curve law',
    },
    loss: {
      type: 'choice',
      choices: ['huber', 'mse', 'lad'],
      default: 'huber',
      group: 'Fit options',
      description: 'loss on log-loss residuals, summed over checkpoints',
    },
    delta: {
      type: 'number',
      value: 'X',
      above: 0,
      default: 1e-3,
      group: 'Fit options',
      description: 'Huber threshold (Luo et al. 2025 and Hoffmann et al. 2022 use 1e-3)',
    },
    holdout: {
      type: 'number',
      value: 'F',
      above: 0,
      below: 1,
      example: '0.7',
      group: 'Fit options',
      description: 'also fit each curve below F of its last step and report the error on the rest',
    },
    bootstrap: {
      ...UNCERTAINTY_OPTIONS.bootstrap,
      description: 'refit K resamples; the fit file keeps their parameters for predict-curve intervals',
    },
    seed: { ...UNCERTAINTY_OPTIONS.seed, description: 'bootstrap seed (same seed, same fit file)' },
    resample: {
      type: 'choice',
      choices: ['curves', 'checkpoints'],
      defaultText: 'curves with 4 or more curves, else checkpoints',
      group: 'Uncertainty options',
      description: 'resample whole curves, or checkpoints within each curve',
    },
    level: UNCERTAINTY_OPTIONS.level,
    'lr-column': {
      type: 'string',
      value: 'HEADER',
      example: 'lr-AdamW',
      group: 'Data options',
      description: 'the learning-rate column, when its header is not lr, learning_rate, train/lr, ...',
    },
    report: {
      type: 'string',
      value: 'DIR',
      example: 'out/curves-report',
      group: 'Output options',
      description:
        'also write a loss-curve report to DIR: observed and fitted curves, the held-out end of each curve (--holdout, 0.7 unless given) and the predicted curve of each --schedule',
    },
    ...SCHEDULE_OPTIONS,
    columns: DATA_OPTIONS.columns,
    where: DATA_OPTIONS.where,
  },
  positionals: [1, 1],
  async run({ values, positionals, stdout, stderr, interactive }) {
    const law = getLaw(values.law);
    const out = values.out;
    const replacing = out ? checkOverwrite(out, values.force) : false;
    const reportDir = values.report;
    if (reportDir !== undefined) checkReportOverwrite(reportDir, Boolean(values.force));
    const data = await readCurves(positionals[0]!, parseCurveLoadOptions(values));
    const agreed = (xs: Array<number | undefined>) =>
      xs.length > 0 && xs.every((x) => x !== undefined && Math.abs(x / xs[0]! - 1) < 1e-9) ? xs[0] : undefined;
    const schedules = await schedulesFrom(
      values,
      agreed(data.curves.map((c) => c.schedule.lr.reduce((m, v) => Math.max(m, v), 0))),
      values['tokens-per-step'] ?? agreed(data.curves.map((c) => c.tokensPerStep)),
    );
    if (schedules.length > 0 && reportDir === undefined)
      throw new InputError('--schedule goes with --report DIR here (or use predict-curve on the saved fit)');
    const curveCount = data.curves.filter((c) => c.checkpoints.length > 0).length;
    const { fit, boot, heldOut, json } = await fitCurves(law, data, {
      fit: { loss: { kind: values.loss, delta: values.delta, space: 'log' } },
      bootstrap: values.bootstrap,
      seed: values.seed,
      resample: values.resample ?? (curveCount >= 4 ? 'curves' : 'checkpoints'),
      level: values.level,
      holdout: values.holdout ?? (reportDir !== undefined ? 0.7 : 0),
      progress: { write: stderr, enabled: interactive, columns: process.stderr.columns },
    });
    const text = stableJson(json);
    if (out) atomicWrite(out, text, { replace: Boolean(values.force) });
    let reportLine = '';
    if (reportDir !== undefined) {
      const report = await buildCurvesReport({
        law,
        data,
        result: { fit, boot, heldOut, json },
        schedules,
        level: values.level,
      });
      writeReport(reportDir, report.files, Boolean(values.force));
      reportLine = `report: ${reportDir}/index.html (${report.headline})\n`;
    }
    if (values.json) {
      stdout(text);
      return 0;
    }
    const ci = (json as { bootstrap?: { ci: Record<string, [number, number]> } }).bootstrap?.ci;
    const lines = [
      `${law.name}: ${law.formula}`,
      `  ${law.reference}`,
      `data: ${data.dataset.file}: ${data.checkpoints.length} checkpoints of ${curveCount} curve(s) (lr from "${data.lrColumn}")`,
      table([
        ['run', 'checkpoints', 'last step', 'peak lr', 'tokens/step'],
        ...data.curves.map((c) => [
          c.run,
          String(c.checkpoints.length),
          String(c.schedule.lr.length - 1),
          formatNumber(c.schedule.lr.reduce((m, v) => Math.max(m, v), 0)),
          c.tokensPerStep !== undefined ? formatNumber(c.tokensPerStep) : '',
        ]),
      ]).trimEnd(),
      `fit: ${fit.loss.kind}${fit.loss.kind === 'huber' ? ` (delta ${fit.loss.delta})` : ''} on log loss; ${fit.converged ? 'converged' : 'NOT converged'}: ${fit.message}; objective ${formatNumber(fit.objective)}, ${fit.nfev} evaluations, ${fit.wallMs.toFixed(0)} ms`,
      `  RMS log residual ${formatNumber(Math.sqrt(fit.rss / fit.n), 3)}, AIC ${formatNumber(fit.aic)}, BIC ${formatNumber(fit.bic)}${fit.atBound.length ? `; at a bound: ${fit.atBound.join(', ')}` : ''}`,
      table([
        ['parameter', 'value', ...(ci ? [`${Math.round(values.level * 100)}% interval`] : [])],
        ...law.paramNames.map((k) => [
          k,
          formatNumber(fit.params[k]!),
          ...(ci ? [`[${formatNumber(ci[k]![0])}, ${formatNumber(ci[k]![1])}]`] : []),
        ]),
      ]).trimEnd(),
    ];
    if (boot)
      lines.push(
        wrapText(
          `bootstrap: ${boot.params.length} of ${boot.K} refits of resampled ${boot.resample} (seed ${boot.seed}), warm-started at the fit${boot.failed ? `; ${boot.failed} failed` : ''}`,
          100,
          '  ',
        ).trimEnd(),
      );
    if (heldOut) {
      lines.push(
        `held out: fitted on the ${heldOut.trainCheckpoints} checkpoints below ${heldOut.cut} of each curve's last step, predicted the other ${heldOut.points.length}:`,
        `  log error RMS ${formatNumber(heldOut.rmsLogError, 3)}, max ${formatNumber(heldOut.maxLogError, 3)}, mean ${formatNumber(heldOut.meanLogError, 3)} (${heldOut.meanLogError > 0 ? 'over' : 'under'}-predicts the late loss on average)`,
      );
    }
    stdout(`${lines.join('\n')}\n${out ? wroteLine(out, replacing) : ''}${reportLine}`);
    return 0;
  },
});
