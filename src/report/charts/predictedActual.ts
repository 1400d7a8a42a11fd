import type { ReportModel } from '../model.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, HEIGHT, r6, range, runRows, SCHEMA, setColor, setShape } from './common.ts';

/** Chart 4: predicted against actual loss for train and held-out runs, with the identity line y = x. */
export function predictedActualChart(model: ReportModel): ChartSpec {
  const [lo, hi] = range(model.runs.flatMap((r) => [r.loss, r.predicted]));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: 'Predicted against actual loss',
    width: HEIGHT,
    height: HEIGHT,
    layer: [
      {
        data: {
          values: [
            { x: r6(lo), y: r6(lo) },
            { x: r6(hi), y: r6(hi) },
          ],
        },
        mark: { type: 'line', color: '#888', strokeDash: [4, 4] },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { zero: false }, title: 'actual loss' },
          y: { field: 'y', type: 'quantitative', scale: { zero: false }, title: 'predicted loss' },
        },
      },
      {
        data: { values: runRows(model) },
        mark: { type: 'point', filled: true, size: 35, opacity: 0.8 },
        encoding: {
          x: { field: 'loss', type: 'quantitative' },
          y: { field: 'predicted', type: 'quantitative' },
          color: setColor(model),
          shape: setShape(model),
          tooltip: [
            { field: 'N', format: '.3e' },
            { field: 'D', format: '.3e' },
            { field: 'loss', format: '.4f' },
            { field: 'predicted', format: '.4f' },
          ],
        },
      },
    ],
  } satisfies ChartSpec;
}
