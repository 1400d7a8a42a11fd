import { Sha256 } from './sha256.ts';

/** node:crypto in the browser app: SHA-256 hashes of the input (the fit JSON's `input.sha256`), nothing else. */
export function createHash(algorithm: string): Sha256 {
  if (algorithm !== 'sha256')
    throw new Error(`createHash('${algorithm}'): only sha256 is available in the browser app`);
  return new Sha256();
}
export default { createHash };
