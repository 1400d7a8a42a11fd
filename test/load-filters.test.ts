import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunsFromText } from '../src/data/load.ts';
import { runCli } from './helpers/runCli.ts';

const load = (text: string, opts = {}) => loadRunsFromText(text, 'runs.csv', opts);

describe('--where on a derived column (issue 13)', () => {
  it('loadRunsFromText keeps the 1e17 budget with --where C>=1e17 when the derived C = 6ND rounds just below', () => {
    // N and D printed to 7 significant digits: 6ND = 9.999999e16, 1e-7 below the budget.
    const text = 'N,D,loss\n3.333333e8,5e7,3.1\n1e8,1e7,3.5\n3.333333e8,5e8,2.9\n';
    const ds = load(text, { where: ['C>=1e17'] });
    expect(ds.runs.map((r) => r.line)).toEqual([2, 4]);
    expect(ds.runs[0]!.C).toBeLessThan(1e17);
    // the other side of the comparison agrees: C<1e17 does not keep it
    expect(load(text, { where: ['C<1e17'] }).runs.map((r) => r.line)).toEqual([3]);
  });

  it("loadRunsFromText compares a given C exactly (no tolerance on the user's own values)", () => {
    const ds = load('N,D,C,loss\n3.333333e8,5e7,9.999999e16,3.1\n1e8,1e7,6e15,3.5\n', { where: ['C<1e17'] });
    expect(ds.runs.map((r) => r.line)).toEqual([2, 3]);
  });
});

describe('raw public files load as they are (issue 13)', () => {
  it('loadRunsFromText recognises params_N, tokens_D and unique_tokens_U', () => {
    const ds = load('params_N,tokens_D,unique_tokens_U,loss\n1e9,2e10,1e10,3\n', { need: ['N', 'D', 'U'] });
    expect(ds.columns).toMatchObject({ N: 'params_N', D: 'tokens_D', U: 'unique_tokens_U' });
  });

  it('loadRunsFromText applies --where before checking: an empty tokens cell or "nan" loss in a dropped row is fine', () => {
    const text = 'params_N,tokens_D,steps,loss,split\n1e9,2e10,100,3.0,train\n2e9,,,nan,test\n3e9,6e10,,2.8,train\n';
    const ds = load(text, { where: ['split==train'] });
    expect(ds.runs.map((r) => r.line)).toEqual([2, 4]);
    // steps is not needed by the law: its blank cell in a kept row is no error, and reads as absent
    expect(ds.runs[1]!.S).toBeUndefined();
    // without the filter the row is kept and checked
    expect(() => load(text)).toThrow('runs.csv:3: column "tokens_D" is empty');
  });

  it("loadRunsFromText checks only the columns the law needs: another eval set's loss or a bad steps cell do not matter", () => {
    const text = 'N,D,loss,other_loss,steps\n1e9,2e10,3.0,n/a,x\n2e9,4e10,2.9,,y\n';
    expect(load(text).runs).toHaveLength(2);
    expect(() => load(text, { need: ['N', 'S'] })).toThrow('runs.csv:2: column "steps": "x" is not a number');
  });

  it("filters accept the user's headers after --columns, canonical names and aliases alike", () => {
    const text = 'nparams,ntok,val,dataset\n5e8,1e10,3.2,c4\n2e9,4e10,2.9,c4\n';
    const columns = { N: 'nparams', D: 'ntok', loss: 'val' };
    for (const where of ['nparams<=1e9', 'N<=1e9', 'params<=1e9', 'Model Size<=1e9']) {
      expect(load(text, { columns, where: [where] }).runs.map((r) => r.line)).toEqual([2]);
    }
    expect(load(text, { columns, where: ['val<3'] }).runs.map((r) => r.line)).toEqual([3]);
    expect(() => load(text, { columns, where: ['width<=1e9'] })).toThrow(
      'filter "width<=1e9" names column "width", which the file does not have',
    );
  });

  it('scalefit inspect --columns N=my_params --where my_params<=1e9 filters on the mapped header (the case the issue reports)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-filters-'));
    const file = join(dir, 'runs.csv');
    const rows = ['my_params,tokens,loss'];
    for (const n of [1e8, 2e8, 4e8, 8e8, 1.6e9])
      for (const d of [1e9, 1e10, 1e11])
        rows.push(`${n},${d},${(1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28).toFixed(6)}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const r = await runCli(['inspect', file, '--columns', 'N=my_params', '--where', 'my_params<=1e9', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows_kept).toBe(12);
  });

  it('a filter on a column whose cell is unreadable drops that row with a warning', () => {
    const ds = load('N,D,loss\n1e9,2e10,3\nnan,2e10,3.1\n', { where: ['N<=1e10'] });
    expect(ds.runs).toHaveLength(1);
    expect(ds.warnings.join(' ')).toMatch(
      /1 row\(s\) have no readable value in a column --where compares \(first at line 3\)/,
    );
  });
});
