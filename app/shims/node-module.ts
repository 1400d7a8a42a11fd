import * as levenbergMarquardt from 'ml-levenberg-marquardt';
import * as zod from 'zod';

/**
 * node:module in the browser app: the library loads a few CommonJS-or-ESM dependencies on first use with
 * createRequire; here they are bundled and handed out by name. mathjs (formula laws, about 700 kB) is left out.
 */
const BUNDLED: Record<string, unknown> = { 'ml-levenberg-marquardt': levenbergMarquardt, zod };

export function createRequire(_from: string | URL) {
  const require = (name: string): unknown => {
    if (name in BUNDLED) return BUNDLED[name];
    throw new Error(
      `${name} is not bundled in the browser app${name === 'mathjs' ? ' (formula laws need it: fit them with the CLI)' : ''}`,
    );
  };
  require.resolve = (name: string): string => {
    throw new Error(`require.resolve(${name}) is not available in the browser app`);
  };
  return require;
}
export default { createRequire };
