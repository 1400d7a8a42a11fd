/**
 * Child process for test/startup.test.ts: runs the compiled CLI (dist/) with argv[3..] and appends to the file
 * argv[2] every module it loads: each ES module URL the loader resolves (a resolve hook) and each CommonJS request
 * (`require`, also require(esm)). Command output is discarded; the exit code is the CLI's.
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.argv[2];
const hook = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(log, 'esm ' + r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { log } });
const load = Module._load;
Module._load = function (request, ...rest) {
  appendFileSync(log, `cjs ${request}\n`);
  return load.call(this, request, ...rest);
};
const { main } = await import(new URL('../../dist/cli/main.js', import.meta.url).href);
process.exitCode = await main(process.argv.slice(3), { stdout: () => {}, stderr: (s) => process.stderr.write(s) });
