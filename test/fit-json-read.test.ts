import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { fitLaw } from '../src/fit/fit.ts';
import { buildFitJson, readFitJson } from '../src/io/fitJson.ts';
import { stableJson } from '../src/io/stableJson.ts';
import { loadRuns } from '../src/data/load.ts';
import { chinchilla } from '../src/laws/chinchilla.ts';
import { LAWS } from '../src/laws/index.ts';

/** readFitJson is what predict, optimal and report use to read a fit: a wrong or truncated file is refused in one line. */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-fitjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ds = loadRuns('test/fixtures/bad/crlf.csv');
const good = stableJson(buildFitJson(fitLaw(chinchilla, ds.runs), ds));
const json = JSON.parse(good) as Record<string, unknown>;
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const refit = "refit with 'scalefit fit DATA --out FILE'";

describe('readFitJson', () => {
  it('readFitJson reads back what buildFitJson wrote', () => {
    expect(readFitJson(write('good.json', good)).params).toEqual(json.params);
  });

  it.each([
    [
      'truncated.json',
      good.slice(0, Math.floor(good.length / 2)),
      /: not a fit JSON file \(invalid JSON: .*\); was it truncated\? refit with/,
    ],
    ['empty.json', '', `: the fit file is empty; ${refit}`],
    ['a-csv.json', 'N,D,loss\n1,2,3\n', /: not a fit JSON file \(invalid JSON: .*\\n.*\); was it truncated\?/],
    [
      'array.json',
      '[]',
      `: not a valid scalefit fit file: (top level): Invalid input: expected object, received array; ${refit}`,
    ],
    [
      'no-params.json',
      JSON.stringify({ ...json, params: undefined }),
      `: not a valid scalefit fit file: params: Invalid input: expected record, received undefined; ${refit}`,
    ],
    [
      'null-param.json',
      JSON.stringify({ ...json, params: { ...(json.params as object), E: null } }),
      `: not a valid scalefit fit file: params.E: Invalid input: expected number, received null; ${refit}`,
    ],
    [
      'string-param.json',
      JSON.stringify({ ...json, params: { ...(json.params as object), alpha: '0.3' } }),
      'params.alpha: Invalid input: expected number, received string',
    ],
    [
      'missing-alpha.json',
      JSON.stringify({ ...json, params: { E: 1, A: 1, B: 1, beta: 0.3 } }),
      `: fit file for chinchilla lacks parameter(s) alpha; ${refit}`,
    ],
    [
      'unknown-law.json',
      JSON.stringify({ ...json, law: 'nolaw' }),
      `: unknown law "nolaw"; known laws: ${Object.keys(LAWS).join(', ')} (was the fit made by a newer scalefit?)`,
    ],
    [
      'bad-loss.json',
      JSON.stringify({ ...json, loss: { kind: 'l2', delta: 1, space: 'log' } }),
      'loss.kind: Invalid option: expected one of "huber"|"mse"|"lad"',
    ],
    [
      'no-input.json',
      JSON.stringify({ ...json, input: undefined }),
      'input: Invalid input: expected object, received undefined',
    ],
  ])('readFitJson refuses %s in one line naming the file', (name, text, message) => {
    const path = write(name, text);
    let err: unknown;
    try {
      readFitJson(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const m = (err as Error).message;
    expect(m.startsWith(`${path}: `)).toBe(true);
    expect(m).not.toMatch(/[\n\r]/);
    if (typeof message === 'string') expect(m).toContain(message);
    else expect(m).toMatch(message);
  });

  it('readFitJson says when the file does not exist', () => {
    expect(() => readFitJson(join(dir, 'nope.json'))).toThrow(
      `${join(dir, 'nope.json')}: cannot read fit file (no such file)`,
    );
  });
});
