#!/usr/bin/env node
/**
 * Compile src/ to dist/ (ES modules with .d.ts), from scratch so that no module deleted or moved in src/ lingers in
 * dist/. `npm run build`; run by `prepare` (so by `npm ci`, `npm install` and `npm pack`).
 *
 * `--if-stale` skips the build when dist/ was built from exactly the current inputs: dist/.inputs-sha256 holds a
 * hash of every file under src/, the tsconfig files, this script and the TypeScript and esbuild versions. The test
 * suite calls it before any test runs (test/helpers/globalSetup.ts), so tests that spawn bin/scalefit.js never run a
 * stale dist/, and a run with unchanged sources pays a few milliseconds instead of a compile.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.inputs-sha256');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** A hash of everything the compiled output depends on. */
export function inputsHash() {
  const require = createRequire(join(ROOT, 'package.json'));
  const hash = createHash('sha256');
  hash.update(`typescript ${require('typescript/package.json').version}\n`);
  hash.update(`esbuild ${require('esbuild/package.json').version}\n`);
  const files = [
    ...filesUnder(join(ROOT, 'src')),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
    join(ROOT, 'scripts', 'build.mjs'),
  ];
  for (const file of files.map((f) => relative(ROOT, f).split('\\').join('/')).sort()) {
    hash
      .update(`${file}\n`)
      .update(readFileSync(join(ROOT, file)))
      .update('\n');
  }
  return hash.digest('hex');
}

/**
 * The CLI as a few bundled files in dist/bundle/ (bin/scalefit.js runs dist/bundle/main.js): Node's ES module loader
 * pays per file, and a `scalefit fit` over tsc's output loads about 90 of them; bundled, the same command used about
 * 80 ms less CPU (0.23 s against 0.31 s, bare node 0.10 s; 7 interleaved runs, 2026-12-01). Commands stay separate
 * chunks (dynamic imports), so `--help` still loads none. Entries and chunks sit side by side two levels below the
 * package root, as every compiled module does, so the modules' own relative URLs (`../../package.json`,
 * `../../data/...`, `./worker.js`) resolve the same. The library (dist/index.js) stays tsc's unbundled output.
 */
function bundleCli() {
  const esbuild = createRequire(join(ROOT, 'package.json'))('esbuild');
  esbuild.buildSync({
    entryPoints: [join(DIST, 'cli', 'main.js'), join(DIST, 'parallel', 'worker.js')],
    outdir: join(DIST, 'bundle'),
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

/** Build dist/ (unless `ifStale` and it is current). Returns whether it compiled; throws if tsc fails. */
export function build({ ifStale = false } = {}) {
  const want = inputsHash();
  if (ifStale && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === want) return false;
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})`);
  bundleCli();
  writeFileSync(STAMP, `${want}\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build({ ifStale: process.argv.includes('--if-stale') });
  } catch (e) {
    process.stderr.write(`scripts/build.mjs: ${e.message}\n`);
    process.exit(1);
  }
}
