import { parseNumber } from '../data/parseNumber.ts';
import type { Variable } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { UncertaintySettings } from '../pipeline/uncertaintySections.ts';
import type { Law, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { DEFAULT_WORKERS } from '../parallel/workerPool.ts';
import type { OptionSpec, OptionValues } from './command.ts';
import { intOption, list, num, oneOf, str } from './options.ts';

/** Options of commands that report uncertainty (fit). */
export const UNCERTAINTY_OPTIONS: OptionSpec = {
  bootstrap: { type: 'string' },
  seed: { type: 'string' },
  workers: { type: 'string' },
  resample: { type: 'string' },
  level: { type: 'string' },
  compute: { type: 'string', multiple: true },
  at: { type: 'string', multiple: true },
};

export const UNCERTAINTY_HELP = `Uncertainty options:
  --bootstrap K              refit K resamples and report percentile intervals (Efron & Tibshirani 1993)
  --seed S                   bootstrap seed (default 0); same seed => same JSON whatever --workers
  --workers W                worker threads for --bootstrap and --starts hoffmann (default: all ${DEFAULT_WORKERS} cores)
  --resample rows|models     resample runs, or whole model sizes (runs of one model are correlated)
  --level X                  interval coverage (default 0.95)
  --compute C                budget (FLOPs) for N_opt, D_opt, tokens/param and loss intervals (repeatable)
  --at N=..,D=..             point to predict the loss at, with an interval (repeatable)
Without --bootstrap, stderr/ci are asymptotic: s²(JᵀJ)⁻¹ for --loss mse, a sandwich estimate for huber, none for lad.`;

const VARIABLES: readonly Variable[] = ['N', 'D', 'C', 'S', 'U'];

/** Parse `--compute 1e23 --compute 1e24,1e25` (repeatable or comma-separated) into budgets in FLOPs. */
export function parseCompute(values: string[]): number[] {
  return values.flatMap((v) => v.split(',')).map((s) => {
    const x = parseNumber(s.trim());
    if (x === null || !(x > 0)) throw new InputError(`--compute ${s}: expected a positive number of FLOPs, e.g. 5.76e23`);
    return x;
  });
}

/** Parse `N=70B,D=1.4e12` into a point. */
export function parsePoint(text: string): Point {
  const p: Point = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim() as Variable;
    const value = parseNumber(part.slice(eq + 1));
    if (eq < 1 || !VARIABLES.includes(key) || value === null || !(value > 0)) {
      throw new InputError(`--at ${text}: expected VAR=VALUE pairs separated by commas, VAR one of ${VARIABLES.join(', ')}, VALUE > 0 (e.g. N=70B,D=1.4T)`);
    }
    p[key] = value;
  }
  return p;
}

/** Refuse an --at point that lacks a variable the law reads (after C = 6ND), before any fitting is done. */
export function checkAtPoints(law: Law, texts: string[], points: Point[]): void {
  points.forEach((p, i) => {
    const q = completePoint(p);
    const missing = law.variables.filter((v) => q[v] === undefined);
    if (missing.length) throw new InputError(`--at ${texts[i]}: ${law.name} (${law.formula}) needs ${missing.join(' and ')} (or two of N, D, C)`);
  });
}

export function uncertaintySettingsFrom(values: OptionValues): UncertaintySettings {
  const level = num(values, 'level', 0.95);
  if (!(level > 0 && level < 1)) throw new InputError(`--level ${str(values, 'level')}: expected a number between 0 and 1, e.g. 0.95`);
  const bootstrap = intOption(values, 'bootstrap', 0);
  if (bootstrap === 1) throw new InputError('--bootstrap 1: expected 0 (none) or at least 2 resamples');
  return {
    bootstrap,
    seed: intOption(values, 'seed', 0),
    workers: intOption(values, 'workers', DEFAULT_WORKERS, 1),
    resample: oneOf(values, 'resample', ['rows', 'models'] as const, 'rows'),
    level,
    compute: parseCompute(list(values, 'compute')),
    at: list(values, 'at').map(parsePoint),
  };
}


export { uncertaintySections } from '../pipeline/uncertaintySections.ts';
export type { UncertaintySettings } from '../pipeline/uncertaintySections.ts';
