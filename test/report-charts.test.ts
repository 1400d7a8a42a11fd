import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../src/report/charts/index.ts';
import { isoflopGroups } from '../src/report/charts/isoflop.ts';
import { contourLines } from '../src/report/charts/contours.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { stableJson } from '../src/io/stableJson.ts';
import { buildModel } from '../src/report/model.ts';
import { renderSvg, svgToPng } from '../src/report/render.ts';
import { HOFFMANN, reportFixture } from './helpers/reportFixture.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

function model(bootstrap = true) {
  const { fit, runs } = reportFixture({ bootstrap });
  return buildModel({
    title: 'fixture',
    fit,
    runs,
    train: 'C<1e21',
    compute: [1e21, 1e24],
    at: [{ N: 70e9, D: 1.4e12 }],
  });
}

describe('chart specs', () => {
  const charts = buildCharts(model());

  it('buildCharts(model) gives all seven charts when the fit has a bootstrap', () => {
    expect(charts.map((c) => c.id)).toEqual([
      '1-loss-vs-compute',
      '2-isoflop',
      '3-contours',
      '4-predicted-vs-actual',
      '5-residuals',
      '6-allocation',
      '7-bootstrap',
    ]);
  });

  it('buildCharts(model) leaves out the bootstrap chart without a bootstrap and says why in chart 6', () => {
    const c = buildCharts(model(false));
    expect(c.map((x) => x.id)).not.toContain('7-bootstrap');
    expect(String(c.find((x) => x.id === '6-allocation')!.spec.title)).toContain('no bootstrap, so no interval band');
  });

  it('buildCharts(model) chart 7 says what its red rule marks', () => {
    const spec = charts.find((c) => c.id === '7-bootstrap')!.spec as {
      title: { subtitle?: string };
      hconcat: Array<{ layer: Array<{ mark: { type: string; color?: string } }> }>;
    };
    expect(spec.hconcat[0]!.layer[1]!.mark).toMatchObject({ type: 'rule', color: '#e45756' });
    expect(spec.title.subtitle).toMatch(/red line: the fitted value/);
  });

  for (const chart of charts) {
    it(`${chart.id} spec matches test/golden/${chart.id}.vl.json (UPDATE_GOLDEN=1 rewrites)`, () => {
      const path = join(GOLDEN, `${chart.id}.vl.json`);
      const text = stableJson(chart.spec);
      // UPDATE_GOLDEN=1 writes the golden file from the code (and compares nothing: the file would equal itself);
      // a CI run never writes one, so a missing or changed golden fails there.
      if (update) {
        if (process.env.CI) throw new Error('UPDATE_GOLDEN=1 under CI: golden files are never rewritten by a CI run');
        writeFileSync(path, text);
        return;
      }
      expect(
        existsSync(path),
        `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/report-charts.test.ts`,
      ).toBe(true);
      expect(text).toBe(readFileSync(path, 'utf8'));
    });

    it(`renderSvg(${chart.id}) draws marks without errors or warnings, and resvg makes a PNG of it`, async () => {
      const warnings: string[] = [];
      const svg = await renderSvg(chart.spec, (w) => warnings.push(w));
      expect(warnings).toEqual([]);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toMatch(/class="mark-(symbol|line|rect|area)/);
      expect(svg).toContain('<text');
      const png = svgToPng(svg, 1);
      expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
    });
  }
});

describe('chart helpers', () => {
  it('isoflopGroups(cs) finds the budgets of iso-FLOP sweeps and none in scattered compute', () => {
    const cs = [1e18, 1.02e18, 0.98e18, 1.01e18, 1e19, 1.03e19, 0.99e19, 1e19];
    expect(isoflopGroups(cs).map((g) => Number(g.C.toPrecision(2)))).toEqual([1e18, 1e19]);
    expect(isoflopGroups(Array.from({ length: 50 }, (_, i) => 10 ** (18 + i * 0.06)))).toEqual([]);
  });

  it('contourLines(law) puts every point on its loss level', () => {
    const lines = contourLines(chinchilla, HOFFMANN, [1e7, 1e11], [1e9, 1e13], [2.2, 2.6], 20);
    expect(lines.length).toBeGreaterThan(10);
    for (const p of lines) expect(chinchilla.predict(HOFFMANN, { N: p.N, D: p.D })).toBeCloseTo(p.level, 4);
  });
});
