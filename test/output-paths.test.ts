import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { atomicFolderWrite } from '../src/io/atomicFolderWrite.ts';
import { atomicWrite, checkOverwrite } from '../src/io/atomicWrite.ts';
import { STALE_MS, sweepStaleTemps } from '../src/io/tempFiles.ts';
import { REPORT_ENTRIES } from '../src/pipeline/buildReport.ts';
import { runCli } from './helpers/runCli.ts';

/** Output paths (issue 14, F4-F6): checked before any work, never clobbered, a report replaced as a whole. */
const dir = mkdtempSync(join(tmpdir(), 'scalefit-outpaths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const listing = (d: string): string[] => readdirSync(d, { recursive: true }).map(String).sort();
const DATA = 'test/fixtures/bad/crlf.csv';
const aFile = join(dir, 'a-file.csv');
writeFileSync(aFile, 'N,D,loss\n');
const LONG = 'x'.repeat(300);

// The data file does not exist: a refusal that names --out proves the output was checked before any loading or fit.
const MISSING = 'test/fixtures/bad/no-such-file.csv';
const OUT_BATTERY: Array<[string, string[], string]> = [
  [
    'a parent that is a file (ENOTDIR)',
    ['fit', MISSING, '--out', `${aFile}/fit.json`],
    `${aFile}/fit.json: ${aFile} is a file, not a folder (ENOTDIR); choose another --out`,
  ],
  [
    'a 300-byte name (ENAMETOOLONG)',
    ['fit', MISSING, '--out', join(dir, `${LONG}.json`)],
    `${join(dir, LONG).slice(0, 40)}...${`${LONG}.json`.slice(-12)}: the name "${`${LONG}.json`.slice(0, 40)}...${`${LONG}.json`.slice(-12)}" is longer than 255 bytes (ENAMETOOLONG); choose a shorter --out`,
  ],
  [
    'report --out FILE',
    ['report', MISSING, '--out', aFile],
    `${aFile} is a file; the report needs a folder: choose another --out`,
  ],
  [
    'report --out FILE --force',
    ['report', MISSING, '--out', aFile, '--force'],
    `${aFile} is a file; the report needs a folder: choose another --out`,
  ],
  [
    '--out /dev/null',
    ['fit', MISSING, '--out', '/dev/null', '--force'],
    '/dev/null is not a regular file (a device, pipe or socket); choose a file name for the output, or print with --json',
  ],
  [
    'isoflop --out /dev/null',
    ['isoflop', MISSING, '--out', '/dev/null'],
    '/dev/null is not a regular file (a device, pipe or socket); choose a file name for the output, or print with --json',
  ],
  [
    'report --out /dev/null',
    ['report', MISSING, '--out', '/dev/null'],
    '/dev/null is not a regular file (a device, pipe or socket); choose a folder name for the output',
  ],
  [
    'compare --out FILE',
    ['compare', MISSING, '--out', aFile],
    `${aFile}/charts/compare.vl.json: ${aFile} is a file, not a folder (ENOTDIR); choose another --out`,
  ],
  [
    'fit --out an existing file',
    ['fit', MISSING, '--out', aFile],
    `${aFile} exists; pass --force to overwrite it or choose another --out`,
  ],
  [
    'fit --out a folder',
    ['fit', MISSING, '--out', dir, '--force'],
    `${dir} is a folder; choose a file name for the output`,
  ],
];

describe('--out battery', () => {
  it.each(OUT_BATTERY)(
    'main(%s) refuses in one line, exit 2, before reading the data, and creates nothing',
    async (_name, argv, error) => {
      const before = listing(dir);
      const r = await runCli(argv);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `scalefit: error: ${error}\n` });
      expect(listing(dir)).toEqual(before);
    },
  );

  it("main(['fit', data, '--out', 'D/x/../f.json']) writes D/f.json and leaves no folder x behind", async () => {
    const r = await runCli(['fit', DATA, '--out', `${dir}/x/../f.json`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'f.json'))).toBe(true);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it("main(['report', data, '--out', folder-with-other-files, '--force']) refuses: --force would delete the user's files", async () => {
    const mine = join(dir, 'my-stuff');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'precious\n');
    const r = await runCli(['report', MISSING, '--out', mine, '--force']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `scalefit: error: ${mine} holds files that are not part of a report (notes.txt); a report replaces its whole folder, so choose another --out\n`,
    });
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('precious\n');
  });

  it('atomicWrite(path under a file) throws the InputError, not an error of its cleanup', () => {
    expect(() => atomicWrite(join(aFile, 'x', 'fit.json'), 'x')).toThrow(InputError);
    expect(() => atomicWrite(join(aFile, 'x', 'fit.json'), 'x')).toThrow('is a file, not a folder (ENOTDIR)');
  });
});

describe('no clobber', () => {
  it('atomicWrite(path, data, {replace: false}) refuses a file another writer created after the check (link, not a check at the start)', () => {
    const out = join(dir, 'race.json');
    expect(checkOverwrite(out, false)).toBe(false);
    function* ours(): Generator<string> {
      yield 'ours';
      writeFileSync(out, 'the other run\n'); // another run finishes while this one writes
      yield '\n';
    }
    expect(() => atomicWrite(out, ours(), { replace: false })).toThrow(
      `${out} exists (another run wrote it meanwhile); pass --force to overwrite it or choose another --out`,
    );
    expect(readFileSync(out, 'utf8')).toBe('the other run\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('atomicFolderWrite(dir, files, {replace: false}) refuses a folder another writer filled after the check', () => {
    const out = join(dir, 'race-report');
    const files = [
      { path: 'index.html', data: 'ours' },
      { path: 'charts/1.svg', data: '<svg/>' },
    ];
    mkdirSync(join(out, 'charts'), { recursive: true });
    writeFileSync(join(out, 'index.html'), 'theirs');
    // As if the check had passed before the other run wrote: the commit itself refuses.
    expect(() => atomicFolderWrite(out, files, { replace: false, allowed: REPORT_ENTRIES })).toThrow(InputError);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('theirs');
    expect(readdirSync(dir).filter((f) => f.includes('.scalefit-'))).toEqual([]);
  });
});

describe('a report written as a whole', () => {
  it("main(['report', data, '--out', dir, '--force']) over an older report leaves none of its files (old charts) behind", async () => {
    const out = join(dir, 'report');
    expect((await runCli(['report', DATA, '--out', out])).code).toBe(0);
    const fresh = listing(out);
    writeFileSync(join(out, 'charts', '9-old-chart.svg'), '<svg/>');
    writeFileSync(join(out, 'README.md'), 'from an older scalefit\n');
    const r = await runCli(['report', DATA, '--out', out, '--force']);
    expect(r.stderr).toBe('');
    expect(listing(out)).toEqual(fresh);
    expect(readdirSync(dir).filter((f) => f.includes('.scalefit-'))).toEqual([]);
  });

  it('sweepStaleTemps(dir) renames back a report moved aside by a run killed between its two renames, and removes stale temp folders', () => {
    const d = join(dir, 'sweep');
    mkdirSync(d);
    // A pid that no longer runs: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const old = join(d, `.report.scalefit-${dead}-0.old`),
      tmp = join(d, `.report.scalefit-${dead}-1.tmp`),
      fresh = join(d, `.other.scalefit-${dead}-2.tmp`);
    for (const f of [old, tmp, fresh]) mkdirSync(f);
    writeFileSync(join(old, 'index.html'), 'the old report');
    writeFileSync(join(tmp, 'index.html'), 'half a new one');
    const longAgo = (Date.now() - STALE_MS - 60_000) / 1000;
    for (const f of [old, tmp]) utimesSync(f, longAgo, longAgo);
    expect(sweepStaleTemps(d).sort()).toEqual([`.report.scalefit-${dead}-0.old`, `.report.scalefit-${dead}-1.tmp`]);
    expect(readFileSync(join(d, 'report', 'index.html'), 'utf8')).toBe('the old report');
    // A recent temp folder may belong to a live writer elsewhere: kept.
    expect(readdirSync(d).sort()).toEqual([`.other.scalefit-${dead}-2.tmp`, 'report']);
  });
});
