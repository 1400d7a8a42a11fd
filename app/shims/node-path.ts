/** node:path in the browser app: the POSIX functions the library uses on file names (a dropped file has no folder). */
export const sep = '/';
export function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
}
export function dirname(p: string): string {
  const s = p.replace(/\/+$/, '');
  if (s === '' && p.startsWith('/')) return '/';
  const i = s.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : s.slice(0, i);
}
export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}
export function join(...parts: string[]): string {
  return normalize(parts.filter((x) => x !== '').join('/'));
}
export function resolve(...parts: string[]): string {
  return join('/', ...parts);
}
export function relative(from: string, to: string): string {
  return to.startsWith(`${from}/`) ? to.slice(from.length + 1) : to;
}
export const delimiter = ':';
export default { sep, basename, dirname, normalize, join, resolve, relative, delimiter };
