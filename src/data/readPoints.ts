import { readFileSync } from 'node:fs';
import { errnoText } from '../core/errnoText.ts';
import { InputError } from '../core/errors.ts';
import type { Point } from '../core/law.ts';
import { canonicalColumn } from './columns.ts';
import { CsvReader } from './csvReader.ts';
import { PF_DAY } from './load.ts';
import { parseNumber } from './parseNumber.ts';

/**
 * Points to predict at, from a CSV whose headers name N, D, C, S or U (same aliases as the loader: params, tokens,
 * flops, steps, ...); other columns are ignored. C is scaled to FLOPs when the file is in PF-days.
 *
 * @example
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readPoints } from 'scalefit';
 * const file = join(mkdtempSync(join(tmpdir(), 'points-')), 'points.csv');
 * writeFileSync(file, 'N,D\n70B,1.4T\n');
 * readPoints(file)[0].D; // → 1.4e12
 */
export function readPoints(path: string, computeUnit: 'flops' | 'pf-days' = 'flops'): Point[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`--at ${path}: cannot read (${errnoText(e)})`);
  }
  // The loader's own CSV reader (delimiter detection, quoting, blank lines skipped with the file's line numbers kept).
  const rows: Array<{ cells: string[]; line: number }> = [];
  const reader = new CsvReader(`--at ${path}`, (cells, line) => rows.push({ cells, line }));
  reader.push(text.replace(/^\uFEFF/, ''));
  reader.end();
  if (rows.length < 2) throw new InputError(`--at ${path}: expected a header line and at least one point`);
  const header = rows[0]!.cells;
  const cols = header
    .map((h) => canonicalColumn(h))
    .map((c) => (c === 'N' || c === 'D' || c === 'C' || c === 'S' || c === 'U' ? c : undefined));
  if (cols.every((c) => c === undefined))
    throw new InputError(`--at ${path}:1: no column names N, D, C, S or U (headers: ${header.join(', ')})`);
  return rows.slice(1).map(({ cells, line }) => {
    const point: Point = {};
    cols.forEach((c, j) => {
      if (!c) return;
      const raw = cells[j] ?? '';
      const v = parseNumber(raw);
      if (v === null || !(v > 0))
        throw new InputError(`--at ${path}:${line}: column ${header[j]}: "${raw}" is not a positive number`);
      point[c] = c === 'C' && computeUnit === 'pf-days' ? v * PF_DAY : v;
    });
    return point;
  });
}
