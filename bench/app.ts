/**
 * Browser-app benchmark (issue 17): the app (app-dist/index.html) in headless Chromium from file://, timing
 *   - the default fit of Epoch AI's data (data/epoch-chinchilla.csv, 245 runs, chinchilla, default starts) in the
 *     page: from the file's drop to the result on the page's thread (load, fit, uncertainty and report assembly in
 *     the engine worker, and the message round trip; charts excluded), the first dropped 2 s after page load and
 *     then REPS more (median, min-max); target under 200 ms after load;
 *   - a 1000-resample bootstrap (seed 0) on navigator.hardwareConcurrency workers, beside the CLI's
 *     `scalefit fit --bootstrap 1000` on all cores in the same run, and how far their intervals differ (same seed,
 *     same resamples: only the engines' last-bit Math differences separate them).
 * Writes bench/app.json and prints a Markdown table. `node --import tsx bench/app.ts [reps]` (the last step of
 * `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { build } from '../scripts/build.mjs';
import { APP_HTML, buildApp } from '../scripts/build-app.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPS = Number(process.argv[2] ?? 10);
const TARGET_FIT_MS = 200;
const FIRST_DROP_AFTER_MS = 2000;

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'chromium'))
    .find((p) => existsSync(p));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function dropEpoch(page: Page, text: string): Promise<{ roundTrip: number; worker: number }> {
  await page.evaluate(() => {
    document.body.dataset.fit = '';
  });
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'epoch-chinchilla.csv', { type: 'text/csv' }));
    document
      .getElementById('drop')!
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  // Done means the charts are drawn too (on the page's thread): the next drop then finds the page idle.
  await page.waitForFunction(() => document.body.dataset.fit === 'done', undefined, { timeout: 120_000 });
  return page.evaluate(() => ({
    roundTrip: Number(document.body.dataset.fitMs),
    worker: Number(document.body.dataset.workerMs),
  }));
}

const chrome = findChromium();
if (!chrome) {
  process.stderr.write(
    'bench/app.ts: no Chromium (/usr/bin/chromium or chromium on PATH): apt-get install -y chromium\n',
  );
  process.exit(1);
}
build({ ifStale: true });
await buildApp({ ifStale: true });
const load0 = loadavg();
const browser = await chromium.launch({
  executablePath: chrome,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const text = readFileSync(join(ROOT, 'data/epoch-chinchilla.csv'), 'utf8');
  const t0 = performance.now();
  await page.goto(pathToFileURL(APP_HTML).href);
  const pageLoadMs = performance.now() - t0;
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // A user takes longer than this to pick a file; the engine warms up meanwhile (app/engine.ts: warmUp).
  await page.waitForTimeout(FIRST_DROP_AFTER_MS);
  const first = await dropEpoch(page, text);
  const warm: Array<{ roundTrip: number; worker: number }> = [];
  for (let i = 0; i < REPS; i++) warm.push(await dropEpoch(page, text));
  const fits = warm.map((w) => w.roundTrip);

  // The 1000-resample bootstrap, in the page (timed from the setting's change to the result) and by the CLI.
  await page.evaluate(() => {
    document.body.dataset.fit = '';
  });
  const b0 = performance.now();
  await page.fill('#bootstrap', '1000');
  await page.waitForFunction(() => document.body.dataset.fit === 'done', undefined, { timeout: 1_800_000 });
  const pageBootMs = performance.now() - b0;
  const dir = mkdtempSync(join(tmpdir(), 'scalefit-bench-app-'));
  const download = page.waitForEvent('download');
  await page.click('button[data-download="fit.json"]');
  await (await download).saveAs(join(dir, 'fit.json'));
  const appFit = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8')) as {
    bootstrap: { params: Record<string, { sd: number; ci: [number, number] }> };
  };
  const c0 = performance.now();
  const cli = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/scalefit.js'), 'fit', 'data/epoch-chinchilla.csv', '--bootstrap', '1000', '--json', '--quiet'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const cliBootMs = performance.now() - c0;
  if (cli.status !== 0) throw new Error(`scalefit fit --bootstrap 1000 failed: ${cli.stderr}`);
  const cliFit = JSON.parse(cli.stdout) as typeof appFit;
  let ciDiff = 0;
  for (const [k, v] of Object.entries(cliFit.bootstrap.params)) {
    const a = appFit.bootstrap.params[k]!;
    for (const [x, y] of [
      [a.sd, v.sd],
      [a.ci[0], v.ci[0]],
      [a.ci[1], v.ci[1]],
    ] as const)
      ciDiff = Math.max(ciDiff, Math.abs(x - y) / Math.abs(y));
  }
  const load1 = loadavg();
  const result = {
    date: new Date().toISOString(),
    chromium: browser.version(),
    node: process.version,
    cores,
    loadavg: { start: load0, end: load1 },
    page_load_ms: pageLoadMs,
    default_fit: {
      first_after_ms: FIRST_DROP_AFTER_MS,
      first_ms: first.roundTrip,
      first_worker_ms: first.worker,
      reps: REPS,
      median_ms: median(fits),
      min_ms: Math.min(...fits),
      max_ms: Math.max(...fits),
      median_worker_ms: median(warm.map((w) => w.worker)),
      target_ms: TARGET_FIT_MS,
      met: median(fits) < TARGET_FIT_MS,
    },
    bootstrap_1000: {
      workers: cores,
      page_ms: pageBootMs,
      cli_ms: cliBootMs,
      page_over_cli: pageBootMs / cliBootMs,
      max_rel_diff_sd_ci: ciDiff,
    },
  };
  writeFileSync(join(ROOT, 'bench/app.json'), `${JSON.stringify(result, null, 2)}\n`);
  const ms = (x: number) => `${x < 100 ? x.toFixed(1) : x.toFixed(0)} ms`;
  process.stdout.write(
    [
      `Browser app (${result.chromium}, ${cores} cores, load average ${load0.map((x) => x.toFixed(1)).join(' ')}), bench/app.json:`,
      '',
      '| case | wall | target | met | note |',
      '|---|---|---|---|---|',
      `| page load (file://) | ${ms(pageLoadMs)} | - | - | until the load event |`,
      `| default fit, Epoch data (245 runs), the first, dropped ${FIRST_DROP_AFTER_MS / 1000} s after load | ${ms(first.roundTrip)} | < ${TARGET_FIT_MS} ms | ${first.roundTrip < TARGET_FIT_MS ? 'met' : 'missed'} | ${ms(first.worker)} in the worker |`,
      `| default fit, Epoch data, median of ${REPS} (min-max) | ${ms(median(fits))} (${ms(Math.min(...fits))}-${ms(Math.max(...fits))}) | < ${TARGET_FIT_MS} ms | ${result.default_fit.met ? 'met' : 'missed'} | drop to result on the page's thread; charts excluded |`,
      `| bootstrap, 1000 resamples, ${cores} Web Workers | ${ms(pageBootMs)} | - | - | the CLI on ${cores} threads, same run: ${ms(cliBootMs)} (page/CLI ${(pageBootMs / cliBootMs).toFixed(2)}); sd and ci differ by at most ${ciDiff.toExponential(1)} relative |`,
      '',
    ].join('\n'),
  );
} finally {
  await browser.close();
}
