import type { CurvesReportModel } from '../curvesModel.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, HEIGHT, r6, SCHEMA, WIDTH } from './common.ts';

/** The loss range a curve chart shows: from the lowest value to the 95th percentile (early checkpoints, far above, would flatten the rest). */
export function curveLossDomain(values: number[]): [number, number] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const lo = v[0]!,
    hi = v[Math.min(v.length - 1, Math.floor(0.95 * (v.length - 1)))]!;
  const pad = 0.05 * (hi - lo || lo * 0.01);
  return [r6(lo - pad), r6(hi + pad)];
}

/** Curves chart 1: observed checkpoints (points) and the fitted law (lines) per run, loss against step. */
export function curvesFitChart(model: CurvesReportModel): ChartSpec {
  const rows = model.curves.flatMap((c) =>
    c.steps.map((s, i) => ({ run: c.run, step: s, observed: r6(c.observed[i]!), fitted: r6(c.fitted[i]!) })),
  );
  const domain = curveLossDomain(rows.map((r) => r.observed));
  const y = { type: 'quantitative', scale: { domain, clamp: true }, title: 'loss' } as const;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Observed and fitted curves (${model.law.name})`,
      subtitle: 'points: checkpoints; lines: the law fitted to every checkpoint of every run',
    },
    width: WIDTH * 1.4,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 14, opacity: 0.55, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { ...y, field: 'observed' },
          color: { field: 'run', type: 'nominal', title: 'run' },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1.6, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { ...y, field: 'fitted' },
          color: { field: 'run', type: 'nominal' },
        },
      },
    ],
  } satisfies ChartSpec;
}
