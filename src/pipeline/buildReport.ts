import { basename } from 'node:path';
import { readRuns } from '../data/readRuns.ts';
import type { LoadOptions } from '../data/load.ts';
import { filterForColumns, matchesFilter } from '../data/filters.ts';
import type { Dataset } from '../data/types.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { atomicFolderWrite } from '../io/atomicFolderWrite.ts';
import { checkOutputPath } from '../io/checkOutputPath.ts';
import type { FitJson } from '../io/fitJson.ts';
import { readFitJson } from '../io/fitJson.ts';
import { stableJson } from '../io/stableJson.ts';
import { getLaw } from '../laws/index.ts';
import { chinchilla } from '../laws/chinchilla.ts';
import type { Law } from '../core/law.ts';
import type { ProgressTarget } from '../io/progressBar.ts';
import type { UncertaintySettings } from './uncertaintySections.ts';
import { fitDataset } from './fitDataset.ts';
import type { Point } from '../core/law.ts';
import { buildCharts } from '../report/charts/index.ts';
import type { Chart } from '../report/charts/index.ts';
import { reportHtml } from '../report/html.ts';
import { libraryScripts } from '../report/libraryScripts.ts';
import { reportMarkdown } from '../report/markdown.ts';
import type { ReportModel, RunSet } from '../report/model.ts';
import { buildModel, DEFAULT_BUDGETS } from '../report/model.ts';
import { predictionsCsv } from '../report/predictionsCsv.ts';
import { renderSvg, svgToPng } from '../report/render.ts';
import { headline, reportTables } from '../report/tables.ts';
import type { Table } from '../report/tables.ts';

/**
 * What {@link buildReport} reports on: the data or a saved fit, the law, the train filter, budgets, points, fit and
 * uncertainty settings.
 */
export interface ReportOptions {
  /** CSV of runs. Optional with `from` (the fit JSON's own data are used). */
  data?: string;
  /** A saved fit JSON to report on without refitting. */
  from?: string;
  /** A fit already in memory (a published law: `--published NAME`) used in place of reading `from`, which names it. */
  fromFit?: FitJson;
  /** The law to fit (default chinchilla); with `from`, the fit file's own law is used. */
  law: Law;
  /** Filter text selecting the train runs (e.g. `N<=1e9`); the rest are held out. Null: every run trains. */
  train: string | null;
  /** Budgets (FLOPs) for the allocation table. */
  compute: number[];
  at: Point[];
  load: LoadOptions;
  fit: FitOptionsInput;
  /** Render SVG and PNG files of the charts for report.md (default true). */
  images?: boolean;
  /** Uncertainty of the train fit (bootstrap K, seed, workers...); without it, asymptotic standard errors only. */
  uncertainty?: UncertaintySettings;
  /** Where a bootstrap draws its progress bar. */
  progress?: ProgressTarget;
  /** The column that names runs in tables and predictions.csv (default: the run id, else N and D). */
  label?: string;
  /** Tables to show before and after the report's own (the verdicts of `scalefit reproduce`). */
  extraTables?: { first: Table[]; last: Table[] };
  /** The vega script elements index.html inlines (default: libraryScripts(), read from node_modules). */
  libraries?: string;
}

/** One file of a report folder, by its path inside the folder. */
export interface ReportFile {
  path: string;
  data: string | Uint8Array;
}

/**
 * A built report: the model its tables come from, the charts, the files to write, and the one-line backtest headline.
 */
export interface ReportResult {
  model: ReportModel;
  charts: Chart[];
  files: ReportFile[];
  headline: string | null;
}

/** The files a report folder holds (charts/ besides): refused without --force when any exists. */
export const REPORT_FILES = ['index.html', 'report.md', 'fit.json', 'predictions.csv'];

export function resolveReportOptions(o: Partial<ReportOptions>): ReportOptions {
  return { law: chinchilla, train: null, compute: DEFAULT_BUDGETS, at: [], load: {}, fit: {}, images: true, ...o };
}

function runsFromFitJson(fit: FitJson, path: string): Run[] {
  const d = fit.data;
  if ('omitted' in d && 'published' in fit)
    throw new InputError(
      `${path}: a published law has no runs to report on; give a CSV of runs to score it on: scalefit report <data.csv> ${path.startsWith('--published') ? path : `--from ${path}`}`,
    );
  if ('omitted' in d)
    throw new InputError(
      `${path}: the fit file holds no data (${d.omitted}); give the CSV too: scalefit report <data.csv> --from ${path}`,
    );
  return d.loss.map((loss, i) => ({
    N: d.N?.[i] ?? undefined,
    D: d.D?.[i] ?? undefined,
    C: d.C?.[i] ?? undefined,
    loss,
    tags: {},
    line: d.line[i] ?? i + 2,
  }));
}

function splitRuns(
  runs: Run[],
  train: string | null,
  known: Pick<Dataset, 'columns' | 'tagColumns'>,
  file: string,
): Array<Run & { set: RunSet }> {
  if (train === null) return runs.map((r) => ({ ...r, set: 'train' as const }));
  const f = filterForColumns(train, known.columns, known.tagColumns, `--train ${train}: ${file}`);
  const out = runs.map((r) => ({ ...r, set: (matchesFilter(r, f) ? 'train' : 'held-out') as RunSet }));
  if (!out.some((r) => r.set === 'train'))
    throw new InputError(`--train ${train}: no run of ${file} matches; nothing to fit`);
  return out;
}

/**
 * The column a --label names, as the report model reads it: `run` for the run-id column, else a tag column's header.
 * Refused when it is neither (N, D, loss... name no run), listing the columns that can.
 */
function labelColumn(label: string | undefined, ds: Dataset, file: string): string | undefined {
  if (label === undefined || label === 'run' || ds.tagColumns.includes(label)) return label;
  const mapped = Object.entries(ds.columns).find(([, header]) => header === label);
  if (mapped?.[0] === 'run') return 'run';
  const choices = [...(ds.columns.run !== undefined ? [ds.columns.run] : []), ...ds.tagColumns];
  throw new InputError(
    `--label ${label}: ${file} has no such text column${mapped ? ` (${label} is read as ${mapped[0]})` : ''}; columns that can name runs: ${choices.length ? choices.join(', ') : 'none (runs are named by N and D)'}`,
  );
}

function knownColumns(ds: Dataset): Pick<Dataset, 'columns' | 'tagColumns'> {
  return {
    columns: { ...ds.columns, ...(ds.columns.run === undefined ? {} : { run: ds.columns.run }) },
    tagColumns: ds.tagColumns,
  };
}

/**
 * Build a report: load the runs, fit the law on the train runs (or read a saved fit), predict every run, and produce
 * the files of the report folder: index.html (self-contained), report.md with charts/*.svg and *.png, the Vega-Lite
 * specs charts/*.vl.json, fit.json and predictions.csv. Nothing is written; see {@link writeReport}.
 *
 * @example
 * import { buildReport } from 'scalefit';
 * // Fit the runs below 1e21 FLOPs, predict the larger ones (images: false skips the SVG/PNG rendering)
 * const options = { data: 'data/epoch-chinchilla.csv', load: { excludeTopLoss: 5 }, train: 'C<1e21', images: false };
 * const report = await buildReport(options);
 * report.files.map((f) => f.path).includes('index.html'); // → true
 * report.headline.startsWith('Fitted on the 217 runs with C<1e21, the law predicts the 23 held-out runs'); // → true
 */
export async function buildReport(options: Partial<ReportOptions>): Promise<ReportResult> {
  const o = resolveReportOptions(options);
  let fit: FitJson;
  let runs: Array<Run & { set: RunSet }>;
  let source: string;
  let trainText = o.train;
  let noHeldOutNote: string | undefined;
  let labelCol: string | undefined;
  let law = o.law;
  if (o.from) {
    fit = o.fromFit ?? readFitJson(o.from);
    law = getLaw(fit.law);
    if (o.data) {
      const ds = await readRuns(o.data, { ...o.load, need: law.variables, minimumSteps: law.minimumSteps });
      // A report's own fit.json remembers its --train, so `--from fit.json data.csv` rebuilds the same backtest.
      const saved = fit.train;
      if (o.train === null && saved !== undefined) o.train = saved;
      // A published law was fitted on none of these runs: all of them test it (unless --train names some).
      runs =
        fit.published !== undefined && o.train === null
          ? ds.runs.map((r) => ({ ...r, set: 'held-out' as const }))
          : splitRuns(ds.runs, o.train, knownColumns(ds), o.data);
      labelCol = labelColumn(o.label, ds, o.data);
      source = o.data;
    } else {
      if (o.label !== undefined)
        throw new InputError(`--label ${o.label}: ${o.from} holds no run names; give the CSV too`);
      runs = splitRuns(
        runsFromFitJson(fit, o.from),
        o.train,
        { columns: { N: 'N', D: 'D', C: 'C', S: 'S', U: 'U', loss: 'loss' }, tagColumns: [] },
        o.from,
      );
      source = fit.input.file;
      // A report's own fit.json keeps only its train runs: name its --train rather than report "no --train".
      const saved = fit.train;
      if (o.train === null && saved !== undefined) {
        trainText = saved;
        noHeldOutNote = `the fit was made on the runs with ${saved} (${fit.held_out ?? 'some'} held out) and ${basename(o.from)} keeps only those: give the CSV too to rebuild the backtest`;
      }
    }
  } else {
    if (!o.data) throw new InputError('report: give a CSV of runs (or --from a saved fit)');
    return buildReportFromDataset(
      await readRuns(o.data, { ...o.load, need: law.variables, minimumSteps: law.minimumSteps }),
      o,
    );
  }
  if (o.train !== null) trainText = o.train;
  else if ('published' in fit && o.data) trainText = 'none (published constants: every run tests them)';
  return assembleReport(o, { fit, law, runs, source, trainText, noHeldOutNote, labelCol });
}

/**
 * {@link buildReport} of runs already loaded (`ds.file` names them): split them by `train`, fit the law on the train
 * runs, predict every run and produce the report's files. No file is read (with `libraries` given) or written: the
 * browser app builds its reports with it from the bytes of a dropped file.
 *
 * @example
 * import { buildReportFromDataset, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const report = await buildReportFromDataset(ds, { train: 'C<1e21', images: false });
 * report.model.runs.filter((r) => r.set === 'held-out').length; // → 23
 */
export async function buildReportFromDataset(ds: Dataset, options: Partial<ReportOptions>): Promise<ReportResult> {
  const o = resolveReportOptions(options);
  const law = o.law;
  const runs = splitRuns(ds.runs, o.train, knownColumns(ds), ds.file);
  const labelCol = labelColumn(o.label, ds, ds.file);
  const trainRuns = runs.filter((r) => r.set === 'train');
  const settings = o.uncertainty ?? {
    bootstrap: 0,
    seed: 0,
    workers: 1,
    resample: 'rows' as const,
    level: 0.95,
    compute: o.compute,
    at: o.at,
  };
  const { json: fit } = await fitDataset(
    law,
    { ...ds, runs: trainRuns },
    {
      fit: o.fit,
      uncertainty: settings,
      ...(o.progress ? { progress: o.progress } : {}),
      ...(o.train === null ? {} : { extra: { train: o.train, held_out: runs.length - trainRuns.length } }),
    },
  );
  return assembleReport(o, { fit, law, runs, source: ds.file, trainText: o.train, noHeldOutNote: undefined, labelCol });
}

/** The model, charts and files of a report from its fit and its runs (each marked train or held-out). */
async function assembleReport(
  o: ReportOptions,
  r: {
    fit: FitJson;
    law: Law;
    runs: Array<Run & { set: RunSet }>;
    source: string;
    trainText: string | null;
    noHeldOutNote: string | undefined;
    labelCol: string | undefined;
  },
): Promise<ReportResult> {
  const { fit, law, runs, source, trainText, noHeldOutNote, labelCol } = r;
  const model = buildModel({
    title: `Scaling-law report: ${basename(source)}`,
    fit,
    law,
    runs,
    train: trainText,
    compute: o.compute,
    at: o.at,
    noHeldOutNote,
    ...(labelCol !== undefined ? { labelColumn: labelCol } : {}),
  });
  const charts = buildCharts(model);
  const tables = [...(o.extraTables?.first ?? []), ...reportTables(model), ...(o.extraTables?.last ?? [])];
  const files: ReportFile[] = [
    { path: 'index.html', data: reportHtml(model, tables, charts, o.libraries ?? libraryScripts()) },
    { path: 'report.md', data: reportMarkdown(model, tables, charts) },
    { path: 'fit.json', data: stableJson(fit) },
    { path: 'predictions.csv', data: predictionsCsv(model) },
  ];
  for (const c of charts) {
    files.push({ path: `charts/${c.id}.vl.json`, data: `${JSON.stringify(c.spec)}\n` });
    if (o.images !== false) {
      const svg = await renderSvg(c.spec);
      files.push({ path: `charts/${c.id}.svg`, data: svg }, { path: `charts/${c.id}.png`, data: svgToPng(svg, 1.5) });
    }
  }
  return { model, charts, files, headline: headline(model) };
}

/** What a report folder may hold to be replaced by --force: its own files (and reproduce's README.md), nothing else. */
export const REPORT_ENTRIES = [...REPORT_FILES, 'charts', 'README.md'];

/**
 * Check the report folder before any work (see checkOutputPath): not a file, not a device, and, unless force is set,
 * not a folder that holds anything; with force, not a folder holding files that are not a report's.
 */
export function checkReportOverwrite(outDir: string, force: boolean): void {
  checkOutputPath(outDir, { force, folder: true, allowed: REPORT_ENTRIES });
}

/**
 * Write the report as a whole (atomicFolderWrite): into a temporary folder beside outDir that replaces the old report
 * in one rename, so a kill or a full disk leaves the old report or the new one, and no old chart survives.
 *
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { buildReport, writeReport } from 'scalefit';
 * const report = await buildReport({ data: 'data/epoch-chinchilla.csv', train: 'C<1e21', images: false });
 * writeReport(join(mkdtempSync(join(tmpdir(), 'report-')), 'epoch'), report.files, false);
 */
export function writeReport(outDir: string, files: ReportFile[], force: boolean): void {
  atomicFolderWrite(outDir, files, { replace: force, allowed: REPORT_ENTRIES });
}
