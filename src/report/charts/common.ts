import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { ReportModel, ReportRun } from '../model.ts';

export type ChartSpec = TopLevelSpec;

/** One panel of a side-by-side (hconcat) chart, as Vega-Lite's own types define it. */
export type ChartPanel = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const WIDTH = 380;
export const HEIGHT = 280;

/** Five significant digits (finer than any chart shows): keeps inlined data small and the golden specs stable. */
export function r6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(5)) : x;
}

/** n points log-spaced from lo to hi inclusive. */
export function logspace(lo: number, hi: number, n: number): number[] {
  const a = Math.log(lo),
    b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => Math.exp(a + ((b - a) * i) / (n - 1)));
}

export function range(xs: number[]): [number, number] {
  const f = xs.filter(Number.isFinite);
  return [Math.min(...f), Math.max(...f)];
}

/** The runs as chart rows (numbers and the set only: nothing from the user's file goes into a spec). */
export function runRows(model: ReportModel): Array<Record<string, number | string>> {
  return model.runs.map((r: ReportRun) => ({
    N: r6(r.N),
    D: r6(r.D),
    C: r6(r.C),
    loss: r6(r.loss),
    predicted: r6(r.predicted),
    set: r.set,
    residual: r6(Math.log(r.loss) - Math.log(r.predicted)),
  }));
}

/** The run sets a report has, in legend order: a legend names "held-out" only when there are held-out runs. */
function sets(model: ReportModel): Array<'train' | 'held-out'> {
  return model.runs.some((r) => r.set === 'held-out') ? ['train', 'held-out'] : ['train'];
}

/** Shape by run set: circles train, triangles held out. */
export function setShape(model: ReportModel) {
  const domain = sets(model);
  return {
    field: 'set',
    type: 'nominal',
    title: 'runs',
    scale: { domain, range: ['circle', 'triangle-up'].slice(0, domain.length) },
  } as const;
}

/** Colour by run set: blue train, red held out (both dark enough to read on white). */
export function setColor(model: ReportModel) {
  const domain = sets(model);
  return {
    field: 'set',
    type: 'nominal',
    title: 'runs',
    scale: { domain, range: ['#4c78a8', '#e45756'].slice(0, domain.length) },
  } as const;
}

/**
 * Viridis without its last fifth: the bright yellow end (#fde725) all but vanishes on a white page, and it is where
 * the largest models, the held-out ones in a backtest, land.
 */
export const VISIBLE_VIRIDIS: { name: 'viridis'; extent: number[] } = { name: 'viridis', extent: [0, 0.8] };

/** A Vega expression labelling a log10 legend value as a size: 8 -> 100M, 9 -> 1B (d3's SI G and k as B and K). */
export const LOG10_SIZE_LABEL = "replace(replace(format(pow(10, datum.value), '.3~s'), 'G', 'B'), 'k', 'K')";

/**
 * Log axes labelled like 1e+20 (Vega's SI prefixes read as units here), at powers of ten only, with faint grid lines
 * at the minor ticks.
 */
export const EXP_FORMAT = {
  format: '.0e',
  labelExpr: 'abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-6 ? datum.label : ""',
  gridOpacity: 0.5,
} as const;

/** Shared look: long legend labels (published fits' names) are not cut. */
export const CONFIG = { legend: { labelLimit: 260 }, axis: { titleFontWeight: 'normal' } } as const;

/**
 * Background layers marking how far a chart extrapolates: the compute beyond the largest training run shaded grey,
 * a rule at that compute and the label "extrapolated" (nothing when no run trains or the runs have no C).
 */
export function extrapolationLayers(model: ReportModel, cTo: number): Array<UnitSpec<Field>> {
  const train = model.runs.filter((r) => r.set === 'train' && Number.isFinite(r.C)).map((r) => r.C);
  if (!train.length) return [];
  const cMax = Math.max(...train);
  if (!(cTo > cMax)) return [];
  const x = { field: 'from', type: 'quantitative' } as const;
  return [
    {
      data: { values: [{ from: r6(cMax), to: r6(cTo) }] },
      mark: { type: 'rect', color: '#bbbbbb', opacity: 0.18 },
      encoding: { x, x2: { field: 'to' } },
    },
    {
      data: { values: [{ from: r6(cMax) }] },
      mark: { type: 'rule', color: '#888888', strokeDash: [4, 3] },
      encoding: { x },
    },
    {
      data: { values: [{ from: r6(cMax), label: 'extrapolated \u2192' }] },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, y: 0, color: '#666666', fontSize: 10 },
      encoding: { x, text: { field: 'label' } },
    },
  ] satisfies Array<UnitSpec<Field>>;
}
