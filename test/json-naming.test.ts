import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.ts';
import { makeFitJsonSchema } from '../src/io/fitJsonSchema.ts';
import { outputSchemas } from '../scripts/json-schemas.ts';
import { runCli } from './helpers/runCli.ts';

/**
 * One naming convention across the JSON outputs (docs/json-outputs.md): keys are snake_case; symbols keep the
 * spelling of the papers (N, D, C, N_opt, D_ci, k_N, K, G, a, b, ...), and maps keyed by names a law or the user chose
 * (parameter names, column headers, tags) are not judged.
 */
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** A symbol: an upper-case letter or a one-letter name, with snake_case subscripts (N_opt, D_ci, k_N, R_D_star, K, a). */
const SYMBOL = /^([A-Za-z]|[A-Z][a-z0-9]*)(_[A-Za-z0-9]+)*$/;
/** bootstrap.derived's names: a quantity (snake_case or a symbol) and where it is taken, `N_opt(C=1e+22)`, `loss(N=7e+10,D=1.4e+12)`. */
const DERIVED = /^([^(]+)\([A-Za-z]+=[^)]+\)$/;

function goodKey(k: string, path: string): boolean {
  const derived = path.endsWith('derived') ? DERIVED.exec(k) : null;
  const name = derived ? derived[1]! : k;
  return SNAKE.test(name) || SYMBOL.test(name);
}

/** Keys whose values are maps keyed by parameter, variable or column names (or user tags): their keys are not judged. */
const MAPS = new Set([
  'params',
  'stderr',
  'ci',
  'covariance',
  'correlation',
  'bounds',
  'tied',
  'units',
  'columns',
  'log10_min',
  'log10_max',
  'runs',
]);

/** Every key of a JSON value that is neither snake_case nor a symbol, as a path. */
function badKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => badKeys(v, `${path}[]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    const bad = goodKey(k, path) ? [] : [at];
    const mapped = MAPS.has(k) || MAPS.has(at.split('.').slice(-2).join('.'));
    return [...bad, ...(mapped ? [] : badKeys(v, at))];
  });
}

const dir = mkdtempSync(join(tmpdir(), 'scalefit-naming-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fitFile = join(dir, 'fit.json');
const EPOCH = ['data/epoch-chinchilla.csv', '--exclude-top-loss', '5'];
const boot = ['--bootstrap', '20', '--seed', '0', '--workers', '1'];

/** Every command that prints JSON, in every mode that changes its shape (the fit file they read is made first). */
const RUNS: Array<[string, string[]]> = [
  ['fit', ['fit', ...EPOCH, ...boot, '--compute', '1e22', '--at', 'N=70e9,D=1.4e12', '--out', fitFile, '--json']],
  ['fit', ['fit', ...EPOCH, '--law', 'kaplan-c', '--json']],
  ['fit', ['fit', ...EPOCH, '--loss', 'mse', '--fix', 'E=1.8', '--json']],
  ['inspect', ['inspect', ...EPOCH, '--json']],
  ['inspect', ['inspect', 'test/fixtures/bad/missing-loss.csv', '--json']],
  ['predict', ['predict', fitFile, '--N', '70B', '--D', '1.4T', '--json']],
  ['optimal', ['optimal', fitFile, '--compute', '1e22', '--params', '70B', '--json']],
  ['optimal', ['optimal', fitFile, '--compute', '1e22', '--inference-tokens', '2T', '--json']],
  [
    'optimal',
    [
      'optimal',
      fitFile,
      '--compute',
      '1e22',
      '--unique-tokens',
      '100B',
      '--r-d-star',
      '15.4',
      '--r-n-star',
      '5.3',
      '--json',
    ],
  ],
  ['optimal-inference', ['optimal-inference', fitFile, '--inference-tokens', '2T', '--target-loss', '2.0', '--json']],
  [
    'optimal-datacon',
    [
      'optimal-datacon',
      fitFile,
      '--compute',
      '1e22',
      '--unique-tokens',
      '100B',
      '--r-d-star',
      '15.4',
      '--r-n-star',
      '5.3',
      '--json',
    ],
  ],
  ['isoflop', ['isoflop', 'data/epoch-chinchilla.csv', '--bootstrap', '20', '--json']],
  ['envelope', ['envelope', 'data/examples/loss-curves.csv', '--json']],
  ['compare', ['compare', ...EPOCH, '--laws', 'chinchilla,kaplan-nd', ...boot, '--at', 'N=70e9,D=1.4e12', '--json']],
  ['lrt', ['lrt', ...EPOCH, '--loss', 'huber-mle', '--fix', 'E=1.69', '--json']],
  ['fit', ['fit', '--published', 'hoffmann2022', '--json']],
  [
    'fit-curves',
    [
      'fit-curves',
      'data/examples/curves.csv',
      '--law',
      'lr-annealing',
      '--bootstrap',
      '20',
      '--seed',
      '0',
      '--holdout',
      '0.7',
      '--json',
    ],
  ],
  [
    'predict-curve',
    [
      'predict-curve',
      'fits/example-curves-mpl.json',
      '--schedule',
      'wsd',
      '--cooldown',
      '0,0.2',
      '--tokens',
      '8B',
      '--json',
    ],
  ],
];

/** The schema (docs/schemas/NAME.schema.json) each command's JSON follows. */
const SCHEMAS = { fit: makeFitJsonSchema(), ...outputSchemas() };
const SCHEMA_OF: Record<string, keyof typeof SCHEMAS> = {
  fit: 'fit',
  inspect: 'inspect',
  predict: 'predict',
  optimal: 'optimal',
  'optimal-inference': 'optimal',
  'optimal-datacon': 'optimal',
  isoflop: 'isoflop',
  envelope: 'isoflop',
  compare: 'compare',
  lrt: 'lrt',
  'fit-curves': 'fit',
  'predict-curve': 'predict-curve',
};
const COMMITTED: Array<[string, keyof typeof SCHEMAS]> = [
  ['fits/epoch-chinchilla.json', 'fit'],
  ['fits/reproduce.json', 'reproduce'],
  ['reports/epoch-chinchilla/fit.json', 'fit'],
  ['reports/reproduce/fit.json', 'fit'],
];

/** The schema's complaints about a JSON value, one line each (empty when it conforms). */
function schemaIssues(schema: keyof typeof SCHEMAS, value: unknown): string[] {
  const r = SCHEMAS[schema].safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the JSON outputs follow one naming convention', () => {
  it('every command with a --json option is covered here', async () => {
    const withJson: string[] = [];
    for (const c of COMMANDS) if ('json' in (await c.load()).options) withJson.push(c.name);
    // reproduce --json prints fits/reproduce.json (checked below: a run takes minutes).
    expect(withJson.filter((name) => name !== 'reproduce' && !RUNS.some(([n]) => n === name))).toEqual([]);
  });

  for (const [name, argv] of RUNS) {
    it(`scalefit ${argv.join(' ')}: every key is snake_case or a symbol`, async () => {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(badKeys(json)).toEqual([]);
      expect(schemaIssues(SCHEMA_OF[name]!, json)).toEqual([]);
    }, 120_000);
  }

  it.each(COMMITTED)(
    'the committed %s: every key is snake_case or a symbol, and it follows docs/schemas/%s.schema.json',
    (file, schema) => {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      expect(badKeys(json)).toEqual([]);
      expect(schemaIssues(schema, json)).toEqual([]);
    },
  );

  it('every command with JSON output has its schema, and a schema catches a missing key', () => {
    expect(Object.keys(SCHEMA_OF).sort()).toEqual([...new Set(RUNS.map(([n]) => n))].sort());
    expect(schemaIssues('compare', { input: {}, holdout: 'size', folds: [], ranking: [], laws: [] })).toContain(
      'input.file: Invalid input: expected string, received undefined',
    );
  });

  it('badKeys finds the camelCase keys of the old spelling, and not those of a map', () => {
    const old = JSON.parse(readFileSync('test/fixtures/old-format/report-fit.json', 'utf8'));
    const found = badKeys(old);
    for (const k of [
      'nFree',
      'atBound',
      'input.rowsKept',
      'prediction.rollingOrigin',
      'bootstrap.derived.tokensPerParam(C=1e+22)',
      'heldOut',
    ])
      expect(found).toContain(k);
    expect(
      badKeys({
        params: { logA: 1 },
        runs: [{ myTag: 'x' }],
        N_opt: 1,
        k_N: 2,
        per_10x: { N: 3 },
        derived: { 'N_opt(C=1e+22)': {} },
      }),
    ).toEqual([]);
    expect(badKeys({ laws: [{ heldOutRmse: 1 }], derived: { 'tokensPerParam(C=1e+22)': {} } })).toEqual([
      'laws[].heldOutRmse',
      'derived.tokensPerParam(C=1e+22)',
    ]);
  });
});
