import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, normalize, sep } from 'node:path';
import { InputError } from '../core/errors.ts';

/** Linux's limits: a name of at most 255 bytes (NAME_MAX), a path of at most 4095 (PATH_MAX with its NUL). */
const NAME_MAX = 255;
const PATH_MAX = 4095;

export interface OutputCheck {
  /** The path to write: lexically normalized (`../x/../f` is `../f`, so no folder x is created on the way). */
  path: string;
  /** Whether something is there now (a file, or a folder for a folder output). */
  exists: boolean;
}

/**
 * Check an output path before any work is done, so a long fit or bootstrap is not thrown away at the end: a name
 * the file system would refuse (ENAMETOOLONG), a parent that is a file (ENOTDIR), a file where a folder is wanted
 * and the reverse, a device, pipe or socket (`--out /dev/null`: a rename would replace the device node), a parent
 * folder we may not write, and an existing output without `force`. Throws InputError (exit 2) with one line.
 * `allowed` lists the entries a folder output may already hold to be replaced with `force` (a report's own files):
 * replacing a folder that holds anything else would delete the user's files.
 *
 * This is advice given early, not the guarantee: another run can create the output meanwhile; the writers refuse
 * to clobber it at the moment they commit (link(2) for files, rename(2) of a folder for reports).
 *
 * @example checkOutputPath('fits/mine.json', { force: false }) // { path: 'fits/mine.json', exists: false }
 */
export function checkOutputPath(
  raw: string,
  o: { force: boolean; folder?: boolean; allowed?: readonly string[] },
): OutputCheck {
  const what = o.folder ? 'folder' : 'file';
  if (raw.trim() === '') throw new InputError(`--out '': give a ${what} name`);
  const path = normalize(raw);
  if (Buffer.byteLength(path) > PATH_MAX)
    throw new InputError(
      `${shortened(raw)}: the path is longer than ${PATH_MAX} bytes (ENAMETOOLONG); choose a shorter --out`,
    );
  const long = path.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
  if (long !== undefined)
    throw new InputError(
      `${shortened(raw)}: the name "${shortened(long)}" is longer than ${NAME_MAX} bytes (ENAMETOOLONG); choose a shorter --out`,
    );
  if (path === '.' || path === '..' || path === sep)
    throw new InputError(
      `${raw}: choose a new ${what} name for --out, not ${path === sep ? 'the root folder' : 'a parent folder'}`,
    );

  const st = statOrUndefined(path, raw);
  if (st) {
    if (!st.isFile() && !st.isDirectory()) {
      throw new InputError(
        `${raw} is not a regular file (a device, pipe or socket); choose a ${what} name for the output${o.folder ? '' : ', or print with --json'}`,
      );
    }
    if (o.folder && st.isFile())
      throw new InputError(`${raw} is a file; the report needs a folder: choose another --out`);
    if (!o.folder && st.isDirectory()) throw new InputError(`${raw} is a folder; choose a file name for the output`);
    if (o.folder) {
      const entries = readdirSync(path).filter((e) => !/\.scalefit-\d+-\d+\.(tmp|old)$/.test(e));
      const foreign = entries.filter((e) => !(o.allowed ?? []).includes(e));
      if (foreign.length > 0) {
        throw new InputError(
          `${raw} holds files that are not part of a report (${describe(foreign)}); a report replaces its whole folder, so choose another --out`,
        );
      }
      if (entries.length > 0 && !o.force)
        throw new InputError(
          `${raw} already holds a report (${describe(entries)}); pass --force to replace it or choose another --out`,
        );
    } else if (!o.force) {
      throw new InputError(`${raw} exists; pass --force to overwrite it or choose another --out`);
    }
  }
  // The nearest existing ancestor must be a folder we may write into (the missing ones are created there).
  let parent = dirname(path);
  let pst = statOrUndefined(parent, raw);
  while (!pst && dirname(parent) !== parent) {
    parent = dirname(parent);
    pst = statOrUndefined(parent, raw);
  }
  if (pst && !pst.isDirectory())
    throw new InputError(`${raw}: ${parent} is a file, not a folder (ENOTDIR); choose another --out`);
  if (pst) {
    try {
      accessSync(parent, constants.W_OK | constants.X_OK);
    } catch {
      throw new InputError(`${raw}: cannot write in ${parent} (permission denied); choose another --out`);
    }
  }
  return { path, exists: st !== undefined && (o.folder ? readdirSync(path).length > 0 : true) };
}

function statOrUndefined(path: string, raw: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR')
      throw new InputError(
        `${raw}: ${fileAncestor(path) ?? 'a part of the path'} is a file, not a folder (ENOTDIR); choose another --out`,
      );
    if (code === 'ENAMETOOLONG')
      throw new InputError(`${shortened(raw)}: the name is too long (ENAMETOOLONG); choose a shorter --out`);
    if (code === 'EACCES') throw new InputError(`${raw}: permission denied; choose another --out`);
    if (code === 'ELOOP') throw new InputError(`${raw}: too many symbolic links (ELOOP); choose another --out`);
    throw e;
  }
}

/** The ancestor of `path` that exists and is not a folder (what makes a stat fail with ENOTDIR). */
function fileAncestor(path: string): string | undefined {
  for (let p = dirname(path); dirname(p) !== p; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
      return undefined;
    } catch {
      // Keep going up.
    }
  }
  return undefined;
}

function describe(entries: string[]): string {
  const shown = entries.slice(0, 4).join(', ');
  return entries.length > 4 ? `${shown} and ${entries.length - 4} more` : shown;
}

function shortened(s: string): string {
  return s.length > 60 ? `${s.slice(0, 40)}...${s.slice(-12)}` : s;
}
