import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.ts';
import { show } from './csvReader.ts';
import { cellOf, loadRunsFromRecords } from './load.ts';
import type { LoadOptions } from './load.ts';
import type { Dataset } from './types.ts';

/**
 * Load runs from JSON lines (one JSON object per line, as `.jsonl`/`.ndjson` logs and `pandas.to_json(lines=True)`
 * write them): the keys are the columns, in the order they first appear, and every record goes through the CSV
 * loader's aliases, number parsing, filters and checks, its errors naming the record's line. A key a record lacks
 * is an empty cell (a blank N, D or C is derived from the other two, as in a CSV).
 *
 * @example loadRunsFromJsonLines('{"N": 1e8, "D": 2e9, "loss": 3.1}\n', 'runs.jsonl').runs[0].loss // 3.1
 */
export function loadRunsFromJsonLines(text: string, file: string, options: LoadOptions = {}): Dataset {
  const sha256 = createHash('sha256').update(text).digest('hex');
  const objects: Array<{ value: Record<string, unknown>; line: number }> = [];
  const header: string[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (i === 0 && lines[0]!.charCodeAt(0) === 0xfeff ? lines[0]!.slice(1) : lines[i]!).trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new InputError(
        `${file}:${i + 1}: not valid JSON (${show((e as Error).message, 80)}); JSON lines need one object per line, e.g. {"N": 1e8, "D": 2e9, "loss": 3.1}`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(
        `${file}:${i + 1}: expected a JSON object per line (one run, e.g. {"N": 1e8, "D": 2e9, "loss": 3.1}), got ${Array.isArray(value) ? 'an array' : show(JSON.stringify(value))}`,
      );
    }
    for (const k of Object.keys(value)) {
      if (!seen.has(k)) {
        seen.add(k);
        header.push(k);
      }
    }
    objects.push({ value: value as Record<string, unknown>, line: i + 1 });
  }
  if (objects.length === 0)
    throw new InputError(
      `${file}: the file is empty; expected one JSON object per run, e.g. {"N": 1e8, "D": 2e9, "loss": 3.1}`,
    );
  const rows = objects.map(({ value, line }) => ({ cells: header.map((k) => cellOf(value[k])), line }));
  return loadRunsFromRecords(header, objects[0]!.line, rows, file, options, sha256);
}
