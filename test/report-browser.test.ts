import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../src/core/formatNumber.ts';
import { buildReport, writeReport } from '../src/pipeline/buildReport.ts';
import { buildModel } from '../src/report/model.ts';
import { EVIL, writeEvilCsv } from './helpers/evilCsv.ts';
import { reportFixture } from './helpers/reportFixture.ts';
import { stableJson } from '../src/io/stableJson.ts';
import { writeFileSync } from 'node:fs';

/**
 * Where Chromium is, by the rule .ci/run uses (which exports what it found as CHROMIUM_PATH): /usr/bin/chromium,
 * else `chromium` on PATH. Without it the browser tests are skipped on a developer's machine, and fail under CI
 * (CI=true, set by .ci/run): a test that needs a tool must not pass by skipping.
 */
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'chromium'))
    .find((p) => existsSync(p));
}
const CHROMIUM = findChromium();
const skipBrowser = CHROMIUM === undefined && !process.env.CI;
if (skipBrowser)
  console.warn(
    'report-browser.test.ts skipped: no Chromium (/usr/bin/chromium or chromium on PATH; apt-get install -y chromium; .ci/run installs it)',
  );

/** Open a report page and collect what the tests assert on: console errors, requests, rendered charts, tables. */
async function openReport(browser: Browser, dir: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(join(dir, 'index.html')).href);
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll('[data-chart]')).every((el) => el.getAttribute('data-rendered')),
    undefined,
    { timeout: 30_000 },
  );
  const charts = await page.$$eval('[data-chart]', (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-chart'),
      rendered: el.getAttribute('data-rendered'),
      marks: el.querySelectorAll(
        'svg g.mark-symbol path, svg g.mark-line path, svg g.mark-rect path, svg g.mark-area path',
      ).length,
    })),
  );
  return { page, errors, requests, charts };
}

describe.skipIf(skipBrowser)('index.html in headless Chromium', () => {
  let browser: Browser;
  const dir = join(mkdtempSync(join(tmpdir(), 'scalefit-browser-')), 'report');

  // A failing beforeAll only marks the tests skipped: keep its error and fail every test with it instead.
  let setupError: unknown;
  const ready = (): Browser => {
    if (setupError !== undefined) throw setupError;
    return browser;
  };
  beforeAll(async () => {
    try {
      if (CHROMIUM === undefined)
        throw new Error(
          'CI=true but no Chromium (/usr/bin/chromium or chromium on PATH): the browser test must run in CI; .ci/run installs it',
        );
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      });
      const r = await buildReport({
        data: 'data/epoch-chinchilla.csv',
        train: 'C<1e21',
        load: { excludeTopLoss: 5 },
        images: false,
      });
      writeReport(dir, r.files, false);
    } catch (e) {
      setupError = e;
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('every chart renders with marks, with no console errors and no network requests', async () => {
    const { page, errors, requests, charts } = await openReport(ready(), dir);
    expect(charts.length).toBe(6);
    for (const c of charts) {
      expect(c.rendered, c.id!).toBe('yes');
      expect(c.marks, c.id!).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('the parameter and backtest tables hold the numbers of fit.json', async () => {
    const fit = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8'));
    const { page } = await openReport(ready(), dir);
    const params = await page.$$eval('table[data-table="params"] tbody tr', (rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)),
    );
    expect(params.map((r) => [r[0], r[1]])).toEqual(
      Object.entries(fit.params).map(([k, v]) => [k, formatNumber(v as number)]),
    );
    const held = await page.$$eval('table[data-table="backtest"] tbody tr', (rows) => rows.length);
    expect(held).toBe(fit.held_out);
    // The actual and predicted losses of the backtest table are those of predictions.csv (rows sorted by C).
    const cells = await page.$$eval('table[data-table="backtest"] tbody tr', (rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)),
    );
    const csv = readFileSync(join(dir, 'predictions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[2] === 'held-out')
      .sort((a, b) => Number(a[5]) - Number(b[5]));
    expect(cells.map((c) => [c[4], c[5]])).toEqual(
      csv.map((f) => [formatNumber(Number(f[6]), 5), formatNumber(Number(f[7]), 5)]),
    );
    // The fitted parameters predict what the table says.
    const model = buildModel({
      title: '',
      fit,
      runs: [{ N: Number(csv[0]![3]), D: Number(csv[0]![4]), loss: 1, tags: {}, line: 1, set: 'held-out' }],
      train: null,
      compute: [],
      at: [],
    });
    expect(formatNumber(model.runs[0]!.predicted, 5)).toBe(cells[0]![5]);
    await page.close();
  });

  it('a report from a fit with a bootstrap (--from) renders all seven charts and intervals', async () => {
    const base = mkdtempSync(join(tmpdir(), 'scalefit-browser-'));
    writeFileSync(join(base, 'fit.json'), stableJson(reportFixture().fit));
    const r = await buildReport({ from: join(base, 'fit.json'), images: false });
    writeReport(join(base, 'boot'), r.files, false);
    const { page, errors, charts } = await openReport(ready(), join(base, 'boot'));
    expect(charts.map((c) => [c.id, c.rendered, c.marks > 0])).toEqual(
      [
        '1-loss-vs-compute',
        '2-isoflop',
        '3-contours',
        '4-predicted-vs-actual',
        '5-residuals',
        '6-allocation',
        '7-bootstrap',
      ].map((id) => [id, 'yes', true]),
    );
    expect(errors).toEqual([]);
    const intervals = await page.$$eval('table[data-table="params"] tbody tr td:nth-child(4)', (tds) =>
      tds.map((td) => td.textContent),
    );
    for (const text of intervals) expect(text).toMatch(/^\[.+, .+\]$/);
    await page.close();
  });

  it('markup from the user file does not run in the page', async () => {
    const evil = join(mkdtempSync(join(tmpdir(), 'scalefit-browser-')), 'evil');
    // The markup column names the runs (--label), so its values reach the backtest table.
    const r = await buildReport({ data: writeEvilCsv(), train: 'N<=1e9', images: false, label: EVIL });
    writeReport(evil, r.files, false);
    const { page, errors, charts } = await openReport(ready(), evil);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(charts.every((c) => c.rendered === 'yes')).toBe(true);
    expect(errors).toEqual([]);
    const cells = (
      await page.$$eval('table[data-table="backtest"] tbody tr td:first-child', (tds) =>
        tds.map((td) => td.textContent),
      )
    ).join('\n');
    expect(cells).toContain('<script>window.__pwned=1</script>');
    expect(cells).toContain('<img src=x onerror="window.__pwned=2">');
    await page.close();
  });
});
