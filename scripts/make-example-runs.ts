/**
 * Generate data/examples/my-runs.csv: a small sweep of "your own runs" for README's quick start, in the shape a
 * researcher's own log has (columns model, params, tokens, val_loss, lr, notes).
 *
 * Six model sizes (Pythia's 70M to 2.8B) each trained at 5, 10, 20, 40 and 80 tokens per parameter: the usual small
 * tokens-per-parameter grid. The loss follows Besiroglu et al. 2024's estimate of the Chinchilla law
 * (arXiv:2404.10102: E 1.8172, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658, as data/published/ records them)
 * times log-normal noise with sigma 0.005 (0.5% scatter, about what a change of seed gives on runs this size),
 * from a fixed seed: running this script again writes the same bytes.
 * Run: node --import tsx scripts/make-example-runs.ts
 */
import { seededRandom } from '../src/math/rng.ts';
import { atomicWrite } from '../src/io/atomicWrite.ts';

const OUT = 'data/examples/my-runs.csv';
const SEED = 19;
const SIGMA = 0.005;
const LAW = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };
/** Pythia's sizes and learning rates (Biderman et al. 2023, Table 1), as a user of such a sweep would log them. */
const MODELS: Array<[label: string, params: number, lr: string]> = [
  ['70M', 70e6, '1e-3'],
  ['160M', 160e6, '6e-4'],
  ['410M', 410e6, '3e-4'],
  ['1B', 1e9, '3e-4'],
  ['1.4B', 1.4e9, '2e-4'],
  ['2.8B', 2.8e9, '1.6e-4'],
];
const TOKENS_PER_PARAM = [5, 10, 20, 40, 80];

/** The CSV text: one row per (model, tokens per parameter), losses rounded to 4 decimals as a logger prints them. */
export function exampleRunsCsv(): string {
  const uniform = seededRandom(SEED, 0);
  // Box-Muller: a standard normal from two uniforms (1 - u keeps the logarithm finite).
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const lines = ['model,params,tokens,val_loss,lr,notes'];
  for (const [label, N, lr] of MODELS) {
    for (const tpp of TOKENS_PER_PARAM) {
      const D = tpp * N;
      const loss = (LAW.E + LAW.A / N ** LAW.alpha + LAW.B / D ** LAW.beta) * Math.exp(SIGMA * normal());
      lines.push(`sweep-${label}-${tpp}x,${label},${D.toFixed(0)},${loss.toFixed(4)},${lr},tpp=${tpp}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  atomicWrite(OUT, exampleRunsCsv());
  console.log(`${OUT}: written`);
}
