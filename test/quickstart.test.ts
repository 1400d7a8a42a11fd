import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRunsCsv } from '../scripts/make-example-runs.ts';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * The shell commands of README's "Quick start" section, in order: every line of its ```sh blocks, comments dropped,
 * `a && b` split into two commands. Read from README itself so the test and README cannot drift apart.
 */
function quickStartCommands(readme: string): string[] {
  const start = readme.indexOf('\n## Quick start');
  if (start < 0) throw new Error('README.md has no "## Quick start" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split('&&').map((c) => c.trim()));
}

/** A fresh copy of the working tree as a clone would have it (tracked and new files, nothing git ignores). */
function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalefit-quickstart-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f !== '' && f !== 'node_modules' && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  // `npm ci` would install the locked dependencies; the test links the ones this checkout already installed.
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
      stdio: 'pipe',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fresh clone');
  return dir;
}

describe("README's quick start", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const commands = quickStartCommands(readme);
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('quickStartCommands(README) finds the install, the reproduction and the fit of your own runs', () => {
    expect(commands.slice(0, 3)).toEqual(['npm ci', 'npm start', 'npm test']);
    expect(commands.some((c) => c.startsWith('npx scalefit fit data/examples/my-runs.csv'))).toBe(true);
    expect(commands.some((c) => c.startsWith('npx scalefit report'))).toBe(true);
  });

  it('runs as written on a fresh copy of the repository, writing only under the ignored out/', () => {
    dir = freshCopy();
    const ran: string[] = [];
    for (const command of commands) {
      // npm ci: the dependencies are linked above; what is left of it is the package's own prepare step (if any).
      // npm test: the suite this test belongs to.
      const run = command === 'npm ci' ? 'npm run prepare --if-present' : command === 'npm test' ? null : command;
      if (run === null) continue;
      const r = spawnSync('sh', ['-c', run], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      });
      expect(r.status, `${command}\n${r.stderr}`).toBe(0);
      ran.push(command);
    }
    expect(ran.length).toBeGreaterThanOrEqual(6);
    expect(existsSync(join(dir, 'out/my-fit.json'))).toBe(true);
    expect(existsSync(join(dir, 'out/my-report/index.html'))).toBe(true);
    // Nothing tracked changed (npm start rewrites its committed outputs with the same bytes) and nothing new lies
    // outside what git ignores.
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    // ... and what npm pack would publish holds none of it.
    const pack = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const packed = pack[0]!.files.map((f) => f.path);
    expect(packed.length).toBeGreaterThan(0);
    expect(packed.filter((p) => p.startsWith('out/'))).toEqual([]);
  }, 600_000);
});

describe('data/examples/my-runs.csv', () => {
  it('exampleRunsCsv() regenerates the committed file byte for byte (seeded)', () => {
    expect(exampleRunsCsv()).toBe(readFileSync(join(ROOT, 'data/examples/my-runs.csv'), 'utf8'));
  });
});
