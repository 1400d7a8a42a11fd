import { readRuns } from '../../data/readRuns.ts';
import type { Dataset } from '../../data/types.ts';
import { formatNumber } from '../../core/formatNumber.ts';
import { defineCommand } from '../command.ts';
import { DATA_OPTIONS, loadOptionsFrom, VARIABLES } from '../options.ts';
import { COLUMN_ALIASES, COLUMN_MEANING } from '../../data/columns.ts';
import { MissingColumnsError } from '../../data/missingColumnsError.ts';
import { wrapText } from '../../report/wrapText.ts';

export const inspectCommand = defineCommand({
  name: 'inspect',
  usage: ['<data.csv> [options]'],
  description: `Shows what the loader makes of a CSV: which header became which variable (N, D, C, loss, ...), the other
columns (kept as tags), rows read, dropped and kept, the range of each variable, and warnings. A file the loader
cannot use yet (no loss column, or a --need variable missing) shows its headers, the mapping it would make and
what is missing, with exit code 0.`,
  examples: [
    {
      command: 'scalefit inspect data/epoch-chinchilla.csv',
      note: "the mapping of Epoch AI's headers (Model Size, Training FLOP, loss) and D = C/(6N)",
    },
    { command: 'scalefit inspect data/epoch-chinchilla.csv --where "N<=1e9" --json' },
  ],
  options: {
    json: { type: 'flag', group: 'Output options', description: 'print {"columns", "runs", "warnings", ...} as JSON' },
    need: {
      type: 'choice',
      value: 'VARS',
      choices: VARIABLES,
      separator: ',',
      description: 'variables that must be present (default: none beyond the loss)',
    },
    ...DATA_OPTIONS,
  },
  positionals: [1, 1],
  async run({ values, positionals, stdout }) {
    let ds: Dataset;
    try {
      // inspect checks every variable column the file has (it reports what a fit would see), requiring only --need.
      ds = await readRuns(positionals[0]!, {
        ...loadOptionsFrom(values, [...values.need]),
        want: ['N', 'D', 'C', 'S', 'U'],
      });
    } catch (e) {
      // A file the loader cannot use yet is what inspect is for: show its headers and the mapping, say what is missing.
      if (!(e instanceof MissingColumnsError)) throw e;
      if (values.json) stdout(`${JSON.stringify(headerJson(positionals[0]!, e), null, 2)}\n`);
      else stdout(`${headerText(positionals[0]!, e)}\n`);
      return 0;
    }
    if (values.json) {
      stdout(`${JSON.stringify(inspectJson(ds), null, 2)}\n`);
      return 0;
    }
    stdout(`${inspectText(ds)}\n`);
    return 0;
  },
});

function inspectJson(ds: Dataset) {
  return {
    file: ds.file,
    sha256: ds.sha256,
    columns: ds.columns,
    tag_columns: ds.tagColumns,
    rows_read: ds.rowsRead,
    rows_dropped: ds.rowsDropped,
    rows_kept: ds.runs.length,
    compute_unit: ds.computeUnit,
    runs: ds.runs.map((r) => {
      // No prototype: a tag named __proto__ is a key like any other (JSON.stringify prints it).
      const run: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, {
        N: r.N,
        D: r.D,
        C: r.C,
        loss: r.loss,
        ...(r.S !== undefined ? { S: r.S } : {}),
        ...(r.U !== undefined ? { U: r.U } : {}),
        ...(r.run !== undefined ? { run: r.run } : {}),
      });
      // A tag may share a canonical name (a train `loss` column next to `--columns loss=val_loss`): it must not
      // replace the value the loader mapped, so it goes under `tag:NAME`.
      for (const [k, v] of Object.entries(r.tags)) run[k in run ? `tag:${k}` : k] = v;
      return run;
    }),
    warnings: ds.warnings,
  };
}

function missingNote(e: MissingColumnsError): string {
  const what = e.missing
    .map(
      (v) => `${v}${v === 'loss' ? '' : ` (${COLUMN_MEANING[v]})`}: no header named ${COLUMN_ALIASES[v]!.join(', ')}`,
    )
    .join('; ');
  const derive = e.missing.some((v) => v === 'N' || v === 'D' || v === 'C')
    ? ' (N, D and C: any two give the third by C = 6ND)'
    : '';
  return `missing ${what}${derive}. No runs can be loaded until --columns ${e.missing[0]}=HEADER maps one (or a header is renamed).`;
}

function headerJson(file: string, e: MissingColumnsError) {
  return {
    file,
    header: e.header,
    columns: e.columns,
    tag_columns: e.tagColumns,
    missing: e.missing,
    note: missingNote(e),
  };
}

/** The view of a file the loader cannot use yet: every header, what each maps to, and what is missing. */
function headerText(file: string, e: MissingColumnsError): string {
  const lines = [`file: ${file}`, `headers: ${e.header.join(', ')}`, 'columns:'];
  for (const [k, v] of Object.entries(e.columns)) lines.push(`  ${k.padEnd(5)} <- ${v}`);
  if (e.tagColumns.length) lines.push(`  tags: ${e.tagColumns.join(', ')}`);
  lines.push(wrapText(`note: ${missingNote(e)}`, 100, '  '));
  return lines.join('\n');
}

function inspectText(ds: Dataset): string {
  const lines = [
    `file: ${ds.file}`,
    `rows: ${ds.rowsRead} read, ${ds.rowsDropped} dropped, ${ds.runs.length} kept`,
    'columns:',
  ];
  for (const [k, v] of Object.entries(ds.columns)) lines.push(`  ${k.padEnd(5)} <- ${v}`);
  if (ds.tagColumns.length) lines.push(`  tags: ${ds.tagColumns.join(', ')}`);
  lines.push('ranges:');
  for (const k of ['N', 'D', 'C', 'S', 'U', 'loss'] as const) {
    const r = columnRange(ds, k);
    if (r.count === 0) continue;
    const unit = k === 'C' ? ' FLOPs' : '';
    lines.push(`  ${k.padEnd(5)} ${formatNumber(r.min)} to ${formatNumber(r.max)}${unit} (${r.distinct} distinct)`);
  }
  for (const w of ds.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/**
 * Smallest and largest defined value of one column and how many distinct values it has (as a Set counts them: -0 and
 * 0 are one value; the loader admits no NaN), in one pass with an open-addressing table of the values' bits: no
 * sort and no Set of a million boxed numbers. The table grows with the distinct values, so a column of 1000 model
 * sizes probes a table that stays in cache, and a value equal to the previous row's (a loss curve repeats N on every
 * checkpoint) is not looked up at all. Past 65,536 distinct values the table would outgrow the cache (every probe a
 * miss: 0.3 s for a 1M-value loss column), so the column is copied to a Float64Array and sorted instead (native
 * numeric sort, about 0.15 s for 1M values).
 */
function columnRange(
  ds: Dataset,
  k: 'N' | 'D' | 'C' | 'S' | 'U' | 'loss',
): { count: number; min: number; max: number; distinct: number } {
  let table = new Float64Array(1024);
  let used = new Uint8Array(1024);
  const bits = new Float64Array(1);
  const halves = new Int32Array(bits.buffer);
  const slotOf = (x: number, mask: number) => {
    bits[0] = x;
    const h = Math.imul(halves[0]! ^ Math.imul(halves[1]!, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 13)) & mask;
  };
  let count = 0,
    distinct = 0,
    min = Infinity,
    max = -Infinity,
    previous = NaN;
  for (const r of ds.runs) {
    const v = r[k];
    if (v === undefined) continue;
    const x = v + 0; // -0 -> 0
    count++;
    if (x === previous) continue;
    previous = x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (distinct === SORT_ABOVE) return sortedRange(ds, k);
    if (2 * (distinct + 1) > table.length) {
      const [oldTable, oldUsed] = [table, used];
      table = new Float64Array(2 * oldTable.length);
      used = new Uint8Array(2 * oldTable.length);
      const mask = table.length - 1;
      for (let s = 0; s < oldTable.length; s++) {
        if (!oldUsed[s]) continue;
        let t = slotOf(oldTable[s]!, mask);
        while (used[t]) t = (t + 1) & mask;
        used[t] = 1;
        table[t] = oldTable[s]!;
      }
    }
    const mask = table.length - 1;
    for (let s = slotOf(x, mask); ; s = (s + 1) & mask) {
      if (!used[s]) {
        used[s] = 1;
        table[s] = x;
        distinct++;
        break;
      }
      if (table[s] === x) break;
    }
  }
  return { count, min, max, distinct };
}

/** The number of distinct values beyond which {@link columnRange} sorts instead of hashing. */
const SORT_ABOVE = 1 << 16;

/** columnRange by sorting a copy of the column (for columns with many distinct values). */
function sortedRange(
  ds: Dataset,
  k: 'N' | 'D' | 'C' | 'S' | 'U' | 'loss',
): { count: number; min: number; max: number; distinct: number } {
  const values = new Float64Array(ds.runs.length);
  let count = 0;
  for (const r of ds.runs) {
    const v = r[k];
    if (v !== undefined) values[count++] = v + 0; // -0 -> 0
  }
  const sorted = values.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return { count, min: sorted[0]!, max: sorted[count - 1]!, distinct };
}
