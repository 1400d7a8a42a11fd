import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCurves } from '../src/data/readCurves.ts';
import type { CurveDataset } from '../src/data/readCurves.ts';
import { stableJson } from '../src/io/stableJson.ts';
import { getLaw } from '../src/laws/index.ts';
import { makeSchedule } from '../src/math/makeSchedule.ts';
import { buildCurvesReport } from '../src/pipeline/buildCurvesReport.ts';
import { fitCurves } from '../src/pipeline/fitCurves.ts';
import type { CurveFit } from '../src/pipeline/fitCurves.ts';
import { renderSvg } from '../src/report/render.ts';
import { runCli } from './helpers/runCli.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const law = getLaw('lr-annealing');
const wsd = (cooldown: number) =>
  makeSchedule({ kind: 'wsd', steps: 8000, peakLr: 3e-4, warmup: 200, finalLr: 3e-5, cooldown });
let data: CurveDataset, result: CurveFit;
beforeAll(async () => {
  data = await readCurves('data/examples/curves.csv');
  result = await fitCurves(law, data, {
    fit: {},
    bootstrap: 10,
    seed: 0,
    resample: 'checkpoints',
    level: 0.9,
    holdout: 0.7,
  });
});

describe('buildCurvesReport: the loss-curve report', () => {
  it('buildCurvesReport gives the page, the Markdown, the fit and three charts: fitted curves, held-out ends, asked schedules', async () => {
    const r = await buildCurvesReport({
      law,
      data,
      result,
      schedules: [
        { label: 'no cooldown', schedule: wsd(0) },
        { label: '20% cooldown', schedule: wsd(0.2) },
      ],
      level: 0.9,
      images: false,
    });
    expect(r.charts.map((c) => c.id)).toEqual(['curves-1-fit', 'curves-2-held-out', 'curves-3-predicted']);
    expect(r.files.map((f) => f.path)).toEqual([
      'index.html',
      'report.md',
      'fit.json',
      ...r.charts.map((c) => `charts/${c.id}.vl.json`),
    ]);
    expect(r.headline).toMatch(
      /^lr-annealing fits the 231 checkpoints of 3 curves to an RMS log residual of 0\.00\d+; fitted below 0\.7 of each curve's last step, it predicts the rest to an RMS log error of/,
    );
    const md = String(r.files[1]!.data);
    expect(md).toContain('## Held-out end of each curve (fitted below 0.7 of its last step)');
    expect(md).toContain('## Asked schedules: final loss');
    // A cooldown lowers the final loss, and the paired difference's interval says so.
    expect(r.model.finals[1]!.diff!).toBeLessThan(0);
    expect(r.model.finals[1]!.diffHi!).toBeLessThan(0);
  });

  it('buildCurvesReport without a held-out check or a schedule has only the fitted-curves chart', async () => {
    const plain = await fitCurves(law, data, {
      fit: {},
      bootstrap: 0,
      seed: 0,
      resample: 'checkpoints',
      level: 0.95,
      holdout: 0,
    });
    const r = await buildCurvesReport({ law, data, result: plain, schedules: [], level: 0.95, images: false });
    expect(r.charts.map((c) => c.id)).toEqual(['curves-1-fit']);
  });

  it('buildCurvesReport escapes run names from the file in the HTML page', async () => {
    const p = join(mkdtempSync(join(tmpdir(), 'scalefit-curves-report-')), 'evil.csv');
    writeFileSync(
      p,
      'run,step,lr,loss\n<b>x</b>,100,1e-3,4\n<b>x</b>,200,1e-3,3.6\n<b>x</b>,300,1e-3,3.4\n<b>x</b>,400,5e-4,3.2\n<b>x</b>,500,1e-4,3.1\n',
    );
    const d = await readCurves(p);
    const fit = await fitCurves(law, d, {
      fit: {},
      bootstrap: 0,
      seed: 0,
      resample: 'checkpoints',
      level: 0.95,
      holdout: 0,
    });
    const html = String(
      (await buildCurvesReport({ law, data: d, result: fit, schedules: [], level: 0.95, images: false })).files[0]!
        .data,
    );
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html.split('<b>x</b>').length).toBe(1);
  });

  it('each curve chart spec matches test/golden/<id>.vl.json (UPDATE_GOLDEN=1 rewrites) and renders without warnings', async () => {
    const r = await buildCurvesReport({
      law,
      data,
      result,
      schedules: [
        { label: 'no cooldown', schedule: wsd(0) },
        { label: '20% cooldown', schedule: wsd(0.2) },
      ],
      level: 0.9,
      images: false,
    });
    for (const chart of r.charts) {
      const path = join(GOLDEN, `${chart.id}.vl.json`);
      const text = stableJson(chart.spec);
      if (update) {
        if (process.env.CI) throw new Error('UPDATE_GOLDEN=1 under CI: golden files are never rewritten by a CI run');
        writeFileSync(path, text);
      } else {
        expect(
          existsSync(path),
          `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/curves-report.test.ts`,
        ).toBe(true);
        expect(text).toBe(readFileSync(path, 'utf8'));
      }
      const warnings: string[] = [];
      const svg = await renderSvg(chart.spec, (w) => warnings.push(w));
      expect(warnings).toEqual([]);
      expect(svg).toMatch(/class="mark-(symbol|line|area)/);
    }
  }, 120_000);

  it('scalefit fit-curves --report DIR writes the report and refuses to overwrite it without --force (exit 2)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'scalefit-curves-report-')), 'rep');
    const args = [
      'fit-curves',
      'data/examples/curves.csv',
      '--law',
      'lr-annealing',
      '--report',
      dir,
      '--schedule',
      'cosine',
      '--steps',
      '8000',
    ];
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
    expect(existsSync(join(dir, 'charts', 'curves-3-predicted.svg'))).toBe(true);
    const again = await runCli(args);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('scalefit fit-curves refuses --schedule without --report in one line, exit 2', async () => {
    const r = await runCli([
      'fit-curves',
      'data/examples/curves.csv',
      '--law',
      'lr-annealing',
      '--schedule',
      'cosine',
      '--steps',
      '100',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--schedule goes with --report DIR/);
  });
});
