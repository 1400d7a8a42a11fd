import { InputError } from '../core/errors.ts';
import { parseNumber } from './parseNumber.ts';
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
  if (!m) throw new InputError(`bad filter "${text}": expected COLUMN OP VALUE with OP one of < <= > >= == !=, e.g. "N<=1e9"`);
  const op = (m[2] === '=' ? '==' : m[2]) as Filter['op'];
  const num = parseNumber(m[3]!);
  if (num === null && (NUMERIC.has(m[1]!) || /^[<>=!]/.test(m[3]!))) {
    throw new InputError(`bad filter "${text}": "${m[3]}" is not a number; ${m[1]} is compared as a number, e.g. "${m[1]}${m[2]}1e9"`);
  }
  return { column: m[1]!, op, value: num ?? m[3]!, text };
}

/** The value a filter compares for a run: a canonical variable, or a tag column (numeric when it parses). */
function runValue(run: Run, column: string): number | string | undefined {
  if (column === 'loss') return run.loss;
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
  const a = typeof f.value === 'number' && typeof v === 'number' ? v : String(v);
  const b = typeof f.value === 'number' && typeof v === 'number' ? f.value : String(f.value);
  switch (f.op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/** Check that every filter names a column the data has, so a typo is refused instead of silently dropping every run. */
export function checkFilterColumns(filters: Filter[], known: Set<string>, file: string): void {
  for (const f of filters) {
    if (!known.has(f.column)) {
      throw new InputError(`${file}: filter "${f.text}" names column "${f.column}", which the file does not have (columns: ${[...known].join(', ')})`);
    }
  }
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
