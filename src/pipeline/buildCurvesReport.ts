import { basename } from 'node:path';
import type { Law } from '../core/law.ts';
import { formatNumber } from '../core/formatNumber.ts';
import type { LrSchedule } from '../core/schedule.ts';
import { curveBand } from '../analysis/curveBand.ts';
import { predictCurve } from '../analysis/predictCurve.ts';
import type { CurveDataset } from '../data/readCurves.ts';
import { stableJson } from '../io/stableJson.ts';
import { percentile } from '../math/quantile.ts';
import { buildCurveCharts } from '../report/charts/curveCharts.ts';
import type { Chart } from '../report/charts/index.ts';
import type { CurvesReportModel } from '../report/curvesModel.ts';
import { escapeHtml } from '../report/escape.ts';
import { pageHtml } from '../report/html.ts';
import { libraryScripts } from '../report/libraryScripts.ts';
import { pageMarkdown } from '../report/markdown.ts';
import { renderSvg, svgToPng } from '../report/render.ts';
import type { Table } from '../report/tables.ts';
import type { ReportFile } from './buildReport.ts';
import type { CurveFit } from './fitCurves.ts';

/** Points per predicted curve in the report's chart. */
const CURVE_POINTS = 200;

/**
 * The loss-curve report: observed and fitted curves per run, the held-out end of each curve (fit below the cut,
 * predict the rest, with its error) and the predicted curve of every asked schedule with its bootstrap band, as
 * index.html, report.md, fit.json and charts (Vega-Lite specs, SVG, PNG), in the layout of the run report.
 *
 * @example const { files } = await buildCurvesReport({ law, data, result, schedules: [], level: 0.95 })
 */
export async function buildCurvesReport(o: {
  law: Law;
  data: CurveDataset;
  result: CurveFit;
  schedules: ReadonlyArray<{ label: string; schedule: LrSchedule }>;
  level: number;
  images?: boolean;
}): Promise<{ model: CurvesReportModel; charts: Chart[]; files: ReportFile[]; headline: string }> {
  const model = curvesReportModel(o.law, o.data, o.result, o.schedules, o.level);
  const charts = buildCurveCharts(model);
  const tables = curvesTables(model);
  const headline = curvesHeadline(model, o.result);
  const subtitle = `${o.law.name}: ${o.law.formula}`;
  const files: ReportFile[] = [
    {
      path: 'index.html',
      data: pageHtml({
        title: model.title,
        subtitleHtml: `${escapeHtml(subtitle)} &middot; ${escapeHtml(o.law.reference)}`,
        headline,
        notes: [],
        tables,
        charts,
        libraries: libraryScripts(),
      }),
    },
    {
      path: 'report.md',
      data: pageMarkdown({
        title: model.title,
        subtitle: `\`${subtitle.replace(/`/g, '')}\` (${o.law.reference})`,
        headline,
        notes: [],
        tables,
        charts,
      }),
    },
    { path: 'fit.json', data: stableJson(o.result.json) },
  ];
  for (const c of charts) {
    files.push({ path: `charts/${c.id}.vl.json`, data: `${JSON.stringify(c.spec)}\n` });
    if (o.images !== false) {
      const svg = await renderSvg(c.spec);
      files.push({ path: `charts/${c.id}.svg`, data: svg }, { path: `charts/${c.id}.png`, data: svgToPng(svg, 1.5) });
    }
  }
  return { model, charts, files, headline };
}

function curvesReportModel(
  law: Law,
  data: CurveDataset,
  result: CurveFit,
  schedules: ReadonlyArray<{ label: string; schedule: LrSchedule }>,
  level: number,
): CurvesReportModel {
  const { fit, boot, heldOut } = result;
  const curves = data.curves
    .filter((c) => c.checkpoints.length > 0)
    .map((c) => {
      const steps = c.checkpoints.map((r) => r.S!);
      return {
        run: c.run,
        ...(c.tokensPerStep !== undefined ? { tokensPerStep: c.tokensPerStep } : {}),
        steps,
        lr: steps.map((s) => c.schedule.lr[s]!),
        observed: c.checkpoints.map((r) => r.loss),
        fitted: [...predictCurve(law, fit.params, c.schedule, steps)],
      };
    });
  const bootParams = boot && boot.params.length >= 2 ? boot.params : null;
  const predicted = schedules.map(({ label, schedule }) => {
    const T = schedule.lr.length - 1;
    const steps = [
      ...new Set(Array.from({ length: CURVE_POINTS }, (_, i) => Math.max(1, Math.round((T * (i + 1)) / CURVE_POINTS)))),
    ];
    const band = curveBand(law, fit.params, bootParams, schedule, steps, level);
    return {
      label,
      steps,
      lr: steps.map((s) => schedule.lr[s]!),
      loss: band.loss,
      ...(band.lo ? { lo: band.lo, hi: band.hi! } : {}),
      draws: band.draws,
    };
  });
  const finalOf = (p: (typeof predicted)[number]) => ({
    loss: p.loss[p.loss.length - 1]!,
    draws: p.draws?.map((d) => d[d.length - 1]!),
  });
  const first = predicted[0] ? finalOf(predicted[0]) : undefined;
  const finals = predicted.map((p, i) => {
    const f = finalOf(p);
    const out: CurvesReportModel['finals'][number] = { label: p.label, loss: f.loss };
    if (f.draws) {
      out.lo = percentile(f.draws, (1 - level) / 2);
      out.hi = percentile(f.draws, (1 + level) / 2);
    }
    if (i > 0 && first) {
      out.diff = f.loss - first.loss;
      if (f.draws && first.draws) {
        const d = f.draws.map((x, j) => x - first.draws![j]!);
        out.diffLo = percentile(d, (1 - level) / 2);
        out.diffHi = percentile(d, (1 + level) / 2);
      }
    }
    return out;
  });
  const model: CurvesReportModel = {
    title: `Loss-curve report: ${basename(data.dataset.file)}`,
    law: { name: law.name, formula: law.formula, reference: law.reference },
    file: data.dataset.file,
    params: fit.params,
    level,
    fitNote: `${fit.loss.kind}${fit.loss.kind === 'huber' ? ` (delta ${fit.loss.delta})` : ''} on log loss, ${fit.n} checkpoints; ${fit.converged ? 'converged' : 'not converged'}: ${fit.message}${fit.atBound.length ? `; at a bound: ${fit.atBound.join(', ')}` : ''}`,
    curves,
    predicted: predicted.map(({ draws: _, ...p }) => p),
    finals,
  };
  if (bootParams) {
    model.ci = Object.fromEntries(
      law.paramNames.map((k) => [
        k,
        [
          percentile(
            bootParams.map((p) => p[k]!),
            (1 - level) / 2,
          ),
          percentile(
            bootParams.map((p) => p[k]!),
            (1 + level) / 2,
          ),
        ],
      ]),
    );
    model.bootstrapNote = `${bootParams.length} of ${boot!.K} refits of resampled ${boot!.resample} (seed ${boot!.seed})${boot!.resample === 'checkpoints' ? '; checkpoints of one run are correlated, so these intervals are too narrow' : ''}`;
  }
  if (heldOut) {
    const byRun = data.curves
      .filter((c) => c.checkpoints.length > 0)
      .map((c) => {
        const steps = c.checkpoints.map((r) => r.S!);
        const last = Math.max(...steps);
        const cutStep = heldOut.cut * last;
        const predictedLoss = [...predictCurve(law, heldOut.fit.params, c.schedule, steps)];
        const errs = steps
          .map((s, i) => (s >= cutStep ? Math.log(predictedLoss[i]! / c.checkpoints[i]!.loss) : NaN))
          .filter(Number.isFinite);
        return {
          run: c.run,
          cutStep,
          steps,
          observed: c.checkpoints.map((r) => r.loss),
          predicted: predictedLoss,
          count: errs.length,
          rms: Math.sqrt(errs.reduce((a, e) => a + e * e, 0) / Math.max(1, errs.length)),
          max: errs.reduce((m, e) => Math.max(m, Math.abs(e)), 0),
        };
      });
    model.heldOut = {
      cut: heldOut.cut,
      rms: heldOut.rmsLogError,
      max: heldOut.maxLogError,
      mean: heldOut.meanLogError,
      curves: byRun,
    };
  }
  return model;
}

function curvesHeadline(model: CurvesReportModel, result: CurveFit): string {
  const rms = Math.sqrt(result.fit.rss / result.fit.n);
  const parts = [
    `${model.law.name} fits the ${result.fit.n} checkpoints of ${model.curves.length} curve${model.curves.length === 1 ? '' : 's'} to an RMS log residual of ${formatNumber(rms, 3)}`,
  ];
  if (model.heldOut)
    parts.push(
      `fitted below ${model.heldOut.cut} of each curve's last step, it predicts the rest to an RMS log error of ${formatNumber(model.heldOut.rms, 3)} (largest ${formatNumber(model.heldOut.max, 3)})`,
    );
  return `${parts.join('; ')}.`;
}

function curvesTables(model: CurvesReportModel): Table[] {
  const pct = `${Math.round(model.level * 1000) / 10}%`;
  const tables: Table[] = [
    {
      id: 'curves-fit',
      title: 'Fit',
      headers: ['', ''],
      rows: [
        ['law', `${model.law.name}: ${model.law.formula}`],
        ['source', model.law.reference],
        ['data', model.file],
        ['fit', model.fitNote],
        ...(model.bootstrapNote ? [['bootstrap', model.bootstrapNote]] : []),
      ],
    },
    {
      id: 'curves-params',
      title: 'Parameters',
      headers: ['parameter', 'value', ...(model.ci ? [`${pct} interval`] : [])],
      rows: Object.entries(model.params).map(([k, v]) => [
        k,
        formatNumber(v),
        ...(model.ci ? [`[${formatNumber(model.ci[k]![0])}, ${formatNumber(model.ci[k]![1])}]`] : []),
      ]),
    },
    {
      id: 'curves-runs',
      title: 'Curves',
      headers: ['run', 'checkpoints', 'last step', 'peak lr', 'tokens/step', 'RMS log residual'],
      rows: model.curves.map((c) => {
        const r = c.observed.map((o, i) => Math.log(o / c.fitted[i]!));
        return [
          c.run,
          String(c.steps.length),
          String(c.steps[c.steps.length - 1]),
          formatNumber(Math.max(...c.lr)),
          c.tokensPerStep !== undefined ? formatNumber(c.tokensPerStep) : '',
          formatNumber(Math.sqrt(r.reduce((a, e) => a + e * e, 0) / r.length), 3),
        ];
      }),
    },
  ];
  if (model.heldOut) {
    tables.push({
      id: 'curves-held-out',
      title: `Held-out end of each curve (fitted below ${model.heldOut.cut} of its last step)`,
      headers: ['run', 'cut at step', 'held-out checkpoints', 'RMS log error', 'largest |log error|'],
      rows: model.heldOut.curves.map((c) => [
        c.run,
        formatNumber(c.cutStep),
        String(c.count),
        formatNumber(c.rms, 3),
        formatNumber(c.max, 3),
      ]),
      note: `log error = log(predicted / observed); mean over all held-out checkpoints ${formatNumber(model.heldOut.mean, 3)} (${model.heldOut.mean > 0 ? 'over' : 'under'}-predicts the late loss on average).`,
    });
  }
  if (model.finals.length > 0) {
    const banded = model.finals.some((f) => f.lo !== undefined);
    tables.push({
      id: 'curves-schedules',
      title: 'Asked schedules: final loss',
      headers: [
        'schedule',
        'final loss',
        ...(banded ? [`${pct} interval`] : []),
        `vs ${model.finals[0]!.label}`,
        ...(banded ? [`${pct} interval of the difference`] : []),
      ],
      rows: model.finals.map((f, i) => [
        f.label,
        formatNumber(f.loss, 5),
        ...(banded ? [f.lo !== undefined ? `[${formatNumber(f.lo, 5)}, ${formatNumber(f.hi!, 5)}]` : ''] : []),
        i === 0 ? '' : formatNumber(f.diff!, 3),
        ...(banded
          ? [i === 0 || f.diffLo === undefined ? '' : `[${formatNumber(f.diffLo, 3)}, ${formatNumber(f.diffHi!, 3)}]`]
          : []),
      ]),
      note: banded
        ? "Intervals: percentiles of the bootstrap refits' curves; differences are paired (each refit predicts every schedule)."
        : 'No bootstrap: refit with --bootstrap K for intervals.',
    });
  }
  return tables;
}
