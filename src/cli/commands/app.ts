import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ScalefitError } from '../../core/errors.ts';
import { atomicWrite, checkOverwrite, wroteLine } from '../../io/atomicWrite.ts';
import { defineCommand } from '../command.ts';

/**
 * The package folder: the nearest one above this module holding scalefit's package.json (this module runs as
 * src/cli/commands/app.ts, dist/cli/commands/app.js or inside the CLI bundle dist/bundle/, at different depths).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'scalefit')
      return `${dir}${sep}`;
    const up = dirname(dir);
    if (up === dir)
      throw new ScalefitError('cannot find the scalefit package folder (no package.json named scalefit above the CLI)');
    dir = up;
  }
}

/**
 * The app's HTML, built first when this is a clone whose app-dist/ is missing or older than its sources
 * (scripts/build-app.ts --if-stale, a hash check when nothing changed). An installed package does not ship the app.
 */
function appHtml(): string {
  const ROOT = packageRoot();
  const APP_HTML = `${ROOT}app-dist/index.html`;
  const BUILD_SCRIPT = `${ROOT}scripts/build-app.ts`;
  if (existsSync(BUILD_SCRIPT) && existsSync(`${ROOT}node_modules/vite`) && existsSync(`${ROOT}node_modules/tsx`)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', BUILD_SCRIPT, '--if-stale'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new ScalefitError(
        `cannot build the app: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n')[0]}`,
      );
  }
  if (!existsSync(APP_HTML)) {
    throw new ScalefitError(
      'the app is not built: in a clone of scalefit run `npm run build:app` (the npm package does not ship it; it is 1.4 MB)',
    );
  }
  return APP_HTML;
}

/** The platform's "open this file" command. */
function opener(): [string, string[]] {
  if (process.platform === 'darwin') return ['open', []];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""']];
  return ['xdg-open', []];
}

export const appCommand = defineCommand({
  name: 'app',
  usage: ['[options]'],
  description: `The browser app: one self-contained HTML file (app-dist/index.html) that runs scalefit in the page. Drop a CSV
(or JSON lines) on it: see what the loader made of it, change the column mapping, filters and train split, choose the
law, loss and constraints, and get the fit table, the report's trust section and charts, compute-optimal allocations
with intervals, and downloads of fit.json (readable by scalefit report --from), report.md, the charts and the HTML
report. Fits and the bootstrap run in Web Workers on every core, the bootstrap with the CLI's seeded resamples. It
works offline from file:// and makes no network request; the settings and the last file are kept in the URL and the
browser's localStorage.

Without options it opens the app in the default browser (xdg-open, open or start) and prints its file:// URL; --print
only prints the URL; --out FILE writes a copy of the HTML file (to mail, or to put on any static web server).`,
  examples: [
    { command: 'scalefit app --print', note: 'the file:// URL of the app, to open in any browser' },
    { command: 'scalefit app --out scalefit-app.html', note: 'a copy of the app: one HTML file that works offline' },
  ],
  options: {
    out: {
      type: 'string',
      value: 'FILE',
      example: 'scalefit-app.html',
      group: 'Output options',
      description: 'write the app (one HTML file) to FILE instead of opening it',
    },
    force: { type: 'flag', group: 'Output options', description: 'overwrite an existing --out' },
    print: {
      type: 'flag',
      group: 'Output options',
      description: 'print the file:// URL of the app instead of opening it',
    },
  },
  positionals: [0, 0],
  run({ values, stdout }) {
    const out = values.out;
    const replacing = out ? checkOverwrite(out, values.force) : false;
    const html = appHtml();
    const url = pathToFileURL(html).href;
    if (out) {
      atomicWrite(out, readFileSync(html), { replace: Boolean(values.force) });
      stdout(wroteLine(out, replacing));
      return 0;
    }
    if (values.print) {
      stdout(`${url}\n`);
      return 0;
    }
    const [cmd, args] = opener();
    try {
      const child = spawn(cmd, [...args, url], { detached: true, stdio: 'ignore' });
      child.on('error', () => {});
      child.unref();
      stdout(`opening ${url}\n(if no browser opens, open that address in one)\n`);
    } catch {
      stdout(`open ${url} in a browser\n`);
    }
    return 0;
  },
});
