import type { LrSchedule } from '../core/schedule.ts';

/**
 * A schedule of every step 0..last from the rates logged at some steps (ascending, whole numbers >= 0): linear in the
 * step between logged steps, the first logged rate before the first. Exact for piecewise-linear schedules logged at
 * their bends (warmup, WSD, linear decay); a cosine logged every 100 steps of 10000 is off by under 1e-4 of its peak.
 *
 * @example interpolateSchedule([0, 2], [1, 0]).lr // → Float64Array [1, 0.5, 0]
 */
export function interpolateSchedule(steps: readonly number[], rates: readonly number[]): LrSchedule {
  const last = steps[steps.length - 1]!;
  const lr = new Float64Array(last + 1);
  let j = 0;
  for (let i = 0; i <= last; i++) {
    while (steps[j]! < i) j++;
    lr[i] =
      steps[j] === i || j === 0
        ? rates[j]!
        : rates[j - 1]! + ((rates[j]! - rates[j - 1]!) * (i - steps[j - 1]!)) / (steps[j]! - steps[j - 1]!);
  }
  return { lr };
}
