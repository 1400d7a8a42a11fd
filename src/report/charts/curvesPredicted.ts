import type { CurvesReportModel } from '../curvesModel.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, HEIGHT, r6, SCHEMA, WIDTH } from './common.ts';
import { curveLossDomain } from './curvesFit.ts';

/**
 * Curves chart 3: the predicted curve of each asked schedule with its bootstrap band (when the fit has one), above the
 * learning rate of each schedule; the observed runs in grey for scale. Null when no schedule was asked.
 */
export function curvesPredictedChart(model: CurvesReportModel): ChartSpec | null {
  if (model.predicted.length === 0) return null;
  const rows = model.predicted.flatMap((p) =>
    p.steps.map((s, i) => ({
      schedule: p.label,
      step: s,
      lr: r6(p.lr[i]!),
      loss: r6(p.loss[i]!),
      ...(p.lo && p.hi ? { lo: r6(p.lo[i]!), hi: r6(p.hi[i]!) } : {}),
    })),
  );
  const observed = model.curves.flatMap((c) =>
    c.steps.map((s, i) => ({ run: c.run, step: s, observed: r6(c.observed[i]!) })),
  );
  const domain = curveLossDomain([...rows.map((r) => r.loss), ...observed.map((r) => r.observed)]);
  const y = { type: 'quantitative', scale: { domain, clamp: true }, title: 'loss' } as const;
  const x = { field: 'step', type: 'quantitative', title: 'step' } as const;
  const color = { field: 'schedule', type: 'nominal', title: 'schedule' } as const;
  const banded = model.predicted.some((p) => p.lo);
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: 'Predicted curves of the asked schedules',
      subtitle: banded
        ? `band: ${Math.round(model.level * 100)}% bootstrap interval of the curve; grey: the fitted runs`
        : 'no bootstrap, so no band; grey: the fitted runs',
    },
    vconcat: [
      {
        width: WIDTH * 1.4,
        height: HEIGHT,
        layer: [
          {
            data: { values: observed },
            mark: { type: 'point', size: 8, color: '#aaaaaa', opacity: 0.5, clip: true },
            encoding: { x, y: { ...y, field: 'observed' }, detail: { field: 'run', type: 'nominal' } },
          },
          ...(banded
            ? [
                {
                  data: { values: rows },
                  mark: { type: 'area' as const, opacity: 0.2, clip: true },
                  encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
                },
              ]
            : []),
          {
            data: { values: rows },
            mark: { type: 'line', strokeWidth: 1.8, clip: true },
            encoding: { x, y: { ...y, field: 'loss' }, color },
          },
        ],
      },
      {
        width: WIDTH * 1.4,
        height: HEIGHT * 0.4,
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.4 },
        encoding: {
          x,
          y: { field: 'lr', type: 'quantitative', title: 'learning rate', axis: { format: '.1e' } },
          color,
        },
      },
    ],
  } satisfies ChartSpec;
}
