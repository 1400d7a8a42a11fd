import type { ReportModel } from '../model.ts';
import type { ChartSpec } from './common.ts';
import {
  CONFIG,
  EXP_FORMAT,
  extrapolationLayers,
  HEIGHT,
  LOG10_SIZE_LABEL,
  logspace,
  r6,
  range,
  runRows,
  SCHEMA,
  setShape,
  VISIBLE_VIRIDIS,
  WIDTH,
} from './common.ts';
import { sizeText } from '../sizeText.ts';

/** Most model sizes that get a legend entry each; more get a colour ramp. */
const MAX_SIZE_ENTRIES = 10;

/** Model sizes to draw fitted curves for: every distinct N when there are few, else 7 spread over log N. */
function curveSizes(ns: number[], max = 7): number[] {
  const distinct = [...new Set(ns.filter(Number.isFinite))].sort((a, b) => a - b);
  if (distinct.length <= max) return distinct;
  return Array.from({ length: max }, (_, i) => distinct[Math.round((i * (distinct.length - 1)) / (max - 1))]!);
}

/**
 * Chart 1: loss against training compute, points coloured by model size (one legend entry per size, labelled 70M,
 * 1.4B, ..., or a ramp over log N for many sizes), train and held-out runs as different shapes, and the fitted law
 * along C for a handful of model sizes: L(N, C/(6N)). Compute beyond the largest training run is shaded: there the
 * curves extrapolate.
 */
export function lossVsComputeChart(model: ReportModel): ChartSpec {
  const law = model.law;
  const rows = runRows(model).map((r) => ({
    ...r,
    log10N: r6(Math.log10(r.N as number)),
    size: sizeText(r.N as number),
  }));
  const [cLo, cHi] = range(model.runs.map((r) => r.C));
  const curves = curveSizes(model.runs.map((r) => r.N)).flatMap((N) =>
    logspace(cLo / 2, cHi * 2, 40).map((C) => ({
      N: r6(N),
      log10N: r6(Math.log10(N)),
      size: sizeText(r6(N)),
      C: r6(C),
      fitted: r6(law.predict(model.params, { N, D: C / (6 * N) })),
    })),
  );
  const [lLo, lHi] = range(model.runs.map((r) => r.loss));
  // A sweep of a few sizes gets one legend entry per size (70M ... 2.8B); many sizes a colour ramp of log10 N
  // (Vega-Lite draws log colour scales as long symbol legends), labelled as sizes too.
  const sizes = [...new Set(model.runs.map((r) => r6(r.N)))]
    .filter(Number.isFinite)
    .sort((a, b) => a - b)
    .map(sizeText);
  const color =
    sizes.length <= MAX_SIZE_ENTRIES && new Set(sizes).size === sizes.length
      ? ({
          field: 'size',
          type: 'ordinal',
          title: 'N (parameters)',
          sort: sizes,
          scale: { domain: sizes, scheme: VISIBLE_VIRIDIS },
        } as const)
      : ({
          field: 'log10N',
          type: 'quantitative',
          title: 'N (parameters)',
          scale: { scheme: VISIBLE_VIRIDIS },
          legend: { labelExpr: LOG10_SIZE_LABEL },
        } as const);
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: 'Loss against compute, with the fitted law for several model sizes',
    width: WIDTH,
    height: HEIGHT,
    layer: [
      ...extrapolationLayers(model, cHi * 2),
      {
        data: { values: curves },
        transform: [{ filter: `datum.fitted >= ${r6(lLo * 0.97)} && datum.fitted <= ${r6(lHi * 1.03)}` }],
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: {
          x: {
            field: 'C',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'C (training FLOPs)',
            axis: EXP_FORMAT,
          },
          y: {
            field: 'fitted',
            type: 'quantitative',
            scale: { zero: false, domain: [r6(lLo * 0.97), r6(lHi * 1.03)] },
            title: 'loss',
          },
          detail: { field: 'N', type: 'quantitative' },
          color,
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.85 },
        encoding: {
          x: { field: 'C', type: 'quantitative' },
          y: { field: 'loss', type: 'quantitative' },
          color,
          shape: setShape(model),
          tooltip: [
            { field: 'size', title: 'N' },
            { field: 'N', format: '.3e' },
            { field: 'D', format: '.3e' },
            { field: 'C', format: '.3e' },
            { field: 'loss', format: '.4f' },
            { field: 'predicted', format: '.4f' },
            { field: 'set' },
          ],
        },
      },
    ],
    resolve: { scale: { color: 'shared' } },
  } satisfies ChartSpec;
}
