import { describe, expect, it } from 'vitest';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { getLaw } from '../src/laws/index.ts';
import { buildModel, percentileInterval } from '../src/report/model.ts';
import { predictionInterval } from '../src/analysis/predictionInterval.ts';
import { publishedAllocations } from '../src/report/published.ts';
import { predictionsCsv } from '../src/report/predictionsCsv.ts';
import { headline, reportTables } from '../src/report/tables.ts';
import { bootstrapSection } from './helpers/bootstrapSection.ts';
import { buildCharts } from '../src/report/charts/index.ts';
import { HOFFMANN, reportFixture } from './helpers/reportFixture.ts';

describe('allocation and published lines', () => {
  it('publishedAllocations(C) follows Hoffmann, Besiroglu and Kaplan', () => {
    const [h, b, k] = publishedAllocations(5.76e23);
    // Hoffmann et al. 2022 eq. 4 with their fit: G = (alpha A / (beta B))^(1/(alpha+beta)), N_opt = G (C/6)^(beta/(alpha+beta)).
    const G = ((0.34 * 406.4) / (0.28 * 410.7)) ** (1 / 0.62);
    expect(h!.N_opt / (G * (5.76e23 / 6) ** (0.28 / 0.62))).toBeCloseTo(1, 12);
    // Besiroglu et al. 2024 eq. 4 (E 1.8172, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658) through the same closed
    // form: D_opt/N_opt = (C/6)^((alpha-beta)/(alpha+beta)) / G^2 = 18.39 tokens per parameter at Gopher's budget,
    // consistent with their abstract's "~20". Exact, so checked to 12 digits (was: anywhere in 15 to 30).
    const Gb = ((0.3478 * 482.01) / (0.3658 * 2085.43)) ** (1 / (0.3478 + 0.3658));
    const ratio = (5.76e23 / 6) ** ((0.3478 - 0.3658) / (0.3478 + 0.3658)) / Gb ** 2;
    expect(ratio).toBeCloseTo(18.391, 3);
    expect(b!.D_opt / b!.N_opt / ratio).toBeCloseTo(1, 12);
    // Kaplan et al. 2020: N_opt = 1.3e9 C^0.73, C in PF-days (8.64e19 FLOPs).
    expect(k!.N_opt).toBeCloseTo(1.3e9 * (5.76e23 / 8.64e19) ** 0.73, -3);
  });
});

describe('buildModel', () => {
  const { fit, runs } = reportFixture();
  const model = buildModel({
    title: 't',
    fit,
    runs,
    train: 'C<1e21',
    compute: [1e21, 1e24],
    at: [{ N: 70e9, D: 1.4e12 }],
  });

  it('buildModel(...) gives a fixed parameter no standard error and no interval', () => {
    const { fit: f, runs: rs } = reportFixture();
    const fixedFit = { ...f, fixed: ['E'] };
    const m = buildModel({ title: 't', fit: fixedFit, runs: rs, train: 'C<1e21', compute: [1e21], at: [] });
    const row = m.paramRows.find((p) => p.name === 'E')!;
    expect([row.stderr, row.lo, row.hi, row.note]).toEqual([null, null, null, 'fixed']);
  });

  it('buildModel(...) predicts every run with the fit and holds out the runs outside --train', () => {
    expect(model.runs.filter((r) => r.set === 'held-out')).toHaveLength(5);
    for (const r of model.runs) expect(r.predicted).toBeCloseTo(chinchilla.predict(HOFFMANN, { N: r.N, D: r.D }), 12);
    expect(model.backtest!.count).toBe(5);
  });

  it('buildModel(...) gives intervals from bootstrap.params for parameters, allocations and --at points', () => {
    for (const p of model.paramRows) expect(p.lo! < p.value && p.value < p.hi!).toBe(true);
    for (const a of model.allocations) expect(a.N_lo! < a.N_opt && a.N_opt < a.N_hi!).toBe(true);
    const at = model.at[0]!;
    expect(at.point.C).toBeCloseTo(6 * 70e9 * 1.4e12, -10);
    expect(at.lo! < at.predicted && at.predicted < at.hi!).toBe(true);
  });

  it('percentileInterval(xs) and predictionInterval(...) without a bootstrap', () => {
    expect(percentileInterval([1, 2, 3, 4, 5])).toEqual([1.1, 4.9]);
    expect(percentileInterval([1])).toEqual([null, null]);
    expect(
      predictionInterval(
        chinchilla,
        HOFFMANN,
        {
          boot: null,
          sigmaRun: 0.01,
          range: { variables: ['N', 'D'], log10Min: {}, log10Max: {}, maxCompute: null },
          nested: null,
        },
        { N: 1e9, D: 1e10 },
        0.95,
      ),
    ).toBeNull();
  });

  it('buildModel(...) of a fit made with --level 0.8 gives 80% intervals everywhere and says so', () => {
    const f80 = { ...fit, uncertainty: { source: 'bootstrap', level: 0.8 } } as typeof fit;
    const m80 = buildModel({
      title: 't',
      fit: f80,
      runs,
      train: 'C<1e21',
      compute: [1e21, 1e24],
      at: [{ N: 70e9, D: 1.4e12 }],
    });
    expect(m80.level).toBe(0.8);
    const width = (lo: number | null, hi: number | null) => hi! - lo!;
    expect(width(m80.at[0]!.lo, m80.at[0]!.hi)).toBeLessThan(width(model.at[0]!.lo, model.at[0]!.hi));
    expect(width(m80.allocations[1]!.N_lo, m80.allocations[1]!.N_hi)).toBeLessThan(
      width(model.allocations[1]!.N_lo, model.allocations[1]!.N_hi),
    );
    const text =
      JSON.stringify(reportTables(m80)) +
      headline(m80) +
      predictionsCsv(m80).split('\n')[0] +
      JSON.stringify(buildCharts(m80).map((c) => c.spec.title));
    expect(text).not.toMatch(/(^|[^\d.])95%/);
    expect(text).toMatch(/80% interval/);
    expect(predictionsCsv(m80).split('\n')[0]).toContain('lo80,hi80');
  });

  it('predictionsCsv(model) quotes fields and defuses spreadsheet formulas', () => {
    const m = { ...model, runs: [{ ...model.runs[0]!, label: '=HYPERLINK("x"),y' }] };
    expect(predictionsCsv(m).split('\n')[1]).toMatch(/^2,"'=HYPERLINK\(""x""\),y",train,/);
  });
});

describe('buildReport with other laws', () => {
  it('buildReport({ law: kaplan-nd }) draws allocation charts through the numeric allocation', async () => {
    const { buildReport } = await import('../src/pipeline/buildReport.ts');
    const r = await buildReport({
      data: 'data/epoch-chinchilla.csv',
      law: getLaw('kaplan-nd'),
      train: 'C<1e21',
      load: { excludeTopLoss: 5 },
      images: false,
    });
    expect(r.charts.map((c) => c.id)).toEqual([
      '1-loss-vs-compute',
      '2-isoflop',
      '3-contours',
      '4-predicted-vs-actual',
      '5-residuals',
      '6-allocation',
    ]);
    expect(r.model.allocations).toHaveLength(6);
    expect(r.headline).toMatch(/23 held-out runs/);
  });

  it('buildReport({ law: kaplan-n }) leaves out what needs a law of N and D, and says so', async () => {
    const { buildReport } = await import('../src/pipeline/buildReport.ts');
    const r = await buildReport({
      data: 'data/epoch-chinchilla.csv',
      law: getLaw('kaplan-n'),
      train: 'C<1e21',
      load: { excludeTopLoss: 5 },
      images: false,
    });
    expect(r.charts.map((c) => c.id)).toEqual(['1-loss-vs-compute', '4-predicted-vs-actual', '5-residuals']);
    expect(r.model.allocations).toEqual([]);
    expect(r.model.notes.join(' ')).toContain('kaplan-n is a law of N');
  });
});

describe('bootstrapParams', () => {
  it('bootstrapParams(fit) reads the columns of bootstrap.resamples.params and skips failed refits', async () => {
    const { bootstrapParams } = await import('../src/report/model.ts');
    const { fit } = reportFixture({ bootstrap: false });
    const cols = {
      E: [1.7, null, 1.68],
      A: [400, 1, 410],
      B: [400, 1, 420],
      alpha: [0.33, 1, 0.35],
      beta: [0.27, 1, 0.29],
    };
    const boot = bootstrapParams({ ...fit, bootstrap: bootstrapSection(chinchilla, cols) }, chinchilla);
    expect(boot).toEqual([
      { E: 1.7, A: 400, B: 400, alpha: 0.33, beta: 0.27 },
      { E: 1.68, A: 410, B: 420, alpha: 0.35, beta: 0.29 },
    ]);
    expect(bootstrapParams(fit, chinchilla)).toBeNull();
  });
});
