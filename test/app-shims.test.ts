import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../app/shims/sha256.ts';
import * as shimPath from '../app/shims/node-path.ts';

describe("the browser app's stand-ins for Node built-ins", () => {
  it('new Sha256().update(bytes).digest("hex") equals node:crypto for every length around the 64-byte block', () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 65_537]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
      const cut = n >> 1;
      const ours = new Sha256().update(bytes.subarray(0, cut)).update(bytes.subarray(cut)).digest('hex');
      expect(ours, `${n} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    // FIPS 180-4 test vector: "abc".
    expect(new Sha256().update('abc').digest('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('the path functions equal node:path on POSIX names', () => {
    for (const p of ['runs.csv', 'a/b/runs.csv', '/x/y/', '/', 'a//b/../c', './a/./b', '../a']) {
      expect(shimPath.basename(p), p).toBe(path.posix.basename(p));
      expect(shimPath.dirname(p), p).toBe(path.posix.dirname(p));
      // A trailing slash is not kept (node:path keeps it): file names have none.
      if (!/.\/$/.test(p)) expect(shimPath.normalize(p), p).toBe(path.posix.normalize(p));
    }
    expect(shimPath.join('a', 'b', '../c')).toBe(path.posix.join('a', 'b', '../c'));
  });
});
