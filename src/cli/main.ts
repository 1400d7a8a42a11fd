import { fstatSync, writeSync } from 'node:fs';
import { InputError, ScalefitError } from '../core/errors.ts';
import { VERSION } from '../core/version.ts';
import type { Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import type { CommandEntry } from './command.ts';
import { didYouMean } from './didYouMean.ts';
import { commandHelp, HELP_WIDTH, optionLines, wrap } from './helpText.ts';
import { defineOptions } from './optionTypes.ts';
import { parseArgv, UnknownOptionError } from './parseArgv.ts';

/** Options every command takes (and `scalefit` itself: --help, --version). */
export const GLOBAL_OPTIONS = defineOptions({
  help: { type: 'flag', short: 'h', description: 'print the help and exit' },
  version: { type: 'flag', short: 'V', description: 'print the version and exit' },
  quiet: { type: 'flag', description: 'no progress bars' },
  verbose: { type: 'flag', description: 'print a stack trace with errors' },
});

/**
 * `scalefit --help`: the commands (from the command table) and the global options. The laws are listed by
 * `scalefit fit --help` (from the law registry), not here: the registry's modules would slow every `--help`.
 */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `scalefit ${VERSION}: fit neural scaling laws to training runs`,
    '',
    'Usage: scalefit <command> [options]',
    '       scalefit help <command>       (the same as scalefit <command> --help)',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) =>
      wrap(c.summary, HELP_WIDTH, width + 4).map((l, i) =>
        i === 0 ? `  ${c.name.padEnd(width)}  ${l.trimStart()}` : l,
      ),
    ),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Example: scalefit fit data/epoch-chinchilla.csv --exclude-top-loss 5 --bootstrap 200',
    'The laws (chinchilla, kaplan-*, ...) are listed by scalefit fit --help.',
    'Exit codes: 0 success, 2 bad input or arguments, 1 any other failure.',
  ].join('\n');
}

/** The command table entry for a name, or a one-line error with a "did you mean". */
function findCommand(name: string): CommandEntry {
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry) return entry;
  const names = COMMANDS.map((c) => c.name);
  throw new InputError(
    `unknown command "${name}"${didYouMean(name, names)} (commands: ${names.join(', ')}; see scalefit --help)`,
  );
}

/**
 * parseArgv for a command; an unknown option that is not a typo of one of its own but an option of other commands
 * says which (`predict --compute` -> "--compute is an option of fit, optimal, ..."): loaded only on that error path.
 */
async function parseArgvOrExplain(argv: string[], command: Command) {
  try {
    return parseArgv(argv, { ...command.options, ...GLOBAL_OPTIONS }, command.name);
  } catch (e) {
    if (!(e instanceof UnknownOptionError) || e.close) throw e;
    const others = (await Promise.all(COMMANDS.map((c) => c.load())))
      .filter((c) => Object.hasOwn(c.options, e.option))
      .map((c) => c.name);
    if (others.length === 0) throw e;
    throw new InputError(
      `${command.name}: unknown option --${e.option} (an option of ${others.join(', ')}; see scalefit ${command.name} --help)`,
    );
  }
}

/** A command's --help text, generated from its declarations. */
export function helpOf(command: Command): string {
  return commandHelp({ ...command, globalOptions: GLOBAL_OPTIONS });
}

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * A reader that goes away (`scalefit inspect --json | head -c 100`) closes the pipe: the next write fails with
 * EPIPE, emitted as an 'error' event that would crash the process with a stack trace. Like `cat`, stop writing to
 * that stream quietly (later writes are dropped) and let the command finish: its files are still written whole.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

let processIo: CliIO | undefined;
const PROCESS_IO: CliIO = {
  stdout: (s) => (processIo ??= processStreams()).stdout(s),
  stderr: (s) => (processIo ??= processStreams()).stderr(s),
};

function processStreams(): CliIO {
  return {
    stdout: isFile(1) ? fileWriter(1, 'stdout') : quietOnClosedPipe(process.stdout),
    stderr: quietOnClosedPipe(process.stderr),
  };
}

function isFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * stdout redirected to a file (`scalefit inspect --json > runs.json`): Node's stream writes it with one writeSync
 * per chunk and ignores a short count, so a full disk or a file-size limit truncated the output with exit 0. Write
 * every byte, and a failure is an error (exit 1) instead.
 */
function fileWriter(fd: number, name: string): (text: string) => void {
  return (text) => {
    const buf = Buffer.from(text, 'utf8');
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new ScalefitError(
        `cannot write to ${name} (${code}${code === 'ENOSPC' ? ': disk full' : code === 'EFBIG' ? ': file too large' : ''}); the output is incomplete`,
      );
    }
  };
}

/**
 * Run the CLI with argv (without node and script). Returns the exit code; never throws. Errors become one line on
 * stderr (a stack trace only with --verbose).
 */
export async function main(argv: string[], io: CliIO = PROCESS_IO): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      // With no command at all the usage is an error message (stderr, exit 2); asked for, it is output.
      io.stderr(`${usage()}\n`);
      return 2;
    }
    if (name.startsWith('-')) {
      const { values } = parseArgv(argv, GLOBAL_OPTIONS, 'scalefit');
      if (values.version) io.stdout(`${VERSION}\n`);
      else if (values.help) io.stdout(`${usage()}\n`);
      else {
        io.stderr(`${usage()}\n`);
        return 2;
      }
      return 0;
    }
    if (name === 'version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (name === 'help') {
      if (rest.length > 1)
        throw new InputError(`help: expected one command name, got ${rest.length} (see scalefit --help)`);
      io.stdout(`${rest[0] === undefined ? usage() : helpOf(await findCommand(rest[0]).load())}\n`);
      return 0;
    }
    const command = await findCommand(name).load();
    // --help anywhere before `--` prints the help, whatever else is on the line (it is what was asked for).
    const options = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
    if (options.includes('--help') || options.includes('-h')) {
      io.stdout(`${helpOf(command)}\n`);
      return 0;
    }
    const parsed = await parseArgvOrExplain(rest, command);
    if (parsed.values.help) {
      io.stdout(`${helpOf(command)}\n`);
      return 0;
    }
    if (parsed.values.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new InputError(
        `${command.name}: expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${parsed.positionals.length} (see scalefit ${command.name} --help)`,
      );
    }
    return await command.run({
      values: parsed.values,
      given: parsed.given,
      positionals: parsed.positionals,
      stdout: io.stdout,
      stderr: io.stderr,
      interactive: Boolean(process.stderr.isTTY) && !parsed.values.quiet,
    });
  } catch (e) {
    const err = e as Error;
    const known = e instanceof InputError || e instanceof ScalefitError;
    const code = e instanceof InputError ? 2 : 1;
    const first = String(err?.message ?? err)
      .split('\n')[0]!
      .trim();
    const advice =
      known || verbose ? '' : ' (a bug in scalefit: rerun with --verbose for the stack trace and report it)';
    io.stderr(`${known ? 'scalefit: error: ' : 'scalefit: internal error: '}${first}${advice}\n`);
    if (verbose && err?.stack) io.stderr(`${err.stack}\n`);
    return code;
  }
}
