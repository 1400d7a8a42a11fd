import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.ts';
import { helpOf } from '../src/cli/main.ts';
import { runCli } from './helpers/runCli.ts';

// Start-up cost is mostly module loading; which modules a command loads is checked here (deterministic), how long
// that takes is measured by bench/startup.ts (npm run bench), never by a timed test.
const dir = mkdtempSync(join(tmpdir(), 'scalefit-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The npm packages (by name) and compiled scalefit modules (relative to dist/) that `scalefit ...argv` loads. */
function loaded(argv: string[]): { code: number | null; packages: Set<string>; modules: Set<string> } {
  const log = join(dir, `log-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['test/helpers/loadedModules.mjs', log, ...argv], { encoding: 'utf8' });
  const packages = new Set<string>(),
    modules = new Set<string>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(line)?.[1] ?? /^cjs ((?:@[^/]+\/)?[^./][^/]*)/.exec(line)?.[1];
    if (pkg && !pkg.startsWith('node:')) packages.add(pkg);
    const mod = /\/dist\/(.+\.js)$/.exec(line)?.[1];
    if (mod && !line.includes('node_modules')) modules.add(mod);
  }
  return { code: r.status, packages, modules };
}

const HEAVY = [
  'vega',
  'vega-lite',
  'vega-embed',
  '@resvg/resvg-js',
  'piscina',
  'zod',
  'ml-levenberg-marquardt',
  'ml-matrix',
  'mathjs',
  'hyparquet',
];

describe('start-up', () => {
  it('scalefit --help loads no npm package and no command module', () => {
    const { code, packages, modules } = loaded(['--help']);
    expect(code).toBe(0);
    expect([...packages]).toEqual([]);
    expect([...modules].filter((m) => m.startsWith('cli/commands/') && m !== 'cli/commands/index.js')).toEqual([]);
  });

  it('scalefit fit on a CSV loads none of the chart, worker, schema or Levenberg-Marquardt libraries', () => {
    const csv = join(dir, 'runs.csv');
    writeFileSync(csv, readFileSync('data/epoch-chinchilla.csv', 'utf8').split('\n').slice(0, 21).join('\n'));
    const { code, packages, modules } = loaded(['fit', csv]);
    expect(code).toBe(0);
    expect(modules.has('fit/fit.js')).toBe(true); // the log does see what fit loads
    expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
  });

  it('scalefit fit --law kaplan-nd loads ml-levenberg-marquardt when it needs it', () => {
    // The counterpart of the test above: a lazily loaded module is still found (the kaplan-nd fit uses LM).
    const { code, packages } = loaded(['fit', 'data/epoch-chinchilla.csv', '--law', 'kaplan-nd']);
    expect(code).toBe(0);
    expect(packages.has('ml-levenberg-marquardt')).toBe(true);
  });

  it('scalefit fit --law FORMULA loads mathjs when it needs it', () => {
    // The counterpart of the CSV test above: mathjs (in HEAVY) is loaded only for a formula law.
    const { code, packages } = loaded(['fit', 'data/epoch-chinchilla.csv', '--law', 'E + A/N^alpha + B/D^beta']);
    expect(code).toBe(0);
    expect(packages.has('mathjs')).toBe(true);
  });

  it('COMMANDS[i].load() gives the command of that name, with its help', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(helpOf(command)).toContain(`scalefit ${entry.name}`);
    }
  });
});

describe('the bundled CLI', () => {
  it('bin/scalefit.js runs dist/bundle/main.js, whose bootstrap fit JSON equals the in-process CLI byte for byte', async () => {
    expect(readFileSync('bin/scalefit.js', 'utf8')).toContain("'../dist/bundle/main.js'");
    // Worker threads of the bundle load dist/bundle/worker.js: a bootstrap on 2 workers exercises them.
    const argv = ['fit', 'data/examples/my-runs.csv', '--bootstrap', '40', '--seed', '5', '--workers', '2', '--json'];
    const spawned = spawnSync(process.execPath, ['bin/scalefit.js', ...argv], { encoding: 'utf8' });
    expect(spawned.stderr).toBe('');
    expect(spawned.status).toBe(0);
    const inProcess = await runCli(argv);
    expect(spawned.stdout).toBe(inProcess.stdout);
  });
});
