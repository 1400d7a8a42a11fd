import type { ReportModel } from '../model.ts';
import { allocateOrNull } from '../model.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, EXP_FORMAT, HEIGHT, logspace, r6, range, SCHEMA, setShape, VISIBLE_VIRIDIS, WIDTH } from './common.ts';

export interface IsoflopGroup {
  C: number;
  indices: number[];
}

/** A budget's runs span at most this many decades of C (Hoffmann et al.'s sweeps hold C fixed). */
const MAX_SPREAD = 0.2;
/** Without iso-FLOP sweeps, runs within this many decades of a drawn budget are shown with it. */
const NEAR = 0.1;

/**
 * Group runs into iso-FLOP budgets: sort by log10 C and cut where consecutive runs are more than `gap` decades apart;
 * the loosest gap in 0.02..0.1 that yields 2 to 12 groups of at least 4 runs wins. Budgets are geometric means.
 * Returns [] when the data are not iso-FLOP sweeps.
 */
export function isoflopGroups(cs: number[]): IsoflopGroup[] {
  const order = cs
    .map((c, i) => [Math.log10(c), i] as const)
    .filter(([l]) => Number.isFinite(l))
    .sort((a, b) => a[0] - b[0]);
  for (const gap of [0.1, 0.05, 0.02]) {
    const groups: Array<Array<readonly [number, number]>> = [];
    for (const e of order) {
      const last = groups[groups.length - 1];
      if (last && e[0] - last[last.length - 1]![0] <= gap) last.push(e);
      else groups.push([e]);
    }
    const big = groups.filter((g) => g.length >= 4 && g[g.length - 1]![0] - g[0]![0] <= MAX_SPREAD);
    if (big.length >= 2 && big.length <= 12 && big.reduce((s, g) => s + g.length, 0) >= 0.6 * order.length) {
      return big.map((g) => ({ C: 10 ** (g.reduce((s, e) => s + e[0], 0) / g.length), indices: g.map((e) => e[1]) }));
    }
  }
  return [];
}

/**
 * Chart 2: isoFLOP profiles (Hoffmann et al. 2022, Fig. 3): loss against N for each compute budget, the fitted law
 * along N at that budget, L(N, C/(6N)), and its minimum (the compute-optimal N) marked.
 */
export function isoflopChart(model: ReportModel): ChartSpec {
  const law = model.law;
  const groups = isoflopGroups(model.runs.map((r) => r.C));
  const budgetLabel = (C: number) => C.toExponential(1);
  const [nLo, nHi] = range(model.runs.map((r) => r.N));
  const [cLo, cHi] = range(model.runs.map((r) => r.C));
  // Not iso-FLOP sweeps: draw whole and half decades of C inside the data, each with the runs near it.
  const budgets = groups.length
    ? groups.map((g) => g.C)
    : Array.from({ length: 2 * Math.ceil(Math.log10(cHi)) + 1 }, (_, k) => 10 ** (k / 2)).filter(
        (C) => C >= cLo && C <= cHi,
      );
  const near = (C: number) =>
    model.runs
      .map((r, i) => [r, i] as const)
      .filter(([r]) => Math.abs(Math.log10(r.C / C)) <= NEAR)
      .map(([, i]) => i);
  const members = groups.length ? groups.map((g) => g.indices) : budgets.map(near);
  const points = budgets.flatMap((C, b) =>
    members[b]!.map((i) => {
      const r = model.runs[i]!;
      return { N: r6(r.N), loss: r6(r.loss), set: r.set, budget: budgetLabel(C) };
    }),
  );
  const curves = budgets.flatMap((C) =>
    logspace(nLo / 3, nHi * 3, 50).map((N) => ({
      N: r6(N),
      C: r6(C),
      budget: budgetLabel(C),
      fitted: r6(law.predict(model.params, { N, D: C / (6 * N) })),
    })),
  );
  const optima = budgets.flatMap((C) => {
    const a = allocateOrNull(law, model.params, C);
    return a ? [{ N: r6(a.N_opt), fitted: r6(a.loss), budget: budgetLabel(C) }] : [];
  });
  const [lLo, lHi] = range(model.runs.map((r) => r.loss));
  const color = {
    field: 'budget',
    type: 'ordinal',
    title: 'budget C (FLOPs)',
    scale: { scheme: VISIBLE_VIRIDIS },
    sort: budgets.map(budgetLabel),
  } as const;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: groups.length
      ? 'IsoFLOP profiles: loss against N at fixed compute'
      : `IsoFLOP profiles of the fit (no iso-FLOP sweeps in the data: runs within ${NEAR} decade of each budget)`,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: curves },
        transform: [{ filter: `datum.fitted >= ${r6(lLo * 0.95)} && datum.fitted <= ${r6(lHi * 1.05)}` }],
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: 'N', type: 'quantitative', scale: { type: 'log' }, title: 'N (parameters)', axis: EXP_FORMAT },
          y: { field: 'fitted', type: 'quantitative', scale: { zero: false }, title: 'loss' },
          color,
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
        encoding: {
          x: { field: 'N', type: 'quantitative' },
          y: { field: 'loss', type: 'quantitative' },
          color,
          shape: setShape(model),
        },
      },
      {
        data: { values: optima },
        transform: [{ filter: `datum.fitted >= ${r6(lLo * 0.95)} && datum.fitted <= ${r6(lHi * 1.05)}` }],
        mark: { type: 'point', shape: 'diamond', size: 120, filled: true, stroke: 'black', strokeWidth: 1 },
        encoding: {
          x: { field: 'N', type: 'quantitative' },
          y: { field: 'fitted', type: 'quantitative' },
          color,
          tooltip: [
            { field: 'budget' },
            { field: 'N', format: '.3e', title: 'N_opt' },
            { field: 'fitted', format: '.4f', title: 'loss' },
          ],
        },
      },
    ],
  } satisfies ChartSpec;
}
