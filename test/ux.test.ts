/**
 * The first ten minutes (issue #19): what a researcher sees in the terminal and in a report, on the quick start's own
 * example file (data/examples/my-runs.csv: columns model, params, tokens, val_loss, lr, notes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuns } from '../src/data/load.ts';
import { progressBar } from '../src/io/progressBar.ts';
import { buildReport } from '../src/pipeline/buildReport.ts';
import { buildCharts } from '../src/report/charts/index.ts';
import { fitText } from '../src/report/fitText.ts';
import { buildModel } from '../src/report/model.ts';
import { sizeText } from '../src/report/sizeText.ts';
import { textTable } from '../src/report/textTable.ts';
import { wrapLine } from '../src/report/wrapLine.ts';
import { check } from '../src/reproduce/check.ts';
import type { Section } from '../src/reproduce/check.ts';
import { reproduceHoffmann } from '../src/reproduce/hoffmann.ts';
import { publishedConstants } from '../src/data/publishedConstants.ts';
import { reproduceSummaryText } from '../src/reproduce/summaryText.ts';
import { reportFixture } from './helpers/reportFixture.ts';
import { runCli } from './helpers/runCli.ts';

const EXAMPLE = 'data/examples/my-runs.csv';
const tmp = () => mkdtempSync(join(tmpdir(), 'scalefit-ux-'));
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('terminal output', () => {
  const dir = tmp();
  const fitFile = join(dir, 'fit.json');

  it('every command prints within 100 columns on the example file', async () => {
    const commands: string[][] = [
      ['fit', EXAMPLE, '--out', fitFile, '--bootstrap', '20', '--compute', '1e21', '--at', 'N=1B,D=20B'],
      ['inspect', EXAMPLE],
      ['optimal', fitFile, '--compute', '1e21', '--compute', '5.76e23', '--params', '7B'],
      ['predict', fitFile, '--N', '70B', '--D', '1.4T'],
      ['compare', EXAMPLE, '--laws', 'chinchilla,kaplan-nd,datacon'],
      ['optimal-inference', fitFile, '--compute', '1e22', '--inference-tokens', '1e12'],
      [
        'optimal-datacon',
        fitFile,
        '--compute',
        '1e22',
        '--unique-tokens',
        '1e10',
        '--r-d-star',
        '15',
        '--r-n-star',
        '5',
      ],
      ['report', EXAMPLE, '--train', 'N<1e9', '--out', join(dir, 'report')],
    ];
    for (const argv of commands) {
      const r = await runCli(argv);
      expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(0);
      expect(widest(r.stdout), `${argv[0]}:\n${r.stdout}`).toBeLessThanOrEqual(100);
    }
  });

  it('scalefit optimal names its exponents once, without nested parentheses', async () => {
    const r = await runCli(['optimal', fitFile, '--compute', '1e21']);
    expect(r.stdout).not.toContain('(exact (');
    expect(r.stdout).toMatch(/a = [\d.]+, b = [\d.]+\n {2}\(exact: the law has constant exponents\)/);
  });

  it('fitText says what the derived G is (Hoffmann et al. eq. 4) and names units', async () => {
    const text = fitText(JSON.parse(readFileSync(fitFile, 'utf8')));
    expect(text).toMatch(/^ {4}G +=/m);
    expect(text).toContain('G = (alpha A / (beta B))^(1/(alpha+beta)) (Hoffmann et al. 2022, eq. 4)');
    expect(text).toContain('units: N_opt in parameters, D_opt in tokens, C in FLOPs');
  });

  it('reproduceHoffmann notes say what G is', () => {
    const runs = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 }).runs;
    const s = reproduceHoffmann(runs, 1.0182740346e-3, publishedConstants());
    expect(s.notes.join(' ')).toMatch(
      /G = \(alpha A \/ \(beta B\)\)\^\(1\/\(alpha\+beta\)\) = 1\.\d+ \(their eq\. 4\)/,
    );
  });

  it('textTable(rows, align) left-aligns the columns marked l and right-aligns numbers', () => {
    expect(
      textTable(
        [
          ['law', 'AIC'],
          ['chinchilla', '-296.3'],
          ['kaplan-nd', '-2'],
        ],
        'l',
      ),
    ).toBe('law            AIC\nchinchilla  -296.3\nkaplan-nd       -2\n');
  });

  it('wrapLine keeps a key = value line under its value and leaves short lines alone', () => {
    expect(wrapLine('    note = aa bb cc', 14)).toBe('    note = aa\n           bb\n           cc');
    expect(wrapLine('    E     =      1.8', 100)).toBe('    E     =      1.8');
  });

  it('progressBar clears to the end of the line, so a shorter redraw leaves no stale characters', () => {
    // A terminal line: \r moves to column 0, ESC [K erases from the cursor to the end, text overwrites.
    let line = '',
      cursor = 0;
    const terminal = (s: string) => {
      for (const part of s.split(/(\r|\x1b\[K)/)) {
        if (part === '\r') cursor = 0;
        else if (part === '\x1b[K') line = line.slice(0, cursor);
        else {
          line = line.slice(0, cursor) + part + line.slice(cursor + part.length);
          cursor += part.length;
        }
      }
    };
    let t = 0;
    const times = [0, 1000, 1100, 200000];
    const bar = progressBar('bootstrap', 1000, {
      write: terminal,
      enabled: true,
      columns: 80,
      now: () => times[Math.min(t++, times.length - 1)]!,
    });
    bar.update(1); // 1/s: "16m39s left", long
    bar.update(999); // fast: "1s left", shorter
    expect(line).toMatch(/ 1s left$/);
    expect(line).not.toMatch(/left\S/);
    bar.finish();
    expect(line).toBe('');
  });

  it('sizeText writes sizes as people do: 70M, 1.4B, 1T', () => {
    expect([7e7, 1.6e8, 1.4e9, 2.8e9, 2.24e11, 1e12, 999.9e6, 5e3].map(sizeText)).toEqual([
      '70M',
      '160M',
      '1.4B',
      '2.8B',
      '224B',
      '1T',
      '1B',
      '5K',
    ]);
  });
});

describe('scalefit report without --out', () => {
  it('scalefit report writes to out/<csv name>, a folder git and npm pack ignore, not into the tracked reports/', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'my-runs.csv'), readFileSync(EXAMPLE));
    const r = spawnSync(process.execPath, [resolve('bin/scalefit.js'), 'report', 'my-runs.csv', '--quiet'], {
      cwd,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(cwd, 'out', 'my-runs', 'index.html'))).toBe(true);
    expect(existsSync(join(cwd, 'reports'))).toBe(false);
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\/out\/$/m);
  });
});

describe('scalefit reproduce summary', () => {
  const section = (paper: string, rows: Section['rows']): Section => ({
    id: paper,
    paper,
    title: `${paper}: a long title`,
    citation: 'arXiv',
    rows,
    notes: [],
  });
  const sections = [
    section('Besiroglu et al. 2024 (Epoch AI)', [
      check('grid fit: E', 1.8172, 1.81722, 'abs', 5e-5, 'printed to 4 decimals'),
      check('bootstrap sd: B', 1293, 1476, 'rel', 0.15, 'K = 1000 resamples'),
    ]),
    section('Kaplan et al. 2020', [
      check(
        'a quantity with a name far too long to fit in the column of the summary table',
        5.5,
        5.37,
        'abs',
        0.15,
        'quoted',
      ),
      check('alpha_N', 0.076, 0.09, 'abs', 0.002, '4 standard errors'),
    ]),
  ];
  const text = reproduceSummaryText(sections, {
    tables: 'reports/reproduce/README.md',
    report: ['reports/reproduce/index.html'],
    fits: ['fits/reproduce.json'],
  });

  it('reproduceSummaryText gives one line per paper with its verdict and the row closest to its tolerance', () => {
    expect(text).toMatch(/^Besiroglu et al\. 2024 \(Epoch AI\) +2\/2 pass {2}bootstrap sd: B +14\.2% of ±15%$/m);
    expect(text).toMatch(/^Kaplan et al\. 2020 +1\/2 FAIL {2}alpha_N +0\.014 of ±0\.002$/m);
  });

  it('reproduceSummaryText lists every failing row in full and says where the full tables are, within 100 columns', () => {
    expect(text).toMatch(
      /^FAIL Kaplan et al\. 2020: alpha_N: published 0\.076, ours 0\.09, difference 0\.014 beyond ±0\.002/m,
    );
    expect(text).toContain('3 of 4 published numbers reproduced within tolerance.');
    expect(text).toContain('Full tables, with the reason for every tolerance: reports/reproduce/README.md');
    expect(widest(text)).toBeLessThanOrEqual(100);
  });
});

describe('scalefit inspect on any CSV', () => {
  const dir = tmp();
  const noLoss = join(dir, 'sweep.csv');
  writeFileSync(noLoss, 'model,params,tokens,acc,notes\nsweep-70M,70M,1.4B,0.41,first\n');

  it('scalefit inspect on a file without a loss column shows its headers and the mapping, exit 0', async () => {
    const r = await runCli(['inspect', noLoss]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('headers: model, params, tokens, acc, notes');
    expect(r.stdout).toMatch(/^ {2}run {3}<- model$/m);
    expect(r.stdout).toMatch(/^ {2}N {5}<- params$/m);
    expect(r.stdout).toMatch(/^ {2}C {5}<- derived: C = 6ND$/m);
    expect(r.stdout).toContain('tags: acc, notes');
    expect(r.stdout).toMatch(/note: missing loss: no header named loss, val_loss/);
    const json = JSON.parse((await runCli(['inspect', noLoss, '--json'])).stdout);
    expect(json).toMatchObject({
      header: ['model', 'params', 'tokens', 'acc', 'notes'],
      missing: ['loss'],
      columns: { N: 'params', D: 'tokens', run: 'model' },
    });
  });

  it('scalefit fit on a file without a loss column lists the headers it found, exit 2', async () => {
    const r = await runCli(['fit', noLoss]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no loss column; .*; the header has model, params, tokens, acc, notes\n$/);
  });
});

describe('run names in reports', () => {
  it('loadRuns takes model (or name) as the run id; run_id wins over model, which stays a tag', () => {
    expect(loadRuns(EXAMPLE).runs[0]!.run).toBe('sweep-70M-5x');
    const dir = tmp();
    writeFileSync(join(dir, 'a.csv'), 'name,N,D,loss\nsmall,1e8,2e9,3.1\n');
    expect(loadRuns(join(dir, 'a.csv')).runs[0]!.run).toBe('small');
    writeFileSync(join(dir, 'b.csv'), 'model,run_id,N,D,loss\npythia,r1,1e8,2e9,3.1\n');
    const ds = loadRuns(join(dir, 'b.csv'));
    expect(ds.columns.run).toBe('run_id');
    expect(ds.runs[0]!.tags).toEqual({ model: 'pythia' });
  });

  it('loadRuns --where may name the run-id column by its header', () => {
    const ds = loadRuns(EXAMPLE, { where: ['model==sweep-1B-20x'] });
    expect(ds.runs.map((r) => r.run)).toEqual(['sweep-1B-20x']);
  });

  it('buildReport labels runs by the run id, by --label COL, or by N and D, never by all columns joined', async () => {
    const byModel = await buildReport({ data: EXAMPLE, train: 'N<1e9', images: false });
    expect(byModel.model.runs.map((r) => r.label)).toContain('sweep-2.8B-80x');
    const byNotes = await buildReport({ data: EXAMPLE, train: 'N<1e9', label: 'notes', images: false });
    expect(byNotes.model.runs[0]!.label).toBe('tpp=5');
    const epoch = await buildReport({
      data: 'data/epoch-chinchilla.csv',
      load: { excludeTopLoss: 5 },
      train: 'C<1e21',
      images: false,
    });
    const labels = epoch.model.runs.map((r) => r.label);
    expect(labels.every((l) => /^N=[\d.]+[KMBT] D=[\d.]+[KMBT]$/.test(l))).toBe(true);
    expect(String(epoch.files.find((f) => f.path === 'report.md')!.data)).not.toMatch(/hex_color=|x=\d/);
  });

  it('buildReport refuses a --label that names no text column, listing those that can', async () => {
    await expect(buildReport({ data: EXAMPLE, label: 'val_loss', images: false })).rejects.toThrow(
      /--label val_loss: .* \(val_loss is read as loss\); columns that can name runs: model, lr, notes/,
    );
  });

  it('scalefit report --label COL names the runs of predictions.csv', async () => {
    const out = join(tmp(), 'r');
    expect((await runCli(['report', EXAMPLE, '--train', 'N<1e9', '--label', 'notes', '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'predictions.csv'), 'utf8').split('\n')[1]).toMatch(/^2,tpp=5,train,/);
  });
});

/** The colour encoding of chart 1's run points (the layer of point marks; other layers shade or draw curves). */
function pointColor(spec: unknown): {
  field: string;
  type: string;
  title: string;
  scale: { domain?: string[] };
  legend?: { labelExpr: string };
} {
  const layers = (spec as { layer: Array<{ mark: { type?: string } | string; encoding?: { color?: unknown } }> }).layer;
  const points = layers.find(
    (l) => (typeof l.mark === 'string' ? l.mark : l.mark.type) === 'point' && l.encoding?.color,
  );
  return points!.encoding!.color as ReturnType<typeof pointColor>;
}

describe('reports that read well', () => {
  const example = buildReport({ data: EXAMPLE, train: 'N<1e9', images: false });

  it('the loss-vs-compute legend names the sizes of a small sweep (70M ... 2.8B), in order', async () => {
    const color = pointColor((await example).charts.find((c) => c.id === '1-loss-vs-compute')!.spec);
    expect(color).toMatchObject({ field: 'size', type: 'ordinal', title: 'N (parameters)' });
    expect(color.scale.domain).toEqual(['70M', '160M', '410M', '1B', '1.4B', '2.8B']);
  });

  it('the loss-vs-compute legend of many sizes is a ramp labelled as sizes, not log10 N', async () => {
    const { fit, runs } = reportFixture();
    const m = buildModel({ title: 't', fit, runs, train: 'C<1e21', compute: [1e21], at: [] });
    const color = pointColor(buildCharts(m)[0]!.spec);
    expect(color.title).toBe('N (parameters)');
    expect(color.legend!.labelExpr).toContain("'G', 'B'");
  });

  it('no chart uses the full viridis scheme, whose yellow end vanishes on white', async () => {
    for (const c of (await example).charts) expect(JSON.stringify(c.spec)).not.toContain('"scheme":"viridis"');
  });

  it('charts of a report without held-out runs have no "held-out" legend entry', () => {
    const { fit, runs } = reportFixture();
    const m = buildModel({
      title: 't',
      fit,
      runs: runs.map((r) => ({ ...r, set: 'train' as const })),
      train: null,
      compute: [1e21],
      at: [],
    });
    for (const c of buildCharts(m)) expect(JSON.stringify(c.spec), c.id).not.toContain('held-out');
  });

  it('report.md has no empty columns, no empty header rows, and no CLI flags in its text', async () => {
    const r = await buildReport({ data: EXAMPLE, images: false });
    const md = String(r.files.find((f) => f.path === 'report.md')!.data);
    expect(md).not.toMatch(/\|\s*\|\s*\|/);
    expect(md).not.toMatch(/\| +\|$/m);
    expect(md).toMatch(/^- \*\*file\*\*: data\/examples\/my-runs\.csv$/m);
    expect(md).toMatch(/^\| parameter \| value \| stderr \| 95% interval \|$/m);
    expect(md).not.toMatch(/--[a-z]/);
    for (const c of r.charts) expect(JSON.stringify(c.spec.title ?? ''), c.id).not.toMatch(/--[a-z]/);
  });

  it('buildReport of a fit that is not identified gives the advice without command-line flags', async () => {
    // alpha pinned to a narrow box ends on its bound: the status says "not identified" and, in the terminal, how to
    // act on it with --bounds/--fix; the report keeps the sentence and drops the flags.
    const r = await buildReport({
      data: EXAMPLE,
      fit: { constraints: { bounds: { alpha: [0.05, 0.06] } } },
      images: false,
    });
    const md = String(r.files.find((f) => f.path === 'report.md')!.data);
    expect(md).toMatch(/not identified: alpha on its bound, .*; widen or drop the bound on alpha, or fix it/);
    expect(md).not.toMatch(/--[a-z]/);
  });

  it('the parameters table has a note column only when a parameter is fixed, tied or at a bound', async () => {
    const r = await buildReport({ data: EXAMPLE, fit: { constraints: { fix: { E: 1.8 } } }, images: false });
    expect(String(r.files.find((f) => f.path === 'report.md')!.data)).toMatch(
      /^\| parameter \| value \| stderr \| 95% interval \| note \|$[\s\S]*^\| E \| 1\.8 \| n\/a \| n\/a \| fixed \|$/m,
    );
  });
});
