// Writes test/fixtures/formats/runs.{csv,jsonl,parquet}: the same 30 runs (the first 30 rows of
// data/epoch-chinchilla.csv, Besiroglu et al. 2024) as CSV, JSON lines and Parquet, for the test that all three load
// to identical runs. Parquet is written with hyparquet-writer (a devDependency), with the column types a pandas or
// Hugging Face export would use: INT64 parameter counts, DOUBLE tokens, FLOPs and loss, STRING run id and tag, and
// nulls where a value is derived (C = 6ND). Run: node scripts/make-format-fixtures.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

const lines = readFileSync('data/epoch-chinchilla.csv', 'utf8').trim().split('\n');
const header = lines[0].split(',');
const col = (name) => header.indexOf(name);
const rows = lines.slice(1, 31).map((line, i) => {
  const f = line.split(',');
  const N = Math.round(Number(f[col('Model Size')]));
  const C = Number(f[col('Training FLOP')]);
  return {
    run_id: `r${String(i + 1).padStart(2, '0')}`,
    params: N,
    // Every third run gives tokens and no FLOPs, the others FLOPs and no tokens: both derivations are exercised.
    tokens: i % 3 === 0 ? C / (6 * N) : null,
    'Training FLOP': i % 3 === 0 ? null : C,
    val_loss: Number(f[col('loss')]),
    dataset: i % 2 ? 'massivetext' : 'c4',
  };
});
const names = Object.keys(rows[0]);
const cell = (v) => (v === null ? '' : String(v));
writeFileSync(
  'test/fixtures/formats/runs.csv',
  `${names.join(',')}\n${rows.map((r) => names.map((k) => cell(r[k])).join(',')).join('\n')}\n`,
);
// JSON lines drop the null keys, as many loggers do: an absent key is an empty cell.
writeFileSync(
  'test/fixtures/formats/runs.jsonl',
  `${rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)))).join('\n')}\n`,
);
const buf = parquetWriteBuffer({
  columnData: [
    { name: 'run_id', data: rows.map((r) => r.run_id), type: 'STRING' },
    { name: 'params', data: rows.map((r) => BigInt(r.params)), type: 'INT64' },
    { name: 'tokens', data: rows.map((r) => r.tokens), type: 'DOUBLE' },
    { name: 'Training FLOP', data: rows.map((r) => r['Training FLOP']), type: 'DOUBLE' },
    { name: 'val_loss', data: rows.map((r) => r.val_loss), type: 'DOUBLE' },
    { name: 'dataset', data: rows.map((r) => r.dataset), type: 'STRING' },
  ],
});
writeFileSync('test/fixtures/formats/runs.parquet', new Uint8Array(buf));
console.log('wrote test/fixtures/formats/runs.{csv,jsonl,parquet}');
