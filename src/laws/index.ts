import { InputError } from '../errors.ts';
import { chinchilla } from './chinchilla.ts';
import { datacon } from './datacon.ts';
import type { Law } from './types.ts';

/**
 * Every law, by name. Fitters, the CLI and reports look laws up here, so adding a law is one file plus one line.
 */
export const LAWS: Record<string, Law> = {
  [chinchilla.name]: chinchilla,
  [datacon.name]: datacon,
};

export function getLaw(name: string): Law {
  const law = LAWS[name];
  if (!law) throw new InputError(`unknown law "${name}"; known laws: ${Object.keys(LAWS).join(', ')}`);
  return law;
}
