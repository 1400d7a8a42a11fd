import type { Run } from '../core/run.ts';
import type { ExponentBootstrap } from './exponentBootstrap.ts';
import { bootstrapExponents } from './exponentBootstrap.ts';
import type { IsoflopOptions } from './isoflop.ts';
import { fitExponents, groupByBudget, ISOFLOP_DEFAULTS, profileOptima } from './isoflop.ts';

/**
 * Bootstrap intervals on approach 2's exponents: each resample draws, within every budget, as many runs as it has,
 * with replacement (a stratified bootstrap: the budgets are the design, the runs at a budget are the noisy part),
 * refits every parabola, applies the same inclusion rule (minimum inside the sizes trained there, unless
 * keepExtrapolated) and refits N_opt ∝ C^a, D_opt ∝ C^b. A resample with fewer than two usable budgets fails and is
 * counted.
 *
 * @example isoflopBootstrap(runs, {}, { K: 1000, seed: 0, level: 0.95 }).a.ci // [lo, hi]
 */
export function isoflopBootstrap(
  runs: readonly Run[],
  options: Partial<IsoflopOptions>,
  b: { K: number; seed: number; level: number },
): ExponentBootstrap {
  const o = { ...ISOFLOP_DEFAULTS, ...options };
  const groups = groupByBudget(runs, o);
  return bootstrapExponents(
    b.K,
    b.seed,
    b.level,
    'runs within each budget, with replacement; parabolas and inclusion rule refitted',
    (random) => {
      const resampled = groups.map((g) => ({
        compute: g.compute,
        runs: g.runs.map(() => g.runs[Math.floor(random() * g.runs.length)]!),
      }));
      const { rows } = profileOptima(resampled, o);
      if (new Set(rows.map((r) => r.compute)).size < 2) return null;
      return fitExponents(rows, 'isoFLOP profile');
    },
  );
}
