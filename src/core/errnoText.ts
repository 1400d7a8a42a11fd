/**
 * A file-system error as a few words for a one-line message: 'no such file', 'it is a folder, not a file',
 * 'permission denied', else the error code (or `describe` of the error's text when it has no code).
 *
 * @example errnoText(Object.assign(new Error('x'), { code: 'ENOENT' })) // 'no such file'
 */
export function errnoText(e: unknown, describe: (text: string) => string = (t) => t): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? describe(String(e));
}
