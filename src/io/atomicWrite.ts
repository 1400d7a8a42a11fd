import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { InputError } from '../errors.ts';

/**
 * Write a file atomically: write to a temporary name in the same folder, then rename it into place, so a run that is
 * killed mid-write never leaves a truncated file and never destroys the previous result.
 */
export function atomicWrite(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Refuse to replace an existing output unless the user said --force. */
export function checkOverwrite(path: string, force: boolean): void {
  if (!force && existsSync(path)) {
    throw new InputError(`${path} exists; pass --force to overwrite it or choose another --out`);
  }
}
