// Run once before the test files: tests that spawn bin/scalefit.js (and the package test) run the compiled dist/,
// so make sure it was built from the current sources (a no-op when it already was).
import { build } from '../../scripts/build.mjs';

export default function setup(): void {
  build({ ifStale: true });
}
