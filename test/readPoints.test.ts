import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPoints } from '../src/data/readPoints.ts';

const dir = mkdtempSync(join(tmpdir(), 'scalefit-points-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readPoints', () => {
  it('readPoints(file) reads N, D, C by alias and converts PF-days', () => {
    expect(readPoints(file('a.csv', 'params,tokens\n70B,1.4T\n'))).toEqual([{ N: 70e9, D: 1.4e12 }]);
    expect(readPoints(file('b.csv', 'N,C\n1e9,1\n'), 'pf-days')).toEqual([{ N: 1e9, C: 8.64e19 }]);
  });

  it('readPoints(file with blank lines) names the physical line of a bad cell', () => {
    const p = file('c.csv', 'N,D\n\n1e9,2e10\n\n7e10,x\n');
    expect(() => readPoints(p)).toThrow(`--at ${p}:5: column D: "x" is not a positive number`);
  });

  it('readPoints(file) reads what the run loader reads: semicolons, quoted cells, CRLF line ends', () => {
    // One CSV reader for every CSV the tool takes (the loader's), so an --at file follows the same rules as data.
    expect(readPoints(file('d.csv', 'N;D\r\n"1e9";"2e10"\r\n'))).toEqual([{ N: 1e9, D: 2e10 }]);
    expect(() => readPoints(file('e.csv', 'N,D\n"1e9,2e10\n'))).toThrow(/^--at .*e\.csv:2: /);
  });

  it('readPoints(missing file) says there is no such file', () => {
    expect(() => readPoints(join(dir, 'nope.csv'))).toThrow(
      `--at ${join(dir, 'nope.csv')}: cannot read (no such file)`,
    );
  });
});
