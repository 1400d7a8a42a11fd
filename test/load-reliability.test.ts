import { describe, expect, it } from 'vitest';
import { CsvReader, detectDelimiter } from '../src/data/csvReader.ts';
import { firstInvalidUtf8, loadRunsFromBytes, loadRunsFromText } from '../src/data/load.ts';
import { parseFilter } from '../src/data/filters.ts';
import { numberHint, parseNumber } from '../src/data/parseNumber.ts';

const load = (text: string, opts = {}) => loadRunsFromText(text, 'runs.csv', opts);

describe('loader details behind the battery', () => {
  it('parseNumber reads a suffix as a decimal exponent, so 1.1T is exactly 1.1e12', () => {
    expect(parseNumber('1.1T')).toBe(1.1e12);
    // An exponent and a suffix together is ambiguous (1e9B: 1e18, or a typo for 1e9?): refused.
    expect(parseNumber('2.3e2B')).toBeNull();
    expect(parseNumber('1e9B')).toBeNull();
    expect(parseNumber('0.7b')).toBe(7e8);
  });

  it('numberHint names the fix for separators, decimal commas, missing and non-finite values', () => {
    expect(numberHint('1,234,567')).toBe('remove the thousands separators (write 1234567)');
    expect(numberHint('3,25')).toBe('use a dot as the decimal separator (write 3.25)');
    expect(numberHint('N/A')).toBe('the value is missing: fill it in or drop the row');
    expect(numberHint('-inf')).toBe('a run needs a finite value: fill it in or drop the row');
  });

  it('detectDelimiter picks the most frequent of , tab ; | outside quotes', () => {
    expect(detectDelimiter('N;D;loss')).toBe(';');
    expect(detectDelimiter('N\tD\tloss')).toBe('\t');
    expect(detectDelimiter('"a;b;c",N,loss')).toBe(',');
    expect(detectDelimiter('loss')).toBe(',');
  });

  it('loadRunsFromText reports physical line numbers after blank lines and multi-line quoted fields', () => {
    expect(() => load('N,D,loss,note\n\n1e9,2e10,3,"two\nlines"\n\n1e9,x,3,ok\n')).toThrow(
      'runs.csv:6: column "D": "x" is not a number',
    );
    expect(load('N,D,loss,note\n\n1e9,2e10,3,"two\nlines"\n1e9,3e10,3,ok\n').runs.map((r) => r.line)).toEqual([3, 5]);
  });

  it('loadRunsFromText checks positivity after --where, so a step-0 checkpoint can be dropped', () => {
    const text = 'run,N,D,step,loss\na,1e9,0,0,10.8\na,1e9,2e9,1000,3.1\n';
    expect(() => load(text)).toThrow(
      'runs.csv:2: column "D": 0 is not positive; tokens must be > 0 (fix the value, or drop such rows with --where "D>0")',
    );
    const ds = load(text, { where: ['D>0'] });
    expect([ds.runs.length, ds.rowsRead, ds.rowsDropped]).toEqual([1, 2, 1]);
  });

  it('loadRunsFromText accepts step 0 when the law does not need S', () => {
    expect(load('N,D,step,loss\n1e9,2e9,0,3.1\n').runs[0]!.S).toBe(0);
    expect(() => load('N,D,step,loss\n1e9,2e9,0,3.1\n', { need: ['S'] })).toThrow(
      'runs.csv:2: column "step": 0 is not positive',
    );
  });

  it('loadRunsFromText refuses a derived C = 6ND that overflows', () => {
    expect(() => load('N,D,loss\n1e200,1e200,3\n')).toThrow(
      'runs.csv:2: derived C overflows a double (check the units of N, D and C)',
    );
  });

  it('loadRunsFromText honours an explicit delimiter', () => {
    expect(load('N|D|loss\n1e9|2e10|3\n', { delimiter: '|' }).runs[0]!.D).toBe(2e10);
  });

  it('loadRunsFromBytes gives the same dataset (and sha256) as loadRunsFromText for UTF-8 text with a BOM', () => {
    const text = '\ufeffN,D,loss,note\n1e9,2e10,3,café\n4e9,2e11,2.5,naïve\n';
    const bytes = new TextEncoder().encode(text);
    const a = loadRunsFromBytes(bytes, 'runs.csv');
    const b = loadRunsFromText(text, 'runs.csv');
    expect(a.runs).toEqual(b.runs);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('firstInvalidUtf8 finds a stray byte and accepts a sequence cut at the end', () => {
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc3, 0xa9, 0xff, 0x61]))).toBe(3);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(3);
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
  });

  it('CsvReader unescapes doubled quotes and keeps delimiters and newlines inside quotes', () => {
    const rows: string[][] = [];
    const r = new CsvReader('t.csv', (cells) => rows.push(cells));
    r.push('a,b\r\n"x ""y""","1,\n2"\r');
    r.push('\n');
    r.end();
    expect(rows).toEqual([
      ['a', 'b'],
      ['x "y"', '1,\n2'],
    ]);
  });

  it('parseFilter refuses a non-number compared with a numeric column instead of comparing strings', () => {
    expect(() => parseFilter('N<<3')).toThrow(
      'bad filter "N<<3": "<3" is not a number; N is compared as a number, e.g. "N<1e9"',
    );
    expect(() => parseFilter('loss<abc')).toThrow('"abc" is not a number');
    expect(parseFilter('dataset==c4').value).toBe('c4');
  });
});

describe('large logs', () => {
  it("main(['inspect', 200k-row log]) prints ranges without overflowing the stack", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../src/cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-big-'));
    try {
      const rows = ['run,N,step,D,loss'];
      for (let i = 0; i < 200_000; i++)
        rows.push(
          `r${i % 100},${1e7 * (1 + (i % 100))},${1 + (i >> 7)},${(1 + (i >> 7)) * 1e6},${(2 + 1 / (1 + (i >> 7))).toFixed(6)}`,
        );
      const file = join(dir, 'big.csv');
      writeFileSync(file, `${rows.join('\n')}\n`);
      let out = '',
        err = '';
      const code = await main(['inspect', file], {
        stdout: (s) => ((out += s), true),
        stderr: (s) => ((err += s), true),
      });
      expect([code, err]).toEqual([0, '']);
      expect(out).toContain('rows: 200000 read, 0 dropped, 200000 kept');
      expect(out).toContain('N     1e+7 to 1e+9 (100 distinct)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inspect ranges', () => {
  /** `scalefit inspect` on a CSV written to a temporary folder: its exit code and text output. */
  const inspectCsv = async (csv: string): Promise<{ code: number; out: string }> => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../src/cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-inspect-'));
    try {
      const file = join(dir, 'runs.csv');
      writeFileSync(file, csv);
      let out = '';
      const code = await main(['inspect', file], { stdout: (s) => ((out += s), true), stderr: () => true });
      return { code, out };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("main(['inspect', file]) gives each column's range and distinct count as a Set would, on unsorted values with repeats", async () => {
    const { formatNumber } = await import('../src/core/formatNumber.ts');
    const Ns = [3e8, 1e8, 3e8, 7e7, 1e8, 3e8, 2e9];
    const Ds = [6e9, 2e10, 6e9, 6e9, 2e11, 1e10, 6e9];
    const losses = [2.5, 2.9, 2.5, 3.1, 2.4, 2.6, 2.2];
    const { code, out } = await inspectCsv(`N,D,loss\n${Ns.map((N, i) => `${N},${Ds[i]},${losses[i]}`).join('\n')}\n`);
    expect(code).toBe(0);
    for (const [k, xs] of [
      ['N', Ns],
      ['D', Ds],
      ['loss', losses],
    ] as const) {
      const line = `  ${k.padEnd(5)} ${formatNumber(Math.min(...xs))} to ${formatNumber(Math.max(...xs))} (${new Set(xs).size} distinct)`;
      expect(out.split('\n')).toContain(line);
    }
  });

  it("main(['inspect', file]) counts distinct values as a Set would past the table's first growth (1500 of them, shuffled, runs of repeats)", async () => {
    // The counting table starts at 1024 slots and doubles at half full: 1500 distinct values force two growths, with
    // consecutive repeats (skipped without a lookup) and repeats far apart (found in the table).
    const { mulberry32 } = await import('../src/math/rng.ts');
    const rand = mulberry32(7);
    const Ns: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const N = 1e7 + 1000 * Math.floor(rand() * 1500);
      Ns.push(N);
      if (rand() < 0.3) Ns.push(N);
    }
    const { code, out } = await inspectCsv(`N,D,loss\n${Ns.map((N, i) => `${N},${1e9 + i},2.5`).join('\n')}\n`);
    expect(code).toBe(0);
    expect(new Set(Ns).size).toBeGreaterThan(1024);
    expect(out).toMatch(new RegExp(`\\n  N .*\\(${new Set(Ns).size} distinct\\)`));
    expect(out).toMatch(new RegExp(`\\n  D .*\\(${Ns.length} distinct\\)`));
  });

  it("main(['inspect', file]) counts distinct values as a Set would in a column of more than 65,536 of them (sorted, not hashed)", async () => {
    // Past 2^16 distinct values columnRange sorts a copy instead: 138,000 distinct sizes and 69,000 distinct losses,
    // each loss repeated once 69,000 rows apart.
    const rows = Array.from({ length: 138_000 }, (_, i) => `${1e7 + i},1e9,${(2 + (i % 69_000) / 1e5).toFixed(5)}`);
    const { code, out } = await inspectCsv(`N,D,loss\n${rows.join('\n')}\n`);
    expect(code).toBe(0);
    expect(out).toContain('  N     1e+7 to 1.0138e+7 (138000 distinct)');
    expect(out).toContain('  D     1e+9 to 1e+9 (1 distinct)');
    expect(out).toContain('  loss  2 to 2.68999 (69000 distinct)');
  });
});

describe('pathological text', () => {
  it('CsvReader refuses a line longer than 16 MB instead of buffering it', () => {
    const r = new CsvReader('long.csv', () => {});
    const chunk = 'x'.repeat(1 << 20);
    expect(() => {
      for (let i = 0; i < 20; i++) r.push(chunk);
    }).toThrow('long.csv:1: a line longer than 16 MB; this does not look like a CSV of training runs');
  });
});
