import { runCli as run } from './helpers/runCli.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The malformed-input battery (issue 7). Files are in test/fixtures/bad/ (made by generate.mjs there). Each refusal is
 * one line on stderr naming the file (and line and column where there is one) and what to do, with exit code 2.
 * `{file}` stands for the fixture's path. `fit` and `inspect` load the same way; `fit` also refuses data that cannot
 * identify the law (too few runs, a single N or D), which `inspect` shows without complaint.
 */
type Expect = { code: 0 } | { code: 0; warning: string } | { code: 2; error: string };
interface Case {
  fit: Expect;
  inspect?: Expect;
}

const refuse = (error: string): Expect => ({ code: 2, error });
const same = (e: Expect): Case => ({ fit: e, inspect: e });
const ok: Expect = { code: 0 };

const BATTERY: Record<string, Case> = {
  'empty.csv': same(refuse('{file}: the file is empty; expected a header line and one row per run')),
  'blank.csv': same(refuse('{file}: the file is empty; expected a header line and one row per run')),
  'header-only.csv': same(refuse('{file}: the file has a header but no rows; add one row per run')),
  // inspect shows a file without a loss column (its headers and the mapping) instead of refusing it.
  'missing-loss.csv': {
    fit: refuse(
      '{file}:1: no loss column; expected one of loss, val_loss, eval_loss, final_loss, train/loss, train_loss, eval/loss, val/loss (or --columns loss=HEADER); the header has N, D, perplexity',
    ),
    inspect: ok,
  },
  'missing-tokens.csv': {
    fit: refuse(
      '{file}:1: missing column D (tokens: D, tokens, n_tokens, train_tokens, num_tokens, tokens_D); N, D and C can be derived from the other two by C = 6ND, or map a header with --columns; the header has N, loss',
    ),
    inspect: ok,
  },
  'two-n-columns.csv': same(
    refuse('{file}:1: columns "N" and "params" both name N (parameters); pick one with --columns N=HEADER'),
  ),
  'one-column.csv': same(
    refuse(
      '{file}:1: found one column "loss"; expected a header with a loss column and two of N, D, C separated by commas, tabs, semicolons or |',
    ),
  ),
  'na.csv': same(
    refuse('{file}:4: column "D": "n/a" is not a number; the value is missing: fill it in or drop the row'),
  ),
  'thousands.csv': same(
    refuse('{file}:2: column "N": "7,000,000,000" is not a number; remove the thousands separators (write 7000000000)'),
  ),
  'dots.csv': same(
    refuse(
      '{file}:7: column "loss": "1.2.3" is not a number; use plain (7000000000), scientific (7e9) or suffixed (7B) numbers',
    ),
  ),
  'decimal-comma.csv': same(
    refuse('{file}:2: column "loss": "3,2" is not a number; use a dot as the decimal separator (write 3.2)'),
  ),
  'zero.csv': same(
    refuse(
      '{file}:5: column "N": 0 is not positive; parameters must be > 0 (fix the value, or drop such rows with --where "N>0")',
    ),
  ),
  'negative.csv': same(
    refuse(
      '{file}:3: column "loss": -3.1 is not positive; loss must be > 0 (fix the value, or drop such rows with --where "loss>0")',
    ),
  ),
  'nan.csv': same(
    refuse('{file}:6: column "loss": "NaN" is not a number; a run needs a finite value: fill it in or drop the row'),
  ),
  'infinity.csv': same(
    refuse('{file}:8: column "D": "Infinity" is not a number; a run needs a finite value: fill it in or drop the row'),
  ),
  'overflow.csv': same(
    refuse('{file}:2: column "D": "1e999" is not a number; the value overflows a double; check its exponent'),
  ),
  'empty-cell.csv': same(
    refuse('{file}:9: column "D" is empty; every run needs a tokens value (fill it in or drop the row)'),
  ),
  'ragged-short.csv': same(
    refuse(
      '{file}:5: row has 2 fields, header has 3; every row needs one value per column (quote values that contain the delimiter)',
    ),
  ),
  'ragged-long.csv': same(
    refuse(
      '{file}:10: row has 4 fields, header has 3; every row needs one value per column (quote values that contain the delimiter)',
    ),
  ),
  'unterminated-quote.csv': same(
    refuse('{file}:11: column "N": unterminated quoted field (a " with no closing "); close the quote or remove it'),
  ),
  'text-after-quote.csv': same(
    refuse(
      '{file}:4: column "N": text after a closing quote ("x,200000000000,2...."); quote the whole value or remove the quotes',
    ),
  ),
  'cr-only.csv': same(
    refuse('{file}:1: the file uses bare CR line ends (classic Mac); save it with LF or CRLF line ends'),
  ),
  'delimiters-header.csv': same(
    refuse(
      '{file}:1: the header has no column names (only delimiters); expected a header with a loss column and two of N, D, C',
    ),
  ),
  'cr-after-header.csv': same(
    refuse('{file}:2: the file uses bare CR line ends (classic Mac); save it with LF or CRLF line ends'),
  ),
  'underflow.csv': same(
    refuse(
      '{file}:6: column "N": 1e-400 underflows to 0 in a double (the smallest positive double is 5e-324); check its exponent and units',
    ),
  ),
  'garbage.bin': same(refuse('{file}:1: not UTF-8 text (byte 0x92 at that line); save the CSV as UTF-8')),
  'latin1.csv': same(refuse('{file}:3: not UTF-8 text (byte 0xe9 at that line); save the CSV as UTF-8')),
  'utf16.csv': same(refuse('{file}:1: not a CSV file: it looks like a UTF-16 text file; save the CSV as UTF-8')),
  'gzip.bin': same(refuse('{file}:1: not a CSV file: it looks like a gzip file; decompress it first (gunzip)')),
  // Accepted as they are.
  'bom.csv': same(ok),
  'crlf.csv': same(ok),
  'semicolon.csv': same(ok),
  'tab.csv': same(ok),
  'quoted.csv': same(ok),
  'blank-lines.csv': same(ok),
  // Accepted with a warning.
  'duplicates.csv': same({
    code: 0,
    warning: '2 row(s) repeat an earlier row exactly (first: line 14 repeats line 6); kept, each counts as a run',
  }),
  'six-nd.csv': same({
    code: 0,
    warning:
      '1 row(s) have C more than 30% away from 6ND (first at line 7); C is used as given (is it in PF-days? pass --compute-unit pf-days)',
  }),
  'loss-units.csv': same({
    code: 0,
    warning: '4 row(s) have a loss above 20 or below 0.5 nats (first at line 2): is the loss in nats per token?',
  }),
  // Loaded, but a fit cannot identify the law: refused by `fit` (decision: refuse, not a fit with unidentified numbers).
  'too-few-runs.csv': {
    fit: refuse(
      '{file}: 3 run(s) cannot determine the 5 free parameters of chinchilla; add runs (at least 5), loosen --where, or hold parameters with --fix',
    ),
    inspect: ok,
  },
  'single-n.csv': {
    fit: refuse(
      '{file}: all 6 runs have N = 4e+8; chinchilla needs at least 2 distinct values of N (parameters) to identify the parameters of its N term; add runs at other N, fit another subset with --where, or hold the parameters of that term with --fix',
    ),
    inspect: ok,
  },
  'single-d.csv': {
    fit: refuse(
      '{file}: all 8 runs have D = 2e+10; chinchilla needs at least 2 distinct values of D (tokens) to identify the parameters of its D term; add runs at other D, fit another subset with --where, or hold the parameters of that term with --fix',
    ),
    inspect: ok,
  },
};

describe('bad-input battery', () => {
  for (const [name, c] of Object.entries(BATTERY)) {
    const file = `test/fixtures/bad/${name}`;
    for (const command of ['fit', 'inspect'] as const) {
      const want = command === 'fit' ? c.fit : (c.inspect ?? c.fit);
      it(`main(['${command}', '${name}']) ${want.code === 0 ? 'accepts it' : 'refuses it in one line, exit 2'}`, async () => {
        const r = await run([command, file]);
        if ('error' in want) {
          expect(r.stderr).toBe(`scalefit: error: ${want.error.replace('{file}', file)}\n`);
          expect(r.stdout).toBe('');
        } else {
          expect(r.stderr).toBe('');
          // fit wraps long lines at 100 columns: compare the warning's words, not its line breaks.
          if ('warning' in want) expect(r.stdout.replace(/\s+/g, ' ')).toContain(`warning: ${want.warning}`);
          else expect(r.stdout).not.toContain('warning:');
        }
        expect(r.code).toBe(want.code);
      });
    }
  }

  it("main(['fit', file, '--verbose']) adds the stack trace after the one-line error", async () => {
    const r = await run(['fit', 'test/fixtures/bad/na.csv', '--verbose']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^scalefit: error: test\/fixtures\/bad\/na.csv:4: /);
    expect(lines.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
  });

  it("main(['fit', missing]) says there is no such file, exit 2", async () => {
    const r = await run(['fit', 'test/fixtures/bad/no-such-file.csv']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'scalefit: error: test/fixtures/bad/no-such-file.csv: cannot read file (no such file)\n',
    });
  });

  it("main(['fit', data, '--at', 'N=70B']) says chinchilla needs D or C at that point, exit 2 (not a row of n/a)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'scalefit-at-')), 'out');
    for (const cmd of ['fit', 'report']) {
      const r = await run([cmd, 'data/epoch-chinchilla.csv', '--bootstrap', '2', '--at', 'N=70B', '--out', out]);
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'scalefit: error: --at N=70B: chinchilla (L(N,D) = E + A/N^alpha + B/D^beta) needs D (or two of N, D, C)\n',
      });
    }
  });

  it("main(['fit', folder]) says it is a folder, exit 2", async () => {
    const r = await run(['fit', 'test/fixtures/bad']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'scalefit: error: test/fixtures/bad: cannot read file (it is a folder, not a file)\n',
    });
  });

  it('the accepted variants (BOM, CRLF, ;, tab, quotes, blank lines) load the same runs as the plain file', async () => {
    const runsOf = async (name: string) =>
      JSON.parse((await run(['inspect', `test/fixtures/bad/${name}`, '--json'])).stdout).runs.map(
        (r: Record<string, unknown>) => [r.N, r.D, r.loss],
      );
    const plain = await runsOf('duplicates.csv');
    for (const name of ['bom.csv', 'crlf.csv', 'semicolon.csv', 'tab.csv', 'quoted.csv', 'blank-lines.csv'])
      expect(await runsOf(name)).toEqual(plain.slice(0, 12));
  });

  it.each([
    [
      ['fit', 'test/fixtures/bad/crlf.csv', '--where', 'N<<3'],
      'bad filter "N<<3": "<3" is not a number; N is compared as a number, e.g. "N<1e9"',
    ],
    [
      ['fit', 'test/fixtures/bad/crlf.csv', '--where', 'steps<3'],
      'test/fixtures/bad/crlf.csv: filter "steps<3" names column "steps", which the file does not have (columns: N, D, loss, C)',
    ],
    [
      ['fit', 'test/fixtures/bad/crlf.csv', '--where', 'N<1e8'],
      'test/fixtures/bad/crlf.csv: no rows left after the filters (N<1e8); loosen them',
    ],
    [
      ['fit', 'test/fixtures/bad/crlf.csv', '--exclude-top-loss', 'abc'],
      '--exclude-top-loss abc: expected a whole number >= 0',
    ],
    [
      ['fit', 'test/fixtures/bad/crlf.csv', '--columns', 'X=y'],
      'bad --columns "X=y": expected NAME=HEADER pairs with NAME one of N, D, C, loss, S, U, run',
    ],
    [
      ['fit', 'test/fixtures/bad/crlf.csv', '--columns', 'loss=val'],
      'test/fixtures/bad/crlf.csv:1: --columns maps loss to "val", but the header has no such column (columns: N, D, loss)',
    ],
    [['fit', 'test/fixtures/bad/crlf.csv', '--loss', 'l2'], '--loss l2: expected one of huber, mse, lad, huber-mle'],
    [
      ['fit'],
      'fit: expected a data file (CSV, JSON lines or Parquet), or --params/--published to write a fit from published constants (see scalefit fit --help)',
    ],
  ])('main(%j) refuses a bad option in one line, exit 2', async (argv, error) => {
    expect(await run(argv)).toEqual({ code: 2, stdout: '', stderr: `scalefit: error: ${error}\n` });
  });
});
