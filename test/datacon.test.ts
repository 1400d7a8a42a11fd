import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chinchillaAllocation } from '../src/laws/chinchillaAllocation.ts';
import { dataConstrainedOptimal } from '../src/analysis/dataConstrainedOptimal.ts';
import { main } from '../src/cli/main.ts';
import type { Run } from '../src/core/run.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { datacon } from '../src/laws/datacon.ts';
import { makeDesign } from '../src/core/law.ts';
import { normal, rng } from './helpers/synthetic.ts';

// Chinchilla parameters of Hoffmann et al. 2022 eq. 10 with R_D* = 15.4 and R_N* = 5.3, the decay constants
// Muennighoff et al. 2023 report for their fit (values used as a generating truth only).
const TRUTH = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28, R_D_star: 15.4, R_N_star: 5.3 };

/** Runs with repeated data: N, U log-uniform, 1 to 40 epochs, many models larger than compute-optimal for U. */
function repeatedRuns(rows: number, seed: number, sigma: number, p = TRUTH): Run[] {
  const u = rng(seed);
  const z = normal(u);
  const lu = (lo: number, hi: number) => Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)));
  const runs: Run[] = [];
  for (let i = 0; i < rows; i++) {
    const N = lu(1e7, 3e9),
      U = lu(1e8, 2e10),
      epochs = lu(1, 40),
      D = U * epochs;
    runs.push({
      N,
      D,
      U,
      C: 6 * N * D,
      loss: datacon.predict(p, { N, D, U }) * Math.exp(sigma * z()),
      tags: {},
      line: i + 2,
    });
  }
  return runs;
}

describe('datacon law', () => {
  it('datacon.predict(p, {N, D, U = D}) equals chinchilla for a model no larger than compute-optimal', () => {
    const { N_opt, D_opt } = chinchillaAllocation(TRUTH, 1e21);
    expect(datacon.predict(TRUTH, { N: N_opt * 0.5, D: D_opt, U: D_opt })).toBeCloseTo(
      chinchilla.predict(TRUTH, { N: N_opt * 0.5, D: D_opt }),
      12,
    );
    // U_N = N_opt(U_D) exactly at the compute-optimal point: no excess parameters (Muennighoff et al. 2023, §3).
    expect(datacon.predict(TRUTH, { N: N_opt, D: D_opt, U: D_opt })).toBeCloseTo(
      chinchilla.predict(TRUTH, { N: N_opt, D: D_opt }),
      10,
    );
  });

  it("datacon.predict(p, point) counts repeated tokens as D' = U + U R_D*(1 - exp(-R_D/R_D*))", () => {
    const U = 1e10,
      D = 5e10,
      N = 1e8; // N well below N_opt(U), so N' = N
    const RD = D / U - 1;
    const Dp = U + U * TRUTH.R_D_star * (1 - Math.exp(-RD / TRUTH.R_D_star));
    expect(datacon.predict(TRUTH, { N, D, U })).toBeCloseTo(chinchilla.predict(TRUTH, { N, D: Dp }), 12);
    // Repetition is worth less than fresh data, and at most U (1 + R_D*) effective tokens.
    expect(datacon.predict(TRUTH, { N, D, U })).toBeGreaterThan(chinchilla.predict(TRUTH, { N, D }));
    expect(datacon.predict(TRUTH, { N, D: 1e16, U })).toBeCloseTo(
      chinchilla.predict(TRUTH, { N, D: U * (1 + TRUTH.R_D_star) }),
      9,
    );
  });

  it('datacon.predict(p, point) discounts parameters beyond N_opt(U) with R_N*', () => {
    const U = 1e9;
    const lnNopt =
      (Math.log(TRUTH.A) - Math.log(TRUTH.B) + Math.log(TRUTH.alpha / TRUTH.beta) + TRUTH.beta * Math.log(U)) /
      TRUTH.alpha;
    const UN = Math.exp(lnNopt),
      N = 20 * UN;
    const Np = UN + UN * TRUTH.R_N_star * (1 - Math.exp(-(N / UN - 1) / TRUTH.R_N_star));
    expect(datacon.predict(TRUTH, { N, D: U, U })).toBeCloseTo(chinchilla.predict(TRUTH, { N: Np, D: U }), 12);
    // N_opt(U) is where Chinchilla's allocation spends exactly U tokens.
    const C = 6 * UN * U;
    expect(chinchillaAllocation(TRUTH, C).D_opt / U).toBeCloseTo(1, 9);
  });

  it('datacon.logPredict jacobian matches finite differences on both sides of U_N', () => {
    const runs = repeatedRuns(12, 5, 0);
    const X = makeDesign(runs);
    const theta = datacon.toTheta(TRUTH);
    const out = new Float64Array(X.n),
      jac = new Float64Array(X.n * 7),
      up = new Float64Array(X.n),
      down = new Float64Array(X.n);
    datacon.logPredict(theta, X, out, jac);
    const lnNopt = (i: number) =>
      (theta[0]! - theta[1]! + Math.log(TRUTH.alpha / TRUTH.beta) + TRUTH.beta * X.logU[i]!) / TRUTH.alpha;
    const excess = runs.filter((_, i) => X.logN[i]! > lnNopt(i)).length;
    expect(excess).toBeGreaterThan(0);
    expect(excess).toBeLessThan(runs.length);
    for (let j = 0; j < 7; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      datacon.logPredict(
        theta.map((t, i) => (i === j ? t + h : t)),
        X,
        up,
      );
      datacon.logPredict(
        theta.map((t, i) => (i === j ? t - h : t)),
        X,
        down,
      );
      for (let i = 0; i < X.n; i++) expect(jac[i * 7 + j]!).toBeCloseTo((up[i]! - down[i]!) / (2 * h), 6);
    }
  });

  it('fitLaw(datacon, runs) recovers R_D* and R_N* with the Chinchilla parameters (epochs up to 40)', () => {
    const runs = repeatedRuns(300, 7, 0.002);
    const fit = fitLaw(datacon, runs);
    expect(fit.nFree).toBe(7);
    expect(Math.abs(Math.log(fit.params.R_D_star! / 15.4))).toBeLessThan(0.05);
    expect(Math.abs(Math.log(fit.params.R_N_star! / 5.3))).toBeLessThan(0.05);
    expect(fit.params.alpha).toBeCloseTo(0.34, 2);
    expect(fit.params.beta).toBeCloseTo(0.28, 2);
    expect(fit.params.E).toBeCloseTo(1.69, 1);
  });

  it('fitLaw(datacon, runs, {fix: chinchilla params}) fits only R_D* and R_N*, as Muennighoff et al. do', () => {
    const runs = repeatedRuns(200, 8, 0.002);
    const { R_D_star: _d, R_N_star: _n, ...chin } = TRUTH;
    const fit = fitLaw(datacon, runs, { constraints: { fix: chin } });
    expect(fit.nFree).toBe(2);
    expect(fit.fixed.sort()).toEqual(['A', 'B', 'E', 'alpha', 'beta']);
    expect(fit.converged).toBe(true);
    expect(Math.abs(Math.log(fit.params.R_D_star! / 15.4))).toBeLessThan(0.05);
    expect(Math.abs(Math.log(fit.params.R_N_star! / 5.3))).toBeLessThan(0.05);
  });

  it('fitLaw(datacon, runs with one U) fits R_D*: a single corpus repeated for many epochs identifies it', () => {
    // One corpus of 2e9 unique tokens, 1 to 40 epochs, models on both sides of the compute-optimal size for it:
    // the loader's single-value check must not refuse U, and R_D*, R_N* come from D/U and N alone (noise-free).
    const u = rng(31);
    const runs: Run[] = [];
    for (let i = 0; i < 120; i++) {
      const N = Math.exp(Math.log(2e7) + u() * Math.log(200)),
        U = 2e9,
        D = U * Math.exp(u() * Math.log(40));
      runs.push({ N, D, U, C: 6 * N * D, loss: datacon.predict(TRUTH, { N, D, U }), tags: {}, line: i + 2 });
    }
    const fit = fitLaw(datacon, runs);
    expect(fit.nFree).toBe(7);
    expect(fit.params.R_D_star! / 15.4).toBeCloseTo(1, 3);
    expect(fit.params.R_N_star! / 5.3).toBeCloseTo(1, 3);
  });

  it('dataConstrainedOptimal(p, C, U) follows Chinchilla when data is plentiful and repeats epochs when it is short', () => {
    const C = 1e22;
    const ch = chinchillaAllocation(TRUTH, C);
    const plenty = dataConstrainedOptimal(TRUTH, C, 100 * ch.D_opt);
    expect(plenty.optimum.N / ch.N_opt).toBeCloseTo(1, 3);
    expect(plenty.optimum.epochs).toBeLessThan(1);
    expect(plenty.optimum.loss).toBeCloseTo(plenty.unconstrainedLoss, 9);
    const short = dataConstrainedOptimal(TRUTH, C, ch.D_opt / 20);
    expect(short.optimum.epochs).toBeGreaterThan(1);
    expect(short.optimum.loss).toBeLessThanOrEqual(short.chinchilla.loss);
    expect(short.optimum.loss).toBeGreaterThan(short.unconstrainedLoss);
    // Less unique data is never better.
    expect(short.optimum.loss).toBeGreaterThan(plenty.optimum.loss);
  });

  it('scalefit fit --law datacon and scalefit optimal-datacon run end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-datacon-'));
    const file = join(dir, 'runs.csv'),
      out = join(dir, 'fit.json');
    const runs = repeatedRuns(120, 9, 0.002);
    writeFileSync(
      file,
      `params,tokens,unique_tokens,loss\n${runs.map((r) => `${r.N},${r.D},${r.U},${r.loss}`).join('\n')}\n`,
    );
    const io = { stdout: (s: string) => ((text += s), true), stderr: () => true };
    let text = '';
    expect(await main(['fit', file, '--law', 'datacon', '--out', out], io)).toBe(0);
    expect(text).toMatch(/R_D_star/);
    text = '';
    expect(await main(['optimal-datacon', out, '--compute', '1e21', '--unique-tokens', '2e9', '--json'], io)).toBe(0);
    const r = JSON.parse(text);
    expect(r.allocations[0].epochs).toBeGreaterThan(1);
    expect(r.unique_tokens).toBe(2e9);
    text = '';
    expect(await main(['optimal-datacon', out, '--compute', '1e21', '--unique-tokens', '2e9'], io)).toBe(0);
    expect(text).toMatch(/epochs/);
  });
});
