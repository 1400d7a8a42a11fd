import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { errnoText } from '../core/errnoText.ts';
import { InputError } from '../core/errors.ts';
import type { Point } from '../core/law.ts';
import { canonicalColumn } from './columns.ts';
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
  // Blank lines are skipped here, not by the parser, so that error messages keep the file's own line numbers.
  // papaparse is loaded on first use (CommonJS, so synchronously): only --at files need it.
  const Papa = createRequire(import.meta.url)('papaparse') as typeof import('papaparse');
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false }).data
    .map((cells, r) => ({ cells, line: r + 1 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  if (rows.length < 2) throw new InputError(`--at ${path}: expected a header line and at least one point`);
  const header = rows[0]!.cells;
  const cols = header.map((h) => canonicalColumn(h)).map((c) => (c === 'N' || c === 'D' || c === 'C' || c === 'S' || c === 'U' ? c : undefined));
  if (cols.every((c) => c === undefined)) throw new InputError(`--at ${path}:1: no column names N, D, C, S or U (headers: ${header.join(', ')})`);
  return rows.slice(1).map(({ cells, line }) => {
    const point: Point = {};
    cols.forEach((c, j) => {
      if (!c) return;
      const raw = cells[j] ?? '';
      const v = parseNumber(raw);
      if (v === null || !(v > 0)) throw new InputError(`--at ${path}:${line}: column ${header[j]}: "${raw}" is not a positive number`);
      point[c] = c === 'C' && computeUnit === 'pf-days' ? v * PF_DAY : v;
    });
    return point;
  });
}
