import type { Law, Params } from '../../core/law.ts';
import type { ReportModel } from '../model.ts';
import { allocateOrNull } from '../model.ts';
import type { ChartSpec } from './common.ts';
import { CONFIG, EXP_FORMAT, HEIGHT, logspace, r6, range, SCHEMA, setShape, VISIBLE_VIRIDIS, WIDTH } from './common.ts';

/**
 * The D at which L(N, D) = level, by bisection on log D in [dLo, dHi] (L decreases in D), or null when the level is
 * not reached inside the box.
 */
function solveD(law: Law, params: Params, N: number, level: number, dLo: number, dHi: number): number | null {
  const f = (logD: number) => law.predict(params, { N, D: Math.exp(logD) }) - level;
  let a = Math.log(dLo),
    b = Math.log(dHi);
  const fa = f(a),
    fb = f(b);
  if (!(fa >= 0 && fb <= 0)) return null;
  for (let i = 0; i < 60; i++) {
    const m = (a + b) / 2;
    if (f(m) > 0) a = m;
    else b = m;
  }
  return Math.exp((a + b) / 2);
}

/**
 * Iso-loss contour lines of a law over a log (N, D) box, as line data: for each loss level and each N on a grid, the D
 * with L(N, D) = level. Vega-Lite has no contour mark, so the lines are computed here.
 */
export function contourLines(
  law: Law,
  params: Params,
  nBox: [number, number],
  dBox: [number, number],
  levels: number[],
  points = 60,
): Array<{ level: number; N: number; D: number; order: number }> {
  return levels.flatMap((level) =>
    logspace(nBox[0], nBox[1], points).flatMap((N, order) => {
      const D = solveD(law, params, N, level, dBox[0], dBox[1]);
      return D === null ? [] : [{ level: r6(level), N: r6(N), D: r6(D), order }];
    }),
  );
}

/**
 * Chart 3: the fitted loss surface as iso-loss contours over (N, D) with the data coloured by loss and the
 * compute-efficient frontier (N_opt(C), D_opt(C)), as in Hoffmann et al. 2022, Fig. 4 (left).
 */
export function contourChart(model: ReportModel): ChartSpec {
  const law = model.law;
  const [nLo0, nHi0] = range(model.runs.map((r) => r.N));
  const [dLo0, dHi0] = range(model.runs.map((r) => r.D));
  const nBox: [number, number] = [nLo0 / 3, nHi0 * 10];
  const dBox: [number, number] = [dLo0 / 3, dHi0 * 10];
  const corner = (N: number, D: number) => law.predict(model.params, { N, D });
  const lMax = corner(nBox[0], dBox[0]);
  const lMin = corner(nBox[1], dBox[1]);
  const levels = logspace(lMin, lMax, 10).slice(1, -1);
  const lines = contourLines(law, model.params, nBox, dBox, levels);
  const labels = levels.flatMap((level) => {
    const l = lines.filter((p) => p.level === r6(level));
    const last = l[l.length - 1];
    return last ? [{ N: last.N, D: last.D, text: level.toFixed(2) }] : [];
  });
  const frontier = logspace(6 * nBox[0] * dBox[0], 6 * nBox[1] * dBox[1], 60)
    .map((C) => allocateOrNull(law, model.params, C))
    .filter((a) => a !== null)
    .filter((a) => a.N_opt >= nBox[0] && a.N_opt <= nBox[1] && a.D_opt >= dBox[0] && a.D_opt <= dBox[1])
    .map((a, order) => ({ N: r6(a.N_opt), D: r6(a.D_opt), order }));
  const points = model.runs.map((r) => ({ N: r6(r.N), D: r6(r.D), loss: r6(r.loss), set: r.set }));
  const x = {
    field: 'N',
    type: 'quantitative',
    scale: { type: 'log', domain: nBox.map(r6) },
    title: 'N (parameters)',
    axis: EXP_FORMAT,
  } as const;
  const y = {
    field: 'D',
    type: 'quantitative',
    scale: { type: 'log', domain: dBox.map(r6) },
    title: 'D (tokens)',
    axis: EXP_FORMAT,
  } as const;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: 'Iso-loss contours of the fitted law, the data and the compute-efficient frontier',
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', color: '#999', strokeWidth: 1, clip: true },
        encoding: {
          x,
          y,
          detail: { field: 'level', type: 'quantitative' },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', color: '#666', fontSize: 9, align: 'right', dx: -2, dy: -6, clip: true },
        encoding: {
          x: { field: 'N', type: 'quantitative' },
          y: { field: 'D', type: 'quantitative' },
          text: { field: 'text' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 30, opacity: 0.85 },
        encoding: {
          x: { field: 'N', type: 'quantitative' },
          y: { field: 'D', type: 'quantitative' },
          color: { field: 'loss', type: 'quantitative', scale: { scheme: VISIBLE_VIRIDIS, reverse: true } },
          shape: setShape(model),
        },
      },
      {
        data: { values: frontier.map((f) => ({ ...f, series: 'compute-efficient frontier' })) },
        mark: { type: 'line', color: 'black', strokeWidth: 2.5, clip: true },
        encoding: {
          x: { field: 'N', type: 'quantitative' },
          y: { field: 'D', type: 'quantitative' },
          order: { field: 'order', type: 'quantitative' },
          strokeDash: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } satisfies ChartSpec;
}
