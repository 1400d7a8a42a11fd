import type { ReportModel } from '../model.ts';
import type { ChartPanel, ChartSpec } from './common.ts';
import { CONFIG, EXP_FORMAT, HEIGHT, runRows, SCHEMA, setColor, setShape, WIDTH } from './common.ts';

/** Chart 5: log residuals, log(actual) - log(predicted), against N and against D, with the zero line. */
export function residualsChart(model: ReportModel): ChartSpec {
  const panel = (v: 'N' | 'D', title: string): ChartPanel => ({
    width: WIDTH * 0.75,
    height: HEIGHT * 0.8,
    layer: [
      { mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
        encoding: {
          x: { field: v, type: 'quantitative', scale: { type: 'log' }, title, axis: EXP_FORMAT },
          y: { field: 'residual', type: 'quantitative', title: 'log(actual) - log(predicted)' },
          color: setColor(model),
          shape: setShape(model),
        },
      },
    ],
  });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: 'Residuals against N and against D',
    data: { values: runRows(model) },
    hconcat: [panel('N', 'N (parameters)'), panel('D', 'D (tokens)')],
  } satisfies ChartSpec;
}
