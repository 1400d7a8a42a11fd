/**
 * The README's screenshot of the browser app, docs/app.png: the app in headless Chromium at 1280 x 1100 px with
 * data/epoch-chinchilla.csv dropped on it, Epoch AI's outlier rule (drop the 5 highest losses) and a 200-resample
 * bootstrap. `node --import tsx scripts/app-screenshot.ts` (needs Chromium, as the browser tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { APP_HTML, buildApp } from './build-app.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const chrome = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : 'chromium');
await buildApp({ ifStale: true });
const browser = await chromium.launch({
  executablePath: chrome,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const settings = JSON.stringify({ excludeTopLoss: 5, bootstrap: 200, seed: 42 });
  await page.goto(`${pathToFileURL(APP_HTML).href}#${new URLSearchParams({ s: settings })}`);
  await page.evaluate(
    (text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'epoch-chinchilla.csv', { type: 'text/csv' }));
      document
        .getElementById('drop')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    readFileSync(join(ROOT, 'data/epoch-chinchilla.csv'), 'utf8'),
  );
  await page.waitForFunction(() => document.body.dataset.fit === 'done', undefined, { timeout: 600_000 });
  await page.screenshot({ path: join(ROOT, 'docs/app.png') });
  process.stdout.write('wrote docs/app.png\n');
} finally {
  await browser.close();
}
