import { readFileSync } from 'node:fs';

/**
 * The toolkit version, read from package.json so there is one source of truth.
 *
 * @example
 * import { VERSION } from 'scalefit';
 * /^\d+\.\d+\.\d+/.test(VERSION); // → true
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
