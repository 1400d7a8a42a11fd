/**
 * Writes data/examples/loss-curves.csv: synthetic whole loss curves (one row per checkpoint) for `scalefit envelope`
 * (Hoffmann et al. 2022 approach 1), which needs curves that the bundled Chinchilla reconstruction does not have.
 * Losses follow L(N, D) = E + A/N^alpha + B/D^beta with Hoffmann et al.'s published parameters (arXiv:2203.15556,
 * eq. 10: E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28), without noise; 10 model sizes from 10M to 3B, 16
 * log-spaced checkpoints each from 100M tokens to 50 tokens per parameter. Run: node --import tsx scripts/example-loss-curves.ts
 */
import { writeFileSync } from 'node:fs';

const [E, A, B, alpha, beta] = [1.69, 406.4, 410.7, 0.34, 0.28];
const rows = ['run,N,D,loss'];
for (let k = 0; k < 10; k++) {
  const N = Number((10 ** (7 + (Math.log10(300) * k) / 9)).toPrecision(3));
  const last = Math.log10(50 * N);
  for (let j = 0; j < 16; j++) {
    const D = Number((10 ** (8 + ((last - 8) * j) / 15)).toPrecision(4));
    rows.push(`model-${k + 1},${N},${D},${(E + A / N ** alpha + B / D ** beta).toFixed(6)}`);
  }
}
writeFileSync(new URL('../data/examples/loss-curves.csv', import.meta.url), `${rows.join('\n')}\n`);
