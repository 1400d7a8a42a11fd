import { describe, expect, it } from 'vitest';
import { COLUMN_ALIASES } from '../src/data/columns.ts';
import { loadRunsFromText, parseColumnMapping } from '../src/data/load.ts';
import { parseNumber } from '../src/data/parseNumber.ts';
import { mulberry32 } from '../src/math/rng.ts';

const load = (text: string, opts = {}) => loadRunsFromText(text, 'runs.csv', opts);
const refuse = (text: string, message: string | RegExp, opts = {}) => expect(() => load(text, opts)).toThrow(message);

describe('parseNumber', () => {
  it.each([
    ['1400000000', 1.4e9],
    ['5.76e23', 5.76e23],
    ['5.76E+23', 5.76e23],
    ['70M', 70e6],
    ['1.3B', 1.3e9],
    ['1.3b', 1.3e9],
    ['1.4T', 1.4e12],
    ['400K', 400e3],
    ['400k', 400e3],
    ['2G', 2e9],
    [' 3.5 ', 3.5],
    ['.5', 0.5],
    ['-2', -2],
  ])('parseNumber(%s) = %s', (text, value) => expect(parseNumber(text)).toBe(value));

  it.each(['n/a', 'NaN', 'Infinity', '-Infinity', '7,000,000,000', '1.2.3', '', '1e', 'B', '70MB', '1e999'])(
    'parseNumber(%s) refuses',
    (text) => {
      expect(parseNumber(text)).toBeNull();
    },
  );
  it('parseNumber(text) returns the double Number(text) returns, on 200,000 random plain and scientific numbers', () => {
    // The fast path builds the value from the digits (Clinger's exact case); any rounding slip shows up as a mismatch
    // in the last bit somewhere in this sample: up to 17 digits on each side of the point, exponents up to 999.
    const rand = mulberry32(20261201);
    const int = (k: number) => Math.floor(rand() * k);
    const digits = (k: number) => Array.from({ length: k }, () => int(10)).join('');
    let mismatches = 0;
    let checked = 0;
    for (let t = 0; t < 200_000; t++) {
      let s = (int(3) === 0 ? '-' : int(5) === 0 ? '+' : '') + digits(int(18));
      if (int(2)) s += `.${digits(int(18))}`;
      if (int(2)) s += `${int(2) ? 'e' : 'E'}${int(3) === 0 ? '-' : int(3) === 0 ? '+' : ''}${digits(int(4))}`;
      const plain = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
      const want = plain && Number.isFinite(Number(s)) ? Number(s) : null;
      if (want !== null) checked++;
      if (!Object.is(parseNumber(s), want)) mismatches++;
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(mismatches).toBe(0);
  });

  it.each([
    '0.1',
    '0.3',
    '-0',
    '9007199254740993',
    '123456789012345678',
    '1.7976931348623157e308',
    '4.9e-324',
    '1e-22',
    '1e22',
    '1e23',
    '0.000000000000000000000001234',
  ])('parseNumber(%s) is the double Number() reads', (text) =>
    expect(Object.is(parseNumber(text), Number(text))).toBe(true),
  );
});

describe('loadRunsFromText', () => {
  for (const [canonical, aliases] of Object.entries(COLUMN_ALIASES)) {
    if (!['N', 'D', 'C', 'loss'].includes(canonical)) continue;
    for (const alias of aliases) {
      it(`loadRunsFromText maps header "${alias}" to ${canonical}`, () => {
        const others = ['N', 'D', 'C', 'loss']
          .filter((c) => c !== canonical && !(canonical !== 'loss' && c === 'C' && canonical !== 'C'))
          .slice(0, 2);
        const cols = canonical === 'loss' ? ['N', 'D'] : others.filter((c) => c !== 'loss').slice(0, 1);
        const header = [alias, ...cols, ...(canonical === 'loss' ? [] : ['loss'])];
        const values = header.map((h) =>
          h === 'loss' || (h === alias && canonical === 'loss')
            ? '3'
            : h === alias && canonical === 'C'
              ? '6e19'
              : '1e9',
        );
        const ds = load(`${header.join(',')}\n${values.join(',')}\n`, { need: [] });
        expect(ds.columns[canonical]).toBe(alias);
      });
    }
  }

  it('loadRunsFromText matches headers case-insensitively and with _ or space', () => {
    const ds = load('MODEL_SIZE,Train Tokens,LOSS\n1e9,2e10,3\n');
    expect(ds.columns).toMatchObject({ N: 'MODEL_SIZE', D: 'Train Tokens', loss: 'LOSS' });
  });

  it('loadRunsFromText derives C = 6ND, D = C/(6N) and N = C/(6D)', () => {
    expect(load('N,D,loss\n1e9,2e10,3\n').runs[0]!.C).toBe(6 * 1e9 * 2e10);
    expect(load('N,C,loss\n1e9,1.2e20,3\n').runs[0]!.D).toBeCloseTo(2e10, 0);
    expect(load('D,C,loss\n2e10,1.2e20,3\n').runs[0]!.N).toBeCloseTo(1e9, 0);
    expect(load('N,D,loss\n1e9,2e10,3\n').columns.C).toBe('derived: C = 6ND');
  });

  it('loadRunsFromText reads suffixed and scientific numbers', () => {
    const r = load('params,tokens,loss\n70B,1.4T,1.94\n').runs[0]!;
    expect(r.N).toBe(70e9);
    expect(r.D).toBe(1.4e12);
  });

  it('loadRunsFromText keeps other columns as tags', () => {
    const r = load('N,D,loss,dataset\n1e9,2e10,3,c4\n').runs[0]!;
    expect(r.tags).toEqual({ dataset: 'c4' });
  });

  it('loadRunsFromText honours --columns overrides', () => {
    const ds = load('my_params,my_tokens,ppl_loss\n1e9,2e10,3\n', {
      columns: parseColumnMapping('N=my_params,D=my_tokens,loss=ppl_loss'),
    });
    expect(ds.runs[0]).toMatchObject({ N: 1e9, D: 2e10, loss: 3 });
  });

  it('loadRunsFromText converts PF-days to FLOPs', () => {
    const r = load('N,C,loss\n1e9,1,3\n', { computeUnit: 'pf-days' }).runs[0]!;
    expect(r.C).toBe(8.64e19);
  });

  it('loadRunsFromText applies --where filters and reports rows read, dropped, kept', () => {
    const ds = load('N,D,loss\n1e8,1e10,3.5\n1e9,1e10,3\n1e10,1e10,2.5\n', { where: ['N<=1e9', 'loss<3.4'] });
    expect(ds.runs.map((r) => r.N)).toEqual([1e9]);
    expect([ds.rowsRead, ds.rowsDropped]).toEqual([3, 2]);
  });

  it('loadRunsFromText filters on tag columns', () => {
    const ds = load('N,D,loss,dataset\n1e8,1e10,3.5,c4\n1e9,1e10,3,pile\n', { where: ['dataset==pile'] });
    expect(ds.runs).toHaveLength(1);
  });

  it('loadRunsFromText --exclude-top-loss drops the highest losses (Besiroglu et al. rule)', () => {
    const ds = load('N,D,loss\n1,1,5\n2,2,4\n3,3,3\n4,4,2\n', { excludeTopLoss: 2, need: [] });
    expect(ds.runs.map((r) => r.loss)).toEqual([3, 2]);
  });

  it('loadRunsFromText reads a BOM, CRLF, tab and semicolon files', () => {
    expect(load('\ufeffN,D,loss\r\n1e9,2e10,3\r\n').runs).toHaveLength(1);
    expect(load('N\tD\tloss\n1e9\t2e10\t3\n').runs).toHaveLength(1);
    expect(load('N;D;loss\n1e9;2e10;3\n').runs).toHaveLength(1);
  });

  describe('refusals name file, line and column', () => {
    it('empty file', () => refuse('', 'runs.csv: the file is empty'));
    it('header only', () => refuse('N,D,loss\n', 'runs.csv: the file has a header but no rows'));
    it('missing loss column', () => refuse('N,D\n1,2\n', /runs.csv:1: no loss column/));
    it('missing tokens', () => refuse('N,loss\n1e9,3\n', /runs.csv:1: missing column D \(tokens/));
    it('non-numeric cell', () =>
      refuse('N,D,loss\n1e9,2e10,3\n1e9,n/a,3\n', 'runs.csv:3: column "D": "n/a" is not a number'));
    it('thousands separators', () =>
      refuse('N,D,loss\n"7,000,000,000",2e10,3\n', 'runs.csv:2: column "N": "7,000,000,000" is not a number'));
    it('zero', () => refuse('N,D,loss\n0,2e10,3\n', 'runs.csv:2: column "N": 0 is not positive'));
    it('negative loss', () => refuse('N,D,loss\n1e9,2e10,-3\n', 'runs.csv:2: column "loss": -3 is not positive'));
    it('empty cell', () => refuse('N,D,loss\n1e9,,3\n', 'runs.csv:2: column "D" is empty'));
    it('ragged row', () => refuse('N,D,loss\n1e9,2e10\n', 'runs.csv:2: row has 2 fields, header has 3'));
    it('two columns for N', () =>
      refuse('N,params,D,loss\n1,1,1,1\n', 'runs.csv:1: columns "N" and "params" both name N'));
    it('unknown filter column', () =>
      refuse('N,D,loss\n1e9,2e10,3\n', /filter "steps<3" names column "steps"/, { where: ['steps<3'] }));
  });
});
