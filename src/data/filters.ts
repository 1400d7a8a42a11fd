import { InputError } from '../core/errors.ts';
import { parseNumber } from './parseNumber.ts';
import { canonicalColumn, foldHeader } from './columns.ts';
import type { Filter } from './types.ts';
import type { Run } from '../core/run.ts';

const NUMERIC = new Set(['N', 'D', 'C', 'S', 'U', 'loss']);
const FILTER = /^\s*([A-Za-z_][\w .-]*?)\s*(<=|>=|==|!=|=|<|>)\s*(.+?)\s*$/;

/**
 * Parse a filter such as `N<=1e9`, `loss<3.4`, `C>=1e20` or `dataset==c4`: one column, one comparison, one value.
 * Numbers may carry suffixes (`N<=1B`).
 *
 * @example parseFilter('N<=1e9') // { column: 'N', op: '<=', value: 1e9, text: 'N<=1e9' }
 */
export function parseFilter(text: string): Filter {
  const m = FILTER.exec(text);
  if (!m)
    throw new InputError(
      `bad filter "${text}": expected COLUMN OP VALUE with OP one of < <= > >= == !=, e.g. "N<=1e9"`,
    );
  const op = (m[2] === '=' ? '==' : m[2]) as Filter['op'];
  const num = parseNumber(m[3]!);
  if (num === null && (NUMERIC.has(m[1]!) || /^[<>=!]/.test(m[3]!))) {
    throw new InputError(
      `bad filter "${text}": "${m[3]}" is not a number; ${m[1]} is compared as a number, e.g. "${m[1]}${m[2]}1e9"`,
    );
  }
  return { column: m[1]!, op, value: num ?? m[3]!, text };
}

/**
 * Relative tolerance for comparisons on a derived N, D or C: 1e-6 absorbs floating-point rounding of 6ND and inputs
 * printed to 7 significant digits, so `C>=1e17` keeps a budget whose derived C = 6ND comes out 9.9999999e16, while
 * budgets (which differ by factors, not by parts per million) stay apart.
 */
const DERIVED_FILTER_TOLERANCE = 1e-6;

/** Whether a (resolved) filter column is one of the numeric canonical variables. */
export function isNumericColumn(column: string): column is 'N' | 'D' | 'C' | 'S' | 'U' | 'loss' {
  return NUMERIC.has(column);
}

/** The value a filter compares for a run: a canonical variable, or a tag column (numeric when it parses). */
function runValue(run: Run, column: string): number | string | undefined {
  if (column === 'loss') return Number.isNaN(run.loss) ? undefined : run.loss;
  if (column === 'N' || column === 'D' || column === 'C' || column === 'S' || column === 'U') return run[column];
  if (column === 'run') return run.run;
  // Own properties only: `constructor` or `toString` must not find Object.prototype's functions.
  const tag = Object.hasOwn(run.tags, column) ? run.tags[column] : undefined;
  if (tag === undefined) return undefined;
  return parseNumber(tag) ?? tag;
}

export function matchesFilter(run: Run, f: Filter): boolean {
  const v = runValue(run, f.column);
  if (v === undefined) return false;
  if (typeof f.value === 'number' && typeof v === 'number') {
    const b = f.value;
    const near = Math.abs(v - b) <= (f.relTol ?? 0) * Math.abs(b);
    switch (f.op) {
      case '<':
        return v < b && !near;
      case '<=':
        return v <= b || near;
      case '>':
        return v > b && !near;
      case '>=':
        return v >= b || near;
      case '==':
        return v === b || near;
      case '!=':
        return v !== b && !near;
    }
  }
  const a = String(v);
  const b = String(f.value);
  switch (f.op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/**
 * Point a filter at what it names, so a typo is refused instead of silently dropping every run. Accepted, in this
 * order: a header of the file (a header mapped to a variable, by alias or --columns, filters that variable:
 * after `--columns N=params_N`, `params_N<=1e9` is `N<=1e9`; an unmapped header is a tag); a canonical name or
 * alias of a variable the file has or derives (`N`, `params`, `C`). Comparisons on a derived N, D or C get
 * DERIVED_FILTER_TOLERANCE.
 */
export function resolveFilterColumn(
  f: Filter,
  header: readonly string[],
  index: Record<string, number>,
  available: ReadonlySet<string>,
  file: string,
): Filter {
  const folded = foldHeader(f.column);
  const j = header.findIndex((h) => foldHeader(h) === folded);
  let column: string | undefined;
  if (j >= 0) column = Object.keys(index).find((k) => index[k] === j) ?? header[j]!;
  else {
    const canonical = NUMERIC.has(f.column) || f.column === 'run' ? f.column : canonicalColumn(f.column);
    if (canonical !== undefined && available.has(canonical)) column = canonical;
  }
  if (column === undefined) {
    const names = [...new Set([...available, ...header])];
    throw new InputError(
      `${file}: filter "${f.text}" names column "${f.column}", which the file does not have (columns: ${names.join(', ')})`,
    );
  }
  if (typeof f.value !== 'number' && NUMERIC.has(column) && /^[<>]/.test(f.op)) {
    throw new InputError(
      `bad filter "${f.text}": "${f.value}" is not a number; ${column} is compared as a number, e.g. "${f.column}${f.op}1e9"`,
    );
  }
  const derivedColumn = (column === 'N' || column === 'D' || column === 'C') && index[column] === undefined;
  return { ...f, column, ...(derivedColumn ? { relTol: DERIVED_FILTER_TOLERANCE } : {}) };
}

/**
 * A filter resolved against a loaded data set's columns (canonical name -> header, or 'derived: ...') and tag
 * columns, with the same rules as `--where` (see {@link resolveFilterColumn}); for `--train` and the like.
 *
 * @example filterForColumns('params_N<=1e9', { N: 'params_N', D: 'tokens_D', loss: 'loss' }, [], 'runs.csv').column // 'N'
 */
export function filterForColumns(
  text: string,
  columns: Record<string, string>,
  tagColumns: readonly string[],
  file: string,
): Filter {
  const mapped = Object.entries(columns).filter(([, h]) => !h.startsWith('derived:'));
  const header = [...mapped.map(([, h]) => h), ...tagColumns];
  const index: Record<string, number> = Object.fromEntries(mapped.map(([k], i) => [k, i]));
  return resolveFilterColumn(parseFilter(text), header, index, new Set(Object.keys(columns)), file);
}

/**
 * Drop the rows with the K highest losses. The rule is Besiroglu et al. 2024's (keep loss < the K-th largest loss),
 * so ties with the K-th largest are dropped too, exactly as in their notebook.
 */
export function excludeTopLoss(runs: Run[], k: number): Run[] {
  if (k <= 0) return runs;
  if (k >= runs.length) return [];
  const sorted = runs.map((r) => r.loss).sort((x, y) => y - x);
  const threshold = sorted[k - 1]!;
  return runs.filter((r) => r.loss < threshold);
}
