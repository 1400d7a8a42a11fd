import type { Run } from '../../src/core/run.ts';
import type { Law, Params } from '../../src/core/law.ts';
import { normal, rng } from './synthetic.ts';

/**
 * Runs generated from a Kaplan law with log-uniform N in [1e6, 1e10], D in [1e8, 1e11] (C = 6ND) and steps S in
 * [1e3, 1e5], and multiplicative log-normal noise: loss = L * exp(sigma z). No per-run Kaplan et al. 2020 data is
 * public, so tests regenerate data from the published constants and check that fits recover them.
 */
export function kaplanRuns(
  law: Law,
  params: Params,
  { rows = 200, seed = 1, sigma = 0 }: { rows?: number; seed?: number; sigma?: number } = {},
): Run[] {
  const u = rng(seed);
  const z = normal(u);
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)));
  const runs: Run[] = [];
  for (let i = 0; i < rows; i++) {
    const N = logUniform(1e6, 1e10),
      D = logUniform(1e8, 1e11),
      S = logUniform(1e3, 1e5);
    const point = { N, D, C: 6 * N * D, S };
    runs.push({ ...point, loss: law.predict(params, point) * Math.exp(sigma * z()), tags: {}, line: i + 2 });
  }
  return runs;
}
