import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

describe('scalefit reproduce', () => {
  it('main([reproduce, --no-write]) prints the tables and every row passes', async () => {
    let out = '';
    const code = await main(['reproduce', '--no-write'], { stdout: (s) => (out += s), stderr: (s) => (out += s) });
    expect(out).toMatch(/### Besiroglu et al. 2024/);
    expect(out).toMatch(/### Hoffmann et al. 2022/);
    expect(out).toMatch(/### Kaplan et al. 2020/);
    expect(out).not.toMatch(/\*\*FAIL\*\*/);
    expect(code).toBe(0);
  });
});
