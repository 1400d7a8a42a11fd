import { runCli as run } from './helpers/runCli.ts';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, jsonForScript } from '../src/report/escape.ts';
import { EVIL, writeEvilCsv } from './helpers/evilCsv.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'scalefit-report-'));

describe('scalefit report', () => {
  const dir = join(tmp(), 'epoch');

  it('scalefit report data/epoch-chinchilla.csv --train "C<1e21" says how well the small runs predicted the large ones', async () => {
    const r = await run([
      'report',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--train',
      'C<1e21',
      '--out',
      dir,
      '--compute',
      '1e23,1e24',
      '--at',
      'N=70B,D=1.4T',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /Fitted on the 217 runs with C<1e21, the law predicts the 23 held-out runs with mean absolute relative error \d+\.\d+%/,
    );
    for (const f of [
      'index.html',
      'report.md',
      'fit.json',
      'predictions.csv',
      'charts/1-loss-vs-compute.svg',
      'charts/1-loss-vs-compute.png',
      'charts/6-allocation.svg',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('## Backtest summary');
    expect(md).toContain('no bootstrap, so no intervals');
    expect(md).toContain('![Loss against compute](charts/1-loss-vs-compute.svg)');
    const csv = readFileSync(join(dir, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('line,run,set,N,D,C,loss,predicted,lo95,hi95,error,relative_error,extrapolation_factor');
    expect(csv.filter((l) => l.includes(',held-out,'))).toHaveLength(23);
    expect(csv[csv.length - 1]).toMatch(/^,,at,70000000000,1400000000000,/);
    const fit = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8'));
    expect(fit.n).toBe(217);
    expect(fit.train).toBe('C<1e21');
  });

  it('scalefit report refuses to overwrite a report folder without --force (exit 2)', async () => {
    const r = await run(['report', 'data/epoch-chinchilla.csv', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds a report .*--force/);
  });

  it('scalefit report --from fit.json rebuilds the report without refitting', async () => {
    const out = join(tmp(), 'from');
    const r = await run(['report', '--from', join(dir, 'fit.json'), '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8')).params).toEqual(
      JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8')).params,
    );
    // The fit file keeps only the train runs of its --train: the report says so instead of "no --train".
    expect(r.stdout).not.toMatch(/no --train/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/made on the runs with C<1e21 \(23 held out\).*give the CSV too/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('runs with C&lt;1e21');
  });

  it('scalefit report data.csv --from fit.json reuses the saved --train for the same backtest', async () => {
    const out = join(tmp(), 'from-csv');
    const r = await run([
      'report',
      'data/epoch-chinchilla.csv',
      '--exclude-top-loss',
      '5',
      '--from',
      join(dir, 'fit.json'),
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /Fitted on the 217 runs with C<1e21, the law predicts the 23 held-out runs/,
    );
  });

  it('scalefit report --train with an unknown column is refused with exit 2', async () => {
    const r = await run(['report', 'data/epoch-chinchilla.csv', '--train', 'width<1e9', '--out', join(tmp(), 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('width');
  });
});

describe('escaping what came from the user file', () => {
  it('escapeHtml / escapeMarkdown / jsonForScript leave no markup', () => {
    expect(escapeHtml(EVIL)).toBe('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(escapeMarkdown(`a|b ${EVIL}`)).not.toMatch(/[<>]|[^\\]\|/);
    expect(jsonForScript({ s: EVIL })).not.toMatch(/[<>]/);
  });

  it('scalefit report on a CSV with <script> in a column and tags writes it only escaped', async () => {
    const out = join(tmp(), 'evil');
    // The markup column names the runs (--label), so its values reach the tables.
    const r = await run(['report', writeEvilCsv(), '--train', 'N<=1e9', '--out', out, '--label', EVIL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const text of [html, md]) {
      expect(text).not.toContain(EVIL);
      expect(text).not.toContain('<img src=x');
      expect(text).toContain('&lt;script&gt;window.');
    }
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;|x (line');
  });
});
