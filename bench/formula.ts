/**
 * `npm run bench:formula` (chained into `npm run bench`): the user-formula law `E + A/N^alpha + B/D^beta` against the
 * built-in Chinchilla law on the Epoch data (--exclude-top-loss 5), interleaved in one run so that load on a shared
 * machine hits both alike. Two ratios (formula / built-in, median of the rounds):
 * - objective: one evaluation of the Huber objective and its gradient (the fitter's hot loop);
 * - fit: a whole default fit (each law's own default starts, polish included).
 * The issue asks for the formula law within 3x of the built-in one. Prints a table; writes nothing.
 */
import { loadRuns } from '../src/data/load.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { FIT_DEFAULTS } from '../src/fit/options.ts';
import { makeObjective } from '../src/fit/objective.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { formulaLaw } from '../src/laws/formula.ts';
import type { Law } from '../src/core/law.ts';
import { makeDesign } from '../src/core/law.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 15;
const EVALS = quick ? 2000 : 10000;
const runs = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs;
const formula = formulaLaw('E + A/N^alpha + B/D^beta');
const X = makeDesign(runs);

function objectiveMs(law: Law): number {
  const obj = makeObjective(law, X, FIT_DEFAULTS.loss);
  const theta = law.toTheta({ E: 1.82, A: 478, B: 2143, alpha: 0.347, beta: 0.367 });
  const g = new Float64Array(theta.length);
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < EVALS; i++) {
    theta[0]! += 1e-12;
    sink += obj.fg(theta, g);
  }
  const ms = (performance.now() - t0) / EVALS;
  if (!Number.isFinite(sink)) throw new Error('non-finite objective');
  return ms;
}

function fitMs(law: Law): { ms: number; nfev: number; objective: number } {
  const t0 = performance.now();
  const r = fitLaw(law, runs);
  return { ms: performance.now() - t0, nfev: r.nfev, objective: r.objective };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// Warm-up: JIT both laws' code paths before timing.
for (const law of [chinchilla, formula]) {
  objectiveMs(law);
  fitMs(law);
}
const obj: Record<string, number[]> = { builtin: [], formula: [] };
const fit: Record<string, number[]> = { builtin: [], formula: [] };
let last: Record<string, { nfev: number; objective: number }> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [key, law] of [
    ['builtin', chinchilla],
    ['formula', formula],
  ] as const) {
    obj[key]!.push(objectiveMs(law));
    const f = fitMs(law);
    fit[key]!.push(f.ms);
    last = { ...last, [key]: f };
  }
}
const row = (name: string, b: number, f: number, unit: string) =>
  `| ${name} | ${b.toFixed(4)} ${unit} | ${f.toFixed(4)} ${unit} | ${(f / b).toFixed(2)}x |`;
console.log(
  `formula law vs built-in chinchilla, Epoch data (${runs.length} runs), median of ${ROUNDS} interleaved rounds`,
);
console.log('| case | built-in | formula | ratio |');
console.log('|---|---|---|---|');
console.log(row('objective + gradient (one evaluation)', median(obj.builtin!), median(obj.formula!), 'ms'));
console.log(row('default fit', median(fit.builtin!), median(fit.formula!), 'ms'));
console.log(
  `evaluations per fit: built-in ${last.builtin!.nfev}, formula ${last.formula!.nfev}; objective relative difference ${Math.abs(last.formula!.objective - last.builtin!.objective) / last.builtin!.objective}`,
);
