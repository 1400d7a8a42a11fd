import type { LrSchedule } from '../core/schedule.ts';

/** What the curve laws read from a schedule, computed once per schedule object. */
export interface ScheduleAreas {
  /** forward[s] = sum of lr over steps 1..s (the forward area S1 of Tissue et al. 2024; S1 + S_W of Luo et al. 2025). */
  forward: Float64Array;
  /**
   * The step at which the rate first reaches its maximum: the end of the warmup. Drops in the rate count from the
   * step after it (Luo et al. 2025 sum the loss drop over the steps after warmup, with eta_0 the peak rate; Tissue et
   * al. 2024 leave warmup out of the annealing area).
   */
  peak: number;
}

const cache = new WeakMap<LrSchedule, ScheduleAreas>();

/**
 * The forward-area prefix sums and the warmup end of a schedule, cached by schedule object (every checkpoint of a run
 * shares its run's schedule, so a fit computes them once per run, not once per objective call).
 *
 * @example scheduleAreas({ lr: Float64Array.of(1, 1, 0.5) }).forward // → Float64Array [0, 1, 1.5]
 */
export function scheduleAreas(schedule: LrSchedule): ScheduleAreas {
  const hit = cache.get(schedule);
  if (hit) return hit;
  const lr = schedule.lr;
  const forward = new Float64Array(lr.length);
  let peak = 0;
  for (let i = 1; i < lr.length; i++) {
    forward[i] = forward[i - 1]! + lr[i]!;
    if (lr[i]! > lr[peak]!) peak = i;
  }
  const areas = { forward, peak };
  cache.set(schedule, areas);
  return areas;
}
