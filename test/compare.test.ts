import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../src/analysis/compare.ts';
import { compareLaws, holdoutFolds } from '../src/analysis/compare.ts';
import { main } from '../src/cli/main.ts';
import type { Run } from '../src/core/run.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { datacon } from '../src/laws/datacon.ts';
import type { Law } from '../src/core/law.ts';
import { defineLaw } from '../src/laws/defineLaw.ts';
import { compareChart } from '../src/report/charts/compareChart.ts';
import { compareSection } from '../src/report/compareSection.ts';
import { compile } from 'vega-lite';
import { normal, rng } from './helpers/synthetic.ts';

// Hoffmann et al. 2022 eq. 10 parameters; R_D* = 15.4, R_N* = 5.3 as Muennighoff et al. 2023 report for their fit (values used as a generating truth only).
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const DATACON = { ...HOFFMANN, R_D_star: 15.4, R_N_star: 5.3 };

/** A law defined here, so compare is tested on a law it has never seen: L(C) = E + A / C^gamma (Kaplan-style). */
const computeLaw: Law = defineLaw({
  name: 'test-compute',
  title: 'Power law in compute (test)',
  formula: 'L(C) = E + A/C^gamma',
  reference: 'test only',
  variables: ['C'],
  parameters: [
    { name: 'E', scale: 'log', coordinate: 'e', typical: 1.7 },
    { name: 'A', scale: 'log', coordinate: 'a', typical: 20 },
    { name: 'gamma', scale: 'linear', typical: 0.05, exponent: true },
  ],
  logPredict(t, X, out, jac) {
    for (let i = 0; i < X.n; i++) {
      const t1 = t[1]! - t[2]! * X.logC[i]!, e = t[0]!;
      const m = Math.max(t1, e), x1 = Math.exp(t1 - m), x0 = Math.exp(e - m);
      out[i] = m + Math.log(x0 + x1);
      if (jac) {
        jac[i * 3] = x0 / (x0 + x1);
        jac[i * 3 + 1] = x1 / (x0 + x1);
        jac[i * 3 + 2] = (-x1 / (x0 + x1)) * X.logC[i]!;
      }
    }
  },
  predict: (p, q) => p.E! + p.A! / (q.C ?? 6 * q.N! * q.D!) ** p.gamma!,
  gradient: (p, q) => {
    const C = q.C ?? 6 * q.N! * q.D!;
    return { E: 1, A: C ** -p.gamma!, gamma: -p.A! * C ** -p.gamma! * Math.log(C) };
  },
  starts: () => [0.3, 0.6, 1].flatMap((e) => [0.02, 0.05, 0.1, 0.2].map((g) => [e, Math.log(20) + g * 45, g])),
});

/** Chinchilla runs on a grid: 8 model sizes, 12 token counts each. */
function gridRuns(seed: number): Run[] {
  const z = normal(rng(seed));
  const runs: Run[] = [];
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 12; j++) {
      const N = 5e7 * 2 ** i, D = 2e9 * 1.5 ** j;
      runs.push({ N, D, C: 6 * N * D, loss: chinchilla.predict(HOFFMANN, { N, D }) * Math.exp(0.003 * z()), tags: {}, line: runs.length + 2 });
    }
  }
  return runs;
}

/** Data-constrained runs with 1 to 40 epochs. */
function repeatedRuns(rows: number, seed: number): Run[] {
  const u = rng(seed);
  const z = normal(u);
  const lu = (lo: number, hi: number) => Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)));
  return Array.from({ length: rows }, (_, i) => {
    const N = lu(1e7, 3e9), U = lu(1e8, 2e10), D = U * lu(1, 40);
    return { N, D, U, C: 6 * N * D, loss: datacon.predict(DATACON, { N, D, U }) * Math.exp(0.003 * z()), tags: {}, line: i + 2 };
  });
}

describe('compare', () => {
  it('holdoutFolds(runs, auto) holds out the largest and two largest model sizes of a grid', () => {
    const runs = gridRuns(1);
    const { kind, folds } = holdoutFolds(runs, { holdout: 'auto' });
    expect(kind).toBe('size');
    expect(folds.map((f) => f.test.filter(Boolean).length)).toEqual([12, 24]);
    const c = holdoutFolds(runs, { holdout: 'compute' });
    expect(c.folds.map((f) => f.test.filter(Boolean).length)).toEqual([10, 20]);
    expect(holdoutFolds(runs, { holdout: 'auto', train: 'N<=1e9' }).folds[0]!.test.filter(Boolean).length).toBe(36);
  });

  it('compareLaws([compute law, chinchilla], chinchilla data) ranks chinchilla first', () => {
    const c = compareLaws([computeLaw, chinchilla], gridRuns(2), { holdout: 'auto', fit: {} });
    expect(c.ranking).toEqual(['chinchilla', 'test-compute']);
    const ch = c.laws.find((l) => l.law === 'chinchilla')!;
    expect(ch.nFree).toBe(5);
    expect(ch.folds).toHaveLength(2);
    expect(ch.aic).toBeLessThan(c.laws.find((l) => l.law === 'test-compute')!.aic!);
  });

  it('compareLaws([chinchilla, compute law, datacon], data-constrained data) ranks datacon first', () => {
    const c = compareLaws([chinchilla, computeLaw, datacon], repeatedRuns(200, 3), { holdout: 'auto', fit: {} });
    expect(c.holdout).toBe('compute');
    expect(c.ranking[0]).toBe('datacon');
    expect(c.ranking).toHaveLength(3);
  });

  it('compareLaws skips a law whose column the data lacks, with the reason', () => {
    const c = compareLaws([chinchilla, datacon], gridRuns(4), { holdout: 'auto', fit: {} });
    expect(c.ranking).toEqual(['chinchilla']);
    const d = c.laws.find((l) => l.law === 'datacon')!;
    expect(d.status).toBe('skipped');
    expect(d.reason).toMatch(/U \(unique tokens\)/);
  });

  it('compareLaws applies --fix only to laws that have the parameter and counts free parameters', () => {
    const c = compareLaws([chinchilla, computeLaw], gridRuns(5), { holdout: 'auto', fit: { constraints: { fix: { alpha: 0.34 } } } });
    expect(c.laws.find((l) => l.law === 'chinchilla')!.nFree).toBe(4);
    expect(c.laws.find((l) => l.law === 'test-compute')!.nFree).toBe(3);
    expect(() => compareLaws([chinchilla], gridRuns(5), { holdout: 'auto', fit: { constraints: { fix: { zeta: 1 } } } })).toThrow(/"zeta"/);
  });

  const FIXED: Comparison = {
    holdout: 'size',
    folds: [{ name: 'without the largest model size (N >= 6.4e+09)', train: 84, test: 12 }, { name: 'without the two largest model sizes (N >= 3.2e+09)', train: 72, test: 24 }],
    ranking: ['chinchilla', 'kaplan-nd'],
    laws: [
      { law: 'chinchilla', title: 'Chinchilla', status: 'ok', n: 96, nFree: 5, objective: 0.00041, aic: -1100.5, bic: -1087.7, converged: true, heldOutRmse: 0.004,
        folds: [{ name: 'without the largest model size (N >= 6.4e+09)', train: 84, test: 12, rmse: 0.003, mare: 0.003, converged: true }, { name: 'without the two largest model sizes (N >= 3.2e+09)', train: 72, test: 24, rmse: 0.005, mare: 0.005, converged: true }] },
      { law: 'kaplan-nd', title: 'Kaplan', status: 'ok', n: 96, nFree: 4, objective: 0.002, aic: -950, bic: -940, converged: false, heldOutRmse: 0.02,
        folds: [{ name: 'without the largest model size (N >= 6.4e+09)', train: 84, test: 12, rmse: 0.015, mare: 0.015, converged: true }, { name: 'without the two largest model sizes (N >= 3.2e+09)', train: 72, test: 24, rmse: 0.025, mare: 0.025, converged: false }] },
      { law: 'datacon', title: 'Data-constrained', status: 'skipped', reason: 'needs U (unique tokens), missing for 96 of 96 runs' },
    ],
  };

  it('compareChart(comparison) is the golden Vega-Lite spec', async () => {
    const spec = compareChart(FIXED);
    await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot('./fixtures/compare-chart.golden.json');
    // It compiles to Vega, with the skipped law absent and laws in ranking order.
    expect(() => compile(spec as never)).not.toThrow();
    expect((spec.data as { values: Array<{ law: string }> }).values.map((v) => v.law)).toEqual(['chinchilla', 'chinchilla', 'kaplan-nd', 'kaplan-nd']);
  });

  it('compareSection(comparison) ranks laws in a Markdown table and lists skipped laws', () => {
    const md = compareSection(FIXED);
    expect(md).toMatch(/^## Which law extrapolates best/);
    const rows = md.split('\n').filter((l) => /^\| \d/.test(l));
    expect(rows[0]).toMatch(/^\| 1 \| chinchilla \| 5 /);
    expect(rows[1]).toMatch(/\(not converged\)/);
    expect(md).toMatch(/- datacon skipped: needs U/);
  });

  it('scalefit compare data.csv --laws chinchilla,datacon --json prints the ranking and per-law metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-compare-'));
    const file = join(dir, 'runs.csv');
    const runs = gridRuns(6);
    writeFileSync(file, `N,D,loss\n${runs.map((r) => `${r.N},${r.D},${r.loss}`).join('\n')}\n`);
    let out = '';
    const io = { stdout: (s: string) => ((out += s), true), stderr: () => true };
    expect(await main(['compare', file, '--laws', 'chinchilla,datacon', '--json'], io)).toBe(0);
    const json = JSON.parse(out);
    expect(json.ranking).toEqual(['chinchilla']);
    expect(json.laws.map((l: { law: string; status: string }) => `${l.law}:${l.status}`)).toEqual(['chinchilla:ok', 'datacon:skipped']);
    expect(json.laws[0].folds).toHaveLength(2);
    out = '';
    expect(await main(['compare', file, '--laws', 'chinchilla', '--train', 'N<=1e9'], io)).toBe(0);
    expect(out).toMatch(/train\s+N<=1e9/);
    expect(await main(['compare', file, '--laws', 'nope'], io)).toBe(2);
  });
});

describe('scalefit compare --out', () => {
  it('main([compare, csv, --laws, --out]) writes the report section, the JSON and the rendered chart', async () => {
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../src/cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-compare-'));
    let out = '';
    const code = await main(['compare', 'data/epoch-chinchilla.csv', '--exclude-top-loss', '5', '--laws', 'chinchilla,kaplan-nd', '--out', dir], { stdout: (s) => (out += s), stderr: (s) => (out += s) });
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toMatch(/## Which law extrapolates best[\s\S]*\| 1 \| chinchilla \|/);
    expect(JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')).ranking).toEqual(['chinchilla', 'kaplan-nd']);
    expect(readFileSync(join(dir, 'charts', 'compare.svg'), 'utf8')).toMatch(/<svg[\s\S]*<path/);
    expect(existsSync(join(dir, 'charts', 'compare.png'))).toBe(true);
  });
});
