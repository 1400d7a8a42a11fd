import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { InputError } from '../errors.ts';
import { canonicalColumn, COLUMN_ALIASES, COLUMN_MEANING, foldHeader } from './columns.ts';
import { checkFilterColumns, excludeTopLoss, matchesFilter, parseFilter } from './filters.ts';
import { parseNumber } from './parseNumber.ts';
import type { Dataset, Run, Variable } from './types.ts';

/** 1 PF-day in FLOPs (Kaplan et al. 2020): 1e15 FLOP/s x 86400 s. */
export const PF_DAY = 8.64e19;

export interface LoadOptions {
  /** Overrides of the column mapping: canonical name -> header, e.g. { N: 'my_params', loss: 'ppl_loss' }. */
  columns?: Record<string, string>;
  /** Variables the chosen law needs (after deriving the third of N, D, C). Default N and D. */
  need?: Variable[];
  where?: string[];
  excludeTopLoss?: number;
  computeUnit?: 'flops' | 'pf-days';
}

type ResolvedLoadOptions = Required<LoadOptions>;

function resolveOptions(o: LoadOptions): ResolvedLoadOptions {
  return {
    columns: o.columns ?? {},
    need: o.need ?? ['N', 'D'],
    where: o.where ?? [],
    excludeTopLoss: o.excludeTopLoss ?? 0,
    computeUnit: o.computeUnit ?? 'flops',
  };
}

/** A relative mismatch between a given C and 6ND beyond which we warn (Hoffmann et al. Table A4 shows up to 10%). */
const SIX_ND_TOLERANCE = 0.3;
const NUMERIC_COLUMNS = ['N', 'D', 'C', 'S', 'U', 'loss'] as const;

/** Parse `N=my_params,loss=ppl_loss` into a mapping override. */
export function parseColumnMapping(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const canonical = Object.keys(COLUMN_ALIASES).find((k) => k.toLowerCase() === key.toLowerCase());
    if (eq < 1 || !canonical || !part.slice(eq + 1).trim()) {
      throw new InputError(`bad --columns "${text}": expected NAME=HEADER pairs with NAME one of ${Object.keys(COLUMN_ALIASES).join(', ')}`);
    }
    out[canonical] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Read and load a CSV file of training runs. See {@link loadRunsFromText}. */
export function loadRuns(path: string, options: LoadOptions = {}): Dataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code ?? String(e)})`);
  }
  return loadRunsFromBytes(bytes, path, options);
}

export function loadRunsFromBytes(bytes: Uint8Array, file: string, options: LoadOptions = {}): Dataset {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.includes(0)) throw new InputError(`${file}: not a text CSV file (it contains NUL bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file}: not a UTF-8 text file; save the CSV as UTF-8`);
  }
  return loadRunsFromText(text, file, options, sha256);
}

/**
 * Load training runs from CSV text: map columns by alias, parse numbers (`70B`, `5.76e23`), derive the third of
 * N, D, C from C = 6ND, apply filters, and refuse anything malformed with an error naming file, line and column.
 */
export function loadRunsFromText(text: string, file: string, options: LoadOptions = {}, sha?: string): Dataset {
  const o = resolveOptions(options);
  const sha256 = sha ?? createHash('sha256').update(text).digest('hex');
  const name = file;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(`${name}: the file is empty; expected a header line and one row per run`);

  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';', '|'] });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    throw new InputError(`${name}:${lineOf(quoteError.row)}: unterminated quoted field; close the quote or remove it`);
  }
  const rows = parsed.data;
  const header = rows[0]!.map((h) => h.trim());
  if (header.length < 2) {
    throw new InputError(`${name}:1: found one column "${header[0] ?? ''}"; expected a header with a loss column and two of N, D, C separated by commas, tabs or semicolons`);
  }
  const body = rows.slice(1);
  if (body.length === 0) throw new InputError(`${name}: the file has a header but no rows`);

  const index = mapColumns(header, o.columns, name);
  const warnings: string[] = [];

  if (index.loss === undefined) {
    throw new InputError(`${name}:1: no loss column; expected one of ${COLUMN_ALIASES.loss!.join(', ')} (or --columns loss=HEADER)`);
  }
  const have = (v: string) => index[v] !== undefined;
  const nOfNDC = ['N', 'D', 'C'].filter(have).length;
  const derivable = (v: Variable) => (v === 'N' || v === 'D' || v === 'C') && nOfNDC >= 2;
  const missing = o.need.filter((v) => !have(v) && !derivable(v));
  if (missing.length > 0) {
    const what = missing.map((v) => `${v} (${COLUMN_MEANING[v]}: ${COLUMN_ALIASES[v]!.join(', ')})`).join('; ');
    throw new InputError(`${name}:1: missing column${missing.length > 1 ? 's' : ''} ${what}; N, D and C can be derived from the other two by C = 6ND, or map a header with --columns`);
  }

  const tagColumns = header.filter((_, j) => !Object.values(index).includes(j));
  const unitScale = o.computeUnit === 'pf-days' ? PF_DAY : 1;
  const runs: Run[] = [];
  let inconsistent = 0;
  let firstInconsistent = 0;
  for (let i = 0; i < body.length; i++) {
    const cells = body[i]!;
    const line = i + 2;
    if (cells.length !== header.length) {
      throw new InputError(`${name}:${line}: row has ${cells.length} fields, header has ${header.length}; every row needs one value per column`);
    }
    const run: Run = { loss: NaN, tags: {}, line };
    for (const key of NUMERIC_COLUMNS) {
      const j = index[key];
      if (j === undefined) continue;
      const raw = cells[j]!.trim();
      if (raw === '' && key !== 'loss' && (key === 'N' || key === 'D' || key === 'C') && nOfNDC === 3) continue;
      const v = parseNumber(raw);
      const col = `column "${header[j]}"`;
      if (raw === '') throw new InputError(`${name}:${line}: ${col} is empty; every run needs a ${COLUMN_MEANING[key]} value (or drop the row)`);
      if (v === null) {
        throw new InputError(`${name}:${line}: ${col}: "${truncate(raw)}" is not a number; use plain (7000000000), scientific (7e9) or suffixed (7B) numbers without separators`);
      }
      if (!(v > 0)) throw new InputError(`${name}:${line}: ${col}: ${raw} is not positive; ${COLUMN_MEANING[key]} must be > 0`);
      (run as unknown as Record<string, number>)[key] = key === 'C' ? v * unitScale : v;
    }
    if (index.run !== undefined) run.run = cells[index.run]!.trim();
    for (const t of tagColumns) run.tags[t] = cells[header.indexOf(t)]!;
    // C = 6ND (Kaplan et al. 2020 eq. 2.1; Hoffmann et al. 2022 use it too): derive whichever of the three is missing.
    if (run.C === undefined && run.N !== undefined && run.D !== undefined) run.C = 6 * run.N * run.D;
    else if (run.D === undefined && run.N !== undefined && run.C !== undefined) run.D = run.C / (6 * run.N);
    else if (run.N === undefined && run.D !== undefined && run.C !== undefined) run.N = run.C / (6 * run.D);
    else if (run.N !== undefined && run.D !== undefined && run.C !== undefined) {
      if (Math.abs(Math.log(run.C / (6 * run.N * run.D))) > Math.log1p(SIX_ND_TOLERANCE)) {
        if (inconsistent++ === 0) firstInconsistent = line;
      }
    }
    runs.push(run);
  }
  if (inconsistent > 0) {
    warnings.push(`${inconsistent} row(s) have C more than ${SIX_ND_TOLERANCE * 100}% away from 6ND (first at line ${firstInconsistent}); C is used as given`);
  }
  const odd = runs.filter((r) => r.loss > 20 || r.loss < 0.5);
  if (odd.length > 0) {
    warnings.push(`${odd.length} row(s) have a loss above 20 or below 0.5 nats (first at line ${odd[0]!.line}): is the loss in nats per token?`);
  }
  const seen = new Map<string, number>();
  let duplicates = 0;
  for (let i = 0; i < body.length; i++) {
    const key = body[i]!.join('\u0000');
    if (seen.has(key)) duplicates++;
    else seen.set(key, i + 2);
  }
  if (duplicates > 0) warnings.push(`${duplicates} row(s) repeat an earlier row exactly; kept (each counts as a run)`);

  for (const v of o.need) {
    if (runs.some((r) => r[v] === undefined)) {
      const r = runs.find((x) => x[v] === undefined)!;
      throw new InputError(`${name}:${r.line}: no value for ${v} (${COLUMN_MEANING[v]}), and it cannot be derived from the other columns`);
    }
  }

  const filters = o.where.map(parseFilter);
  const known = new Set<string>([...Object.keys(index), ...(nOfNDC >= 2 ? ['N', 'D', 'C'] : []), ...tagColumns]);
  checkFilterColumns(filters, known, name);
  let kept = runs.filter((r) => filters.every((f) => matchesFilter(r, f)));
  kept = excludeTopLoss(kept, o.excludeTopLoss);
  if (kept.length === 0) throw new InputError(`${name}: no rows left after the filters (${[...o.where, o.excludeTopLoss ? `--exclude-top-loss ${o.excludeTopLoss}` : ''].filter(Boolean).join(', ')})`);

  const columns: Record<string, string> = {};
  for (const [k, j] of Object.entries(index)) columns[k] = header[j]!;
  for (const v of ['N', 'D', 'C'] as const) {
    if (columns[v] === undefined && nOfNDC >= 2) columns[v] = v === 'C' ? 'derived: C = 6ND' : v === 'D' ? 'derived: D = C/(6N)' : 'derived: N = C/(6D)';
  }
  return {
    file: name,
    sha256,
    columns,
    tagColumns,
    runs: kept,
    rowsRead: runs.length,
    rowsDropped: runs.length - kept.length,
    filters: o.where,
    excludeTopLoss: o.excludeTopLoss,
    warnings,
    computeUnit: o.computeUnit,
  };
}

function lineOf(row: number | undefined): number {
  return row === undefined ? 1 : row + 1;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Map header positions to canonical columns: overrides first, then aliases; two headers for one column is an error. */
function mapColumns(header: string[], overrides: Record<string, string>, name: string) {
  const index: Record<string, number> = {};
  const taken = new Set<number>();
  const folded = header.map(foldHeader);
  const dup = folded.findIndex((h, j) => h !== '' && folded.indexOf(h) !== j);
  if (dup >= 0) throw new InputError(`${name}:1: column "${header[dup]}" appears twice in the header`);
  for (const [canonical, wanted] of Object.entries(overrides)) {
    const j = folded.indexOf(foldHeader(wanted));
    if (j < 0) throw new InputError(`${name}:1: --columns maps ${canonical} to "${wanted}", but the header has no such column (columns: ${header.join(', ')})`);
    index[canonical] = j;
    taken.add(j);
  }
  for (let j = 0; j < header.length; j++) {
    if (taken.has(j)) continue;
    const canonical = canonicalColumn(header[j]!);
    if (!canonical || overrides[canonical] !== undefined) continue;
    if (index[canonical] !== undefined) {
      throw new InputError(`${name}:1: columns "${header[index[canonical]!]}" and "${header[j]}" both name ${canonical} (${COLUMN_MEANING[canonical]}); pick one with --columns ${canonical}=HEADER`);
    }
    index[canonical] = j;
  }
  return index;
}

