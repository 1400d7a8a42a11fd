/**
 * Child process for test/output-safety.test.ts: fits the CRLF fixture, then writes the fit JSON to argv[2] through
 * atomicWrite in chunks, and after the first chunk reports "writing" on stdout and blocks until the test SIGKILLs it.
 * This is a fit killed mid-write, made deterministic.
 */
import { writeSync } from 'node:fs';
import { loadRuns } from '../../src/data/load.ts';
import { fitLaw } from '../../src/fit/fit.ts';
import { atomicWrite } from '../../src/io/atomicWrite.ts';
import { buildFitJson } from '../../src/io/fitJson.ts';
import { stableJson } from '../../src/io/stableJson.ts';
import { chinchilla } from '../../src/laws/chinchilla.ts';

const ds = loadRuns('test/fixtures/bad/crlf.csv');
const text = stableJson(buildFitJson(fitLaw(chinchilla, ds.runs), ds));
function* chunks(): Generator<string> {
  yield text.slice(0, 100);
  writeSync(1, 'writing\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  yield text.slice(100);
}
atomicWrite(process.argv[2]!, chunks());
