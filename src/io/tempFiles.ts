import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Temporary names of the io layer, beside their target: `.<name>.scalefit-<pid>-<n>.tmp` (a file or folder being
 * written) and `.<name>.scalefit-<pid>-<n>.old` (a report folder moved aside while its replacement is renamed in).
 * The name is cut to 180 bytes so the temporary name stays under NAME_MAX (255) whenever the target's does.
 */
const TEMP = /^\.(.*)\.scalefit-(\d+)-(\d+)\.(tmp|old)$/s;
const NAME_BYTES = 180;
/** A temporary name is stale once its process is gone and it is this old (a live writer touches it; NFS peers). */
export const STALE_MS = 10 * 60_000;
/** ... or, whatever its pid says (pids are reused), this old. */
const ABANDONED_MS = 7 * 24 * 3600_000;

let counter = 0;

/** A fresh temporary name beside `path`. */
export function tempPath(path: string, kind: 'tmp' | 'old'): string {
  let name = basename(path);
  while (Buffer.byteLength(name) > NAME_BYTES) name = name.slice(0, -1);
  return join(dirname(path), `.${name}.scalefit-${process.pid}-${counter++}.${kind}`);
}

/**
 * Remove the temporary files and folders that killed runs left in `dir` (our naming pattern only, and only when
 * stale: their process is gone and they are older than STALE_MS). A stale `.old` report folder whose target is
 * missing (a run killed between its two renames) is renamed back, so the old report returns. Never throws.
 */
export function sweepStaleTemps(dir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    const full = join(dir, name);
    try {
      const age = now - lstatSync(full).mtimeMs;
      const stale = (pid !== process.pid && !processAlive(pid) && age > STALE_MS) || age > ABANDONED_MS;
      if (!stale) continue;
      const target = join(dir, m[1]!);
      if (m[4] === 'old' && Buffer.byteLength(m[1]!) < NAME_BYTES && !existsSync(target)) renameSync(full, target);
      else rmSync(full, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another run may be sweeping the same folder; what it leaves, the next run removes.
    }
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
 * mkdir -p, one level at a time (Node 20's `mkdirSync(dir, { recursive: true })` spins forever under /proc). Returns
 * the folders it created, deepest last, so a failed write can remove them again.
 */
export function makeDirs(dir: string): string[] {
  if (existsSync(dir)) return [];
  const parent = dirname(dir);
  const created = parent !== dir ? makeDirs(parent) : [];
  mkdirSync(dir);
  created.push(dir);
  return created;
}

/**
 * Undo a failed write: remove the temporary file or folder and the (empty) folders created for it. Never throws:
 * an error here would hide the error that made the write fail.
 */
export function cleanUp(temp: string | undefined, createdDirs: readonly string[]): void {
  if (temp !== undefined) {
    try {
      rmSync(temp, { recursive: true, force: true });
    } catch {
      // Left for the next run's sweep.
    }
  }
  for (const d of [...createdDirs].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      break;
    }
  }
}

/** One line for a failed file-system call: the code and what it means. */
export function errnoWhy(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined) return String((e as Error)?.message ?? e);
  const why: Record<string, string> = {
    ENOSPC: 'disk full',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large (file size limit)',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENAMETOOLONG: 'name too long',
    EIO: 'input/output error',
  };
  return why[code] ? `${code}: ${why[code]}` : code;
}

/** Move a folder aside under a fresh name; exported for the report writer. */
export function moveAside(path: string): string {
  const old = tempPath(path, 'old');
  renameSync(path, old);
  return old;
}
