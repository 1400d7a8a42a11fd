import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { errnoText } from '../core/errnoText.ts';
import { InputError } from '../core/errors.ts';
import { canonicalColumn, COLUMN_ALIASES, COLUMN_MEANING, foldHeader } from './columns.ts';
import { CsvReader, FieldView, show } from './csvReader.ts';
import { excludeTopLoss, isNumericColumn, matchesFilter, parseFilter, resolveFilterColumn } from './filters.ts';
import { MissingColumnsError } from './missingColumnsError.ts';
import { numberHint, parseNumber } from './parseNumber.ts';
import type { Dataset, Filter } from './types.ts';
import type { Run, Variable } from '../core/run.ts';

/**
 * 1 PF-day in FLOPs (Kaplan et al. 2020): 1e15 FLOP/s x 86400 s.
 *
 * @example
 * import { PF_DAY } from 'scalefit';
 * 3.1e8 * PF_DAY; // → 2.6784e28
 */
export const PF_DAY = 8.64e19;

/** How {@link loadRuns} reads a file: column mapping, filters, outlier rule, unit of C, the variables needed. */
export interface LoadOptions {
  /** Overrides of the column mapping: canonical name -> header, e.g. { N: 'my_params', loss: 'ppl_loss' }. */
  columns?: Record<string, string>;
  /** Variables the chosen law needs (after deriving the third of N, D, C). Default N and D. */
  need?: Variable[];
  /**
   * Variables checked when their column is present but not required (compare: the union of its laws' variables;
   * a law whose variable is absent is skipped there). A step S <= 0 in such a column reads as absent.
   */
  want?: Variable[];
  /** Whether every kept row needs a loss (default true; false for a file of optima, which may have none). */
  needLoss?: boolean;
  where?: string[];
  excludeTopLoss?: number;
  computeUnit?: 'flops' | 'pf-days';
  /** Field delimiter; detected from the header line (comma, tab, semicolon or |) when absent. */
  delimiter?: string;
}

type ResolvedLoadOptions = Required<Omit<LoadOptions, 'delimiter'>> & { delimiter: string | undefined };

function resolveOptions(o: LoadOptions): ResolvedLoadOptions {
  return {
    columns: o.columns ?? {},
    need: o.need ?? ['N', 'D'],
    want: o.want ?? [],
    needLoss: o.needLoss ?? true,
    where: o.where ?? [],
    excludeTopLoss: o.excludeTopLoss ?? 0,
    computeUnit: o.computeUnit ?? 'flops',
    delimiter: o.delimiter,
  };
}

/** A relative mismatch between a given C and 6ND beyond which we warn (Hoffmann et al. Table A4 shows up to 10%). */
const SIX_ND_TOLERANCE = 0.3;
const LOG_SIX_ND_TOLERANCE = Math.log1p(SIX_ND_TOLERANCE);
/** Losses outside this range (nats per token) are probably in other units (bits, perplexity, percent): warn. */
const LOSS_RANGE: [number, number] = [0.5, 20];
const NUMERIC_COLUMNS = ['N', 'D', 'C', 'S', 'U', 'loss'] as const;
/** Bytes read per chunk when streaming a file. */
const CHUNK_BYTES = 1 << 20;
/** The tags of every run of a file without tag columns: one shared, frozen, prototype-less empty object. */
const NO_TAGS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/** Parse `N=my_params,loss=ppl_loss` into a mapping override. */
export function parseColumnMapping(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const canonical = Object.keys(COLUMN_ALIASES).find((k) => k.toLowerCase() === key.toLowerCase());
    if (eq < 1 || !canonical || !part.slice(eq + 1).trim()) {
      throw new InputError(
        `bad --columns "${show(text)}": expected NAME=HEADER pairs with NAME one of ${Object.keys(COLUMN_ALIASES).join(', ')}`,
      );
    }
    out[canonical] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Read and load a CSV file of training runs, streaming it in 1 MB chunks (a million-row loss-curve log never sits in
 * memory as one string). See {@link loadRunsFromText} for what is checked.
 *
 * @example
 * import { loadRuns } from 'scalefit';
 * // Epoch AI's reconstruction of Hoffmann et al.'s runs, without the 5 highest losses (Besiroglu et al. 2024)
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * ds.runs.length; // → 240
 * ds.columns.D; // → 'derived: D = C/(6N)'
 */
export function loadRuns(path: string, options: LoadOptions = {}): Dataset {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`${path}: cannot read file (${errnoText(e, show)})`);
  }
  const bytes = new ByteLoader(path, options);
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      } catch (e) {
        // A non-blocking pipe (`scalefit fit /dev/stdin`) with no data yet: wait a little and read again.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        throw new InputError(`${path}: cannot read file (${errnoText(e, show)})`);
      }
      if (n === 0) break;
      bytes.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return bytes.finish();
}

/** Load runs from the bytes of a CSV file (checks that it is UTF-8 text first). See {@link loadRunsFromText}. */
export function loadRunsFromBytes(bytes: Uint8Array, file: string, options: LoadOptions = {}): Dataset {
  const loader = new ByteLoader(file, options);
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES)
    loader.push(bytes.subarray(i, Math.min(bytes.length, i + CHUNK_BYTES)));
  return loader.finish();
}

/**
 * Load training runs from CSV text: map columns by alias, parse numbers (`70B`, `5.76e23`), derive the third of
 * N, D, C from C = 6ND, apply filters, and refuse anything malformed with one line naming file, line and column and
 * saying what to do. Accepted with a warning: rows repeating an earlier row, C more than 30% away from 6ND, losses
 * outside [0.5, 20] nats.
 *
 * @example
 * import { loadRunsFromText } from 'scalefit';
 * const ds = loadRunsFromText('params,tokens,loss\n70M,1.4B,3.9\n1.3B,26B,2.9\n', 'inline.csv');
 * ds.runs[1].N; // → 1.3e9
 * ds.runs[0].C; // → 5.88e17
 */
export function loadRunsFromText(text: string, file: string, options: LoadOptions = {}, sha?: string): Dataset {
  const sha256 = sha ?? createHash('sha256').update(text).digest('hex');
  const sink = new RunSink(file, resolveOptions(options));
  sink.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return sink.finish(sha256);
}

/** A whole file as UTF-8 text (JSON lines), refusing unreadable files and invalid UTF-8 with one line naming it. */
export function loadText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`${path}: cannot read file (${errnoText(e, show)})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new InputError(
      `${path}:${1 + countByte(bytes, 10, at)}: not UTF-8 text (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at that line); save the file as UTF-8`,
    );
  }
}

/**
 * Load runs from records already split into fields (JSON lines, Parquet rows) through the CSV loader's column
 * aliases, number parsing, filters and checks. `headerLine` and each row's `line` are what errors name.
 */
export function loadRunsFromRecords(
  header: string[],
  headerLine: number,
  rows: Iterable<{ cells: string[]; line: number }>,
  file: string,
  options: LoadOptions,
  sha256: string,
): Dataset {
  const sink = new RunSink(file, resolveOptions(options));
  sink.record(header, headerLine);
  for (const r of rows) sink.record(r.cells, r.line);
  return sink.finish(sha256);
}

/**
 * A JSON or Parquet value as the text of a CSV cell: numbers in their shortest round-trip form (so they parse back
 * to the same double), BigInts exactly, null and absent as an empty cell.
 */
export function cellOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
}

/** Bytes to text: hash, refuse binary files and invalid UTF-8 with the line they occur on, decode in a stream. */
class ByteLoader {
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly sink: RunSink;
  private linesBefore = 1;
  private first = true;

  constructor(
    private readonly file: string,
    options: LoadOptions,
  ) {
    this.sink = new RunSink(file, resolveOptions(options));
  }

  push(chunk: Uint8Array): void {
    this.hash.update(chunk);
    if (this.first) {
      this.first = false;
      this.sniff(chunk);
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      throw new InputError(
        `${this.file}:${this.linesBefore + countByte(chunk, 10, nul)}: not a text CSV file (it contains a NUL byte); pass a CSV of training runs saved as UTF-8 text`,
      );
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      const at = firstInvalidUtf8(chunk);
      throw new InputError(
        `${this.file}:${this.linesBefore + countByte(chunk, 10, at)}: not UTF-8 text (byte 0x${(chunk[at] ?? 0).toString(16).padStart(2, '0')} at that line); save the CSV as UTF-8`,
      );
    }
    this.linesBefore += countByte(chunk, 10, chunk.length);
    this.sink.push(text);
  }

  finish(): Dataset {
    let tail: string;
    try {
      tail = this.decoder.decode();
    } catch {
      throw new InputError(
        `${this.file}:${this.linesBefore}: not UTF-8 text (the file ends inside a multi-byte character); save the CSV as UTF-8`,
      );
    }
    this.sink.push(tail);
    return this.sink.finish(this.hash.digest('hex'));
  }

  /** Name common non-CSV files outright instead of complaining about their first odd byte. */
  private sniff(b: Uint8Array): void {
    const what =
      (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)
        ? 'a UTF-16 text file; save the CSV as UTF-8'
        : b[0] === 0x1f && b[1] === 0x8b
          ? 'a gzip file; decompress it first (gunzip)'
          : b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4
            ? 'a zip file (an .xlsx workbook?); export the sheet as CSV'
            : b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46
              ? 'a PDF file; pass a CSV of training runs'
              : b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31
                ? 'a Parquet file; name it .parquet (the CLI reads Parquet by its extension; the library through readRuns)'
                : undefined;
    if (what) throw new InputError(`${this.file}:1: not a CSV file: it looks like ${what}`);
  }
}

function countByte(b: Uint8Array, byte: number, end: number): number {
  let n = 0;
  for (let k = b.indexOf(byte); k >= 0 && k < end; k = b.indexOf(byte, k + 1)) n++;
  return n;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (a sequence cut by the chunk end is valid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= b.length) return b.length;
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) return i;
      if (
        k === 1 &&
        ((c === 0xe0 && cc < 0xa0) ||
          (c === 0xed && cc > 0x9f) ||
          (c === 0xf0 && cc < 0x90) ||
          (c === 0xf4 && cc > 0x8f))
      )
        return i;
    }
    i += len;
  }
  return b.length;
}

/** The number in cell j, or undefined when j < 0 (no such column) or the cell is not a number. */
function readCell(cells: FieldView, j: number): number | undefined {
  if (j < 0) return undefined;
  const v = cells.number(j);
  return v === null ? undefined : v;
}

/** A value the loader can use for N, D, C, S or U: finite and positive. */
function usable(v: number | undefined): boolean {
  return v !== undefined && v > 0 && v < Infinity;
}

/** Every run is built here, so all share one object shape (one literal site). */
function makeRun(
  N: number | undefined,
  D: number | undefined,
  C: number | undefined,
  S: number | undefined,
  U: number | undefined,
  loss: number,
  run: string | undefined,
  tags: Record<string, string>,
  line: number,
): Run {
  return { N, D, C, S, U, loss, run, tags, line };
}
// Seed the shape with every numeric field undefined, so V8 stores them as tagged values from the start. Otherwise the
// fields begin as small integers (N = 10000000) and are generalised when a value past 2^31 arrives (N = 3e9 at row
// 777,000 of a loss-curve log), which deprecates the shape of every run loaded so far: each is then migrated on its
// next read, about 2 s for a million runs.
makeRun(undefined, undefined, undefined, undefined, undefined, undefined as unknown as number, undefined, {}, 0);

/** Per-row state of the loader: turns CSV records into runs as they stream past. */
class RunSink {
  private readonly reader: CsvReader;
  private header: string[] | undefined;
  private index: Record<string, number> = {};
  /** Column positions of the canonical variables, -1 when absent. */
  private ix = { N: -1, D: -1, C: -1, S: -1, U: -1, loss: -1, run: -1 };
  private tagIdx: number[] = [];
  private tagColumns: string[] = [];
  private nOfNDC = 0;
  private filters: Filter[] = [];
  /** The numeric columns every kept row must have, valid and positive: the law's or command's, and the loss. */
  private checked: Array<(typeof NUMERIC_COLUMNS)[number]> = [];
  /** The other variables, kept only when their value is usable. */
  private unchecked: Array<'N' | 'D' | 'C' | 'S' | 'U'> = [];
  private filterUnreadable = 0;
  private firstFilterUnreadable = 0;
  private readonly kept: Run[] = [];
  private rowsRead = 0;
  private inconsistent = 0;
  private firstInconsistent = 0;
  private oddLoss = 0;
  private firstOddLoss = 0;
  private duplicates = 0;
  private firstDuplicate: [number, number] = [0, 0];
  private readonly rowHashes = new RowHashes();
  private readonly intern = new Map<string, string>();
  private readonly recordView = new FieldView();
  private lastRunCell: string | undefined;
  private lastRunId = '';
  private readonly unitScale: number;

  constructor(
    private readonly file: string,
    private readonly o: ResolvedLoadOptions,
  ) {
    this.unitScale = o.computeUnit === 'pf-days' ? PF_DAY : 1;
    this.filters = o.where.map(parseFilter);
    this.reader = new CsvReader(
      file,
      (cells, line) => (this.header ? this.recordRow(cells, line) : this.setHeader(cells, line)),
      (j) => this.label(j),
      o.delimiter,
      (view, line) => this.row(view, line),
    );
  }

  push(text: string): void {
    this.reader.push(text);
  }

  /** One record already split into cells (JSON lines, Parquet): the header first, then the rows. */
  record(cells: string[], line: number): void {
    if (this.header) this.recordRow(cells, line);
    else this.setHeader(cells, line);
  }

  private recordRow(cells: string[], line: number): void {
    this.recordView.setCells(cells);
    this.row(this.recordView, line);
  }

  private label(j: number): string {
    const h = this.header?.[j];
    return h === undefined ? `field ${j + 1}` : `column "${show(h)}"`;
  }

  private setHeader(cells: string[], line: number): void {
    const name = this.file;
    if (cells.some((c) => c.includes('\r'))) {
      throw new InputError(
        `${name}:${line}: the file uses bare CR line ends (classic Mac); save it with LF or CRLF line ends`,
      );
    }
    const header = cells.map((h) => h.trim());
    if (header.every((h) => h === '')) {
      throw new InputError(
        `${name}:${line}: the header has no column names (only delimiters); expected a header with a loss column and two of N, D, C`,
      );
    }
    if (header.length < 2) {
      throw new InputError(
        `${name}:${line}: found one column "${show(header[0] ?? '')}"; expected a header with a loss column and two of N, D, C separated by commas, tabs, semicolons or |`,
      );
    }
    const index = mapColumns(header, this.o.columns, name, line);
    const have = (v: string) => index[v] !== undefined;
    this.nOfNDC = ['N', 'D', 'C'].filter(have).length;
    const used = new Set(Object.values(index));
    this.tagIdx = header.map((_, j) => j).filter((j) => !used.has(j));
    this.tagColumns = this.tagIdx.map((j) => header[j]!);
    // Every missing-column error lists the headers found: the usual cause is a header the aliases do not know.
    const found = `the header has ${show(header.join(', '), 200)}`;
    const missingError = (message: string, missing: string[]) =>
      new MissingColumnsError(message, header, columnsFrom(index, header, this.nOfNDC), this.tagColumns, missing);
    if (index.loss === undefined && this.o.needLoss) {
      throw missingError(
        `${name}:${line}: no loss column; expected one of ${COLUMN_ALIASES.loss!.join(', ')} (or --columns loss=HEADER); ${found}`,
        ['loss'],
      );
    }
    const derivable = (v: Variable) => (v === 'N' || v === 'D' || v === 'C') && this.nOfNDC >= 2;
    const missing = this.o.need.filter((v) => !have(v) && !derivable(v));
    if (missing.length > 0) {
      const what = missing.map((v) => `${v} (${COLUMN_MEANING[v]}: ${COLUMN_ALIASES[v]!.join(', ')})`).join('; ');
      throw missingError(
        `${name}:${line}: missing column${missing.length > 1 ? 's' : ''} ${what}; N, D and C can be derived from the other two by C = 6ND, or map a header with --columns; ${found}`,
        missing,
      );
    }
    const available = new Set<string>([...Object.keys(index), ...(this.nOfNDC >= 2 ? ['N', 'D', 'C'] : [])]);
    this.filters = this.filters.map((f) => resolveFilterColumn(f, header, index, available, name));
    this.index = index;
    this.ix = {
      N: index.N ?? -1,
      D: index.D ?? -1,
      C: index.C ?? -1,
      S: index.S ?? -1,
      U: index.U ?? -1,
      loss: index.loss ?? -1,
      run: index.run ?? -1,
    };
    const needed = new Set<string>([
      ...this.o.need,
      ...(this.o.needLoss ? ['loss'] : []),
      ...this.o.want.filter((v) => v !== 'S' && index[v] !== undefined),
    ]);
    this.checked = NUMERIC_COLUMNS.filter((k) => needed.has(k));
    this.unchecked = (['N', 'D', 'C', 'S', 'U'] as const).filter((k) => !needed.has(k));
    this.header = header;
  }

  private row(cells: FieldView, line: number): void {
    const name = this.file;
    const header = this.header!;
    if (cells.count !== header.length) {
      // A bare CR inside an unquoted row: CR line ends after an LF-terminated header (one "row" of many fields).
      if (cells.cells().some((c) => c.includes('\r'))) {
        throw new InputError(
          `${name}:${line}: the file uses bare CR line ends (classic Mac); save it with LF or CRLF line ends`,
        );
      }
      throw new InputError(
        `${name}:${line}: row has ${cells.count} field${cells.count === 1 ? '' : 's'}, header has ${header.length}; every row needs one value per column (quote values that contain the delimiter)`,
      );
    }
    this.rowsRead++;
    const ix = this.ix;
    // Cells are read leniently first: a row the filters drop, or a column nothing needs, may hold anything
    // (raw public files have "nan" and blanks there). The rows that are kept are then checked, on the columns needed.
    // (No closures or arrays per row here: this runs a million times on a loss-curve log.)
    let N = readCell(cells, ix.N),
      D = readCell(cells, ix.D),
      C = readCell(cells, ix.C);
    if (C !== undefined) C *= this.unitScale;
    const S = readCell(cells, ix.S),
      U = readCell(cells, ix.U);
    const loss = readCell(cells, ix.loss) ?? NaN;
    // No prototype: a column named __proto__ or constructor is a tag like any other (on a {} the first would set the
    // prototype and vanish, the second would read Object's constructor where the column is absent).
    const tags: Record<string, string> = this.tagIdx.length === 0 ? NO_TAGS : Object.create(null);
    for (let t = 0; t < this.tagIdx.length; t++) tags[this.tagColumns[t]!] = this.interned(cells.cell(this.tagIdx[t]!));
    // C = 6ND (Kaplan et al. 2020 eq. 2.1; Hoffmann et al. 2022 use it too): derive whichever of the three is
    // blank, unreadable or absent from the other two when both are usable. A non-blank cell derived over is refused
    // below if the row is kept and that column is needed; otherwise the derived value stands in for it.
    const okN = usable(N),
      okD = usable(D),
      okC = usable(C);
    let derived: 'N' | 'D' | 'C' | undefined;
    if (!okC && okN && okD) (C = 6 * N! * D!), (derived = 'C');
    else if (!okD && okN && okC) (D = C! / (6 * N!)), (derived = 'D');
    else if (!okN && okD && okC) (N = C! / (6 * D!)), (derived = 'N');
    else if (okN && okD && okC) {
      if (Math.abs(Math.log(C! / (6 * N! * D!))) > LOG_SIX_ND_TOLERANCE) {
        if (this.inconsistent++ === 0) this.firstInconsistent = line;
      }
    }
    // One object shape for every run (absent columns are undefined), which keeps a million-row load monomorphic.
    const run = makeRun(N, D, C, S, U, loss, ix.run < 0 ? undefined : this.runId(cells.cell(ix.run)), tags, line);
    if (this.filters.length > 0) {
      for (const f of this.filters) {
        if (matchesFilter(run, f)) continue;
        if (isNumericColumn(f.column) && run[f.column] === undefined && this.filterUnreadable++ === 0)
          this.firstFilterUnreadable = line;
        return;
      }
    }
    const checked = this.checked;
    for (let k = 0; k < checked.length; k++) this.check(run, checked[k]!, cells, line, checked[k] === derived);
    if (derived !== undefined && !checked.includes(derived)) this.check(run, derived, cells, line, true, true);
    // Columns nothing needs keep a value only when it is usable: a blank or "nan" there reads as absent.
    // A step 0 (the first checkpoint) is a real value when nothing reads S as a power-law variable.
    const unchecked = this.unchecked;
    for (let k = 0; k < unchecked.length; k++) {
      const key = unchecked[k]!;
      const v = run[key];
      if (v !== undefined && !usable(v) && !(key === 'S' && v === 0)) run[key] = undefined;
    }
    const earlier = this.rowHashes.addOrGet(run, line, this.tagIdx.length > 0);
    if (earlier !== 0 && this.duplicates++ === 0) this.firstDuplicate = [line, earlier];
    if (run.loss > LOSS_RANGE[1] || run.loss < LOSS_RANGE[0]) {
      if (this.oddLoss++ === 0) this.firstOddLoss = line;
    }
    this.kept.push(run);
  }

  /**
   * Refuse a kept row whose needed column `key` is missing, unreadable or not positive, naming the cell to fix.
   * `derivedOnly`: the column is not needed, but its value was derived here, so it must be finite and positive.
   */
  private check(
    run: Run,
    key: (typeof NUMERIC_COLUMNS)[number],
    cells: FieldView,
    line: number,
    wasDerived: boolean,
    derivedOnly = false,
  ): void {
    const v = run[key];
    const ok = v !== undefined && v > 0 && v < Infinity;
    // The usual case, a valid value read from its own cell, returns before any of the refusals below is prepared.
    if (ok && !wasDerived) return;
    const name = this.file;
    const header = this.header!;
    const j = this.index[key];
    const notPositive = (k: number, what: string) => {
      const raw = cells.cell(k).trim();
      // 1e-400 is a positive number that a double cannot hold: it reads as 0. Say so, not "not positive".
      if (parseNumber(raw) === 0 && /[1-9]/.test(raw.replace(/e.*$/i, ''))) {
        return new InputError(
          `${name}:${line}: column "${show(header[k]!)}": ${show(raw)} underflows to 0 in a double (the smallest positive double is 5e-324); check its exponent and units`,
        );
      }
      return new InputError(
        `${name}:${line}: column "${show(header[k]!)}": ${show(raw)} is not positive; ${COLUMN_MEANING[what]} must be > 0 (fix the value, or drop such rows with --where "${what}>0")`,
      );
    };
    if (!derivedOnly && j !== undefined && cells.cell(j).trim() !== '' && (wasDerived || !ok)) {
      if (this.value(cells, j, key, line)! > 0)
        throw new InputError(
          `${name}:${line}: column "${show(header[j]!)}" overflows a double (${key === 'C' ? 'check the units of N, D and C' : 'check the values'}); fix the row or drop it with --where`,
        );
      throw notPositive(j, key);
    }
    if (ok) return;
    if (v !== undefined && !Number.isNaN(v)) {
      if (v === Infinity)
        throw new InputError(
          `${name}:${line}: derived ${key} overflows a double (${key === 'C' ? 'check the units of N, D and C' : 'check the values'}); fix the row or drop it with --where`,
        );
      throw new InputError(
        `${name}:${line}: derived ${key} = ${v} is not positive (from the other columns); fix the row or drop such rows with --where "${key}>0"`,
      );
    }
    // Missing: its own cell first, then (for N, D, C) the cells it would be derived from.
    if (j !== undefined) this.value(cells, j, key, line);
    if (key === 'N' || key === 'D' || key === 'C') {
      for (const other of ['N', 'D', 'C'] as const) {
        const k = this.index[other];
        if (other === key || k === undefined || cells.cell(k).trim() === '') continue;
        if (!(this.value(cells, k, other, line)! > 0)) throw notPositive(k, other);
      }
      throw new InputError(
        `${name}:${line}: no value for ${key} (${COLUMN_MEANING[key]}), and it cannot be derived from the other columns; fill in two of N, D, C`,
      );
    }
    throw new InputError(`${name}:${line}: no value for ${key} (${COLUMN_MEANING[key]})`);
  }

  /** A numeric cell, or undefined for a blank N, D or C when the other two are given; refuses anything else. */
  private value(cells: FieldView, j: number, key: (typeof NUMERIC_COLUMNS)[number], line: number): number | undefined {
    const cell = cells.cell(j);
    const v = parseNumber(cell);
    if (v !== null) return v;
    const raw = cell.trim();
    if (raw === '' && (key === 'N' || key === 'D' || key === 'C') && this.nOfNDC === 3) return undefined;
    const col = `column "${show(this.header![j]!)}"`;
    if (raw === '')
      throw new InputError(
        `${this.file}:${line}: ${col} is empty; every run needs a ${COLUMN_MEANING[key]} value (fill it in or drop the row)`,
      );
    throw new InputError(`${this.file}:${line}: ${col}: "${show(raw)}" is not a number; ${numberHint(raw)}`);
  }

  /** The run id of a row: consecutive rows of a loss-curve log share it, so the last one is remembered. */
  private runId(cell: string): string {
    if (cell === this.lastRunCell) return this.lastRunId;
    this.lastRunCell = cell;
    this.lastRunId = this.interned(cell.trim());
    return this.lastRunId;
  }

  private interned(s: string): string {
    const hit = this.intern.get(s);
    if (hit !== undefined) return hit;
    // Copy before keeping: a slice of a 1 MB chunk would keep the whole chunk alive.
    const own = s.length > 12 ? Buffer.from(s, 'utf8').toString('utf8') : s;
    this.intern.set(own, own);
    return own;
  }

  finish(sha256: string): Dataset {
    this.reader.end();
    const name = this.file;
    const o = this.o;
    if (!this.header) throw new InputError(`${name}: the file is empty; expected a header line and one row per run`);
    if (this.rowsRead === 0) throw new InputError(`${name}: the file has a header but no rows; add one row per run`);
    const warnings: string[] = [];
    if (this.inconsistent > 0) {
      warnings.push(
        `${this.inconsistent} row(s) have C more than ${SIX_ND_TOLERANCE * 100}% away from 6ND (first at line ${this.firstInconsistent}); C is used as given (is it in ${o.computeUnit === 'flops' ? 'PF-days? pass --compute-unit pf-days' : 'FLOPs? drop --compute-unit pf-days'})`,
      );
    }
    if (this.oddLoss > 0) {
      warnings.push(
        `${this.oddLoss} row(s) have a loss above ${LOSS_RANGE[1]} or below ${LOSS_RANGE[0]} nats (first at line ${this.firstOddLoss}): is the loss in nats per token?`,
      );
    }
    if (this.filterUnreadable > 0) {
      warnings.push(
        `${this.filterUnreadable} row(s) have no readable value in a column --where compares (first at line ${this.firstFilterUnreadable}); --where drops them`,
      );
    }
    if (this.duplicates > 0) {
      warnings.push(
        `${this.duplicates} row(s) repeat an earlier row exactly (first: line ${this.firstDuplicate[0]} repeats line ${this.firstDuplicate[1]}); kept, each counts as a run`,
      );
    }
    const kept = excludeTopLoss(this.kept, o.excludeTopLoss);
    if (kept.length === 0) {
      throw new InputError(
        `${name}: no rows left after the filters (${[...o.where, o.excludeTopLoss ? `--exclude-top-loss ${o.excludeTopLoss}` : ''].filter(Boolean).join(', ')}); loosen them`,
      );
    }
    const columns = columnsFrom(this.index, this.header, this.nOfNDC);
    return {
      file: name,
      sha256,
      columns,
      tagColumns: this.tagColumns,
      runs: kept,
      rowsRead: this.rowsRead,
      rowsDropped: this.rowsRead - kept.length,
      filters: o.where,
      excludeTopLoss: o.excludeTopLoss,
      warnings,
      computeUnit: o.computeUnit,
    };
  }
}

/**
 * The runs seen so far, as 64-bit hashes of their values (numbers by their bits, run id and tags by their characters)
 * in an open-addressing table, for counting repeated rows without keeping every row's text: a million rows cost
 * 12 MB. Rows count as repeats when they read as the same run (`1e9` and `1000000000` are the same N). A false repeat
 * needs a 64-bit collision (odds ~ rows^2 / 2^65).
 */
class RowHashes {
  /** Slot k holds [hash a, hash b, line] at 3k..3k+2 (line 0: empty): one cache line per probe, not three. */
  private slots = new Int32Array(3 << 12);
  private size = 0;
  private readonly f64 = new Float64Array(1);
  private readonly i32 = new Int32Array(this.f64.buffer);
  private a = 0;
  private b = 0;

  private num(v: number | undefined): void {
    this.f64[0] = v ?? -0.5;
    const lo = this.i32[0]!,
      hi = this.i32[1]!;
    this.a = Math.imul(Math.imul(this.a ^ lo, 0x01000193) ^ hi, 0x01000193);
    this.b = Math.imul(Math.imul(this.b ^ lo, 0x5bd1e995) ^ hi, 0x5bd1e995);
  }

  private str(s: string): void {
    let a = this.a,
      b = this.b;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      a = Math.imul(a ^ ch, 0x01000193);
      b = Math.imul(b ^ ch, 0x5bd1e995);
    }
    this.a = Math.imul(a ^ 0x1f, 0x01000193);
    this.b = Math.imul(b ^ 0x1f, 0x5bd1e995);
  }

  /** Record a run; returns the line of an earlier identical run, or 0 when it is new. */
  addOrGet(run: Run, line: number, hasTags: boolean): number {
    this.a = 0x811c9dc5;
    this.b = 0x01000193;
    this.num(run.N);
    this.num(run.D);
    this.num(run.C);
    this.num(run.S);
    this.num(run.U);
    this.num(run.loss);
    if (run.run !== undefined) this.str(run.run);
    if (hasTags) for (const k in run.tags) this.str(run.tags[k]!);
    const a = this.a,
      b = this.b;
    if (2 * (this.size + 1) > this.slots.length / 3) this.grow();
    const slots = this.slots;
    const mask = slots.length / 3 - 1;
    for (let k = (a ^ (b >>> 7)) & mask; ; k = (k + 1) & mask) {
      const o = 3 * k;
      const l = slots[o + 2]!;
      if (l === 0) {
        slots[o] = a;
        slots[o + 1] = b;
        slots[o + 2] = line;
        this.size++;
        return 0;
      }
      if (slots[o] === a && slots[o + 1] === b) return l;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (old.length / 3) * 2;
    const slots = new Int32Array(3 * cap);
    const mask = cap - 1;
    for (let o = 0; o < old.length; o += 3) {
      if (old[o + 2] === 0) continue;
      let k = (old[o]! ^ (old[o + 1]! >>> 7)) & mask;
      while (slots[3 * k + 2] !== 0) k = (k + 1) & mask;
      slots[3 * k] = old[o]!;
      slots[3 * k + 1] = old[o + 1]!;
      slots[3 * k + 2] = old[o + 2]!;
    }
    this.slots = slots;
  }
}

/** Canonical name -> header, with the third of N, D, C marked derived when two are present. */
function columnsFrom(index: Record<string, number>, header: string[], nOfNDC: number): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const [k, j] of Object.entries(index)) columns[k] = header[j]!;
  for (const v of ['N', 'D', 'C'] as const) {
    if (columns[v] === undefined && nOfNDC >= 2)
      columns[v] = v === 'C' ? 'derived: C = 6ND' : v === 'D' ? 'derived: D = C/(6N)' : 'derived: N = C/(6D)';
  }
  return columns;
}

function runAliasRank(header: string): number {
  return COLUMN_ALIASES.run!.map(foldHeader).indexOf(foldHeader(header));
}

/** Map header positions to canonical columns: overrides first, then aliases; two headers for one column is an error. */
function mapColumns(header: string[], overrides: Record<string, string>, name: string, line: number) {
  const index: Record<string, number> = {};
  const taken = new Set<number>();
  const folded = header.map(foldHeader);
  const dup = folded.findIndex((h, j) => h !== '' && folded.indexOf(h) !== j);
  if (dup >= 0)
    throw new InputError(
      `${name}:${line}: column "${show(header[dup]!)}" appears twice in the header; rename one of them`,
    );
  for (const [canonical, wanted] of Object.entries(overrides)) {
    const j = folded.indexOf(foldHeader(wanted));
    if (j < 0)
      throw new InputError(
        `${name}:${line}: --columns maps ${canonical} to "${show(wanted)}", but the header has no such column (columns: ${show(header.join(', '), 200)})`,
      );
    const other = Object.keys(index).find((k) => index[k] === j);
    if (other !== undefined)
      throw new InputError(
        `${name}:${line}: --columns maps both ${other} and ${canonical} to "${show(wanted)}"; map each variable to its own column`,
      );
    index[canonical] = j;
    taken.add(j);
  }
  for (let j = 0; j < header.length; j++) {
    if (taken.has(j)) continue;
    const canonical = canonicalColumn(header[j]!);
    if (!canonical || overrides[canonical] !== undefined) continue;
    if (index[canonical] !== undefined && canonical === 'run') {
      // Several headers may name a run (run_id and model): the earlier alias wins, the other stays a tag.
      if (runAliasRank(header[j]!) < runAliasRank(header[index.run!]!)) index.run = j;
      continue;
    }
    if (index[canonical] !== undefined) {
      throw new InputError(
        `${name}:${line}: columns "${show(header[index[canonical]!]!)}" and "${show(header[j]!)}" both name ${canonical} (${COLUMN_MEANING[canonical]}); pick one with --columns ${canonical}=HEADER`,
      );
    }
    index[canonical] = j;
  }
  return index;
}
