import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

describe('scalefit reproduce', () => {
  it('main([reproduce]) (what npm start runs) prints a summary within 100 columns, writes the full tables, fits/ and the report with its verdicts, and every row passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-reproduce-'));
    let out = '';
    // One worker: kind to the shared cores, and the time line must name the workers actually used.
    const code = await main(
      ['reproduce', '--workers', '1', '--fits', join(dir, 'fits'), '--reports', join(dir, 'reports')],
      { stdout: (s) => (out += s), stderr: (s) => (out += s) },
    );
    for (const f of [
      'fits/epoch-chinchilla.json',
      'fits/reproduce.json',
      'reports/README.md',
      'reports/index.html',
      'reports/report.md',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(out).toMatch(/^time: [\d.]+ s on 1 worker\(s\)/m);
    // The terminal gets one line per paper with its verdict, not the full tables (those are 200 columns wide).
    expect(Math.max(...out.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    for (const paper of [
      'Besiroglu et al. 2024 (Epoch AI)',
      'Hoffmann et al. 2022 (approach 3)',
      'Hoffmann et al. 2022 (approach 2)',
      'Kaplan et al. 2020',
    ]) {
      expect(out).toMatch(new RegExp(`^${paper.replace(/[()]/g, '\\$&')} +\\d+/\\d+ pass  `, 'm'));
    }
    expect(out).not.toMatch(/###|\| quantity \||FAIL/);
    expect(out).toMatch(/^(\d+) of \1 published numbers reproduced within tolerance\.$/m);
    // Paths as given (here absolute), so they open from where the command ran.
    expect(out).toContain(`Full tables, with the reason for every tolerance: ${join(dir, 'reports', 'README.md')}`);
    const tables = readFileSync(join(dir, 'reports/README.md'), 'utf8');
    for (const title of ['### Besiroglu et al. 2024', '### Hoffmann et al. 2022', '### Kaplan et al. 2020'])
      expect(tables).toContain(title);
    expect(tables).not.toMatch(/\*\*FAIL\*\*/);
    // The report of the refit carries the verdicts: a summary first, the full tables last.
    const md = readFileSync(join(dir, 'reports/report.md'), 'utf8');
    expect(md.indexOf('## Published numbers reproduced')).toBeGreaterThan(0);
    expect(md.indexOf('## Published numbers reproduced')).toBeLessThan(md.indexOf('## Parameters'));
    expect(md).toMatch(/\| Kaplan et al\. 2020 \| 12 of 12 \| pass \|/);
    expect(md.indexOf('## Kaplan et al. 2020: Scaling laws')).toBeGreaterThan(md.indexOf('## Parameters'));
    expect(code).toBe(0);
    // The 4500-start grid and 1000 resamples on one worker take 20 to 60 s on a shared 2-core machine; the full suite
    // runs other heavy tests beside it.
  }, 300_000);
});
