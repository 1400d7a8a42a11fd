import type { Comparison } from '../../analysis/compare.ts';

import type { ChartSpec } from './common.ts';

/** A Vega-Lite spec (the type every chart builder returns). */
export type VegaLiteSpec = ChartSpec;

/**
 * Held-out error by law: one bar per law and held-out split (RMSE of log loss on the held-out largest runs), laws in
 * ranking order (best first). Pure: the same comparison gives the same spec.
 *
 * @example compareChart(compareLaws([chinchilla, datacon], runs, opts)).mark // { type: 'bar', ... }
 */
export function compareChart(c: Comparison): VegaLiteSpec {
  const values = c.ranking.flatMap((name) => {
    const law = c.laws.find((l) => l.law === name)!;
    return (law.folds ?? []).map((f, i) => ({
      law: name,
      split: f.name,
      fold: i + 1,
      rmse: f.rmse,
      mare: f.mare,
      test: f.test,
    }));
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Held-out error by law (leave-largest-out cross-validation)',
    title: { text: 'Held-out error by law', subtitle: `RMSE of log loss on held-out runs (${c.holdout}); best first` },
    width: { step: 28 },
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'law', type: 'nominal', sort: c.ranking, title: 'law', axis: { labelAngle: 0 } },
      xOffset: { field: 'split', type: 'nominal', sort: c.folds.map((f) => f.name) },
      y: { field: 'rmse', type: 'quantitative', title: 'held-out RMSE of log loss' },
      color: {
        field: 'split',
        type: 'nominal',
        sort: c.folds.map((f) => f.name),
        title: 'held out',
        legend: { orient: 'bottom', direction: 'vertical' },
      },
      tooltip: [
        { field: 'law', type: 'nominal' },
        { field: 'split', type: 'nominal' },
        { field: 'rmse', type: 'quantitative', format: '.4g', title: 'RMSE (log loss)' },
        { field: 'mare', type: 'quantitative', format: '.3%', title: 'mean |rel. error|' },
        { field: 'test', type: 'quantitative', title: 'held-out runs' },
      ],
    },
  };
}
