// Run once before the test files: tests that spawn bin/scalefit.js (and the package test) run the compiled dist/,
// so make sure it was built from the current sources (a no-op when it already was); likewise the browser app
// (app-dist/index.html), which test/app-browser.test.ts and `scalefit app` use.
import { build } from '../../scripts/build.mjs';
import { buildApp } from '../../scripts/build-app.ts';

export default async function setup(): Promise<void> {
  build({ ifStale: true });
  await buildApp({ ifStale: true });
}
