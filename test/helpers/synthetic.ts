import type { Run } from '../../src/core/run.ts';

/** Deterministic PRNG (mulberry32) for tests: the same seed gives the same data on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box-Muller. */
export function normal(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/**
 * Runs from a law with log-uniform N and D and multiplicative log-normal noise (as
 * ../shared/reference/make_synthetic_chinchilla.py does): loss = L(N, D) * exp(sigma z).
 */
export function syntheticRuns(
  predict: (N: number, D: number) => number,
  {
    rows = 200,
    seed = 1,
    sigma = 0,
    nRange = [7e7, 1.6e10],
    dRange = [5e9, 5e11],
  }: { rows?: number; seed?: number; sigma?: number; nRange?: [number, number]; dRange?: [number, number] } = {},
): Run[] {
  const u = rng(seed);
  const z = normal(u);
  const logUniform = ([lo, hi]: number[]) => Math.exp(Math.log(lo!) + u() * (Math.log(hi!) - Math.log(lo!)));
  const runs: Run[] = [];
  for (let i = 0; i < rows; i++) {
    const N = logUniform(nRange);
    const D = logUniform(dRange);
    runs.push({ N, D, C: 6 * N * D, loss: predict(N, D) * Math.exp(sigma * z()), tags: {}, line: i + 2 });
  }
  return runs;
}
