import { isFormulaText } from '../laws/formula.ts';

/**
 * How a report names a law beside its formula: the registry name (`chinchilla`), or "user formula" for a law written
 * as a formula, whose name is its own text (printing it would give the formula twice).
 *
 * @example lawLabel('E + A/N^alpha') // "user formula"
 */
export function lawLabel(name: string): string {
  return isFormulaText(name) ? 'user formula' : name;
}
