import type { ReportModel } from '../model.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, r6, SCHEMA } from './common.ts';

/**
 * Chart 7: bootstrap distributions of the exponents (histograms of the per-resample estimates) with the point
 * estimate as a rule. Null when the fit has no bootstrap.
 */
export function bootstrapChart(model: ReportModel): ChartSpec | null {
  const boot = model.bootstrap;
  if (!boot) return null;
  // The parameters the law declares as exponents (every parameter when it declares none).
  const declared = model.law.exponents.length ? model.law.exponents : model.law.paramNames;
  const names = declared.filter((n) => !model.fit.fixed.includes(n) && !model.fit.tied[n]);
  if (names.length === 0) return null;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Bootstrap distributions of the exponents (${boot.length} resamples)`,
      subtitle: 'red line: the fitted value (all train runs)',
    },
    hconcat: names.map((name) => ({
      width: 220,
      height: 180,
      layer: [
        {
          data: { values: boot.map((p) => ({ value: r6(p[name]!) })) },
          mark: { type: 'bar', color: '#4c78a8' },
          encoding: {
            x: { field: 'value', type: 'quantitative', bin: { maxbins: 30 }, title: name },
            y: { aggregate: 'count', type: 'quantitative', title: 'resamples' },
          },
        },
        {
          data: { values: [{ value: r6(model.params[name]!), label: 'fit' }] },
          mark: { type: 'rule', color: '#e45756', strokeWidth: 2 },
          encoding: { x: { field: 'value', type: 'quantitative' }, tooltip: [{ field: 'value', title: name }] },
        },
      ],
    })),
  } satisfies ChartSpec;
}
