import {
  closeSync,
  constants,
  copyFileSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { InputError, ScalefitError } from '../core/errors.ts';
import { checkOutputPath } from './checkOutputPath.ts';
import { cleanUp, errnoWhy, makeDirs, sweepStaleTemps, tempPath } from './tempFiles.ts';

export { sweepStaleTemps } from './tempFiles.ts';

/**
 * Write a file atomically: write a temporary file beside the target, flush it to disk, then put it in place in one
 * step, so a run killed mid-write never leaves a truncated file and never destroys the previous result.
 * - `replace: true` (--force; reproduce's own outputs): rename(2) over the old file, atomic within a file system.
 * - `replace: false`: link(2) to the target name, which fails with EEXIST if the name exists, however recently: the
 *   no-clobber guarantee holds against a concurrent writer, not only against the state at the start. File systems
 *   without hard links get an exclusive copy (O_EXCL) instead.
 * Stale temporary files of killed runs are removed first; on failure the temporary file and any folders created for
 * it are removed (never throwing over the real error). `data` may be an iterable of chunks.
 *
 * @example atomicWrite('fits/chinchilla.json', stableJson(json), { replace: force })
 */
export function atomicWrite(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
  { replace = true }: { replace?: boolean } = {},
): void {
  const target = checkOutputPath(path, { force: replace }).path;
  const dir = dirname(target);
  let created: string[] = [];
  try {
    created = makeDirs(dir);
  } catch (e) {
    throw new ScalefitError(`cannot write ${path}: cannot create folder ${dir} (${errnoWhy(e)})`);
  }
  sweepStaleTemps(dir);
  const tmp = tempPath(target, 'tmp');
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const chunk of chunks) writeAll(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (replace) renameSync(tmp, target);
    else commitExclusive(tmp, target, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // The descriptor is gone either way.
      }
    }
    cleanUp(tmp, created);
    if (e instanceof InputError || e instanceof ScalefitError) throw e;
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new ScalefitError(`cannot write ${path} (${errnoWhy(e)}); the previous file, if any, is unchanged`);
  }
}

/** Put the finished temporary file in place under a name that must not exist yet (link, else an exclusive copy). */
function commitExclusive(tmp: string, target: string, shown: string): void {
  try {
    linkSync(tmp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new InputError(
        `${shown} exists (another run wrote it meanwhile); pass --force to overwrite it or choose another --out`,
      );
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw e;
    try {
      copyFileSync(tmp, target, constants.COPYFILE_EXCL);
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST')
        throw new InputError(
          `${shown} exists (another run wrote it meanwhile); pass --force to overwrite it or choose another --out`,
        );
      cleanUp(target, []); // our own half copy (the exclusive create succeeded, so the name was ours)
      throw e2;
    }
  }
  try {
    unlinkSync(tmp);
  } catch {
    // The output is in place; the temporary name is swept by a later run.
  }
}

function writeAll(fd: number, chunk: string | Uint8Array): void {
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/**
 * Check a file output before any work (see checkOutputPath): a new name is always written; an existing one only with
 * --force. Returns whether the output exists (and will be replaced), so the command can say which happened.
 */
export function checkOverwrite(path: string, force: boolean): boolean {
  return checkOutputPath(path, { force }).exists;
}

/** The line a command prints after writing an output: whether the file is new or replaced an earlier one. */
export function wroteLine(path: string, replaced: boolean): string {
  return `wrote ${path} (${replaced ? 'replaced the existing file, --force' : 'new file'})\n`;
}
