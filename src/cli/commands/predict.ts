import { PF_DAY } from '../../data/load.ts';
import { readPoints } from '../../data/readPoints.ts';
import type { Variable } from '../../core/run.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { fitFromFileOrPublished } from '../../io/publishedFit.ts';
import { PUBLISHED_OPTION } from '../options.ts';
import { stableJson } from '../../io/stableJson.ts';
import { CURVE_LAWS, getLaw } from '../../laws/index.ts';
import type { Point } from '../../core/law.ts';
import { completePoint } from '../../core/law.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { wrapText } from '../../report/wrapText.ts';
import { textTable as table } from '../../report/textTable.ts';
import { defineCommand } from '../command.ts';
import { DATA_OPTIONS } from '../options.ts';
import { intervalInputsFromFit } from '../../analysis/intervalInputsFromFit.ts';
import { pointPredictions } from '../../analysis/pointPredictions.ts';
import { INTERVAL_METHOD } from '../../analysis/predictionInterval.ts';
import { fitLevel, levelText } from '../../report/model.ts';

const VARS = ['N', 'D', 'C', 'S', 'U'] as const;

const point = (what: string) =>
  ({ type: 'number', value: 'X', above: 0, repeatable: true, description: what }) as const;

export const predictCommand = defineCommand({
  name: 'predict',
  usage: [
    '<fit.json> --N 70B --D 1.4T [--N 7B --D 140B ...] [options]',
    '<fit.json> --at points.csv',
    '--published NAME --N 70B --D 1.4T [options]',
  ],
  description: `Reads a fit written by \`scalefit fit --out\` and prints the predicted loss at each point. The i-th --N goes with the
i-th --D (a single value is used for every point); the third of N, D, C follows from C = 6ND.

A fit saved with scalefit fit --bootstrap K also gives each point its calibrated prediction interval (the one report shows;
docs/prediction-intervals.md) and how far it extrapolates: target compute over the largest training compute.`,
  examples: [
    {
      command: 'scalefit predict fits/epoch-chinchilla.json --N 70B --D 1.4T',
      note: "Chinchilla's loss, predicted from the committed fit of Epoch AI's data",
    },
    {
      command: 'scalefit predict fits/epoch-chinchilla.json --N 1B --N 10B --C 1e22',
      note: 'two model sizes at one budget',
    },
  ],
  options: {
    published: PUBLISHED_OPTION,
    N: point("a point's parameters (70B)"),
    D: point("a point's training tokens (1.4T)"),
    C: point("a point's training FLOPs (5.76e23; in --compute-unit)"),
    S: point("a point's steps"),
    U: point("a point's unique tokens"),
    at: {
      type: 'string',
      value: 'FILE',
      example: 'points.csv',
      description: 'points from a CSV with columns N, D, C, S or U (aliases as for data files)',
    },
    'compute-unit': {
      ...DATA_OPTIONS['compute-unit'],
      group: undefined,
      description: 'unit of --C and of a C column in --at (1 PF-day = 8.64e19 FLOPs)',
    },
    level: {
      type: 'number',
      value: 'X',
      above: 0,
      below: 1,
      example: '0.9',
      defaultText: "the fit's --level, else 0.95",
      description: 'coverage of the prediction intervals',
    },
    json: {
      type: 'flag',
      group: 'Output options',
      description: 'print {"law", "level", "points": [{N, D, C, loss, lo, hi, extrapolation_factor}]} as JSON',
    },
  },
  positionals: [0, 1],
  run({ values, positionals, stdout }) {
    const { fit, name: fitName } = fitFromFileOrPublished(positionals[0], values.published, readFitJson);
    const law = getLaw(fit.law);
    if (Object.hasOwn(CURVE_LAWS, law.name))
      throw new InputError(
        `${positionals[0]}: a ${law.name} fit predicts whole loss curves; use scalefit predict-curve ${positionals[0]} --schedule ...`,
      );
    const unit = values['compute-unit'];
    const at = values.at;
    const points = at ? readPoints(at, unit) : pointsFromOptions(values, unit);
    const rows = points.map((raw, i) => {
      const p = completePoint(raw);
      const missing = law.variables.filter((v) => p[v] === undefined);
      if (missing.length) {
        throw new InputError(
          `point ${i + 1}: ${law.name} (${law.formula}) needs ${missing.map((v) => `--${v}`).join(' and ')}${at ? ` (a column in ${at})` : ''}`,
        );
      }
      return p;
    });
    const level = values.level ?? fitLevel(fit);
    const inputs = intervalInputsFromFit(fit, law);
    const predicted = pointPredictions(law, fit.params, inputs, rows, [], level).at;
    const noInterval =
      'published' in fit
        ? `no intervals: ${fitName} holds published constants, with no runs or bootstrap to give an interval`
        : `no intervals: ${fitName} has no bootstrap; refit with scalefit fit DATA --bootstrap 200 --out ${fitName} for calibrated prediction intervals`;
    if (values.json) {
      stdout(
        stableJson({
          law: fit.law,
          formula: fit.formula,
          compute_unit: 'FLOPs',
          level,
          method: inputs ? INTERVAL_METHOD : noInterval,
          points: predicted.map((x) => ({
            ...Object.fromEntries(VARS.filter((v) => x.point[v] !== undefined).map((v) => [v, x.point[v]!])),
            loss: x.predicted,
            ...(x.interval
              ? {
                  lo: x.interval.lo,
                  hi: x.interval.hi,
                  extrapolation_factor: x.interval.factor,
                  extrapolation_decades: x.interval.distance,
                }
              : {}),
          })),
        }),
      );
      return 0;
    }
    const shown = VARS.filter((v) => rows.some((r) => r[v] !== undefined));
    const head = [
      ...shown.map((v) => (v === 'C' ? 'C (FLOPs)' : v)),
      ...(shown.includes('C') ? ['C (PF-days)'] : []),
      'loss',
      ...(inputs ? [`${levelText(level)} interval`, 'x training compute'] : []),
    ];
    const body = predicted.map(({ point: r, predicted: loss, interval: i }) => [
      ...shown.map((v) => formatNumber(r[v])),
      ...(shown.includes('C') ? [formatNumber(r.C! / PF_DAY)] : []),
      formatNumber(loss),
      ...(inputs
        ? [
            i ? `[${formatNumber(i.lo, 5)}, ${formatNumber(i.hi, 5)}]` : 'n/a',
            i?.factor ? `${formatNumber(i.factor, 3)}x` : 'n/a',
          ]
        : []),
    ]);
    stdout(
      `${fit.law}: ${fit.formula}\n${table([head, ...body])}${wrapText(inputs ? INTERVAL_METHOD : noInterval, 100, '  ')}\n`,
    );
    return 0;
  },
});

function pointsFromOptions(values: Record<(typeof VARS)[number], number[]>, unit: 'flops' | 'pf-days'): Point[] {
  const given = VARS.map((v) => [v, values[v]] as const).filter(([, xs]) => xs.length > 0);
  if (given.length === 0) throw new InputError('predict: give a point (--N 70B --D 1.4T) or --at points.csv');
  const count = Math.max(...given.map(([, xs]) => xs.length));
  for (const [v, xs] of given) {
    if (xs.length !== 1 && xs.length !== count)
      throw new InputError(
        `--${v} given ${xs.length} times but another option ${count} times; give each once, or once per point`,
      );
  }
  return Array.from({ length: count }, (_, i) => {
    const p: Point = {};
    for (const [v, xs] of given) {
      const x = xs[xs.length === 1 ? 0 : i]!;
      p[v as Variable] = v === 'C' && unit === 'pf-days' ? x * PF_DAY : x;
    }
    return p;
  });
}
