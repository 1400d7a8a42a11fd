import type { ReportModel } from '../model.ts';
import { allocateOrNull, levelText, percentileInterval } from '../model.ts';
import { publishedAllocations } from '../published.ts';
import type { ChartPanel, ChartSpec } from './common.ts';
import { CONFIG, EXP_FORMAT, extrapolationLayers, HEIGHT, logspace, r6, range, SCHEMA, WIDTH } from './common.ts';

const SERIES = ['this fit', 'Hoffmann et al. 2022', 'Besiroglu et al. 2024', 'Kaplan et al. 2020'];

/**
 * Chart 6: compute-optimal N_opt(C) and D_opt(C) of the fit, with bootstrap bands (at the fit's level, 95% by default) when the fit has a bootstrap,
 * beside the published Chinchilla (Hoffmann et al. 2022; Besiroglu et al. 2024) and Kaplan et al. 2020 allocations.
 * Budgets beyond the largest training run are shaded as extrapolated.
 */
export function allocationChart(model: ReportModel): ChartSpec {
  const law = model.law;
  const [cLo, cHi] = range([...model.runs.map((r) => r.C), ...model.allocations.map((a) => a.C)]);
  const cs = logspace(cLo, cHi, 30);
  const lines = cs.flatMap((C) => {
    const a = allocateOrNull(law, model.params, C);
    return [
      ...(a ? [{ C: r6(C), series: 'this fit', N: r6(a.N_opt), D: r6(a.D_opt) }] : []),
      ...publishedAllocations(C).map((p) => ({ C: r6(C), series: p.name, N: r6(p.N_opt), D: r6(p.D_opt) })),
    ];
  });
  const boot = model.bootstrap;
  const bands = boot
    ? cs
        .map((C) => {
          const all = boot.map((p) => allocateOrNull(law, p, C)).filter((a) => a !== null);
          const [N_lo, N_hi] = percentileInterval(
            all.map((a) => a.N_opt),
            model.level,
          );
          const [D_lo, D_hi] = percentileInterval(
            all.map((a) => a.D_opt),
            model.level,
          );
          return N_lo === null ? null : { C: r6(C), N_lo: r6(N_lo), N_hi: r6(N_hi!), D_lo: r6(D_lo!), D_hi: r6(D_hi!) };
        })
        .filter((b) => b !== null)
    : [];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: SERIES, range: ['#4c78a8', '#f58518', '#54a24b', '#b279a2'] },
  } as const;
  const x = {
    field: 'C',
    type: 'quantitative',
    scale: { type: 'log' },
    title: 'C (training FLOPs)',
    axis: EXP_FORMAT,
  } as const;
  const panel = (v: 'N' | 'D', title: string): ChartPanel => ({
    width: WIDTH * 0.75,
    height: HEIGHT,
    layer: [
      ...extrapolationLayers(model, cHi),
      ...(boot
        ? ([
            {
              data: { values: bands },
              mark: { type: 'area', color: '#4c78a8', opacity: 0.2 },
              encoding: {
                x,
                y: { field: `${v}_lo`, type: 'quantitative', scale: { type: 'log' }, title, axis: EXP_FORMAT },
                y2: { field: `${v}_hi` },
              },
            },
          ] as const)
        : []),
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: v, type: 'quantitative', scale: { type: 'log' }, title, axis: EXP_FORMAT },
          color,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: SERIES,
              range: [
                [1, 0],
                [6, 3],
                [2, 2],
                [8, 2, 2, 2],
              ],
            },
          },
        },
      },
    ],
  });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: boot
      ? `Compute-optimal N and D (band: ${levelText(model.level)} bootstrap interval)`
      : 'Compute-optimal N and D (no bootstrap, so no interval band)',
    hconcat: [panel('N', 'N_opt (parameters)'), panel('D', 'D_opt (tokens)')],
  } satisfies ChartSpec;
}
