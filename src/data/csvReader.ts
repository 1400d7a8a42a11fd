import { InputError } from '../core/errors.ts';
import { parseNumberIn } from './parseNumber.ts';

/** Delimiters we detect, in the order that wins a tie. */
const DELIMITERS = [',', '\t', ';', '|'] as const;

/** A quoted field longer than this is taken for an unterminated quote (no CSV cell of training runs is 1 MB). */
const MAX_QUOTED_CHARS = 1 << 20;
/** A line longer than this is refused before it is read into memory whole (a binary or minified file). */
const MAX_LINE_CHARS = 1 << 24;

/**
 * Pick the delimiter of a CSV from its header line: the candidate (comma, tab, semicolon, bar) that occurs most often
 * outside quotes; a comma when none occurs (a one-column file, refused later with its own message).
 *
 * @example detectDelimiter('N;D;loss') // ';'
 */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Show user text in a one-line message: control characters escaped, long text cut. */
export function show(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\t'
      ? '\\t'
      : c === '\n'
        ? '\\n'
        : c === '\r'
          ? '\\r'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}

/**
 * One record's fields as offsets into the text they came from, refilled for every record: a million-row log is read
 * without a string or an array per row (`number(j)` parses the digits in place; `cell(j)` makes the string only when
 * asked, for tags, run ids and error messages).
 */
export class FieldView {
  text = '';
  count = 0;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);

  /** Field j's text. */
  cell(j: number): string {
    return this.text.slice(this.starts[j]!, this.ends[j]!);
  }

  /** Field j read by parseNumber (null when it is not a number). */
  number(j: number): number | null {
    return parseNumberIn(this.text, this.starts[j]!, this.ends[j]!);
  }

  /** Every field as a string. */
  cells(): string[] {
    return Array.from({ length: this.count }, (_, j) => this.cell(j));
  }

  /** True when every field is empty or whitespace. */
  isBlank(): boolean {
    for (let j = 0; j < this.count; j++) {
      const a = this.starts[j]!;
      if (a === this.ends[j]!) continue;
      const c = this.text.charCodeAt(a);
      // Printable ASCII other than a space is not whitespace; anything else is decided by trim()'s own rule.
      if (c > 32 && c < 127) return false;
      if (this.cell(j).trim() !== '') return false;
    }
    return true;
  }

  /** Point the view at cells already split (a quoted CSV record, JSON lines, Parquet). */
  setCells(cells: readonly string[]): void {
    this.reset(cells.join(''));
    let a = 0;
    for (const c of cells) this.add(a, (a += c.length));
  }

  reset(text: string): void {
    this.text = text;
    this.count = 0;
  }

  add(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }
}

/**
 * A streaming CSV reader (RFC 4180 quoting, LF or CRLF line ends): feed it text in chunks of any size with `push`,
 * then call `end`; it calls `onRow(cells, line)` for every record, with the 1-based physical line the record starts
 * on. Lines without a quote take a fast path (`split`), so a million-row log parses in well under a second. With
 * `onView`, the records after the first are delivered as a {@link FieldView} instead (no strings made per cell).
 * Blank lines, and after the first (header) line lines of only delimiters and spaces, are skipped. Malformed quoting throws an InputError naming the
 * line and the column.
 */
export class CsvReader {
  private pending = '';
  private pos = 0;
  private line = 1;
  private delimiter: string | undefined;
  private delivered = false;
  private readonly view = new FieldView();

  constructor(
    private readonly file: string,
    private readonly onRow: (cells: string[], line: number) => void,
    /** How a field index is named in errors, e.g. `column "loss"` (the header is known by then). */
    private readonly columnLabel: (j: number) => string = (j) => `field ${j + 1}`,
    delimiter?: string,
    /** Receives every record after the first, as a view refilled per record (keep nothing from it). */
    private readonly onView?: (view: FieldView, line: number) => void,
  ) {
    this.delimiter = delimiter;
  }

  /** The delimiter in use (detected from the first non-blank line unless given). */
  get delim(): string | undefined {
    return this.delimiter;
  }

  push(text: string): void {
    this.pending = this.pos < this.pending.length ? this.pending.slice(this.pos) + text : text;
    this.pos = 0;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    this.pending = '';
    this.pos = 0;
  }

  private drain(final: boolean): void {
    const s = this.pending;
    let pos = this.pos;
    // The next quote at or after pos (-1: none in the text): one search per quote, not one per line.
    let quoteAt = -2;
    while (pos < s.length) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0) {
        if (!final && s.length - pos > MAX_LINE_CHARS) {
          throw new InputError(
            `${this.file}:${this.line}: a line longer than ${MAX_LINE_CHARS / (1 << 20)} MB; this does not look like a CSV of training runs`,
          );
        }
        if (!final) break;
        nl = s.length;
      }
      const lineEnd = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = s.indexOf('"', pos);
      const view = this.onView;
      if (view && this.delivered && (quoteAt < 0 || quoteAt >= nl)) {
        const v = this.view;
        const d = this.delimiter!;
        v.reset(s);
        for (let a = pos; ; ) {
          let e = s.indexOf(d, a);
          if (e < 0 || e > lineEnd) e = lineEnd;
          v.add(a, e);
          if (e === lineEnd) break;
          a = e + d.length;
        }
        if (!v.isBlank()) view(v, this.line);
        pos = nl + 1;
        this.line++;
        continue;
      }
      const text = s.slice(pos, lineEnd);
      if (this.delimiter === undefined) {
        if (text.trim() === '') {
          pos = nl + 1;
          this.line++;
          continue;
        }
        this.delimiter = detectDelimiter(text);
      }
      if (text.indexOf('"') < 0) {
        const cells = text.split(this.delimiter);
        // The first line with text is the header even when it holds only delimiters: the caller blames that line.
        if (!isBlank(cells) || !this.delivered) this.deliver(cells, this.line);
        pos = nl + 1;
        this.line++;
        continue;
      }
      const r = this.parseQuoted(s, pos, final);
      if (!r) break;
      if (!isBlank(r.cells) || !this.delivered) this.deliver(r.cells, this.line);
      pos = r.end;
      this.line += r.lines;
    }
    this.pos = pos;
  }

  private deliver(cells: string[], line: number): void {
    if (this.onView && this.delivered) {
      this.view.setCells(cells);
      this.onView(this.view, line);
      return;
    }
    this.delivered = true;
    this.onRow(cells, line);
  }

  /** Parse one record that contains a quote, from `start`. Null when the record may continue in the next chunk. */
  private parseQuoted(
    s: string,
    start: number,
    final: boolean,
  ): { cells: string[]; end: number; lines: number } | null {
    const d = this.delimiter!;
    const cells: string[] = [];
    let i = start;
    let lines = 0;
    for (;;) {
      if (s.charCodeAt(i) === 34 /* " */) {
        let field = '';
        let j = i + 1;
        for (;;) {
          const k = s.indexOf('"', j);
          if (k < 0 || k - start > MAX_QUOTED_CHARS) {
            if (!final && k < 0 && s.length - start <= MAX_QUOTED_CHARS) return null;
            throw new InputError(
              `${this.file}:${this.line + lines}: ${this.columnLabel(cells.length)}: unterminated quoted field (a " with no closing "); close the quote or remove it`,
            );
          }
          field += s.slice(j, k);
          if (k + 1 >= s.length && !final) return null;
          if (s.charCodeAt(k + 1) === 34) {
            field += '"';
            j = k + 2;
            continue;
          }
          i = k + 1;
          break;
        }
        lines += countNewlines(field);
        while (i < s.length && (s[i] === ' ' || (s[i] === '\t' && d !== '\t'))) i++;
        if (
          i < s.length &&
          s[i] !== d &&
          s[i] !== '\n' &&
          !(s[i] === '\r' && (s[i + 1] === '\n' || i + 1 === s.length))
        ) {
          throw new InputError(
            `${this.file}:${this.line + lines}: ${this.columnLabel(cells.length)}: text after a closing quote ("${show(s.slice(i, s.indexOf('\n', i) < 0 ? s.length : s.indexOf('\n', i)), 20)}"); quote the whole value or remove the quotes`,
          );
        }
        cells.push(field);
      } else {
        let k = i;
        while (k < s.length && s[k] !== d && s[k] !== '\n') k++;
        if (k >= s.length && !final) return null;
        let field = s.slice(i, k);
        if (k < s.length && s[k] === '\n' && field.endsWith('\r')) field = field.slice(0, -1);
        else if (k >= s.length && field.endsWith('\r')) field = field.slice(0, -1);
        cells.push(field);
        i = k;
      }
      if (i >= s.length) return final ? { cells, end: i, lines } : null;
      if (s[i] === '\r') i++;
      if (i >= s.length) return final ? { cells, end: i, lines } : null;
      if (s[i] === '\n') return { cells, end: i + 1, lines: lines + 1 };
      i++; // the delimiter
      if (i >= s.length && !final) return null;
      if (i >= s.length) {
        cells.push('');
        return { cells, end: i, lines };
      }
    }
  }
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}
