import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, ScalefitError } from '../core/errors.ts';

let counter = 0;

/** Temp names are `.<name>.<pid>.<n>.tmp` next to the target, so a sweep can tell whose they are. */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
}

/**
 * Write a file atomically: write to a temporary name in the same folder, flush it to disk, then rename it into place,
 * so a run that is killed mid-write never leaves a truncated file and never destroys the previous result (rename is
 * atomic within a file system, POSIX rename(2)). Temp files left by killed runs (their process no longer exists) are
 * removed on the next write to the same path. `data` may be an iterable of chunks, for outputs too large for one string.
 *
 * @example atomicWrite('fits/chinchilla.json', stableJson(json))
 */
export function atomicWrite(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>): void {
  const dir = dirname(path);
  try {
    makeDirs(dir);
  } catch (e) {
    throw new ScalefitError(`cannot write ${path}: cannot create folder ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InputError(`${path} is a folder; choose a file name for the output`);
  }
  // A rename would replace the device node itself (as root, `--out /dev/stdout --force` clobbers /dev/stdout).
  if (existsSync(path) && !statSync(path).isFile()) {
    throw new InputError(`${path} is not a regular file (a device, pipe or socket); choose a file name for the output, or print with --json`);
  }
  sweepStaleTemps(path);
  const tmp = tempName(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const chunk of chunks) writeAll(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (e instanceof InputError || e instanceof ScalefitError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new ScalefitError(`cannot write ${path} (${code}${code === 'ENOSPC' ? ': disk full' : code === 'EACCES' || code === 'EPERM' ? ': permission denied' : ''}); the previous file, if any, is unchanged`);
  }
}

/** mkdir -p, one level at a time: Node 20's `mkdirSync(dir, { recursive: true })` spins forever under /proc. */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

function writeAll(fd: number, chunk: string | Uint8Array): void {
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Remove `.<name>.<pid>.<n>.tmp` files next to `path` whose process is gone (a run killed mid-write). */
export function sweepStaleTemps(path: string): string[] {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.\d+\.tmp$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Refuse to replace an existing output unless the user said --force. A new output name is always written; an
 * existing one only with --force (and then atomically, so the old file survives a failed write). Returns whether the
 * output exists (and will be replaced), so the command can say which happened.
 */
export function checkOverwrite(path: string, force: boolean): boolean {
  const exists = existsSync(path);
  if (exists && !statSync(path).isFile() && !statSync(path).isDirectory()) {
    throw new InputError(`${path} is not a regular file (a device, pipe or socket); choose a file name for the output, or print with --json`);
  }
  if (!force && exists) {
    throw new InputError(`${path} exists; pass --force to overwrite it or choose another --out`);
  }
  return exists;
}

/** The line a command prints after writing an output: whether the file is new or replaced an earlier one. */
export function wroteLine(path: string, replaced: boolean): string {
  return `wrote ${path} (${replaced ? 'replaced the existing file, --force' : 'new file'})\n`;
}
