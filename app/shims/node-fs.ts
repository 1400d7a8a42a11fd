/**
 * node:fs in the browser app: the page has no file system (files arrive as bytes and go out as downloads), so every
 * function refuses with one line. Only the names the library imports are declared; the app never reaches them.
 */
function unavailable(name: string): never {
  throw new Error(`fs.${name} is not available in the browser app (it reads dropped files as bytes)`);
}
const stub =
  (name: string) =>
  (..._args: unknown[]): never =>
    unavailable(name);
export const existsSync = (): boolean => false;
export const readFileSync = stub('readFileSync');
export const openSync = stub('openSync');
export const readSync = stub('readSync');
export const closeSync = stub('closeSync');
export const writeSync = stub('writeSync');
export const fsyncSync = stub('fsyncSync');
export const lstatSync = stub('lstatSync');
export const statSync = stub('statSync');
export const mkdirSync = stub('mkdirSync');
export const mkdtempSync = stub('mkdtempSync');
export const readdirSync = stub('readdirSync');
export const renameSync = stub('renameSync');
export const rmdirSync = stub('rmdirSync');
export const rmSync = stub('rmSync');
export const copyFileSync = stub('copyFileSync');
export const linkSync = stub('linkSync');
export const unlinkSync = stub('unlinkSync');
export const accessSync = stub('accessSync');
export const writeFileSync = stub('writeFileSync');
export const constants = { O_WRONLY: 1, O_CREAT: 64, O_EXCL: 128, F_OK: 0, W_OK: 2, R_OK: 4, COPYFILE_EXCL: 1 };
export type Stats = never;
export default { existsSync, readFileSync, openSync, readSync, closeSync, constants };
