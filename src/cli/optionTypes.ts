/**
 * How a CLI option is declared: once, with everything the parser checks and `--help` prints. The parser
 * (parseArgv.ts) turns argv into typed values from these declarations and the help (helpText.ts) is generated from
 * them, so the two cannot disagree.
 *
 * To add an option, add one entry to a command's `options` (or to a shared group in options.ts):
 *
 *     'my-option': { type: 'integer', value: 'K', min: 1, max: 100, default: 10, description: 'what it does' },
 *
 * and read it in `run` as `values['my-option']` (typed: a number here, with the default applied). Numbers take
 * suffixes (70B, 1.4T) and are bounded: give `min`/`max` (inclusive) or `above`/`below` (exclusive) so that a bad
 * value is refused with one line saying what is expected. `repeatable: true` collects every occurrence into an array;
 * `separator: ','` also splits each occurrence. A `choice` lists its values (or a function returning them, e.g. the
 * law registry), and a misspelt one gets a "did you mean".
 */
export type OptionDecl = FlagDecl | StringDecl | ChoiceDecl | NumberDecl;

interface BaseDecl {
  /** One line for --help (wrapped there). Defaults, choices and bounds are appended from the fields below. */
  description: string;
  /** The help section the option is listed under (default: "Options"). Shared groups set it. */
  group?: string;
  /** Collect every occurrence into an array (without it, giving the option twice is an error). */
  repeatable?: boolean;
  /** A one-letter alias, e.g. 'h' for -h. */
  short?: string;
  /** What --help says the default is, when it is not a constant (e.g. "all 2 cores") or not applied by the parser. */
  defaultText?: string;
}

export interface FlagDecl extends BaseDecl {
  type: 'flag';
}

export interface StringDecl extends BaseDecl {
  type: 'string';
  /** The value's name in --help and errors: FILE, EXPR, DIR. */
  value: string;
  default?: string;
  /** An example value for the error message of a missing value. */
  example?: string;
}

export interface ChoiceDecl extends BaseDecl {
  type: 'choice';
  value?: string;
  /** The allowed values, or a function that lists them (read when parsing or printing help, e.g. the law registry). */
  choices: readonly string[] | (() => readonly string[]);
  default?: string;
  /** Split each occurrence on this separator (a list such as `--laws a,b`). */
  separator?: string;
  /** Also accept a value outside the choices when this says it is one (--law: a formula or a FILE.json), with
   * how --help and errors name such values (e.g. 'a formula such as "E + A/N^alpha" or a FILE.json'). */
  orElse?: { accepts: (value: string) => boolean; text: string };
  /** For a value that is neither: the one-line reason and fix, when it is a known mistake (a curve law to `fit`). */
  explain?: (value: string) => string | undefined;
}

export interface NumberDecl extends BaseDecl {
  /** 'integer': a whole number, exact (a safe integer, below 2^53). Suffixes are allowed: 70B, 1.4T, 1e3. */
  type: 'number' | 'integer';
  value: string;
  default?: number;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive bounds: the value must be > above and < below. */
  above?: number;
  below?: number;
  /** Values allowed outside the bounds (e.g. 0 for "no bootstrap"), with what they mean. */
  also?: { value: number; meaning: string };
  /** Split each occurrence on this separator (budgets: `--compute 1e21,1e22`). */
  separator?: string;
  /** An example value, quoted in errors: "e.g. 0.95". */
  example?: string;
}

export type OptionSet = Record<string, OptionDecl>;

type Scalar<D> = D extends { type: 'flag' }
  ? boolean
  : D extends { type: 'number' | 'integer' }
    ? number
    : D extends { type: 'choice'; choices: readonly (infer C extends string)[] }
      ? C
      : string;

type Value<D> = D extends { type: 'flag' }
  ? boolean
  : D extends { repeatable: true } | { separator: string }
    ? Scalar<D>[]
    : D extends { default: unknown }
      ? Scalar<D>
      : Scalar<D> | undefined;

/** The parsed values of an option set: flags are booleans, numbers numbers, defaults applied, lists arrays. */
export type Values<S extends OptionSet> = { -readonly [K in keyof S]: Value<S[K]> };

/** Declare an option set, keeping its literal types (so `Values<typeof X>` knows `--loss` is 'huber'|'mse'|'lad'). */
export function defineOptions<const S extends OptionSet>(options: S): S {
  return options;
}
