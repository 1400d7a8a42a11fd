import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../src/analysis/compare.ts';
import { compareLaws, holdoutFolds } from '../src/analysis/compare.ts';
import { splitLawList } from '../src/cli/commands/compare.ts';
import { loadRuns } from '../src/data/load.ts';
import { computeFrontier } from '../src/data/computeFrontier.ts';
import { getLaw } from '../src/laws/index.ts';
import { compareText } from '../src/report/compareText.ts';
import { runCli } from './helpers/runCli.ts';
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
      const t1 = t[1]! - t[2]! * X.logC[i]!,
        e = t[0]!;
      const m = Math.max(t1, e),
        x1 = Math.exp(t1 - m),
        x0 = Math.exp(e - m);
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
      const N = 5e7 * 2 ** i,
        D = 2e9 * 1.5 ** j;
      runs.push({
        N,
        D,
        C: 6 * N * D,
        loss: chinchilla.predict(HOFFMANN, { N, D }) * Math.exp(0.003 * z()),
        tags: {},
        line: runs.length + 2,
      });
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
    const N = lu(1e7, 3e9),
      U = lu(1e8, 2e10),
      D = U * lu(1, 40);
    return {
      N,
      D,
      U,
      C: 6 * N * D,
      loss: datacon.predict(DATACON, { N, D, U }) * Math.exp(0.003 * z()),
      tags: {},
      line: i + 2,
    };
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
    const c = compareLaws([chinchilla, computeLaw], gridRuns(5), {
      holdout: 'auto',
      fit: { constraints: { fix: { alpha: 0.34 } } },
    });
    expect(c.laws.find((l) => l.law === 'chinchilla')!.nFree).toBe(4);
    expect(c.laws.find((l) => l.law === 'test-compute')!.nFree).toBe(3);
    expect(() =>
      compareLaws([chinchilla], gridRuns(5), { holdout: 'auto', fit: { constraints: { fix: { zeta: 1 } } } }),
    ).toThrow(/"zeta"/);
  });

  const FIXED: Comparison = {
    holdout: 'size',
    folds: [
      { name: 'without the largest model size (N >= 6.4e+09)', train: 84, test: 12 },
      { name: 'without the two largest model sizes (N >= 3.2e+09)', train: 72, test: 24 },
    ],
    ranking: ['chinchilla', 'kaplan-nd'],
    verdict: { decisive: true, text: 'chinchilla is decisively best' },
    intervals: { resamples: 1000, seed: 0, level: 0.95 },
    laws: [
      {
        law: 'chinchilla',
        title: 'Chinchilla',
        status: 'ok',
        n: 96,
        scoredOn: 'all 96 runs',
        comparable: true,
        nFree: 5,
        loss: { kind: 'huber', delta: 1e-3, space: 'log' },
        objective: 0.00041,
        rssLog: 0.0009,
        aic: -1100.5,
        bic: -1087.7,
        converged: true,
        heldOutRmse: 0.004,
        heldOutRmseInterval: [0.003, 0.005],
        tier: 1,
        folds: [
          {
            name: 'without the largest model size (N >= 6.4e+09)',
            train: 84,
            test: 12,
            rmse: 0.003,
            rmseInterval: [0.002, 0.004],
            mare: 0.003,
            converged: true,
          },
          {
            name: 'without the two largest model sizes (N >= 3.2e+09)',
            train: 72,
            test: 24,
            rmse: 0.005,
            rmseInterval: [0.004, 0.006],
            mare: 0.005,
            converged: true,
          },
        ],
      },
      {
        law: 'kaplan-nd',
        title: 'Kaplan',
        status: 'ok',
        n: 96,
        scoredOn: 'all 96 runs',
        comparable: true,
        nFree: 4,
        loss: { kind: 'mse', delta: 1e-3, space: 'log' },
        objective: 0.002,
        rssLog: 0.002,
        aic: -950,
        bic: -940,
        converged: false,
        heldOutRmse: 0.02,
        heldOutRmseInterval: [0.015, 0.025],
        tier: 2,
        folds: [
          {
            name: 'without the largest model size (N >= 6.4e+09)',
            train: 84,
            test: 12,
            rmse: 0.015,
            rmseInterval: [0.01, 0.02],
            mare: 0.015,
            converged: true,
          },
          {
            name: 'without the two largest model sizes (N >= 3.2e+09)',
            train: 72,
            test: 24,
            rmse: 0.025,
            rmseInterval: [0.02, 0.03],
            mare: 0.025,
            converged: false,
          },
        ],
      },
      {
        law: 'datacon',
        title: 'Data-constrained',
        status: 'skipped',
        reason: 'needs U (unique tokens), missing for 96 of 96 runs',
      },
    ],
  };

  it('compareChart(comparison) is the golden Vega-Lite spec', async () => {
    const spec = compareChart(FIXED);
    await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot('./fixtures/compare-chart.golden.json');
    // It compiles to Vega, with the skipped law absent and laws in ranking order.
    expect(() => compile(spec as never)).not.toThrow();
    expect((spec.data as { values: Array<{ law: string }> }).values.map((v) => v.law)).toEqual([
      'chinchilla',
      'chinchilla',
      'kaplan-nd',
      'kaplan-nd',
    ]);
  });

  it('compareSection(comparison) ranks laws in a Markdown table and lists skipped laws', () => {
    const md = compareSection(FIXED);
    expect(md).toMatch(/^## Which law extrapolates best/);
    const rows = md.split('\n').filter((l) => /^\| \d/.test(l));
    expect(rows[0]).toMatch(
      /^\| 1 \| chinchilla \| 96 \| 5 \| huber \(delta 0\.001\) on log loss, objective 4\.1e-4 \| 9e-4 \| -1100\.5 /,
    );
    expect(rows[0]).toMatch(/\*\*0\.004 \[0\.003, 0\.005\]\*\* \| 1 \|$/);
    expect(md).toMatch(/\*\*Verdict:\*\* chinchilla is decisively best\./);
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
    expect(json.laws.map((l: { law: string; status: string }) => `${l.law}:${l.status}`)).toEqual([
      'chinchilla:ok',
      'datacon:skipped',
    ]);
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
    const code = await main(
      [
        'compare',
        'data/epoch-chinchilla.csv',
        '--exclude-top-loss',
        '5',
        '--laws',
        'chinchilla,kaplan-nd',
        '--out',
        dir,
      ],
      { stdout: (s) => (out += s), stderr: (s) => (out += s) },
    );
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toMatch(
      /## Which law extrapolates best[\s\S]*\| 1 \| chinchilla \|/,
    );
    expect(JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')).ranking).toEqual(['chinchilla', 'kaplan-nd']);
    expect(readFileSync(join(dir, 'charts', 'compare.svg'), 'utf8')).toMatch(/<svg[\s\S]*<path/);
    expect(existsSync(join(dir, 'charts', 'compare.png'))).toBe(true);
  });
});

/** Runs of the data-constrained law where 30% of the runs below 1e20 FLOPs repeat their data up to 8 epochs. */
function sparselyRepeatedRuns(seed: number): Run[] {
  const u = rng(seed);
  const z = normal(u);
  const lu = (lo: number, hi: number) => Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)));
  return Array.from({ length: 150 }, (_, i) => {
    const N = lu(1e7, 3e9),
      D = N * lu(5, 200),
      C = 6 * N * D;
    const U = C < 1e20 && u() < 0.3 ? D / lu(1, 8) : D;
    return { N, D, U, C, loss: datacon.predict(DATACON, { N, D, U }) * Math.exp(0.01 * z()), tags: {}, line: i + 2 };
  });
}

describe('compare on one footing (#13 item 4)', () => {
  it('compareLaws ranks datacon above chinchilla when its AIC is far better and the held-out runs do not separate them', () => {
    const c = compareLaws([chinchilla, datacon], sparselyRepeatedRuns(3), { holdout: 'auto', fit: {} });
    const ch = c.laws.find((l) => l.law === 'chinchilla')!,
      dc = c.laws.find((l) => l.law === 'datacon')!;
    // The failure of the old rule: chinchilla has the lower mean held-out RMSE, so ranking by it alone put the law
    // that ignores unique tokens first, although datacon's AIC is better by more than 79.
    expect(ch.heldOutRmse!).toBeLessThan(dc.heldOutRmse!);
    expect(ch.aic! - dc.aic!).toBeGreaterThan(79);
    expect(c.ranking).toEqual(['datacon', 'chinchilla']);
    expect(dc.tier).toBe(1);
    expect(ch.tier).toBe(1);
    expect(c.verdict.decisive).toBe(true);
    expect(c.verdict.text).toMatch(
      /^datacon ranks first by AIC .* the held-out runs do not separate datacon, chinchilla \(paired 95% interval .* includes 0\)/,
    );
  });

  it('compareLaws scores every law by the same in-sample measure, whatever loss it was fitted with', () => {
    const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
    const c = compareLaws([chinchilla, getLaw('kaplan-nd')], ds.runs, { holdout: 'auto', fit: {} });
    for (const l of c.laws) {
      const law = getLaw(l.law);
      const rss = ds.runs.reduce(
        (s, r) => s + (Math.log(law.predict(l.params!, { N: r.N, D: r.D })) - Math.log(r.loss)) ** 2,
        0,
      );
      expect(l.rssLog!).toBeCloseTo(rss, 12);
      expect(l.aic!).toBeCloseTo(240 * Math.log(rss / 240) + 2 * l.nFree!, 9);
      expect(l.n).toBe(240);
    }
    // The fits' own objectives differ in kind (a Huber sum for chinchilla, a sum of squares for kaplan-nd): kept
    // with their loss, not put in one column.
    expect(c.laws.map((l) => l.loss!.kind)).toEqual(['huber', 'mse']);
    expect(compareText(c).replace(/\s+/g, ' ')).toMatch(
      /own fits \(objectives of different losses are not comparable\): chinchilla huber \(delta 0\.001\) on log loss, objective [\d.e-]+; kaplan-nd mse on log loss/,
    );
  });

  it('compareLaws fits, scores and tests kaplan-c on the compute-efficient frontier only, and does not rank it against the others', () => {
    const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
    const c = compareLaws([chinchilla, getLaw('kaplan-c')], ds.runs, { holdout: 'compute', fit: {} });
    const kc = c.laws.find((l) => l.law === 'kaplan-c')!;
    const frontier = computeFrontier([...ds.runs]);
    expect(kc.n).toBe(frontier.length);
    expect(kc.n).toBeLessThan(240);
    expect(kc.comparable).toBe(false);
    expect(kc.scoredOn).toBe(`the compute-efficient frontier (${frontier.length} of 240 runs)`);
    expect(c.ranking).toEqual(['chinchilla']);
    expect(kc.reason).toMatch(/not ranked/);
    // Held out: only the frontier runs among each fold's held-out runs.
    const onFrontier = new Set(frontier);
    const { folds } = holdoutFolds(ds.runs, { holdout: 'compute' });
    kc.folds!.forEach((f, j) =>
      expect(f.test).toBe(ds.runs.filter((r, i) => folds[j]!.test[i] && onFrontier.has(r)).length),
    );
    expect(compareText(c).replace(/\s+/g, ' ')).toMatch(
      /kaplan-c not ranked: fitted and scored on the compute-efficient frontier/,
    );
  });

  it('compareLaws gives held-out errors seeded bootstrap intervals that contain them', () => {
    const runs = gridRuns(7);
    const a = compareLaws([chinchilla, computeLaw], runs, { holdout: 'auto', fit: {}, seed: 1 });
    const b = compareLaws([chinchilla, computeLaw], runs, { holdout: 'auto', fit: {}, seed: 1 });
    const d = compareLaws([chinchilla, computeLaw], runs, { holdout: 'auto', fit: {}, seed: 2 });
    expect(a).toEqual(b);
    expect(a.intervals).toEqual({ resamples: 1000, seed: 1, level: 0.95 });
    for (const l of a.laws) {
      const [lo, hi] = l.heldOutRmseInterval!;
      expect(lo).toBeLessThanOrEqual(l.heldOutRmse!);
      expect(hi).toBeGreaterThanOrEqual(l.heldOutRmse!);
      for (const f of l.folds!) expect(f.rmseInterval[0]).toBeLessThanOrEqual(f.rmse);
    }
    expect(d.laws[0]!.heldOutRmseInterval).not.toEqual(a.laws[0]!.heldOutRmseInterval);
    // chinchilla data: the compute law is decisively worse out of sample.
    expect(a.ranking[0]).toBe('chinchilla');
    expect(a.verdict.decisive).toBe(true);
    expect(a.verdict.text).toMatch(/^chinchilla is decisively best/);
  });

  it('compareLaws says the ranking is not decisive when the held-out runs do not separate two laws and their AIC differs by under 2', () => {
    const runs = gridRuns(8);
    // The same law twice under two names: identical fits, identical held-out errors, AIC difference 0.
    const twin = { ...chinchilla, name: 'chinchilla-twin' };
    const c = compareLaws([chinchilla, twin], runs, { holdout: 'auto', fit: {} });
    expect(c.verdict.decisive).toBe(false);
    expect(c.verdict.text).toMatch(/^not decisive: .* AIC difference is 0 \(under 2: no support either way\)/);
  });

  it('splitLawList(text) splits at ";" and at commas outside parentheses', () => {
    expect(splitLawList('chinchilla,kaplan-nd')).toEqual(['chinchilla', 'kaplan-nd']);
    expect(splitLawList('chinchilla;E + A/N^alpha + B/D^beta')).toEqual(['chinchilla', 'E + A/N^alpha + B/D^beta']);
    expect(splitLawList('chinchilla, E + A/max(N,1e6)^alpha')).toEqual(['chinchilla', 'E + A/max(N,1e6)^alpha']);
  });

  it('scalefit compare takes --laws with ";" and repeated --law, and keeps the documented comma form', async () => {
    const formula = 'E + A/N^alpha + B/D^beta + F/(N*D)^gamma';
    const run = async (argv: string[]) =>
      JSON.parse(
        (await runCli(['compare', 'data/epoch-chinchilla.csv', '--exclude-top-loss', '5', '--json', ...argv])).stdout,
      );
    const semicolon = await run(['--laws', `chinchilla;${formula}`]);
    const repeated = await run(['--law', 'chinchilla', '--law', formula]);
    const comma = await run(['--laws', `chinchilla,${formula}`]);
    expect(semicolon.laws.map((l: { law: string }) => l.law)).toEqual(['chinchilla', formula]);
    expect(repeated).toEqual(semicolon);
    expect(comma).toEqual(semicolon);
    const typo = await runCli(['compare', 'data/epoch-chinchilla.csv', '--laws', 'chinchilla,kaplan-dn']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean .*kaplan-nd/);
  }, 120_000);
});
