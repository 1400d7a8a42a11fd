import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_DEFAULTS } from '../src/bootstrap/bootstrap.ts';
import type { Command } from '../src/cli/command.ts';
import { COMMANDS } from '../src/cli/commands/index.ts';
import { editDistance, suggest } from '../src/cli/didYouMean.ts';
import { HELP_WIDTH } from '../src/cli/helpText.ts';
import { GLOBAL_OPTIONS, helpOf } from '../src/cli/main.ts';
import type { OptionDecl, OptionSet } from '../src/cli/optionTypes.ts';
import { MAX_BOOTSTRAP, MAX_WORKERS } from '../src/cli/options.ts';
import { choicesOf, parseArgv } from '../src/cli/parseArgv.ts';
import { FIT_DEFAULTS } from '../src/fit/options.ts';
import { LAWS } from '../src/laws/index.ts';
import { DEFAULT_WORKERS } from '../src/parallel/workerPool.ts';
import { DEFAULT_BUDGETS } from '../src/report/model.ts';
import { REPRODUCE_DEFAULTS } from '../src/reproduce/run.ts';
import { runCli as run } from './helpers/runCli.ts';

const commands: Command[] = await Promise.all(COMMANDS.map((c) => c.load()));
const byName = new Map(commands.map((c) => [c.name, c]));
const optionsOf = (c: Command): OptionSet => ({ ...c.options, ...GLOBAL_OPTIONS });

/** A value the declaration accepts, to show that every option --help lists is parsed. */
function sampleArgs(name: string, decl: OptionDecl): string[] {
  switch (decl.type) {
    case 'flag':
      return [`--${name}`];
    case 'choice':
      return [`--${name}`, choicesOf(decl)[0]!];
    case 'string':
      return [`--${name}`, decl.example ?? 'x'];
    default:
      return [
        `--${name}`,
        String(
          decl.default ??
            decl.min ??
            (decl.above ?? 0) + (decl.below !== undefined ? (decl.below - (decl.above ?? 0)) / 2 : 1),
        ),
      ];
  }
}

/** Split an example command line as a shell would (double quotes group; no other shell syntax is used). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('scalefit <command> --help is generated from the option declarations (#15)', () => {
  it.each(commands.map((c) => [c.name, c] as const))(
    'help(%s) lists every declared option, and every option it mentions is declared',
    (name, c) => {
      const help = helpOf(c);
      const options = optionsOf(c);
      for (const opt of Object.keys(options))
        expect(help, `--${opt} missing from ${name} --help`).toMatch(new RegExp(`--${opt}\\b`));
      // Prose may name another command's options ("scalefit fit --law datacon"): those are checked against that command.
      for (const line of help.split('\n')) {
        for (const m of line.matchAll(/--([A-Za-z][\w-]*)/g)) {
          const before = line.slice(0, m.index);
          const other = [...before.matchAll(/scalefit ([a-z-]+)/g)]
            .map((x) => x[1]!)
            .filter((n) => byName.has(n))
            .pop();
          const owner = other && other !== name ? byName.get(other)! : c;
          expect(Object.keys(optionsOf(owner)), `${name} --help mentions --${m[1]} (line: ${line.trim()})`).toContain(
            m[1],
          );
        }
      }
    },
  );

  it.each(commands.map((c) => [c.name, c] as const))(
    'parseArgv accepts every option of help(%s) with a value its declaration allows',
    (name, c) => {
      for (const [opt, decl] of Object.entries(c.options)) {
        const { given } = parseArgv(sampleArgs(opt, decl), optionsOf(c), name);
        expect([...given]).toEqual([opt]);
      }
    },
  );

  it('every help line fits in 100 columns and no help says "many starts" (the default is the law\'s 4)', () => {
    for (const c of commands) {
      for (const line of helpOf(c).split('\n'))
        expect([...line].length, `${c.name}: ${line}`).toBeLessThanOrEqual(HELP_WIDTH);
      expect(helpOf(c)).not.toMatch(/many starts/);
    }
  });

  it("help(fit)'s default starts match the starts a default chinchilla fit really uses", async () => {
    const r = await run(['fit', 'data/epoch-chinchilla.csv', '--json']);
    const starts = JSON.parse(r.stdout).starts;
    expect(starts.strategy).toBe('default');
    expect(helpOf(byName.get('fit')!)).toContain(`chinchilla: the ${starts.count} best cells`);
  });

  it('the declared defaults are the library defaults (fit, bootstrap, reproduce, report budgets)', () => {
    const fit = byName.get('fit')!.options as Record<string, OptionDecl & { default?: unknown; defaultText?: string }>;
    expect(fit.delta!.defaultText).toContain(String(FIT_DEFAULTS.loss.delta));
    expect(fit.space!.defaultText).toBe(FIT_DEFAULTS.loss.space);
    expect(fit.starts!.default).toBe(FIT_DEFAULTS.starts);
    expect(fit.seed!.default).toBe(BOOTSTRAP_DEFAULTS.seed);
    expect(fit.level!.default).toBe(BOOTSTRAP_DEFAULTS.level);
    expect(fit.resample!.default).toBe(BOOTSTRAP_DEFAULTS.resample);
    expect(fit.workers!.default).toBe(DEFAULT_WORKERS);
    const reproduce = byName.get('reproduce')!.options as Record<string, { default?: unknown }>;
    expect(reproduce.bootstrap!.default).toBe(REPRODUCE_DEFAULTS.bootstrap);
    expect(reproduce.seed!.default).toBe(REPRODUCE_DEFAULTS.seed);
    expect(helpOf(byName.get('report')!).replace(/\s+/g, ' ')).toContain(
      `default ${DEFAULT_BUDGETS.map((c) => c.toExponential(0).replace('+', '')).join(', ')}`,
    );
  });

  it('fit --help and report --help list every law of the registry', () => {
    for (const name of ['fit', 'report']) {
      const help = helpOf(byName.get(name)!);
      for (const law of Object.keys(LAWS)) expect(help).toMatch(new RegExp(`\\b${law}\\b`));
    }
  });

  it("README's CLI reference names only declared options", () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('## CLI reference');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const declared = new Set(commands.flatMap((c) => Object.keys(optionsOf(c))));
    const typos = new Set(['bootsrap']); // the README's own example of a misspelt option
    const named = [...section.matchAll(/--([A-Za-z][\w-]*)/g)].map((m) => m[1]!).filter((o) => !typos.has(o));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((o) => !declared.has(o))).toEqual([]);
  });

  it('the command table loads each command under its own name', () => {
    expect(commands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
  });
});

describe('did you mean, scalefit help X, --version (#11)', () => {
  it('editDistance counts a transposition as one edit', () => {
    expect(editDistance('bootsrap', 'bootstrap')).toBe(1);
    expect(editDistance('chinchila', 'chinchilla')).toBe(1);
    expect(editDistance('fitt', 'fit')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggest offers only close names', () => {
    expect(
      suggest(
        'fitt',
        COMMANDS.map((c) => c.name),
      ),
    ).toEqual(['fit']);
    expect(
      suggest(
        'banana',
        COMMANDS.map((c) => c.name),
      ),
    ).toEqual([]);
    expect(suggest('out', ['at', 'out-dir'])).toEqual([]);
    expect(suggest('Q', ['N', 'D'])).toEqual([]);
  });

  it.each([
    [['fitt', 'data/epoch-chinchilla.csv'], 'unknown command "fitt"; did you mean "fit"?'],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--bootsrap', '10'],
      'fit: unknown option --bootsrap; did you mean --bootstrap? (see scalefit fit --help)',
    ],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--law', 'chinchila'],
      '--law chinchila: did you mean chinchilla? expected one of chinchilla, ',
    ],
    [
      ['compare', 'data/epoch-chinchilla.csv', '--laws', 'chinchilla,kaplan-dn'],
      '"kaplan-dn" is unknown; did you mean kaplan-n or kaplan-d or kaplan-nd?',
    ],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--law', 'multi-power'],
      "--law multi-power: multi-power is a loss-curve law (it reads each checkpoint's step and learning rate): fit it with scalefit fit-curves FILE --law multi-power",
    ],
    [
      ['report', 'data/epoch-chinchilla.csv', '--law', 'lr-annealing'],
      'fit it with scalefit fit-curves FILE --law lr-annealing',
    ],
    [['help', 'reprodcue'], 'did you mean "reproduce"?'],
    [['--verison'], 'unknown option --verison; did you mean --version?'],
  ])('main(%j) suggests the close name or the right command, exit 2', async (argv, hint) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(hint);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it("main(['predict', fit, '--compute', ...]) names the commands that have --compute", async () => {
    const r = await run(['predict', 'fits/epoch-chinchilla.json', '--compute', '1e23']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'scalefit: error: predict: unknown option --compute (an option of fit, optimal, optimal-datacon, optimal-inference, report; see scalefit predict --help)\n',
    });
  });

  it("main(['fit', '--bootstrap', '-5', '--help']) prints the help: --help wins over the other arguments", async () => {
    const r = await run(['fit', '--bootstrap', '-5', '--help']);
    expect(r).toEqual({ code: 0, stdout: (await run(['help', 'fit'])).stdout, stderr: '' });
  });

  it("main(['help', 'fit']) prints what main(['fit', '--help']) prints", async () => {
    for (const c of COMMANDS) {
      const a = await run(['help', c.name]);
      const b = await run([c.name, '--help']);
      expect(a).toEqual({ code: 0, stdout: b.stdout, stderr: '' });
      expect(a.stdout).toMatch(new RegExp(`^Usage: scalefit ${c.name}`));
    }
    expect((await run(['help'])).stdout).toBe((await run(['--help'])).stdout);
  });

  it("main(['--version']), main(['-V']) and main(['fit', '-V']) print package.json's version", async () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    for (const argv of [['--version'], ['-V'], ['fit', '-V'], ['version']])
      expect(await run(argv)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('an example per command, and errors that say what is expected (#19)', () => {
  it('every command has an example, and every example parses against its declarations', () => {
    for (const c of commands) {
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      for (const e of c.examples) {
        const [prog, name, ...rest] = shellWords(e.command);
        expect([prog, name]).toEqual(['scalefit', c.name]);
        const parsed = parseArgv(rest, optionsOf(c), c.name);
        expect(parsed.positionals.length).toBeGreaterThanOrEqual(c.positionals[0]);
        expect(parsed.positionals.length).toBeLessThanOrEqual(c.positionals[1]);
      }
    }
  });

  // reproduce's examples rewrite the committed fits/ and reports/ (or take seconds): test/reproduce.test.ts runs it.
  const runnable = commands
    .filter((c) => c.name !== 'reproduce')
    .flatMap((c) => c.examples.map((e) => [e.command] as const));
  it.each(runnable)(
    '%s works on the bundled data (exit 0)',
    async (command) => {
      const dir = mkdtempSync(join(tmpdir(), 'scalefit-example-'));
      // Outputs go to a temporary folder, not into the clone.
      const argv = shellWords(command)
        .slice(1)
        .map((w, i, all) => (all[i - 1] === '--out' ? join(dir, w) : w));
      const r = await run(argv);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    },
    60_000,
  );

  it.each([
    [
      ['fit', 'data/epoch-chinchilla.csv', '--bootstrap', '-5'],
      '--bootstrap -5: expected a whole number from 2 to 100000, or 0 for none',
    ],
    [['fit', 'data/epoch-chinchilla.csv', '--delta', '-1e-3'], '--delta -1e-3: expected a number > 0 (e.g. 1e-3)'],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--bootstrap'],
      '--bootstrap: missing value; expected K (a whole number from 2 to 100000, or 0 for none)',
    ],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--out', '--force'],
      '--out: missing value; expected FILE, e.g. --out fit.json',
    ],
    [['fit', 'data/epoch-chinchilla.csv', '--force=yes'], '--force takes no value (got --force=yes)'],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--out', 'a.json', '--out', 'b.json'],
      '--out given twice; it takes one value (see scalefit fit --help)',
    ],
    [['fit', '--', '--bootstrap'], 'scalefit: error: --bootstrap: cannot read file'],
  ])("main(%j) says what is expected, never Node's parser wording", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/ambiguous|positional argument|To specify|ERR_PARSE_ARGS/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('bounds on every numeric option (#14)', () => {
  const data = 'data/epoch-chinchilla.csv';
  const fitJson = 'fits/epoch-chinchilla.json';
  it.each([
    [
      ['fit', data, '--bootstrap', '1e9'],
      `--bootstrap 1e9: expected a whole number from 2 to ${MAX_BOOTSTRAP}, or 0 for none`,
    ],
    [
      ['fit', data, '--bootstrap', '1'],
      `--bootstrap 1: expected a whole number from 2 to ${MAX_BOOTSTRAP}, or 0 for none`,
    ],
    [
      ['fit', data, '--bootstrap', '2.5'],
      `--bootstrap 2.5: expected a whole number from 2 to ${MAX_BOOTSTRAP}, or 0 for none`,
    ],
    [
      ['fit', data, '--bootstrap', 'NaN'],
      `--bootstrap NaN: expected a whole number from 2 to ${MAX_BOOTSTRAP}, or 0 for none`,
    ],
    [['fit', data, '--workers', '50'], `--workers 50: expected a whole number from 1 to ${MAX_WORKERS}`],
    [['fit', data, '--workers', '0'], `--workers 0: expected a whole number from 1 to ${MAX_WORKERS}`],
    [['fit', data, '--seed', '9007199254740993'], '--seed 9007199254740993: expected a whole number from 0 to 2^53-1'],
    [['fit', data, '--seed', '9007199254740992'], '--seed 9007199254740992: expected a whole number from 0 to 2^53-1'],
    [['fit', data, '--seed', '1e300'], '--seed 1e300: expected a whole number from 0 to 2^53-1'],
    [['fit', data, '--seed', '-1'], '--seed -1: expected a whole number from 0 to 2^53-1'],
    [['fit', data, '--out', ''], '--out: empty value; expected FILE, e.g. --out fit.json'],
    [['report', data, '--out', ' '], '--out: empty value; expected DIR, e.g. --out my-report'],
    [['fit', data, '--level', '1'], '--level 1: expected a number strictly between 0 and 1 (e.g. 0.95)'],
    [['fit', data, '--level', '0'], '--level 0: expected a number strictly between 0 and 1 (e.g. 0.95)'],
    [['fit', data, '--level', 'NaN'], '--level NaN: expected a number strictly between 0 and 1 (e.g. 0.95)'],
    [['fit', data, '--delta', '0'], '--delta 0: expected a number > 0 (e.g. 1e-3)'],
    [['fit', data, '--exclude-top-loss', '-1'], '--exclude-top-loss -1: expected a whole number >= 0'],
    [['fit', data, '--exclude-top-loss', '0.5'], '--exclude-top-loss 0.5: expected a whole number >= 0'],
    [['fit', data, '--compute', '1e21,-1'], '--compute -1: expected a number > 0 (e.g. 5.76e23)'],
    [['isoflop', data, '--tolerance', '0'], '--tolerance 0: expected a number > 0 and <= 1'],
    [['envelope', data, '--points', '1'], '--points 1: expected a whole number from 2 to 10000'],
    [['reproduce', '--bootstrap', '0'], `--bootstrap 0: expected a whole number from 2 to ${MAX_BOOTSTRAP}`],
    [['predict', fitJson, '--N', '0', '--D', '1T'], '--N 0: expected a number > 0'],
    [['optimal', fitJson, '--compute', '-5'], '--compute -5: expected a number > 0 (e.g. 5.76e23)'],
    [['optimal', fitJson, '--params', 'Infinity'], '--params Infinity: expected a number > 0 (e.g. 70B)'],
    [
      ['optimal-inference', fitJson, '--inference-tokens', '0', '--target-loss', '2'],
      '--inference-tokens 0: expected a number > 0 (e.g. 2T)',
    ],
    [
      ['optimal-datacon', fitJson, '--compute', '1e23', '--unique-tokens', '-1B'],
      '--unique-tokens -1B: expected a number > 0 (e.g. 100B)',
    ],
  ])('main(%j) refuses the value in one line, exit 2, before any work', async (argv, message) => {
    expect(await run(argv)).toEqual({ code: 2, stdout: '', stderr: `scalefit: error: ${message}\n` });
  });

  it('a seed of 2^53-1 is taken exactly (seeds up to 2^53-1 are distinct integers)', () => {
    const fit = byName.get('fit')!;
    const { values } = parseArgv(['--seed', '9007199254740991'], fit.options, 'fit');
    expect(values.seed).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('MAX_WORKERS is between 4 and 64, at least the default', () => {
    expect(MAX_WORKERS).toBeGreaterThanOrEqual(4);
    expect(MAX_WORKERS).toBeLessThanOrEqual(64);
    expect(MAX_WORKERS).toBeGreaterThanOrEqual(DEFAULT_WORKERS);
  });
});

describe('the real bin (out of process)', () => {
  const exec = promisify(execFile);
  it.each([
    [
      ['fit', 'data/epoch-chinchilla.csv', '--bootstrap', '1e9'],
      /^scalefit: error: --bootstrap 1e9: expected a whole number from 2 to \d+, or 0 for none\n$/,
    ],
    [
      ['fit', 'data/epoch-chinchilla.csv', '--workers', '50'],
      /^scalefit: error: --workers 50: expected a whole number from 1 to \d+\n$/,
    ],
    [['fitt'], /^scalefit: error: unknown command "fitt"; did you mean "fit"\?/],
  ])(
    'bin/scalefit.js %j exits 2 with one line on stderr and no stack trace',
    async (argv, pattern) => {
      const r = await exec(process.execPath, ['bin/scalefit.js', ...argv], { timeout: 60_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );
});
