import { parseNumber } from '../data/parseNumber.ts';
import type { Variable } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { UncertaintySettings } from '../pipeline/uncertaintySections.ts';
import type { Law, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import type { Values } from './optionTypes.ts';
import type { UNCERTAINTY_OPTIONS } from './options.ts';

const VARIABLES: readonly Variable[] = ['N', 'D', 'C', 'S', 'U'];

/** Parse `N=70B,D=1.4e12` into a point. */
export function parsePoint(text: string): Point {
  const p: Point = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim() as Variable;
    const value = parseNumber(part.slice(eq + 1));
    if (eq < 1 || !VARIABLES.includes(key) || value === null || !(value > 0)) {
      throw new InputError(
        `--at ${text}: expected VAR=VALUE pairs separated by commas, VAR one of ${VARIABLES.join(', ')}, VALUE > 0 (e.g. N=70B,D=1.4T)`,
      );
    }
    p[key] = value;
  }
  return p;
}

/** Refuse an --at point that lacks a variable the law reads (after C = 6ND), before any fitting is done. */
export function checkAtPoints(law: Law, texts: string[], points: Point[]): void {
  points.forEach((p, i) => {
    const q = completePoint(p);
    const missing = law.variables.filter((v) => q[v] === undefined);
    if (missing.length)
      throw new InputError(
        `--at ${texts[i]}: ${law.name} (${law.formula}) needs ${missing.join(' and ')} (or two of N, D, C)`,
      );
  });
}

export function uncertaintySettingsFrom(values: Values<typeof UNCERTAINTY_OPTIONS>): UncertaintySettings {
  return {
    bootstrap: values.bootstrap,
    seed: values.seed,
    workers: values.workers,
    resample: values.resample,
    level: values.level,
    compute: values.compute,
    at: values.at.map(parsePoint),
  };
}

export { uncertaintySections } from '../pipeline/uncertaintySections.ts';
export type { UncertaintySettings } from '../pipeline/uncertaintySections.ts';
