import type { OptionSet, Values } from './optionTypes.ts';

/** What a command gets: parsed, checked and typed options, positionals, and where to write. */
export interface CommandContext<S extends OptionSet = OptionSet> {
  values: Values<S>;
  /** Options given on the command line (not defaulted): e.g. an explicit --loss changes a Kaplan law's fit. */
  given: ReadonlySet<string>;
  positionals: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when progress bars may draw (stderr is a TTY and --quiet was not given). */
  interactive: boolean;
}

/**
 * A CLI command: it only turns arguments into library calls and results into output. Its options are declared once
 * (see optionTypes.ts); `--help` is generated from them, the usage lines, the description and the examples.
 */
export interface CommandSpec<S extends OptionSet> {
  /** The name in the command table (commands/index.ts, which also holds the one-line summary). */
  name: string;
  /** Usage lines after `scalefit NAME`, e.g. '<data.csv> [options]'. */
  usage: readonly string[];
  /** What the command does, for --help (paragraphs separated by a blank line; wrapped to 100 columns). */
  description: string;
  /** Real commands that work on the bundled data from a clone (a test runs them). */
  examples: ReadonlyArray<{ command: string; note?: string }>;
  options: S;
  /** How many positionals the command takes: [min, max]. */
  positionals: readonly [number, number];
  run(ctx: CommandContext<S>): Promise<number> | number;
}

/** A command with its option types erased, as the command table holds it. */
export type Command = CommandSpec<OptionSet>;

/** Declare a command, keeping its options' literal types for `run`. */
export function defineCommand<const S extends OptionSet>(spec: CommandSpec<S>): Command {
  return spec as unknown as Command;
}

/**
 * A command as `scalefit --help` lists it: name, one-line summary, and how to load it. The command's module (and the
 * library code it imports) is loaded only when that command runs, so `scalefit --help` and every command start
 * without loading the others' dependencies.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}
