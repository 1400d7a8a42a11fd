import { optimalAllocation } from '../../src/analysis/optimalAllocation.ts';
import type { Run } from '../../src/core/run.ts';
import { chinchilla } from '../../src/laws/chinchilla.ts';
import type { Params } from '../../src/core/law.ts';
import { normal, rng } from './synthetic.ts';

/**
 * IsoFLOP profiles from a chinchilla law: 9 budgets 1e18..1e22 (half-decade steps), 8 model sizes each spread over
 * +-0.8 decades around the true optimum (offset by +-0.1 decade per budget, so the sizes are not centred exactly),
 * loss = L(N, C/(6N)) * exp(sigma z). A `budget` tag holds the nominal budget.
 */
export function isoflopRuns(p: Params, { sigma = 0, seed = 1 }: { sigma?: number; seed?: number } = {}): Run[] {
  const z = normal(rng(seed));
  const runs: Run[] = [];
  for (let i = 0; i < 9; i++) {
    const C = 10 ** (18 + i * 0.5);
    const nOpt = optimalAllocation(chinchilla, p, C).N_opt;
    for (let j = 0; j < 8; j++) {
      const N = nOpt * 10 ** (-0.8 + (1.6 * j) / 7 + 0.1 * ((i % 3) - 1));
      const D = C / (6 * N);
      runs.push({
        N,
        D,
        C,
        loss: chinchilla.predict(p, { N, D }) * Math.exp(sigma * z()),
        tags: { budget: String(C) },
        line: runs.length + 2,
      });
    }
  }
  return runs;
}

/** Whole loss curves: 30 model sizes 1e7..3e10, each with 60 checkpoints from 1e8 tokens to 1000 tokens/param. */
export function lossCurves(p: Params): Run[] {
  const runs: Run[] = [];
  for (let k = 0; k < 30; k++) {
    const N = 10 ** (7 + (3.5 * k) / 29);
    const last = Math.log10((N * 1000) / 1e8);
    for (let j = 0; j < 60; j++) {
      const D = 1e8 * 10 ** ((last * j) / 59);
      runs.push({
        N,
        D,
        C: 6 * N * D,
        loss: chinchilla.predict(p, { N, D }),
        run: `model-${k}`,
        tags: {},
        line: runs.length + 2,
      });
    }
  }
  return runs;
}

/** Runs as CSV text with the given columns (tags by name). */
export function toCsv(runs: readonly Run[], columns: string[]): string {
  const cell = (r: Run, c: string) =>
    c in r ? String((r as unknown as Record<string, unknown>)[c]) : (r.tags[c] ?? '');
  return `${columns.join(',')}\n${runs.map((r) => columns.map((c) => cell(r, c)).join(',')).join('\n')}\n`;
}
