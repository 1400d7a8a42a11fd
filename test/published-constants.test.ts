import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFitJson } from '../src/io/fitJson.ts';
import { PUBLISHED_NAMES, publishedFitJson } from '../src/io/publishedFit.ts';
import { getLaw } from '../src/laws/index.ts';
import { runCli } from './helpers/runCli.ts';

const HOFFMANN = 'E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28';

describe('published constants as fit files', () => {
  it('scalefit fit --law chinchilla --params ... --out f.json writes a fit marked published, without runs or standard errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-published-'));
    const file = join(dir, 'f.json');
    const r = await runCli(['fit', '--law', 'chinchilla', '--params', HOFFMANN, '--out', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fit = readFitJson(file);
    expect(fit.params).toEqual({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 });
    expect((fit as { published?: unknown }).published).toEqual({ name: 'constants', citation: 'given with --params' });
    expect(fit.n).toBe(0);
    expect(fit.data).toHaveProperty('omitted');
    expect(fit).not.toHaveProperty('stderr');
    // Hoffmann et al. 2022's own allocation (their eq. 4 with these constants): a = beta/(alpha+beta) = 0.28/0.62.
    const o = await runCli(['optimal', file, '--compute', '5.76e23', '--json']);
    expect(o.code).toBe(0);
    const json = JSON.parse(o.stdout);
    expect(json.a).toBeCloseTo(0.28 / 0.62, 12);
    // The same file from --published hoffmann2022 (data/published/scaling_law_constants.json) gives the same numbers.
    const p = await runCli(['optimal', '--published', 'hoffmann2022', '--compute', '5.76e23', '--json']);
    expect(JSON.parse(p.stdout).allocations).toEqual(json.allocations);
  });

  it('publishedFitJson(name) gives every data/published law with the constants as printed (Kaplan C_c^min in FLOPs)', () => {
    expect(PUBLISHED_NAMES).toEqual([
      'hoffmann2022',
      'besiroglu2024',
      'kaplan2020-n',
      'kaplan2020-d',
      'kaplan2020-c',
      'kaplan2020-nd',
      'kaplan2020-ns',
    ]);
    for (const name of PUBLISHED_NAMES) {
      const fit = publishedFitJson(name);
      expect(Object.keys(fit.params).sort(), name).toEqual([...getLaw(fit.law).paramNames].sort());
    }
    // Kaplan et al. 2020 eq. 1.3: C_c^min = 3.1e8 PF-days, 1 PF-day = 8.64e19 FLOPs; table 2: N_c 6.4e13, alpha_D 0.103.
    expect(publishedFitJson('kaplan2020-c').params.C_c).toBeCloseTo(3.1e8 * 8.64e19, -14);
    expect(publishedFitJson('kaplan2020-nd').params).toEqual({
      N_c: 6.4e13,
      D_c: 1.8e13,
      alpha_N: 0.076,
      alpha_D: 0.103,
    });
    expect(publishedFitJson('besiroglu2024').params).toEqual({
      E: 1.8172,
      A: 482.01,
      B: 2085.43,
      alpha: 0.3478,
      beta: 0.3658,
    });
  });

  it("scalefit predict --published kaplan2020-n predicts Kaplan et al.'s L(N) = (N_c/N)^alpha_N", async () => {
    const r = await runCli(['predict', '--published', 'kaplan2020-n', '--N', '1e9', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).points[0].loss).toBeCloseTo((8.8e13 / 1e9) ** 0.076, 12);
  });

  it('scalefit report DATA --published hoffmann2022 scores the published law on every run; without data it is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalefit-published-report-'));
    const r = await runCli([
      'report',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--published',
      'hoffmann2022',
      '--out',
      join(dir, 'r'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'r', 'report.md'), 'utf8')).toMatch(
      /With published constants \(Hoffmann et al\. 2022[^)]*\)\), fitted on none of these runs, the law predicts the 240 held-out runs/,
    );
    const none = await runCli(['report', '--published', 'hoffmann2022', '--out', join(dir, 'x')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/a published law has no runs to report on; give a CSV of runs/);
  });

  it.each([
    [
      ['fit', '--law', 'chinchilla', '--params', 'E=1.69,A=406.4'],
      /chinchilla needs E, A, B, alpha, beta; missing B, alpha, beta/,
    ],
    [['fit', '--law', 'chinchilla', '--params', `${HOFFMANN},zeta=1`], /chinchilla has no parameter "zeta"/],
    [
      ['fit', '--law', 'chinchilla', '--params', 'E=1.69,A=406.4,B=410.7,alpha=-0.34,beta=0.28'],
      /exponent alpha = -0.34 is not positive/,
    ],
    [['fit', '--law', 'chinchilla', '--params', HOFFMANN, '--bootstrap', '100'], /--bootstrap needs runs to fit/],
    [['fit', 'data/epoch-chinchilla.csv', '--params', HOFFMANN], /without data; drop data\/epoch-chinchilla.csv/],
    [['fit', '--published', 'hoffmann2021'], /hoffmann2021/],
    [['optimal', '--compute', '1e21'], /give a fit file .* or --published NAME/],
    [['optimal', 'fits/epoch-chinchilla.json', '--published', 'hoffmann2022', '--compute', '1e21'], /not both/],
  ])('main(%j) refuses what cannot work without data, in one line, exit 2', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
