import type { Law, Params } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { LrSchedule } from '../core/schedule.ts';

/**
 * A curve law's loss at the given steps of a schedule (L-hat = exp(logPredict) at each step, NaN outside 1..T).
 * Steps need not be sorted; each costs what one checkpoint costs in a fit (multi-power: one term per rate change up
 * to the step).
 *
 * @example
 * import { getLaw, makeSchedule, predictCurve } from 'scalefit';
 * // The multi-power law with Luo et al. 2025's published 400M fit, on a WSD schedule with a 20% cooldown
 * const fit = { L0: 2.375, A: 0.654, alpha: 0.429, B: 523.4, C: 2.025, beta: 0.594, gamma: 0.635 };
 * const wsd = makeSchedule({ kind: 'wsd', steps: 24000, peakLr: 3e-4, warmup: 2160, finalLr: 3e-5, cooldown: 0.2 });
 * const [before, after] = predictCurve(getLaw('multi-power'), fit, wsd, [19200, 24000]);
 * after < before - 0.1; // → true
 */
export function predictCurve(law: Law, params: Params, schedule: LrSchedule, steps: readonly number[]): Float64Array {
  const X = makeDesign(steps.map((S, i) => ({ S, loss: 1, schedule, tags: {}, line: i + 1 })));
  const out = new Float64Array(steps.length);
  law.logPredict(law.toTheta(params), X, out);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]!);
  return out;
}
