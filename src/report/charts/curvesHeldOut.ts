import type { CurvesReportModel } from '../curvesModel.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, HEIGHT, r6, SCHEMA, WIDTH } from './common.ts';
import { curveLossDomain } from './curvesFit.ts';

/**
 * Curves chart 2: the held-out end of each curve. The law fitted on the checkpoints before the cut (dashed rule)
 * predicts the rest: points are checkpoints (filled: fitted, open: held out), the line the early fit's curve. Null
 * without a held-out check.
 */
export function curvesHeldOutChart(model: CurvesReportModel): ChartSpec | null {
  const h = model.heldOut;
  if (!h) return null;
  const rows = h.curves.flatMap((c) =>
    c.steps.map((s, i) => ({
      run: c.run,
      step: s,
      observed: r6(c.observed[i]!),
      predicted: r6(c.predicted[i]!),
      set: s < c.cutStep ? 'fitted' : 'held out',
    })),
  );
  const domain = curveLossDomain(rows.map((r) => r.observed));
  const y = { type: 'quantitative', scale: { domain, clamp: true }, title: 'loss' } as const;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Held-out end of each curve: fitted below ${h.cut} of the last step`,
      subtitle: `log error on the held-out checkpoints: RMS ${r6(h.rms)}, max ${r6(h.max)}`,
    },
    width: WIDTH * 1.4,
    height: HEIGHT,
    layer: [
      {
        data: { values: h.curves.map((c) => ({ run: c.run, cut: c.cutStep })) },
        mark: { type: 'rule', strokeDash: [4, 3], opacity: 0.6 },
        encoding: { x: { field: 'cut', type: 'quantitative' }, color: { field: 'run', type: 'nominal' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', size: 16, opacity: 0.7, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { ...y, field: 'observed' },
          color: { field: 'run', type: 'nominal', title: 'run' },
          shape: {
            field: 'set',
            type: 'nominal',
            title: 'checkpoints',
            scale: { domain: ['fitted', 'held out'], range: ['circle', 'triangle-up'] },
          },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.6, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { ...y, field: 'predicted' },
          color: { field: 'run', type: 'nominal' },
        },
      },
    ],
  } satisfies ChartSpec;
}
