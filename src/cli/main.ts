import { parseArgs } from 'node:util';
import { InputError, ScalefitError } from '../core/errors.ts';
import { VERSION } from '../core/version.ts';
import type { Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';

const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `scalefit ${VERSION}: fit neural scaling laws to training runs`,
    '',
    'Usage: scalefit <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --quiet (no progress bars), --verbose (a stack trace with errors), --help, --version.',
    'Run `scalefit <command> --help` for a command\'s options. Exit codes: 0 ok, 2 bad input or arguments, 1 other failure.',
  ].join('\n');
}

/**
 * Run the CLI with argv (without node and script). Returns the exit code; never throws. Errors become one line on
 * stderr (a stack trace only with --verbose).
 */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const PROCESS_IO: CliIO = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
};

export async function main(argv: string[], io: CliIO = PROCESS_IO): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // With no command at all the usage is an error message (stderr, exit 2); asked for, it is output.
      if (name === undefined) {
        io.stderr(`${usage()}\n`);
        return 2;
      }
      io.stdout(`${usage()}\n`);
      return 0;
    }
    if (name === '--version' || name === 'version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) throw new InputError(`unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    const command: Command = await entry.load();
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      // parseArgs puts its advice on later lines (e.g. "use '--delta=-XYZ'" for a negative value): keep it, on one line.
      throw new InputError(`${command.name}: ${(e as Error).message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')} (see scalefit ${command.name} --help)`);
    }
    if (parsed.values.help) {
      io.stdout(`${command.help}\n`);
      return 0;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new InputError(`${command.name}: expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${parsed.positionals.length} (see scalefit ${command.name} --help)`);
    }
    return await command.run({
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      positionals: parsed.positionals,
      stdout: io.stdout,
      stderr: io.stderr,
      interactive: Boolean(process.stderr.isTTY) && !parsed.values.quiet,
    });
  } catch (e) {
    const err = e as Error;
    const known = e instanceof InputError || e instanceof ScalefitError;
    const code = e instanceof InputError ? 2 : 1;
    const first = String(err?.message ?? err).split('\n')[0]!.trim();
    const advice = known || verbose ? '' : ' (a bug in scalefit: rerun with --verbose for the stack trace and report it)';
    io.stderr(`${known ? 'scalefit: error: ' : 'scalefit: internal error: '}${first}${advice}\n`);
    if (verbose && err?.stack) io.stderr(`${err.stack}\n`);
    return code;
  }
}
