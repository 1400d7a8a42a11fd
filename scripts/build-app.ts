/**
 * Build the browser app (app/) into one self-contained HTML file, app-dist/index.html: `npm run build:app`, also run
 * by `prepare` and by the test suite's global setup (with --if-stale) and by `scalefit app` from a clone.
 *
 * Two vite builds, both to memory: the engine (app/engine.ts: the library, unchanged, in a Web Worker) as one IIFE
 * script, then the page (app/main.ts) with the engine's source inlined as a string, from which it makes the Blob its
 * workers start from. The page then inlines vega, vega-lite and vega-embed exactly as the HTML report does
 * (libraryScripts), so it opens from file:// with no request: file:// forbids module scripts and worker files, not
 * inline scripts and blob: workers.
 *
 * In the browser, the Node built-ins the library imports are replaced by app/shims/ (no file system; SHA-256 in
 * JavaScript; the bundled dependencies handed to createRequire), and three modules by browser versions: the worker
 * pool (Web Workers), the version (put in at build time) and the server-side chart renderer (absent).
 *
 * `--if-stale` skips the build when app-dist/.inputs-sha256 matches a hash of everything it reads.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryScripts } from '../src/report/libraryScripts.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_DIST = join(ROOT, 'app-dist');
export const APP_HTML = join(APP_DIST, 'index.html');
const STAMP = join(APP_DIST, '.inputs-sha256');

const SHIMS: Record<string, string> = Object.fromEntries(
  ['fs', 'path', 'crypto', 'module', 'os', 'url'].map((m) => [`node:${m}`, join(ROOT, 'app/shims', `node-${m}.ts`)]),
);
/** Library modules the page gets in a browser version. */
const REPLACED: Record<string, string> = {
  [join(ROOT, 'src/parallel/workerPool.ts')]: join(ROOT, 'app/webWorkerPool.ts'),
  [join(ROOT, 'src/core/version.ts')]: join(ROOT, 'app/shims/version.ts'),
  [join(ROOT, 'src/report/render.ts')]: join(ROOT, 'app/shims/render.ts'),
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** A hash of everything the app is built from: app/, src/, this script, the lock file. */
export function appInputsHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(join(ROOT, 'app')),
    ...filesUnder(join(ROOT, 'src')),
    fileURLToPath(import.meta.url),
    join(ROOT, 'package-lock.json'),
    join(ROOT, 'package.json'),
  ];
  for (const f of files.map((x) => relative(ROOT, x).split('\\').join('/')).sort())
    hash
      .update(`${f}\n`)
      .update(readFileSync(join(ROOT, f)))
      .update('\n');
  return hash.digest('hex');
}

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function browserPlugin(extra: Record<string, string> = {}) {
  return {
    name: 'scalefit-browser',
    enforce: 'pre' as const,
    resolveId(source: string, importer: string | undefined) {
      if (source in SHIMS) return SHIMS[source];
      if (source in extra) return `\0${source}`;
      if (importer && source.startsWith('.')) {
        const abs = resolve(dirname(importer), source);
        if (abs in REPLACED) return REPLACED[abs];
      }
      return null;
    },
    load(id: string) {
      return id.startsWith('\0') && id.slice(1) in extra ? extra[id.slice(1)] : null;
    },
  };
}

async function bundle(entry: string, name: string, extra: Record<string, string> = {}): Promise<string> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    plugins: [browserPlugin(extra)],
    // import.meta.url only names where createRequire would resolve from (the shims ignore it): a fixed, harmless URL.
    define: {
      __SCALEFIT_VERSION__: JSON.stringify(VERSION),
      'process.env.NODE_ENV': '"production"',
      'import.meta.url': '"file:///scalefit-app/"',
    },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: join(ROOT, entry), formats: ['iife'], name, fileName: () => `${name}.js` },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Array<{ output: Array<{ type: string; code?: string }> }>;
  const chunks = outputs.flatMap((o) => o.output).filter((c) => c.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`${entry}: expected one script, got ${chunks.length}`);
  return chunks[0]!.code!;
}

const inline = (js: string) => js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');

/** Build app-dist/index.html (unless `ifStale` and it is current). Returns whether it built. */
export async function buildApp({ ifStale = false } = {}): Promise<boolean> {
  const want = appInputsHash();
  if (ifStale && existsSync(STAMP) && existsSync(APP_HTML) && readFileSync(STAMP, 'utf8').trim() === want) return false;
  const engine = await bundle('app/engine.ts', 'scalefitEngine');
  const page = await bundle('app/main.ts', 'scalefitApp', {
    'virtual:engine-source': `export default ${JSON.stringify(engine)};`,
  });
  const template = readFileSync(join(ROOT, 'app/index.html'), 'utf8');
  const style = readFileSync(join(ROOT, 'app/style.css'), 'utf8');
  const epoch = readFileSync(join(ROOT, 'data/epoch-chinchilla.csv'), 'utf8');
  if (/<\/script/i.test(epoch))
    throw new Error('data/epoch-chinchilla.csv holds "</script": it cannot be inlined as is');
  const html = template
    .replace('/* style */', () => style)
    .replace('<!-- libraries -->', () => libraryScripts())
    .replace(
      '<!-- example -->',
      () => `<script type="text/csv" id="example-csv" data-file="epoch-chinchilla.csv">${epoch}</script>`,
    )
    .replace('<!-- app -->', () => `<script>${inline(page)}</script>`)
    .replace('{{version}}', VERSION);
  mkdirSync(APP_DIST, { recursive: true });
  const tmp = `${APP_HTML}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, APP_HTML);
  writeFileSync(STAMP, `${want}\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const t0 = performance.now();
  buildApp({ ifStale: process.argv.includes('--if-stale') }).then(
    (built) =>
      process.stdout.write(
        built
          ? `app-dist/index.html (${Math.round(readFileSync(APP_HTML).length / 1024)} kB) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`
          : 'app-dist/index.html is current\n',
      ),
    (e: Error) => {
      process.stderr.write(`scripts/build-app.ts: ${e.message}\n`);
      process.exit(1);
    },
  );
}
