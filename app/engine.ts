// The app's worker: loads, fits and builds reports with the library, unchanged, off the page's thread; the same
// script also runs the bootstrap's and the exhaustive grid's chunks when started by the web worker pool.
import './shims/globals.ts';
import { InputError, ScalefitError } from '../src/core/errors.ts';
import type { Point } from '../src/core/law.ts';
import { firstInvalidUtf8, loadRunsFromBytes } from '../src/data/load.ts';
import type { LoadOptions } from '../src/data/load.ts';
import { loadRunsFromJsonLines } from '../src/data/jsonLines.ts';
import { loadRunsFromParquetBytes } from '../src/data/parquet.ts';
import { MissingColumnsError } from '../src/data/missingColumnsError.ts';
import type { Dataset } from '../src/data/types.ts';
import { parseConstraintOptions } from '../src/fit/constraints.ts';
import type { FitOptionsInput } from '../src/fit/options.ts';
import type { FitJson } from '../src/io/fitJson.ts';
import { getLaw } from '../src/laws/index.ts';
import { intervalInputsFromFit } from '../src/analysis/intervalInputsFromFit.ts';
import { pointPredictions } from '../src/analysis/pointPredictions.ts';
import { DEFAULT_WORKERS } from '../src/parallel/workerPool.ts';
import worker from '../src/parallel/worker.ts';
import type { WorkerTask } from '../src/parallel/worker.ts';
import { buildReportFromDataset } from '../src/pipeline/buildReport.ts';
import { reportTables } from '../src/report/tables.ts';
import { DEFAULT_BUDGETS } from '../src/report/model.ts';
import { setWorkerSource } from './webWorkerPool.ts';
import type { BudgetRow, DataSummary, FitOutcome, Reply, Request, Settings } from './protocol.ts';

const post = (m: Reply) => (self as unknown as { postMessage(m: Reply): void }).postMessage(m);
let libraries = '';

/** What the CLI prints after `scalefit: error: `: the first line of the message (and a bug note for internal errors). */
export function errorLine(e: unknown): string {
  const err = e as Error;
  const first = String(err?.message ?? err)
    .split('\n')[0]!
    .trim();
  const known = e instanceof InputError || e instanceof ScalefitError;
  return known ? first : `internal error: ${first} (a bug in scalefit: please report it)`;
}

function loadOptions(s: Settings, need: LoadOptions['need']): LoadOptions {
  const columns = Object.fromEntries(Object.entries(s.columns).filter(([, v]) => v.trim() !== ''));
  return {
    columns,
    need,
    where: s.where.filter((w) => w.trim() !== ''),
    excludeTopLoss: s.excludeTopLoss,
    computeUnit: s.computeUnit,
  };
}

/** The file's runs, by its extension as readRuns chooses (CSV, JSON lines or Parquet), from its bytes. */
async function load(file: string, bytes: Uint8Array, s: Settings): Promise<Dataset> {
  const law = getLaw(s.law, { offset: s.offset });
  const o = loadOptions(s, law.variables);
  if (/\.(jsonl|ndjson)$/i.test(file)) return loadRunsFromJsonLines(utf8(bytes, file), file, o);
  if (/\.(parquet|pq)$/i.test(file)) return loadRunsFromParquetBytes(bytes, file, o);
  return loadRunsFromBytes(bytes, file, o);
}

/** UTF-8 text, refused with loadText's message (the CLI's, for a JSON-lines file): the line of the first bad byte. */
function utf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = 1 + bytes.subarray(0, at).filter((b) => b === 10).length;
    throw new InputError(
      `${file}:${line}: not UTF-8 text (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at that line); save the file as UTF-8`,
    );
  }
}

function summary(ds: Dataset): DataSummary {
  const header = [...Object.values(ds.columns).filter((h) => !h.startsWith('derived')), ...ds.tagColumns];
  const preview = ds.runs.slice(0, 8).map((r) => ({ line: r.line, run: r.run, N: r.N, D: r.D, C: r.C, loss: r.loss }));
  return {
    file: ds.file,
    sha256: ds.sha256,
    columns: ds.columns,
    tagColumns: ds.tagColumns,
    header: [...new Set(header)],
    rowsRead: ds.rowsRead,
    rowsDropped: ds.rowsDropped,
    kept: ds.runs.length,
    filters: ds.filters,
    excludeTopLoss: ds.excludeTopLoss,
    warnings: ds.warnings,
    preview,
    missing: [],
  };
}

/** The data summary an error still allows: the header and the mapping of a file that lacks a needed column. */
function errorData(e: unknown, file: string): DataSummary | undefined {
  if (!(e instanceof MissingColumnsError)) return undefined;
  return {
    file,
    sha256: '',
    columns: e.columns,
    tagColumns: e.tagColumns,
    header: e.header,
    rowsRead: 0,
    rowsDropped: 0,
    kept: 0,
    filters: [],
    excludeTopLoss: 0,
    warnings: [],
    preview: [],
    missing: e.missing,
  };
}

/** The settings as the CLI's options would give them (options.ts: fitOptionsFrom): only what was chosen is passed. */
function fitOptions(s: Settings, source: string): FitOptionsInput {
  let delta: number | undefined;
  if (s.delta.trim() !== '') {
    delta = Number(s.delta);
    if (!(delta > 0 && Number.isFinite(delta))) throw new InputError(`--delta ${s.delta}: expected a number > 0`);
  }
  const loss = {
    ...(s.loss ? { kind: s.loss } : {}),
    ...(delta !== undefined ? { delta } : {}),
    ...(s.space ? { space: s.space } : {}),
  };
  const clean = (xs: string[]) => xs.map((x) => x.trim()).filter((x) => x !== '');
  return {
    ...(Object.keys(loss).length > 0 ? { loss } : {}),
    starts: s.starts,
    constraints: parseConstraintOptions(clean(s.fix), clean(s.tie), clean(s.bounds)),
    source,
  };
}

async function fit(id: number, file: string, bytes: Uint8Array, s: Settings): Promise<FitOutcome> {
  const t0 = performance.now();
  const ds = await load(file, bytes, s);
  const law = getLaw(s.law, { offset: s.offset });
  const compute = s.compute.length ? s.compute : DEFAULT_BUDGETS;
  const at: Point[] = [];
  const progress = {
    write: (text: string) => post({ type: 'progress', id, text: text.replace(/\r|\x1b\[K/g, '') }),
    enabled: true,
    columns: 72,
  };
  const report = await buildReportFromDataset(ds, {
    law,
    train: s.train.trim() === '' ? null : s.train.trim(),
    compute,
    at,
    fit: fitOptions(s, file),
    images: false,
    libraries,
    progress,
    uncertainty: {
      bootstrap: s.bootstrap,
      seed: s.seed,
      workers: DEFAULT_WORKERS,
      resample: s.resample,
      level: s.level,
      compute,
      at,
    },
  });
  const m = report.model;
  const fitJson = report.files.find((f) => f.path === 'fit.json')!.data as string;
  return {
    data: summary(ds),
    fitJson,
    params: m.params,
    headline: report.headline,
    title: m.title,
    formula: m.formula,
    notes: m.notes,
    tables: reportTables(m),
    charts: report.charts.map((c) => ({ id: c.id, title: c.title, spec: c.spec as object })),
    files: report.files,
    totalMs: performance.now() - t0,
    workers: DEFAULT_WORKERS,
  };
}

function budget(fitJson: string, compute: number[], level: number): BudgetRow[] {
  const fitted = JSON.parse(fitJson) as FitJson;
  const law = getLaw(fitted.law);
  const out = pointPredictions(law, fitted.params, intervalInputsFromFit(fitted, law), [], compute, level);
  return out.compute.map((r) => ({
    C: r.C,
    N_opt: r.N_opt,
    D_opt: r.D_opt,
    tokensPerParam: r.tokensPerParam,
    loss: r.loss?.predicted ?? null,
    lossInterval: r.loss?.interval ? [r.loss.interval.lo, r.loss.interval.hi] : null,
    N_ci: r.N_ci,
    D_ci: r.D_ci,
  }));
}

/**
 * A first fit costs about three times a later one (the JIT compiles the loader, the fitter and the report on first
 * use): fit 40 generated runs once at start-up, while the user is still choosing a file. Generated from Hoffmann et
 * al.'s published law (E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28) with a fixed +-1% pattern; the result is
 * dropped.
 */
async function warmUp(): Promise<void> {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const N = 1e7 * 10 ** ((i % 8) / 2),
      D = N * 20 * 2 ** ((i % 5) - 2);
    const loss = (1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28) * (1 + 0.01 * Math.sin(7 * i));
    return `${N},${D},${loss}`;
  });
  const bytes = new TextEncoder().encode(`N,D,loss\n${rows.join('\n')}\n`);
  const settings: Settings = {
    columns: {},
    where: [],
    excludeTopLoss: 0,
    computeUnit: 'flops',
    law: 'chinchilla',
    offset: false,
    loss: '',
    delta: '',
    space: '',
    starts: 'default',
    fix: [],
    tie: [],
    bounds: [],
    train: '',
    bootstrap: 0,
    seed: 0,
    level: 0.95,
    resample: 'rows',
    compute: [],
  };
  try {
    await fit(0, 'warm-up.csv', bytes, settings);
  } catch {
    // Only a warm-up: a failure here shows up in the user's own fit.
  }
}

self.onmessage = async (e: MessageEvent<Request>) => {
  const m = e.data;
  if (m.type === 'init') {
    setWorkerSource(m.source);
    libraries = m.libraries;
    void warmUp();
    return;
  }
  try {
    if (m.type === 'task') post({ type: 'task', id: m.id, result: worker(m.task as WorkerTask) });
    else if (m.type === 'inspect')
      post({ type: 'inspect', id: m.id, data: summary(await load(m.file, m.bytes, m.settings)) });
    else if (m.type === 'fit') post({ type: 'fit', id: m.id, outcome: await fit(m.id, m.file, m.bytes, m.settings) });
    else if (m.type === 'budget') post({ type: 'budget', id: m.id, rows: budget(m.fitJson, m.compute, m.level) });
  } catch (err) {
    const data = m.type === 'inspect' || m.type === 'fit' ? errorData(err, m.file) : undefined;
    post({ type: 'error', id: m.id, message: errorLine(err), ...(data ? { data } : {}) });
  }
};
