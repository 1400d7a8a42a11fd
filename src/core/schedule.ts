/**
 * A learning-rate schedule, one rate per optimizer step: `lr[i]` is the rate of step i, for i = 0..T (`lr[0]` is the
 * rate before the first update, so the drop at step 1 is lr[0] - lr[1]). Curve laws read a run's schedule through
 * its checkpoints (`Run.schedule`), so every checkpoint of one run shares one schedule object.
 */
export interface LrSchedule {
  lr: Float64Array;
}
