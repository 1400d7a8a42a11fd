import { basename } from 'node:path';
import { InputError } from '../core/errors.ts';
import type { Run } from '../core/run.ts';
import type { LrSchedule } from '../core/schedule.ts';
import { interpolateSchedule } from '../math/interpolateSchedule.ts';
import { foldHeader } from './columns.ts';
import { show } from './csvReader.ts';
import type { LoadOptions } from './load.ts';
import { numberHint, parseNumber } from './parseNumber.ts';
import { readRuns } from './readRuns.ts';
import type { Dataset } from './types.ts';

/** Headers read as the learning rate of a checkpoint (matched like the other columns: case, ' ', '_', '-' alike). */
export const LR_ALIASES = [
  'lr',
  'learning_rate',
  'train/lr',
  'train/learning_rate',
  'optimizer/lr',
  'lr_scheduler/lr',
  'trainer/learning_rate',
];
/** Headers read as tokens per optimizer step (batch size in tokens). */
export const TOKENS_PER_STEP_ALIASES = ['tokens_per_step', 'batch_tokens', 'batch_size_tokens'];

/** One run's loss curve: its checkpoints (step >= 1, increasing) and the schedule they share. */
export interface Curve {
  run: string;
  /** The run's checkpoints with a loss, at steps >= 1, in increasing step order, each with `schedule` set. */
  checkpoints: Run[];
  /** lr of every step 0..last step: linear between the logged steps, the first logged rate before it. */
  schedule: LrSchedule;
  /** Tokens per step, from a tokens-per-step column or D/step (D the tokens so far); undefined when neither is given. */
  tokensPerStep?: number;
}

/** What {@link readCurves} returns: the loaded file and its curves. */
export interface CurveDataset {
  dataset: Dataset;
  curves: Curve[];
  /** Every curve's checkpoints, in file order of the curves (what a curve law is fitted to). */
  checkpoints: Run[];
  /** The header the learning rate came from. */
  lrColumn: string;
}

/** How {@link readCurves} reads a file: the loader's options, and the learning-rate column if its header is not an alias. */
export interface CurveLoadOptions extends Omit<LoadOptions, 'need' | 'want' | 'needLoss'> {
  lrColumn?: string;
}

/**
 * Load whole loss curves: one row per checkpoint with a run id (optional for a single curve), the step, the loss and
 * the learning rate of that step (wandb's `_step`, `train/loss`, `lr` read as they are), optionally D (tokens so far)
 * or tokens per step. Through {@link readRuns}, so CSV, JSON lines and Parquet load alike, with the same aliases,
 * `--columns`, `--where` and one-line errors naming file and line; refused besides, naming the line: a row without a
 * step or with a fractional or negative one, steps that do not increase within a run, a missing or negative learning
 * rate, a file without a learning-rate column. Step 0 rows give the schedule only (the laws start at step 1). The
 * schedule between logged steps is linear in the step: log the rate at every step, or at least at every bend.
 *
 * @example
 * import { readCurves } from 'scalefit';
 * const data = await readCurves('data/examples/curves.csv');
 * data.curves.map((c) => c.run).join(', '); // → 'constant, cosine, wsd-20'
 * data.checkpoints.length; // → 231
 * data.curves[0].tokensPerStep; // → 524288
 */
export async function readCurves(path: string, options: CurveLoadOptions = {}): Promise<CurveDataset> {
  const dataset = await readRuns(path, { ...options, need: [], want: ['S'], needLoss: true });
  const name = dataset.file;
  if (dataset.columns.S === undefined) {
    throw new InputError(
      `${name}: no step column; a loss-curve file needs one (headers step, steps, _step, global_step; or --columns S=HEADER)`,
    );
  }
  const lrColumn = findColumn(dataset.tagColumns, options.lrColumn, LR_ALIASES);
  if (lrColumn === undefined) {
    throw new InputError(
      options.lrColumn !== undefined
        ? `${name}: no column "${show(options.lrColumn)}" for --lr-column; headers: ${dataset.tagColumns.map((h) => show(h)).join(', ')}`
        : `${name}: no learning-rate column; curve laws need the rate of every checkpoint (headers ${LR_ALIASES.join(', ')}; or --lr-column HEADER)`,
    );
  }
  const tpsColumn = findColumn(dataset.tagColumns, undefined, TOKENS_PER_STEP_ALIASES);
  const byRun = new Map<string, Run[]>();
  const single = basename(name).replace(/\.[^.]*$/, '');
  for (const r of dataset.runs) {
    const id = r.run ?? single;
    let rows = byRun.get(id);
    if (!rows) byRun.set(id, (rows = []));
    rows.push(r);
  }
  const curves: Curve[] = [];
  for (const [run, rows] of byRun) curves.push(curveOf(name, run, rows, lrColumn, tpsColumn));
  if (curves.every((c) => c.checkpoints.length === 0))
    throw new InputError(`${name}: no checkpoint after step 0; a loss curve needs losses at steps >= 1`);
  return { dataset, curves, checkpoints: curves.flatMap((c) => c.checkpoints), lrColumn };
}

function findColumn(
  headers: readonly string[],
  given: string | undefined,
  aliases: readonly string[],
): string | undefined {
  if (given !== undefined)
    return headers.find((h) => h === given) ?? headers.find((h) => foldHeader(h) === foldHeader(given));
  for (const a of aliases) {
    const h = headers.find((x) => foldHeader(x) === foldHeader(a));
    if (h !== undefined) return h;
  }
  return undefined;
}

/**
 * Read a schedule file (columns step and lr, aliases as for curves; no loss needed) into the rate of every step,
 * linear between the logged steps. Refused like a curve: steps not increasing, a missing or negative rate.
 *
 * @example (await readSchedule('my-schedule.csv')).lr.length // last step + 1
 */
export async function readSchedule(path: string, lrColumnName?: string): Promise<LrSchedule> {
  const dataset = await readRuns(path, { need: [], want: ['S'], needLoss: false });
  if (dataset.columns.S === undefined)
    throw new InputError(
      `${dataset.file}: no step column; a schedule file needs one (headers step, steps, _step, global_step)`,
    );
  const lrColumn = findColumn(dataset.tagColumns, lrColumnName, LR_ALIASES);
  if (lrColumn === undefined)
    throw new InputError(`${dataset.file}: no learning-rate column (headers ${LR_ALIASES.join(', ')})`);
  if (dataset.runs.length === 0) throw new InputError(`${dataset.file}: no rows`);
  return curveOf(dataset.file, 'schedule', dataset.runs, lrColumn, undefined).schedule;
}

function curveOf(file: string, run: string, rows: Run[], lrColumn: string, tpsColumn: string | undefined): Curve {
  const steps: number[] = [],
    rates: number[] = [];
  let previous: Run | undefined;
  for (const r of rows) {
    const s = r.S;
    if (s === undefined || !Number.isInteger(s) || s < 0) {
      throw new InputError(
        `${file}:${r.line}: the step ${s === undefined ? 'is empty or unreadable' : `${s} is not a whole number >= 0`}; every checkpoint needs its optimizer step`,
      );
    }
    if (previous && s <= previous.S!) {
      throw new InputError(
        `${file}:${r.line}: run "${show(run)}": step ${s} does not come after step ${previous.S} (line ${previous.line}); each run's checkpoints must be in increasing step order, one row per step`,
      );
    }
    const raw = r.tags[lrColumn] ?? '';
    const lr = parseNumber(raw);
    if (raw.trim() === '' || lr === null || !Number.isFinite(lr) || lr < 0) {
      const why =
        raw.trim() === ''
          ? 'is empty'
          : lr === null || !Number.isFinite(lr)
            ? `${show(raw)} is not a number (${numberHint(raw)})`
            : `${show(raw)} is negative`;
      throw new InputError(
        `${file}:${r.line}: column "${show(lrColumn)}": the learning rate ${why}; every checkpoint needs the rate of its step`,
      );
    }
    steps.push(s);
    rates.push(lr);
    previous = r;
  }
  const schedule = interpolateSchedule(steps, rates);
  const lr = schedule.lr;
  const checkpoints = rows.filter((r) => r.S! >= 1).map((r) => ({ ...r, schedule }));
  if (checkpoints.length > 0 && lr.every((v) => v === 0))
    throw new InputError(
      `${file}:${rows[0]!.line}: run "${show(run)}": the learning rate is 0 at every step; the curve laws need a schedule that trains`,
    );
  return { run, checkpoints, schedule, tokensPerStep: tokensPerStep(rows, tpsColumn) };
}

function tokensPerStep(rows: readonly Run[], column: string | undefined): number | undefined {
  if (column !== undefined) {
    const v = parseNumber(rows[rows.length - 1]!.tags[column] ?? '');
    if (v !== null && v > 0 && Number.isFinite(v)) return v;
  }
  const last = rows[rows.length - 1]!;
  return last.D !== undefined && last.S! > 0 ? last.D / last.S! : undefined;
}
