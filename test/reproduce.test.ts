import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

describe('scalefit reproduce', () => {
  it('main([reproduce]) (what npm start runs) prints the tables, writes fits/ and the report, and every row passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-reproduce-'));
    let out = '';
    // One worker: kind to the shared cores, and the time line must name the workers actually used.
    const code = await main(['reproduce', '--workers', '1', '--fits', join(dir, 'fits'), '--reports', join(dir, 'reports')], { stdout: (s) => (out += s), stderr: (s) => (out += s) });
    for (const f of ['fits/epoch-chinchilla.json', 'fits/reproduce.json', 'reports/README.md', 'reports/index.html', 'reports/report.md']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(out).toMatch(/^time: [\d.]+ s on 1 worker\(s\)/m);
    expect(out).toMatch(/### Besiroglu et al. 2024/);
    expect(out).toMatch(/### Hoffmann et al. 2022/);
    expect(out).toMatch(/### Kaplan et al. 2020/);
    expect(out).not.toMatch(/\*\*FAIL\*\*/);
    expect(code).toBe(0);
  });
});
