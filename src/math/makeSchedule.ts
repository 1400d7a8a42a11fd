import { InputError } from '../core/errors.ts';
import type { LrSchedule } from '../core/schedule.ts';

/** The built-in schedule shapes. */
export const SCHEDULE_KINDS = ['constant', 'cosine', 'linear', 'wsd'] as const;
/** A built-in schedule shape: constant, cosine, linear or wsd (warmup-stable-decay). */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** A built-in schedule, complete: every field set (the CLI and `resolveScheduleSpec` fill the defaults). */
export interface ScheduleSpec {
  kind: ScheduleKind;
  /** Total optimizer steps T. */
  steps: number;
  /** The rate after warmup. */
  peakLr: number;
  /** Linear warmup from 0 to peakLr over this many steps (0: start at peakLr). */
  warmup: number;
  /** The rate at step T for cosine, linear and wsd. */
  finalLr: number;
  /** wsd: the fraction of all T steps spent in the final linear decay (Hägele et al. 2024 find 0.1 to 0.2 enough). */
  cooldown: number;
}

/**
 * The learning rate of every step 0..T of a built-in schedule, with lr[0] the rate before the first update:
 * - warmup: lr[i] = peak·i/W for i <= W (Luo et al. 2025's and most LLM recipes' linear warmup from 0);
 * - constant: peak; cosine: final + (peak - final)·(1 + cos(pi·(i - W)/(T - W)))/2 (Loshchilov & Hutter 2017);
 * - linear: peak to final linearly over W..T;
 * - wsd (warmup-stable-decay, Hu et al. 2024, Hägele et al. 2024): peak until T - cooldown·T, then linear to final.
 * Throws InputError for a spec that describes no schedule (steps < 1, a rate <= 0, warmup past the end, ...).
 *
 * @example
 * import { makeSchedule } from 'scalefit';
 * // 10 steps, a 20% cooldown: the rate holds at 1e-3 to step 8, then falls linearly to 0 at step 10
 * const { lr } = makeSchedule({ kind: 'wsd', steps: 10, peakLr: 1e-3, warmup: 0, finalLr: 0, cooldown: 0.2 });
 * lr[8]; // → 0.001
 * lr[9]; // → 0.0005
 */
export function makeSchedule(spec: ScheduleSpec): LrSchedule {
  const { kind, steps: T, peakLr: peak, warmup: W, finalLr: final, cooldown } = spec;
  if (!Number.isInteger(T) || T < 1) throw new InputError(`schedule: steps must be a whole number >= 1 (got ${T})`);
  if (!(peak > 0) || !Number.isFinite(peak))
    throw new InputError(`schedule: the peak learning rate must be > 0 (got ${peak})`);
  if (!Number.isInteger(W) || W < 0 || W >= T)
    throw new InputError(`schedule: warmup must be a whole number of steps from 0 to steps - 1 = ${T - 1} (got ${W})`);
  if (!(final >= 0) || final > peak)
    throw new InputError(`schedule: the final learning rate must be from 0 to the peak ${peak} (got ${final})`);
  if (!(cooldown >= 0 && cooldown <= 1))
    throw new InputError(`schedule: the cooldown fraction must be from 0 to 1 (got ${cooldown})`);
  const decayStart = kind === 'wsd' ? Math.max(W, Math.round(T * (1 - cooldown))) : W;
  const lr = new Float64Array(T + 1);
  for (let i = 0; i <= T; i++) {
    if (i < W) {
      lr[i] = (peak * i) / W;
      continue;
    }
    const span = T - decayStart;
    const f = span > 0 ? Math.max(0, i - decayStart) / span : 0;
    switch (kind) {
      case 'constant':
        lr[i] = peak;
        break;
      case 'cosine':
        lr[i] = final + ((peak - final) * (1 + Math.cos(Math.PI * f))) / 2;
        break;
      case 'linear':
      case 'wsd':
        lr[i] = peak - (peak - final) * f;
        break;
    }
  }
  return { lr };
}
