#!/usr/bin/env node
// Runs the compiled CLI in dist/, which `npm run build` makes (`npm ci` and `npm install` run it through `prepare`).
const entry = new URL('../dist/bundle/main.js', import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(entry.pathname)) throw e;
  process.stderr.write(
    'scalefit: error: the compiled CLI (dist/) is missing: run `npm run build` (or `npm ci`) in the scalefit folder\n',
  );
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
