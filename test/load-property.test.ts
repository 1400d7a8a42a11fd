import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvReader } from '../src/data/csvReader.ts';
import { canonicalColumn, COLUMN_ALIASES, foldHeader } from '../src/data/columns.ts';
import { loadRunsFromBytes, loadRunsFromText } from '../src/data/load.ts';
import { InputError } from '../src/core/errors.ts';

/** Property tests of the loader (issue 7). numRuns is kept moderate so the file runs in a few seconds. */
const RUNS = 300;

const positive = fc.double({ min: 1e-100, max: 1e100, noNaN: true, noDefaultInfinity: true }).filter((x) => x > 0);
const note = fc.string({ maxLength: 12, unit: 'grapheme' });
const row = fc.record({ N: positive, D: positive, loss: positive, note });
const layout = fc.record({
  delimiter: fc.constantFrom(',', '\t', ';', '|'),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  exponent: fc.boolean(),
  quoteNumbers: fc.boolean(),
  pad: fc.constantFrom('', ' ', '  '),
  trailingEol: fc.boolean(),
});

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

function writeCsv(
  rows: Array<{ N: number; D: number; loss: number; note: string }>,
  l: fc.Arbitrary<unknown> extends never
    ? never
    : {
        delimiter: string;
        eol: string;
        bom: boolean;
        exponent: boolean;
        quoteNumbers: boolean;
        pad: string;
        trailingEol: boolean;
      },
): string {
  const num = (x: number) => {
    const t = l.exponent ? x.toExponential() : String(x);
    return l.quoteNumbers ? quote(t) : `${l.pad}${t}${l.pad}`;
  };
  const lines = ['N', 'D', 'loss', 'note'].join(l.delimiter);
  const body = rows.map((r) => [num(r.N), num(r.D), num(r.loss), quote(r.note)].join(l.delimiter));
  return `${l.bom ? '\ufeff' : ''}${[lines, ...body].join(l.eol)}${l.trailingEol ? l.eol : ''}`;
}

/** Loads, or fails with a one-line InputError naming the file; anything else fails the property. */
function loadsOrRefuses(load: () => unknown): void {
  try {
    load();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.message).not.toMatch(/[\n\r]/);
    expect(e.message.startsWith('bad.csv')).toBe(true);
  }
}

describe('loader properties', () => {
  it('loadRunsFromText round-trips every number and note of a CSV it accepts exactly', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), layout, (rows, l) => {
        let ds;
        try {
          ds = loadRunsFromText(writeCsv(rows, l), 'gen.csv', { need: ['N', 'D'] });
        } catch (e) {
          // The only refusal of such a file: C = 6ND overflowing (N and D near 1e100 each are fine; their product is not).
          expect((e as Error).message).toMatch(/overflows a double/);
          return;
        }
        expect(ds.runs.map((r) => [r.N, r.D, r.loss, r.tags.note])).toEqual(
          rows.map((r) => [r.N, r.D, r.loss, r.note]),
        );
        expect(ds.runs.map((r) => r.C)).toEqual(rows.map((r) => 6 * r.N * r.D));
      }),
      { numRuns: RUNS },
    );
  });

  it('loadRunsFromText reads any header names: aliases in any case and separator, tags named like Object members', () => {
    // Tag names include Object.prototype's members: tags kept in a plain {} lost `__proto__` and read `constructor`.
    const tagName = fc
      .oneof(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'prototype',
          '__defineGetter__',
          'dataset',
          'größe',
        ),
        fc.string({
          minLength: 1,
          maxLength: 10,
          unit: fc.constantFrom('a', 'Z', '_', '-', ' ', '1', 'ß', '.', '"', ','),
        }),
      )
      .filter((h) => h.trim() !== '' && h.trim() === h && canonicalColumn(h) === undefined);
    const spelled = (canonical: 'N' | 'D' | 'loss') =>
      fc
        .record({
          alias: fc.constantFrom(...COLUMN_ALIASES[canonical]!),
          upper: fc.boolean(),
          sep: fc.constantFrom('_', ' ', '-'),
        })
        .map(({ alias, upper, sep }) => (upper ? alias.toUpperCase() : alias.toLowerCase()).replace(/[ _-]/g, sep));
    const value = fc.constantFrom('x0', 'x1', 'c4', 'pile');
    fc.assert(
      fc.property(
        spelled('N'),
        spelled('D'),
        spelled('loss'),
        fc.uniqueArray(tagName, { minLength: 1, maxLength: 4, selector: foldHeader }),
        fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (n, d, loss, tags, values) => {
          const header = [n, d, loss, ...tags].map(quote).join(',');
          const body = values.map((v, i) =>
            [1e8 * (i + 1), 2e9 * (i + 1), 3 - 0.1 * i, ...tags.map((_, t) => v[t]!)].join(','),
          );
          const ds = loadRunsFromText(`${header}\n${body.join('\n')}\n`, 'gen.csv', { need: ['N', 'D'] });
          expect(ds.tagColumns).toEqual(tags);
          // Sorted: integer-like names ("1") come first in an object's key order.
          expect(ds.runs.map((r) => Object.keys(r.tags).sort())).toEqual(values.map(() => [...tags].sort()));
          expect(ds.runs.map((r) => tags.map((t) => r.tags[t]))).toEqual(values.map((v) => v.slice(0, tags.length)));
          // --where on a tag keeps exactly the rows holding that value (names the filter syntax can express).
          const t = tags.findIndex((h) => /^[A-Za-z_][\w .-]*$/.test(h) && !/[ .-]$/.test(h));
          if (t < 0) return;
          const want = values.filter((v) => v[t] === values[0]![t]).length;
          const kept = loadRunsFromText(`${header}\n${body.join('\n')}\n`, 'gen.csv', {
            need: ['N', 'D'],
            where: [`${tags[t]}==${values[0]![t]}`],
          });
          expect(kept.runs.length).toBe(want);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('loadRunsFromBytes either loads or throws a one-line InputError for any byte string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) =>
        loadsOrRefuses(() => loadRunsFromBytes(bytes, 'bad.csv')),
      ),
      { numRuns: RUNS },
    );
  });

  it('loadRunsFromBytes either loads or throws a one-line InputError for a valid CSV with random byte edits', () => {
    const valid = Buffer.from(
      writeCsv(
        [
          { N: 1e8, D: 2e9, loss: 3.5, note: 'a' },
          { N: 4e8, D: 2e10, loss: 2.9, note: 'b, "c"' },
          { N: 1.6e9, D: 2e11, loss: 2.4, note: '' },
        ],
        { delimiter: ',', eol: '\r\n', bom: false, exponent: false, quoteNumbers: false, pad: '', trailingEol: true },
      ),
    );
    const interesting = fc.constantFrom(
      0x2c,
      0x22,
      0x0a,
      0x0d,
      0x3b,
      0x09,
      0x65,
      0x2d,
      0x30,
      0x42,
      0x00,
      0xff,
      0xc3,
      0x20,
      0x4e,
      0x2e,
    );
    const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), interesting);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const b = [...valid];
        for (const [at, kind, byte] of edits) {
          const i = at % (b.length + 1);
          if (kind === 'insert') b.splice(i, 0, byte);
          else if (kind === 'delete') b.splice(i, 1);
          else b[Math.min(i, b.length - 1)] = byte;
        }
        loadsOrRefuses(() => {
          const ds = loadRunsFromBytes(Uint8Array.from(b), 'bad.csv');
          for (const r of ds.runs)
            for (const v of [r.N, r.D, r.C, r.loss]) expect(v! > 0 && Number.isFinite(v)).toBe(true);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('loadRunsFromText either loads or throws a one-line InputError for any string', () => {
    const text = fc.string({
      maxLength: 200,
      unit: fc.constantFrom('N', 'D', 'loss', ',', ';', '\t', '"', '\n', '\r', ' ', '1', 'e', '-', '.', 'B', '9', 'x'),
    });
    fc.assert(
      fc.property(text, (t) => loadsOrRefuses(() => loadRunsFromText(t, 'bad.csv'))),
      { numRuns: RUNS },
    );
  });

  it('CsvReader gives the same records however the text is cut into chunks', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 6, unit: fc.constantFrom('a', '1', ' ', ';') }),
      fc.string({ maxLength: 6, unit: fc.constantFrom('a', '"', ',', '\n', '\r', 'x') }).map(quote),
    );
    const records = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(records, fc.constantFrom('\n', '\r\n'), fc.array(fc.nat(), { maxLength: 8 }), (recs, eol, cuts) => {
        const text = `h1,h2${eol}${recs.map((r) => r.join(',')).join(eol)}${eol}`;
        const read = (pieces: string[]) => {
          const out: Array<[string[], number]> = [];
          const reader = new CsvReader('t.csv', (cells, line) => out.push([cells, line]), undefined, ',');
          for (const p of pieces) reader.push(p);
          reader.end();
          return out;
        };
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((p, i, a) => text.slice(p, a[i + 1] ?? text.length));
        expect(read(pieces)).toEqual(read([text]));
      }),
      { numRuns: RUNS },
    );
  });
});
