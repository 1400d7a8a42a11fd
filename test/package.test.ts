import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack`, then the tarball installed into an empty project with production
// dependencies only (from the npm cache that `npm ci` filled, so it also runs offline), and used there by its bin,
// by name from plain .mjs and CommonJS, and type-checked from TypeScript. One pack and one install for the file.
const ROOT = resolve('.');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const work = mkdtempSync(join(tmpdir(), 'scalefit-package-'));
const project = join(work, 'consumer');
// The installed CLI runs with its own empty temp folder, to show that starting workers writes nothing there.
const privateTmp = join(work, 'tmp');
let packed: { filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> };

function run(cmd: string, args: string[], cwd = project): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: privateTmp, TEMP: privateTmp, TMP: privateTmp },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(project);
  mkdirSync(privateTmp);
  // prepare runs here as it does for a publish; dist/ is already current (test/helpers/globalSetup.ts), so it is a no-op.
  [packed] = JSON.parse(
    execFileSync(NPM, ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  execFileSync(
    NPM,
    ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)],
    { cwd: project, stdio: 'pipe' },
  );
  writeFileSync(join(project, 'runs.csv'), readFileSync('data/epoch-chinchilla.csv'));
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

describe('the npm package', () => {
  it('npm pack holds the compiled code, the bundled data, README and LICENSE, and nothing else, under 1 MB', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of paths)
      expect(p, p).toMatch(
        /^(package\.json|README\.md|LICENSE|bin\/scalefit\.js|dist\/.+\.(js|d\.ts)|data\/(README\.md|epoch-chinchilla\.csv|published\/.+))$/,
      );
    for (const p of [
      'LICENSE',
      'README.md',
      'bin/scalefit.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/bundle/main.js',
      'dist/bundle/worker.js',
      'dist/parallel/worker.js',
      'data/epoch-chinchilla.csv',
      'data/published/scaling_law_constants.json',
    ]) {
      expect(paths, p).toContain(p);
    }
    console.info(
      `npm pack: ${packed.files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`,
    );
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it('npx scalefit fit runs.csv (installed) fits, and its bootstrap workers write nothing to the temp folder', () => {
    const r = run(NPX, [
      '--no',
      'scalefit',
      'fit',
      'runs.csv',
      '--exclude-top-loss',
      '5',
      '--bootstrap',
      '8',
      '--workers',
      '2',
      '--seed',
      '1',
      '--out',
      'fit.json',
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('chinchilla: L(N,D) = E + A/N^alpha + B/D^beta');
    const fit = JSON.parse(readFileSync(join(project, 'fit.json'), 'utf8'));
    expect(fit.n).toBe(240);
    // Besiroglu et al. 2024's refit of these 240 runs (also checked by scalefit reproduce): alpha 0.3473, beta 0.3672.
    expect(fit.params.alpha).toBeCloseTo(0.3473, 4);
    expect(fit.params.beta).toBeCloseTo(0.3672, 4);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('npx scalefit report runs.csv (installed) writes the offline HTML page, Markdown, charts and fit', () => {
    const r = run(NPX, [
      '--no',
      'scalefit',
      'report',
      'runs.csv',
      '--exclude-top-loss',
      '5',
      '--train',
      'C<1e21',
      '--out',
      'report',
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fitted on the 217 runs with C<1e21, the law predicts the 23 held-out runs/);
    const html = readFileSync(join(project, 'report', 'index.html'), 'utf8');
    for (const lib of [
      'vega/build/vega.min.js',
      'vega-lite/build/vega-lite.min.js',
      'vega-embed/build/vega-embed.min.js',
    ])
      expect(html).toContain(`/* ${lib} */`);
    expect(readFileSync(join(project, 'report', 'report.md'), 'utf8')).toContain(
      '![Loss against compute](charts/1-loss-vs-compute.svg)',
    );
    expect(readFileSync(join(project, 'report', 'charts', '1-loss-vs-compute.svg'), 'utf8')).toMatch(/^<svg/);
    expect(statSync(join(project, 'report', 'charts', '1-loss-vs-compute.png')).size).toBeGreaterThan(1000);
  });

  it("import { loadRuns, getLaw, fitLaw } from 'scalefit' (plain .mjs) gives the CLI's fit to 1e-12", () => {
    writeFileSync(
      join(project, 'fit.mjs'),
      `import { loadRuns, getLaw, fitLaw } from 'scalefit';
const ds = loadRuns('runs.csv', { excludeTopLoss: 5 });
console.log(JSON.stringify(fitLaw(getLaw('chinchilla'), ds.runs).params));
`,
    );
    const r = run('node', ['fit.mjs']);
    expect(r.stderr).toBe('');
    const lib = JSON.parse(r.stdout) as Record<string, number>;
    const cli = JSON.parse(readFileSync(join(project, 'fit.json'), 'utf8')).params as Record<string, number>;
    expect(Object.keys(lib).sort()).toEqual(['A', 'B', 'E', 'alpha', 'beta']);
    // The same code on the same data: any difference beyond rounding would mean two different fits.
    for (const k of Object.keys(lib)) expect(Math.abs(lib[k]! - cli[k]!) / Math.abs(cli[k]!), k).toBeLessThan(1e-12);
  });

  it("require('scalefit') works from CommonJS; a deep import is refused by the exports map", () => {
    writeFileSync(
      join(project, 'fit.cjs'),
      `const { getLaw, fitLaw, loadRunsFromText } = require('scalefit');
console.log(typeof fitLaw, getLaw('chinchilla').name);
import('scalefit/dist/fit/fit.js').then(() => console.log('deep import allowed'), (e) => console.log(e.code));
`,
    );
    const r = run('node', ['fit.cjs']);
    expect(r.stdout.trim().split('\n')).toEqual(['function chinchilla', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  });

  it('tsc --noEmit type-checks an ES module and a CommonJS TypeScript consumer against the shipped types', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { bootstrapFit, fitLaw, getLaw, loadRuns, optimalAllocation } from 'scalefit';
import type { Allocation, BootstrapResult, Dataset, FitJson, FitResult, Law, Params } from 'scalefit';

const ds: Dataset = loadRuns('runs.csv', { excludeTopLoss: 5 });
const law: Law = getLaw('chinchilla');
const fit: FitResult = fitLaw(law, ds.runs);
const p: Params = fit.params;
const loss: number = law.predict(p, { N: 70e9, D: 1.4e12 });
const a: Allocation = optimalAllocation(law, p, 5.76e23);
const n: number = a.N_opt + a.D_opt + a.tokens_per_param + loss;
const boot: BootstrapResult = await bootstrapFit(law, ds.runs, fit, {}, { K: 10, seed: 0 });
const json: FitJson | undefined = undefined;
// @ts-expect-error a fit has no such field: the types are real, not any
fit.notAField;
console.log(n, boot.ci, json, fit.converged satisfies boolean);
`,
    );
    writeFileSync(
      join(project, 'consumer.cts'),
      `import { fitLaw, getLaw } from 'scalefit';
import type { FitResult } from 'scalefit';
const r: FitResult = fitLaw(getLaw('kaplan-n'), []);
console.log(r.params);
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          // As `tsc --init` sets it (checking vega-lite's own .d.ts costs a minute of CPU in a suite that runs in
          // parallel); the @ts-expect-error line shows the shipped types resolve to real types, not any. @types/node
          // comes from the scalefit checkout.
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['consumer.ts', 'consumer.cts'],
      }),
    );
    const r = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 300_000); // a type-check of the consumer and the libraries it reaches: tens of seconds on a busy machine

  it('the installed package has no development dependency (tsx, vitest, typescript) and runs without them', () => {
    for (const dev of ['tsx', 'vitest', 'typescript', 'esbuild'])
      expect(existsSync(join(project, 'node_modules', dev)), dev).toBe(false);
  });
});

describe('the repository', () => {
  it('git ls-files: no file holds an absolute path of a particular machine (/work, /root, /home, /Users)', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && existsSync(join(ROOT, f)));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((f) => {
      const text = readFileSync(join(ROOT, f), 'latin1');
      const m = /(^|[^A-Za-z0-9_.~-])\/(work|root|home|Users)\/[A-Za-z0-9_.-]/.exec(text);
      return m ? [`${f}: ${text.slice(m.index, m.index + 40).trim()}`] : [];
    });
    expect(offenders).toEqual([]);
  });
});
