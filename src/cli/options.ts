import { InputError } from '../core/errors.ts';
import { parseColumnMapping } from '../data/load.ts';
import type { LoadOptions } from '../data/load.ts';
import { parseNumber } from '../data/parseNumber.ts';
import type { Variable } from '../core/run.ts';
import { parseConstraintOptions } from '../fit/constraints.ts';
import type { FitOptions } from '../fit/options.ts';
import type { LossKind } from '../core/loss.ts';
import { getLaw } from '../laws/index.ts';
import type { Law } from '../core/law.ts';
import type { OptionSpec, OptionValues } from './command.ts';

/** Options every command that reads a CSV accepts. */
export const DATA_OPTIONS: OptionSpec = {
  columns: { type: 'string' },
  where: { type: 'string', multiple: true },
  'exclude-top-loss': { type: 'string' },
  'compute-unit': { type: 'string' },
};

export const DATA_HELP = `Data options:
  --columns N=HDR,loss=HDR   map canonical columns (N, D, C, loss, S, U, run) to headers
  --where EXPR               keep runs matching EXPR, e.g. "N<=1e9" (repeatable)
  --exclude-top-loss K       drop the K highest-loss rows (Besiroglu et al. 2024 drop 5)
  --compute-unit U           unit of the C column: flops (default) or pf-days`;

/** Options every command that fits a law accepts. */
export const FIT_OPTIONS: OptionSpec = {
  law: { type: 'string' },
  offset: { type: 'boolean' },
  loss: { type: 'string' },
  delta: { type: 'string' },
  space: { type: 'string' },
  starts: { type: 'string' },
  optimizer: { type: 'string' },
  fix: { type: 'string', multiple: true },
  tie: { type: 'string', multiple: true },
  bounds: { type: 'string', multiple: true },
};

export const FIT_HELP = `Fit options:
  --law NAME                 law to fit (default chinchilla; also datacon, kaplan-n, kaplan-d, kaplan-c, kaplan-nd, kaplan-ns)
  --offset                   add an irreducible loss E to a Kaplan law (L = E + ...)
  --loss huber|mse|lad       loss on residuals (default huber; Kaplan laws: least squares, mse)
  --delta X                  Huber threshold (default 1e-3, Hoffmann et al. 2022)
  --space log|linear         residuals of log loss (default) or of loss
  --starts default|hoffmann  start strategy; hoffmann = the exhaustive 4500-point grid
  --optimizer lbfgs|lm       lm: Levenberg-Marquardt (least squares only, --loss mse)
  --fix NAME=VALUE           hold a parameter fixed (repeatable)
  --tie NAME=OTHER           make NAME equal OTHER (repeatable)
  --bounds NAME=LOW:HIGH     bound a parameter (either side may be empty; repeatable)`;

export function str(values: OptionValues, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: OptionValues, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

/** A numeric option (suffixes allowed: 70B), or the fallback when absent. */
export function num(values: OptionValues, key: string, fallback: number): number {
  const v = str(values, key);
  if (v === undefined) return fallback;
  const x = parseNumber(v);
  if (x === null) throw new InputError(`--${key} ${v}: not a number`);
  return x;
}

export function intOption(values: OptionValues, key: string, fallback: number, min = 0): number {
  const x = num(values, key, fallback);
  if (!Number.isInteger(x) || x < min) throw new InputError(`--${key} ${str(values, key)}: expected a whole number >= ${min}`);
  return x;
}

export function oneOf<T extends string>(values: OptionValues, key: string, allowed: readonly T[], fallback: T): T {
  const v = str(values, key);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new InputError(`--${key} ${v}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

export function loadOptionsFrom(values: OptionValues, need: Variable[]): LoadOptions {
  const columns = str(values, 'columns');
  return {
    columns: columns ? parseColumnMapping(columns) : {},
    need,
    where: list(values, 'where'),
    excludeTopLoss: intOption(values, 'exclude-top-loss', 0),
    computeUnit: oneOf(values, 'compute-unit', ['flops', 'pf-days'] as const, 'flops'),
  };
}

/** The law named by --law (default chinchilla), its `-offset` variant with --offset. */
export function lawFrom(values: OptionValues): Law {
  return getLaw(str(values, 'law') ?? 'chinchilla', { offset: Boolean(values.offset) });
}

export function fitOptionsFrom(values: OptionValues): Partial<FitOptions> {
  const kind = oneOf<LossKind>(values, 'loss', ['huber', 'mse', 'lad'], 'huber');
  const delta = num(values, 'delta', 1e-3);
  if (!(delta > 0)) throw new InputError(`--delta ${delta}: must be > 0`);
  // Only an explicit --loss/--delta/--space sets the loss: left out, fitLaw's default (huber) applies, or a law's own
  // least-squares path (the Kaplan laws fit by log-log regression / Levenberg-Marquardt).
  const lossGiven = values.loss !== undefined || values.delta !== undefined || values.space !== undefined;
  return {
    ...(lossGiven ? { loss: { kind, delta, space: oneOf(values, 'space', ['log', 'linear'] as const, 'log') } } : {}),
    starts: oneOf(values, 'starts', ['default', 'hoffmann'] as const, 'default'),
    ...(values.optimizer !== undefined ? { optimizer: oneOf(values, 'optimizer', ['lbfgs', 'lm'] as const, 'lbfgs') } : {}),
    constraints: parseConstraintOptions(list(values, 'fix'), list(values, 'tie'), list(values, 'bounds')),
  };
}
