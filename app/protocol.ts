import type { ReportFile } from '../src/pipeline/buildReport.ts';

/** What the page asks for: the file (bytes and name) and every choice made in the page. */
export interface Settings {
  /** `--columns`: canonical name -> header; an empty value means the loader's own choice. */
  columns: Record<string, string>;
  /** `--where`, one filter a line. */
  where: string[];
  excludeTopLoss: number;
  computeUnit: 'flops' | 'pf-days';
  law: string;
  offset: boolean;
  /** '' = the law's own default loss. */
  loss: '' | 'huber' | 'mse' | 'lad';
  /** '' = default (1e-3). */
  delta: string;
  space: '' | 'log' | 'linear';
  starts: 'default' | 'hoffmann';
  fix: string[];
  tie: string[];
  bounds: string[];
  /** `--train`: '' = every run trains. */
  train: string;
  bootstrap: number;
  seed: number;
  level: number;
  resample: 'rows' | 'models';
  /** Budgets (FLOPs) for N_opt, D_opt and loss; empty = the report's default decades. */
  compute: number[];
}

export interface DataSummary {
  file: string;
  sha256: string;
  columns: Record<string, string>;
  tagColumns: string[];
  /** The file's header (when the loader could read it). */
  header: string[];
  rowsRead: number;
  rowsDropped: number;
  kept: number;
  filters: string[];
  excludeTopLoss: number;
  warnings: string[];
  /** The first runs as loaded (N, D, C, loss, line). */
  preview: Array<Record<string, number | string | undefined>>;
  /** Missing columns when the header lacks what the law needs (then nothing is fitted). */
  missing: string[];
}

export interface ChartOut {
  id: string;
  title: string;
  spec: object;
}

export interface TableOut {
  id: string;
  title: string;
  headers: string[];
  rows: string[][];
  note?: string;
}

export interface FitOutcome {
  data: DataSummary;
  /** The fit JSON text, as `scalefit fit --json` and `report`'s fit.json write it. */
  fitJson: string;
  params: Record<string, number>;
  headline: string | null;
  title: string;
  formula: string;
  notes: string[];
  tables: TableOut[];
  charts: ChartOut[];
  files: ReportFile[];
  /** Wall time of the request in the worker (load, fit, uncertainty, report assembly), in ms. */
  totalMs: number;
  workers: number;
}

export interface BudgetRow {
  C: number;
  N_opt: number | null;
  D_opt: number | null;
  tokensPerParam: number | null;
  loss: number | null;
  lossInterval: [number, number] | null;
  N_ci: [number, number] | null;
  D_ci: [number, number] | null;
}

export type Request =
  | { type: 'init'; source: Blob; libraries: string }
  | { type: 'inspect'; id: number; file: string; bytes: Uint8Array; settings: Settings }
  | { type: 'fit'; id: number; file: string; bytes: Uint8Array; settings: Settings }
  | { type: 'budget'; id: number; fitJson: string; compute: number[]; level: number }
  | { type: 'task'; id: number; task: unknown };

export type Reply =
  | { type: 'inspect'; id: number; data: DataSummary }
  | { type: 'fit'; id: number; outcome: FitOutcome }
  | { type: 'budget'; id: number; rows: BudgetRow[] }
  | { type: 'task'; id: number; result: unknown }
  | { type: 'progress'; id: number; text: string }
  | { type: 'error'; id: number; message: string; data?: DataSummary };
