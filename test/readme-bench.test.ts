import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AppJson, BenchResults, StartupJson } from '../bench/render.ts';
import { renderApp, renderStartup, renderTables } from '../bench/render.ts';

const block = (readme: string, name: string): string | undefined =>
  new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme)?.[1];
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe("README's performance tables are the measured ones, not typed by hand", () => {
  const readme = readFileSync('README.md', 'utf8');

  it('renderTables(bench/results.json) equals README between bench:start and bench:end', () => {
    expect(block(readme, 'bench')).toBe(renderTables(json<BenchResults>('bench/results.json')));
  });

  it('renderStartup(bench/startup.json) equals README between startup:start and startup:end', () => {
    expect(block(readme, 'startup')).toBe(renderStartup(json<StartupJson>('bench/startup.json')));
  });

  it('renderApp(bench/app.json) equals README between app:start and app:end', () => {
    expect(block(readme, 'app')).toBe(renderApp(json<AppJson>('bench/app.json')));
  });

  it('renderStartup(s) gives the verdict the JSON records for each target', () => {
    const s = json<StartupJson>('bench/startup.json');
    const missed = { ...s, cases: s.cases.map((c) => (c.target ? { ...c, met: false } : c)) };
    expect(renderStartup(missed)).toContain('(missed)');
    expect(renderStartup(missed)).not.toContain('(met)');
  });
});
