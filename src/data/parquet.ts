import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.ts';
import { show } from './csvReader.ts';
import { cellOf, loadRunsFromRecords } from './load.ts';
import type { LoadOptions } from './load.ts';
import type { Dataset } from './types.ts';

/**
 * Load runs from a Parquet file (Hugging Face data sets, many published sweeps), read with hyparquet (loaded only
 * here): the columns and every row go through the CSV loader's aliases, number parsing, filters and checks. Errors
 * and warnings name rows (1-based, the first data row is row 1) where a CSV's name lines. Integers stored as 64-bit
 * come back as exact BigInts and are read like the digits of a CSV cell.
 *
 * @example (await loadRunsFromParquet('runs.parquet')).runs.length
 */
export async function loadRunsFromParquet(path: string, options: LoadOptions = {}): Promise<Dataset> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (code ?? show(String(e)))})`,
    );
  }
  return loadRunsFromParquetBytes(bytes, path, options);
}

/**
 * {@link loadRunsFromParquet} of a Parquet file's bytes (`path` names it in messages): no file is read, so the browser
 * app loads a dropped Parquet file with it.
 *
 * @example (await loadRunsFromParquetBytes(new Uint8Array(await file.arrayBuffer()), file.name)).runs.length
 */
export async function loadRunsFromParquetBytes(
  bytes: Uint8Array,
  path: string,
  options: LoadOptions = {},
): Promise<Dataset> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { parquetMetadata, parquetReadObjects, parquetSchema } = await import('hyparquet');
  let header: string[];
  let objects: Array<Record<string, unknown>>;
  try {
    const metadata = parquetMetadata(file);
    header = parquetSchema(metadata).children.map((c) => c.element.name);
    objects = await parquetReadObjects({ file, metadata });
  } catch (e) {
    throw new InputError(`${path}: not a readable Parquet file (${show((e as Error).message ?? String(e), 80)})`);
  }
  if (objects.length === 0)
    throw new InputError(`${path}: the Parquet file has columns but no rows; add one row per run`);
  const rows = objects.map((o, i) => ({ cells: header.map((k) => cellOf(o[k])), line: i + 1 }));
  try {
    const ds = loadRunsFromRecords(header, 0, rows, path, options, sha256);
    return { ...ds, warnings: ds.warnings.map(linesToRows) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(rowMessage(e.message, path));
  }
}

/** `file:12: ...` -> `file: row 12: ...` (and `file:0:`, the column names, -> `file: ...`): a Parquet file has no lines. */
function rowMessage(message: string, path: string): string {
  if (!message.startsWith(`${path}:`)) return message;
  const rest = message.slice(path.length + 1);
  const m = /^(\d+): /.exec(rest);
  if (!m) return message;
  const body = linesToRows(rest.slice(m[0].length));
  return m[1] === '0' ? `${path}: ${body}` : `${path}: row ${m[1]}: ${body}`;
}

function linesToRows(text: string): string {
  return text.replace(/\blines? (\d+)/g, (_, n: string) => `row ${n}`);
}
