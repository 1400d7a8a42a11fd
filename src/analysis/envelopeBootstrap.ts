import type { Run } from '../core/run.ts';
import type { EnvelopeOptions } from './envelope.ts';
import { ENVELOPE_DEFAULTS, envelopeGrid, envelopeOptima } from './envelope.ts';
import type { ExponentBootstrap } from './exponentBootstrap.ts';
import { bootstrapExponents } from './exponentBootstrap.ts';
import { fitExponents } from './isoflop.ts';

/**
 * Bootstrap intervals on approach 1's exponents: each resample draws whole loss curves (runs) with replacement,
 * rebuilds the lower envelope from the distinct curves drawn, at the same compute values, and refits the power
 * laws. A curve is the unit because its checkpoints share one model's training noise. A resample with optima at
 * fewer than two compute values fails and is counted.
 *
 * @example envelopeBootstrap(curves, {}, { K: 200, seed: 0, level: 0.95 }).a.ci // [lo, hi]
 */
export function envelopeBootstrap(
  runs: readonly Run[],
  options: Partial<EnvelopeOptions>,
  b: { K: number; seed: number; level: number },
): ExponentBootstrap {
  const grid = envelopeGrid(runs, { ...ENVELOPE_DEFAULTS, ...options });
  const n = grid.curves.length;
  return bootstrapExponents(
    b.K,
    b.seed,
    b.level,
    'whole loss curves (runs), with replacement; envelope rebuilt at the same compute values',
    (random) => {
      const use = Array.from({ length: n }, () => Math.floor(random() * n));
      const { rows } = envelopeOptima(grid, use);
      if (new Set(rows.map((r) => r.compute)).size < 2) return null;
      return fitExponents(rows, 'envelope point');
    },
  );
}
