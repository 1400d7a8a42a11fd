import { InputError } from '../core/errors.ts';
import type { LrSchedule } from '../core/schedule.ts';
import { readSchedule } from '../data/readCurves.ts';
import { makeSchedule, SCHEDULE_KINDS } from '../math/makeSchedule.ts';
import type { ScheduleKind } from '../math/makeSchedule.ts';
import { defineOptions } from './optionTypes.ts';

/** A schedule to predict, with the label tables and charts show. */
export interface NamedSchedule {
  label: string;
  schedule: LrSchedule;
}

/** The schedule to predict a curve for (predict-curve; fit-curves --report): a built-in one or a file. */
export const SCHEDULE_OPTIONS = defineOptions({
  schedule: {
    type: 'choice',
    value: 'KIND',
    choices: SCHEDULE_KINDS,
    separator: ',',
    repeatable: true,
    group: 'Schedule options',
    description: 'built-in schedule(s) to predict',
  },
  'schedule-file': {
    type: 'string',
    value: 'FILE',
    example: 'schedule.csv',
    group: 'Schedule options',
    description: 'a schedule as a CSV, JSON-lines or Parquet file of step and lr (linear between rows)',
  },
  steps: {
    type: 'integer',
    value: 'T',
    min: 1,
    max: 1e8,
    group: 'Schedule options',
    description: 'total optimizer steps',
  },
  tokens: {
    type: 'number',
    value: 'D',
    above: 0,
    example: '10B',
    group: 'Schedule options',
    description: 'total tokens instead of --steps (steps = tokens / tokens per step)',
  },
  'tokens-per-step': {
    type: 'number',
    value: 'X',
    above: 0,
    example: '1M',
    defaultText: "the fitted curves' (when they agree)",
    group: 'Schedule options',
    description: 'tokens per optimizer step',
  },
  'peak-lr': {
    type: 'number',
    value: 'X',
    above: 0,
    example: '3e-4',
    defaultText: "the fitted curves' peak (when they agree)",
    group: 'Schedule options',
    description: 'learning rate after warmup',
  },
  warmup: {
    type: 'integer',
    value: 'W',
    min: 0,
    max: 1e8,
    default: 0,
    group: 'Schedule options',
    description: 'linear warmup steps from 0',
  },
  'final-lr': {
    type: 'number',
    value: 'X',
    min: 0,
    defaultText: 'a tenth of the peak',
    group: 'Schedule options',
    description: 'rate at the last step (cosine, linear, wsd)',
  },
  cooldown: {
    type: 'number',
    value: 'F',
    min: 0,
    max: 1,
    separator: ',',
    repeatable: true,
    group: 'Schedule options',
    defaultText: '0.2',
    description: 'wsd: fraction of all steps in the final decay (several: compared)',
  },
});

/**
 * The schedules the options ask for: one per --schedule kind (one per --cooldown for wsd), or the --schedule-file;
 * none when neither is given. Peak rate and tokens per step default to the fitted curves' (when they agree).
 */
export async function schedulesFrom(
  values: {
    schedule: ScheduleKind[];
    'schedule-file'?: string | undefined;
    steps?: number | undefined;
    tokens?: number | undefined;
    'peak-lr'?: number | undefined;
    warmup: number;
    'final-lr'?: number | undefined;
    cooldown: number[];
  },
  fittedPeak: number | undefined,
  tps: number | undefined,
): Promise<NamedSchedule[]> {
  const file = values['schedule-file'];
  if (file !== undefined) {
    if (values.schedule.length > 0) throw new InputError('give --schedule or --schedule-file, not both');
    return [{ label: file, schedule: await readSchedule(file) }];
  }
  if (values.schedule.length === 0) return [];
  if (values.steps !== undefined && values.tokens !== undefined)
    throw new InputError('give --steps or --tokens, not both');
  let steps = values.steps;
  if (values.tokens !== undefined) {
    if (tps === undefined)
      throw new InputError("--tokens needs --tokens-per-step (the fit's curves give none, or disagree)");
    steps = Math.round(values.tokens / tps);
    if (steps < 1) throw new InputError(`--tokens ${values.tokens} is less than one step of ${tps} tokens`);
  }
  if (steps === undefined) throw new InputError('--schedule: give --steps T or --tokens D');
  const peak = values['peak-lr'] ?? fittedPeak;
  if (peak === undefined) throw new InputError("give --peak-lr (the fit's curves have different peak rates)");
  if (values.cooldown.length > 0 && !values.schedule.includes('wsd'))
    throw new InputError('--cooldown applies to --schedule wsd');
  const cooldowns = values.cooldown.length > 0 ? values.cooldown : [0.2];
  const finalLr = values['final-lr'] ?? peak / 10;
  const out: NamedSchedule[] = [];
  for (const kind of values.schedule) {
    for (const cooldown of kind === 'wsd' ? cooldowns : [0]) {
      const schedule = makeSchedule({ kind, steps, peakLr: peak, warmup: values.warmup, finalLr, cooldown });
      out.push({ label: `${kind}${kind === 'wsd' ? ` cooldown ${cooldown}` : ''}, ${steps} steps`, schedule });
    }
  }
  return out;
}
