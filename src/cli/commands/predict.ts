import { PF_DAY } from '../../data/load.ts';
import { readPoints } from '../../data/readPoints.ts';
import type { Variable } from '../../core/run.ts';
import { InputError } from '../../core/errors.ts';
import { readFitJson } from '../../io/fitJson.ts';
import { stableJson } from '../../io/stableJson.ts';
import { getLaw } from '../../laws/index.ts';
import type { Point } from '../../core/law.ts';
import { completePoint } from '../../core/law.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { textTable as table } from '../../report/textTable.ts';
import type { Command } from '../command.ts';
import type { OptionValues } from '../command.ts';
import { list, oneOf, str } from '../options.ts';
import { parseNumber } from '../../data/parseNumber.ts';

const VARS = ['N', 'D', 'C', 'S', 'U'] as const;

export const predictCommand: Command = {
  name: 'predict',
  help: `Usage: scalefit predict <fit.json> --N 70B --D 1.4T [--N 7B --D 140B ...] [options]
       scalefit predict <fit.json> --at points.csv

Reads a fit written by \`scalefit fit --out\` and prints the predicted loss at each point. The i-th --N goes with the
i-th --D (a single value is used for every point); the third of N, D, C follows from C = 6ND.

Options:
  --N X, --D X, --C X, --S X, --U X   a point's parameters, tokens, FLOPs, steps, unique tokens (repeatable; 70B, 1.4T)
  --at FILE                  points from a CSV with columns N, D, C, S or U (aliases as for data files)
  --compute-unit U           unit of --C and of a C column in --at: flops (default) or pf-days
  --json                     print {"law", "points": [{N, D, C, loss}]} as JSON`,
  options: {
    N: { type: 'string', multiple: true }, D: { type: 'string', multiple: true }, C: { type: 'string', multiple: true },
    S: { type: 'string', multiple: true }, U: { type: 'string', multiple: true },
    at: { type: 'string' }, 'compute-unit': { type: 'string' }, json: { type: 'boolean' },
  },
  positionals: [1, 1],
  run({ values, positionals, stdout }) {
    const fit = readFitJson(positionals[0]!);
    const law = getLaw(fit.law);
    const unit = oneOf(values, 'compute-unit', ['flops', 'pf-days'] as const, 'flops');
    const at = str(values, 'at');
    const points = at ? readPoints(at, unit) : pointsFromOptions(values, unit);
    const rows = points.map((raw, i) => {
      const p = completePoint(raw);
      const missing = law.variables.filter((v) => p[v] === undefined);
      if (missing.length) {
        throw new InputError(`point ${i + 1}: ${law.name} (${law.formula}) needs ${missing.map((v) => `--${v}`).join(' and ')}${at ? ` (a column in ${at})` : ''}`);
      }
      return { ...Object.fromEntries(VARS.filter((v) => p[v] !== undefined).map((v) => [v, p[v]!])), loss: law.predict(fit.params, p) };
    });
    if (values.json) {
      stdout(stableJson({ law: fit.law, formula: fit.formula, compute_unit: 'FLOPs', points: rows }));
      return 0;
    }
    const shown = VARS.filter((v) => rows.some((r) => (r as Record<string, number>)[v] !== undefined));
    const head = [...shown.map((v) => (v === 'C' ? 'C (FLOPs)' : v)), ...(shown.includes('C') ? ['C (PF-days)'] : []), 'loss'];
    const body = rows.map((r) => {
      const rec = r as Record<string, number>;
      return [...shown.map((v) => formatNumber(rec[v])), ...(shown.includes('C') ? [formatNumber(rec.C! / PF_DAY)] : []), formatNumber(r.loss)];
    });
    stdout(`${fit.law}: ${fit.formula}\n${table([head, ...body])}`);
    return 0;
  },
};

function pointsFromOptions(values: OptionValues, unit: 'flops' | 'pf-days'): Point[] {
  const given = VARS.map((v) => [v, list(values, v)] as const).filter(([, xs]) => xs.length > 0);
  if (given.length === 0) throw new InputError('predict: give a point (--N 70B --D 1.4T) or --at points.csv');
  const count = Math.max(...given.map(([, xs]) => xs.length));
  for (const [v, xs] of given) {
    if (xs.length !== 1 && xs.length !== count) throw new InputError(`--${v} given ${xs.length} times but another option ${count} times; give each once, or once per point`);
  }
  return Array.from({ length: count }, (_, i) => {
    const p: Point = {};
    for (const [v, xs] of given) {
      const raw = xs[xs.length === 1 ? 0 : i]!;
      const x = parseNumber(raw);
      if (x === null || !(x > 0)) throw new InputError(`--${v} ${raw}: not a positive number`);
      p[v as Variable] = v === 'C' && unit === 'pf-days' ? x * PF_DAY : x;
    }
    return p;
  });
}
