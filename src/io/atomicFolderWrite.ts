import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, ScalefitError } from '../core/errors.ts';
import { checkOutputPath } from './checkOutputPath.ts';
import { cleanUp, errnoWhy, makeDirs, moveAside, sweepStaleTemps, tempPath } from './tempFiles.ts';

export interface FolderFile {
  /** Path inside the folder, `/`-separated (e.g. `charts/1-loss.svg`). */
  path: string;
  data: string | Uint8Array;
}

/**
 * Write a folder (a report) as a whole: every file goes into a temporary folder beside the target, which then takes
 * the target's place by rename(2). A new folder is one rename; an existing one (`replace`, i.e. --force) is moved
 * aside, the new one renamed in, the old one removed. A kill or a full disk at any point leaves the old folder or the
 * new one, never a mix (a kill between the two renames leaves the old folder under its `.old` name, which the next
 * run renames back), and no file of the old report survives in the new one. Without `replace` an existing folder is
 * refused at the moment of the rename, so of two concurrent writers one wins and the other fails (exit 2).
 * `allowed` are the entries an existing folder may hold to be replaced (see checkOutputPath).
 *
 * @example atomicFolderWrite('reports/mine', files, { replace: force, allowed: REPORT_ENTRIES })
 */
export function atomicFolderWrite(
  path: string,
  files: readonly FolderFile[],
  o: { replace: boolean; allowed: readonly string[] },
): void {
  const target = checkOutputPath(path, { force: o.replace, folder: true, allowed: o.allowed }).path;
  const parent = dirname(target);
  let created: string[] = [];
  try {
    created = makeDirs(parent);
  } catch (e) {
    throw new ScalefitError(`cannot write ${path}: cannot create folder ${parent} (${errnoWhy(e)})`);
  }
  sweepStaleTemps(parent);
  const tmp = tempPath(target, 'tmp');
  try {
    mkdirSync(tmp);
    for (const f of files) writeFileSynced(join(tmp, f.path), f.data);
    syncFolder(tmp);
    commit(tmp, target, path, o);
    syncFolder(parent);
  } catch (e) {
    cleanUp(tmp, created);
    if (e instanceof InputError || e instanceof ScalefitError) throw e;
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new ScalefitError(`cannot write ${path}/ (${errnoWhy(e)}); the previous report, if any, is unchanged`);
  }
}

/** Rename the finished folder into place; with `replace`, move the old one aside first (retried if another run races). */
function commit(tmp: string, target: string, shown: string, o: { replace: boolean; allowed: readonly string[] }): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(tmp, target); // succeeds onto a missing or empty folder
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
    if (!o.replace)
      throw new InputError(
        `${shown} already holds a report (another run wrote it meanwhile); pass --force to replace it or choose another --out`,
      );
    if (attempt >= 5) throw new ScalefitError(`cannot write ${shown}/: other runs keep replacing it; try again`);
    checkOutputPath(target, { force: true, folder: true, allowed: o.allowed });
    let old: string;
    try {
      old = moveAside(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another run moved it: try again
      throw e;
    }
    try {
      renameSync(tmp, target);
    } catch (e) {
      try {
        renameSync(old, target);
      } catch {
        // Another run put its report there; ours is retried below, the old one is swept later.
      }
      if ((e as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    cleanUp(old, []);
    return;
  }
}

function writeFileSynced(path: string, data: string | Uint8Array): void {
  makeDirs(dirname(path));
  const fd = openSync(path, 'wx');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a folder, so the renames in it reach the disk (not every file system allows it: then it is skipped). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL on some file systems: the rename is still atomic, only its durability is the OS's.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
