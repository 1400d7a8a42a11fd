import { percentile, sampleSd } from '../math/quantile.ts';
import { seededRandom } from '../math/rng.ts';

/** Bootstrap spread of the allocation exponents a (N_opt ∝ C^a) and b (D_opt ∝ C^b). */
export interface ExponentBootstrap {
  K: number;
  seed: number;
  level: number;
  /** What one resample draws, in words (e.g. "runs within each budget, with replacement"). */
  resample: string;
  /** Resamples that left too few optima for a power law (not in the intervals). */
  failed: number;
  a: { sd: number; ci: [number, number] };
  b: { sd: number; ci: [number, number] };
}

/**
 * Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of an exponent fit: `refit(random)` draws one resample
 * with the given uniform stream and returns its (a, b), or null when the resample cannot be fitted. Resample k uses
 * stream k of `seed` (`seededRandom`), so the same seed gives the same intervals on every machine.
 *
 * @example bootstrapExponents(1000, 0, 0.95, 'runs within each budget', (rnd) => refit(rnd)).a.ci // [lo, hi]
 */
export function bootstrapExponents(
  K: number,
  seed: number,
  level: number,
  resample: string,
  refit: (random: () => number) => { a: number; b: number } | null,
): ExponentBootstrap {
  const as: number[] = [],
    bs: number[] = [];
  let failed = 0;
  for (let k = 0; k < K; k++) {
    const r = refit(seededRandom(seed, k));
    if (!r || !Number.isFinite(r.a) || !Number.isFinite(r.b)) {
      failed++;
      continue;
    }
    as.push(r.a);
    bs.push(r.b);
  }
  const q = (1 - level) / 2;
  const summary = (xs: number[]) => ({
    sd: sampleSd(xs),
    ci: [percentile(xs, q), percentile(xs, 1 - q)] as [number, number],
  });
  return { K, seed, level, resample, failed, a: summary(as), b: summary(bs) };
}
