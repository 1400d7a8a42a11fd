import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What a command gets: parsed options, positionals, and where to write. */
export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when progress bars may draw (stderr is a TTY and --quiet was not given). */
  interactive: boolean;
}

/** A CLI command: it only turns arguments into library calls and results into output. */
export interface Command {
  name: string;
  /** Usage lines and option help, printed by --help. */
  help: string;
  options: OptionSpec;
  /** How many positionals the command takes: [min, max]. */
  positionals: [number, number];
  run(ctx: CommandContext): Promise<number> | number;
}

/**
 * A command as `scalefit --help` lists it. The command's module (and the library code it imports) is loaded only
 * when that command runs, so `scalefit --help` and every command start without loading the others' dependencies.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}
