import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseColumnMapping } from '../data/load.ts';
import type { LoadOptions } from '../data/load.ts';
import type { CurveLoadOptions } from '../data/readCurves.ts';
import type { Variable } from '../core/run.ts';
import { parseConstraintOptions } from '../fit/constraints.ts';
import { FIT_DEFAULTS } from '../fit/options.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { LossSpec } from '../core/loss.ts';
import { InputError } from '../core/errors.ts';
import { CURVE_LAWS, getLaw, LAWS } from '../laws/index.ts';
import { PUBLISHED_NAMES } from '../io/publishedFit.ts';
import type { Law } from '../core/law.ts';
import { defineOptions } from './optionTypes.ts';
import type { Values } from './optionTypes.ts';

/*
 * Option groups shared by several commands, each declared once here and spread into a command's `options`
 * (`options: { ...DATA_OPTIONS, ...FIT_OPTIONS, out: {...} }`). Their `group` is the --help section they are listed
 * under. See optionTypes.ts for how to declare an option.
 */

/** At most this many bootstrap resamples: Epoch AI used 4000; 100000 take about 4 minutes on 2 cores, and more
 * would only hold the run (and its memory) for a Monte Carlo error already far below the sampling error. */
export const MAX_BOOTSTRAP = 100_000;

/** At most this many worker threads: twice the cores (at least 4, at most 64). Each thread holds its own copy of the
 * runs and modules (about 15 MB), and threads beyond the cores only add memory: 50 took 794 MB against 198 MB for 2. */
export const MAX_WORKERS = Math.min(64, Math.max(4, 2 * availableParallelism()));

/** The largest seed: seeds are exact integers, and above 2^53 distinct seeds would round to the same double. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

const CORES = availableParallelism();

/** The laws --law accepts, read from the law registry (so a new law appears in --help by itself). */
export const lawNames = (): readonly string[] => Object.keys(LAWS);

/** --law also takes a formula (any text that is not a name: it has an operator or a space) or a FILE.json spec. */
export const LAW_FORMULA = {
  accepts: (v: string): boolean => /\.json$/i.test(v) || /[^A-Za-z0-9_-]/.test(v),
  text: 'a formula such as "E + A/N^alpha + B/D^beta" or a FILE.json with formula, bounds, scales, starts',
};

/**
 * The law a --law value names: a registered law, a formula, or a JSON spec file read here (the law is then named by
 * the spec's own JSON text, so a fit file and the worker threads carry the whole spec, not a path).
 */
export function lawByName(value: string, o: { offset?: boolean } = {}): Law {
  if (!/\.json$/i.test(value)) return getLaw(value, o);
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (e) {
    throw new InputError(
      `--law ${value}: cannot read the formula file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `--law ${value}: not valid JSON (${(e as Error).message}); expected {"formula": "E + A/N^alpha + ...", "bounds": {...}, "scales": {...}, "starts": [...]}`,
    );
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new InputError(`--law ${value}: expected a JSON object with a "formula"`);
  return getLaw(JSON.stringify(spec), o);
}

export const VARIABLES = ['N', 'D', 'C', 'S', 'U'] as const satisfies readonly Variable[];

/** Options of every command that reads a CSV of runs. */
export const DATA_OPTIONS = defineOptions({
  columns: {
    type: 'string',
    value: 'N=HDR,loss=HDR',
    group: 'Data options',
    example: 'N=params,loss=val_loss',
    description: 'map canonical columns (N, D, C, loss, S, U, run) to headers',
  },
  where: {
    type: 'string',
    value: 'EXPR',
    group: 'Data options',
    repeatable: true,
    example: '"N<=1e9"',
    description: 'keep runs matching a comparison on one column, e.g. "N<=1e9", "dataset==c4"',
  },
  'exclude-top-loss': {
    type: 'integer',
    value: 'K',
    group: 'Data options',
    min: 0,
    default: 0,
    description: 'drop the K highest-loss rows (Besiroglu et al. 2024 drop 5)',
  },
  'compute-unit': {
    type: 'choice',
    choices: ['flops', 'pf-days'],
    group: 'Data options',
    default: 'flops',
    description: 'unit of the C column (1 PF-day = 8.64e19 FLOPs)',
  },
});

/** Options of every command that fits a law. */
export const FIT_OPTIONS = defineOptions({
  law: {
    type: 'choice',
    value: 'NAME',
    choices: lawNames,
    orElse: LAW_FORMULA,
    explain: (v) =>
      CURVE_LAWS[v]
        ? `${v} is a loss-curve law (it reads each checkpoint's step and learning rate): fit it with scalefit fit-curves FILE --law ${v}`
        : undefined,
    default: 'chinchilla',
    group: 'Fit options',
    description: 'the law to fit',
  },
  offset: {
    type: 'flag',
    group: 'Fit options',
    description: 'add an irreducible loss E to a Kaplan law (L = E + (X_c/X)^alpha)',
  },
  loss: {
    type: 'choice',
    choices: ['huber', 'mse', 'lad', 'huber-mle'],
    group: 'Fit options',
    defaultText: 'huber; Kaplan laws: least squares',
    description:
      "loss on residuals, summed over runs; huber-mle: Besiroglu et al. 2024's Huber likelihood with a fitted scale (log space), a likelihood scalefit lrt can test",
  },
  delta: {
    type: 'number',
    value: 'X',
    above: 0,
    group: 'Fit options',
    defaultText: `${FIT_DEFAULTS.loss.delta}, as Hoffmann et al. 2022`,
    example: '1e-3',
    description: 'Huber threshold',
  },
  space: {
    type: 'choice',
    choices: ['log', 'linear'],
    group: 'Fit options',
    defaultText: FIT_DEFAULTS.loss.space,
    description: 'residuals of log loss or of loss',
  },
  starts: {
    type: 'choice',
    choices: ['default', 'hoffmann'],
    default: 'default',
    group: 'Fit options',
    description:
      "default: the law's own starts (chinchilla: the 4 best cells of an (alpha, beta) grid, with E, A, B by non-negative least squares); hoffmann: the exhaustive 4500-point grid of Hoffmann et al. 2022 App. D.2, spread over the worker threads",
  },
  optimizer: {
    type: 'choice',
    choices: ['lbfgs', 'lm'],
    group: 'Fit options',
    defaultText: 'lbfgs; Kaplan laws: exact log-log regression or Levenberg-Marquardt',
    description: 'lm: Levenberg-Marquardt (least squares only, --loss mse, no constraints)',
  },
  fix: {
    type: 'string',
    value: 'NAME=VALUE',
    repeatable: true,
    group: 'Fit options',
    example: 'E=1.69',
    description: 'hold a parameter fixed',
  },
  tie: {
    type: 'string',
    value: 'NAME=OTHER',
    repeatable: true,
    group: 'Fit options',
    example: 'alpha=beta',
    description: 'make NAME equal OTHER',
  },
  bounds: {
    type: 'string',
    value: 'NAME=LOW:HIGH',
    repeatable: true,
    group: 'Fit options',
    example: 'alpha=0:1',
    description: 'bound a parameter (either side may be empty)',
  },
});

/** --published NAME: a law in data/published/ instead of a fit file (optimal, predict, report). */
export const PUBLISHED_OPTION = {
  type: 'choice',
  value: 'NAME',
  choices: () => PUBLISHED_NAMES,
  example: 'hoffmann2022',
  description:
    'use a published law (data/published/) instead of a fit file: hoffmann2022, besiroglu2024, kaplan2020-n, -d, -c, -nd, -ns',
} as const;

/** Options of commands that report uncertainty. */
export const UNCERTAINTY_OPTIONS = defineOptions({
  bootstrap: {
    type: 'integer',
    value: 'K',
    min: 2,
    max: MAX_BOOTSTRAP,
    also: { value: 0, meaning: 'none' },
    default: 0,
    group: 'Uncertainty options',
    description: 'refit K resamples and report percentile intervals (Efron & Tibshirani 1993)',
  },
  seed: {
    type: 'integer',
    value: 'S',
    min: 0,
    max: MAX_SEED,
    default: 0,
    group: 'Uncertainty options',
    description: 'bootstrap seed; the same seed gives the same JSON whatever --workers',
  },
  workers: {
    type: 'integer',
    value: 'W',
    min: 1,
    max: MAX_WORKERS,
    default: CORES,
    defaultText: `all ${CORES} cores`,
    group: 'Uncertainty options',
    description: 'worker threads for --bootstrap and --starts hoffmann',
  },
  resample: {
    type: 'choice',
    choices: ['rows', 'models'],
    default: 'rows',
    group: 'Uncertainty options',
    description: 'resample runs, or whole model sizes (runs of one model are correlated)',
  },
  level: {
    type: 'number',
    value: 'X',
    above: 0,
    below: 1,
    default: 0.95,
    example: '0.95',
    group: 'Uncertainty options',
    description: 'interval coverage',
  },
  compute: {
    type: 'number',
    value: 'C',
    above: 0,
    separator: ',',
    repeatable: true,
    example: '5.76e23',
    group: 'Uncertainty options',
    description: 'budget in FLOPs for N_opt, D_opt, tokens/param and loss intervals',
  },
  at: {
    type: 'string',
    value: 'N=..,D=..',
    repeatable: true,
    example: 'N=70B,D=1.4T',
    group: 'Uncertainty options',
    description: 'a point to predict the loss at, with an interval',
  },
});

/** --out, --force and --json, with the command's own words for what is written or printed. */
export function outputOptions(out: { value: 'FILE' | 'DIR'; description: string }, json: string) {
  return defineOptions({
    out: {
      type: 'string',
      value: out.value,
      example: out.value === 'FILE' ? 'fit.json' : 'my-report',
      group: 'Output options',
      description: out.description,
    },
    force: { type: 'flag', group: 'Output options', description: 'overwrite an existing --out' },
    json: { type: 'flag', group: 'Output options', description: json },
  });
}

export function loadOptionsFrom(values: Values<typeof DATA_OPTIONS>, need: Variable[]): LoadOptions {
  return {
    columns: values.columns ? parseColumnMapping(values.columns) : {},
    need,
    where: values.where,
    excludeTopLoss: values['exclude-top-loss'],
    computeUnit: values['compute-unit'],
  };
}

/** The law named by --law (default chinchilla), its `-offset` variant with --offset. */
export function lawFrom(values: Pick<Values<typeof FIT_OPTIONS>, 'law' | 'offset'>): Law {
  return lawByName(values.law, { offset: values.offset });
}

export function fitOptionsFrom(
  values: Omit<Values<typeof FIT_OPTIONS>, 'law' | 'offset'>,
  given: ReadonlySet<string>,
): FitOptionsInput {
  // Only what the user gave is passed on: a left-out --loss means the law's own default (huber for chinchilla and
  // datacon, least squares for the Kaplan laws), so --space log or --delta alone never switch the loss.
  const loss: Partial<LossSpec> = {
    ...(given.has('loss') && values.loss !== undefined ? { kind: values.loss } : {}),
    ...(given.has('delta') && values.delta !== undefined ? { delta: values.delta } : {}),
    ...(given.has('space') && values.space !== undefined ? { space: values.space } : {}),
  };
  return {
    ...(Object.keys(loss).length > 0 ? { loss } : {}),
    starts: values.starts,
    ...(values.optimizer !== undefined ? { optimizer: values.optimizer } : {}),
    constraints: parseConstraintOptions(values.fix, values.tie, values.bounds),
  };
}

/** The curve loader's options from --columns, --where and --lr-column. */
export function parseCurveLoadOptions(values: {
  columns?: string | undefined;
  where: string[];
  'lr-column'?: string | undefined;
}): CurveLoadOptions {
  return {
    columns: values.columns ? parseColumnMapping(values.columns) : {},
    where: values.where,
    ...(values['lr-column'] !== undefined ? { lrColumn: values['lr-column'] } : {}),
  };
}
