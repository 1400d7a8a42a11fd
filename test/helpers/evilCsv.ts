import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chinchilla } from '../../src/laws/chinchilla.ts';
import { HOFFMANN } from './reportFixture.ts';

export const EVIL = '<script>window.__pwned=1</script>';
export const EVIL_IMG = '<img src=x onerror="window.__pwned=2">';

/** A CSV whose file name, a column name and a tag value hold markup, for the escaping tests. Returns its path. */
export function writeEvilCsv(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalefit-evil-'));
  const path = join(dir, `runs${EVIL_IMG.replace(/\//g, '')}.csv`);
  const lines = [`N,D,loss,${EVIL}`];
  let i = 0;
  for (const C of [1e18, 1e19, 1e20, 1e21]) {
    for (const k of [-2, -1, 0, 1, 2]) {
      const N = 0.1 * Math.sqrt(C) * 3 ** k;
      const D = C / (6 * N);
      const loss = chinchilla.predict(HOFFMANN, { N, D }) * (1 + 0.003 * Math.sin(i++));
      lines.push(`${N},${D},${loss},"${i % 2 ? EVIL : EVIL_IMG.replace(/"/g, '""')}|x"`);
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
