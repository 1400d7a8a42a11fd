/**
 * Generate data/examples/curves.csv: three loss curves of one model under three learning-rate schedules, in the shape
 * a wandb export has (columns run, _step, tokens, lr, train/loss; a step-0 row with the initial loss), for README's
 * loss-curve example and docs/curves.md.
 *
 * 4000 steps of 0.5M tokens (2B tokens), peak rate 3e-4 after 200 warmup steps, checkpoints every 50 steps from the end of warmup: constant,
 * cosine to 3e-5, and WSD with a 20% linear cooldown to 3e-5. The loss follows the multi-power law (Luo et al. 2025,
 * arXiv:2503.12811) with parameters near the authors' published 100M fit (their code's L0 lowered by their warmup term,
 * see src/laws/multi-power.ts): L0 2.5, A 0.6, alpha 0.45, B 440, C 2.1, beta 0.6, gamma 0.65, times log-normal noise
 * with sigma 0.002 (a smoothed training-loss log), from a fixed seed: running this script again writes the same bytes.
 * Step 0's loss is ln(50257), a GPT-2 vocabulary's uniform guess. The schedule is logged every 50 steps, so the loader's
 * linear interpolation between rows is exact for the constant and WSD runs and within 1e-6 of the peak for cosine.
 * Run: node --import tsx scripts/make-example-curves.ts
 */
import { atomicWrite } from '../src/io/atomicWrite.ts';
import { predictCurve } from '../src/analysis/predictCurve.ts';
import { multiPower } from '../src/laws/multi-power.ts';
import { makeSchedule } from '../src/math/makeSchedule.ts';
import type { ScheduleKind } from '../src/math/makeSchedule.ts';
import { seededRandom } from '../src/math/rng.ts';

const OUT = 'data/examples/curves.csv';
const SEED = 16;
const SIGMA = 0.002;
const STEPS = 4000,
  EVERY = 50,
  WARMUP = 200,
  PEAK = 3e-4,
  FINAL = 3e-5,
  TOKENS_PER_STEP = 524_288;
export const EXAMPLE_CURVE_LAW = { L0: 2.5, A: 0.6, alpha: 0.45, B: 440, C: 2.1, beta: 0.6, gamma: 0.65 };
const RUNS: Array<[name: string, kind: ScheduleKind, cooldown: number]> = [
  ['constant', 'constant', 0],
  ['cosine', 'cosine', 0],
  ['wsd-20', 'wsd', 0.2],
];

/** The CSV text: one row per checkpoint, losses rounded to 4 decimals and rates to 6 significant digits, as a logger prints them. */
export function exampleCurvesCsv(): string {
  const uniform = seededRandom(SEED, 0);
  // Box-Muller: a standard normal from two uniforms (1 - u keeps the logarithm finite).
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const lines = ['run,_step,tokens,lr,train/loss'];
  // Checkpoints from the end of warmup on: before it the loss is still the initialisation's, which no curve law models.
  const steps = Array.from({ length: (STEPS - WARMUP) / EVERY + 1 }, (_, i) => WARMUP + i * EVERY);
  for (const [name, kind, cooldown] of RUNS) {
    const schedule = makeSchedule({ kind, steps: STEPS, peakLr: PEAK, warmup: WARMUP, finalLr: FINAL, cooldown });
    const loss = predictCurve(multiPower, EXAMPLE_CURVE_LAW, schedule, steps);
    lines.push(`${name},0,0,${schedule.lr[0]},${Math.log(50257).toFixed(4)}`);
    steps.forEach((s, i) =>
      lines.push(
        `${name},${s},${s * TOKENS_PER_STEP},${Number(schedule.lr[s]!.toPrecision(6))},${(loss[i]! * Math.exp(SIGMA * normal())).toFixed(4)}`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  atomicWrite(OUT, exampleCurvesCsv());
  console.log(`wrote ${OUT}`);
}
