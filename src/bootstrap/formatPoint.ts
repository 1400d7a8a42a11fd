import type { Point } from '../core/law.ts';

/** A point as `N=7e+10,D=1.4e+12`: exact (shortest round-trip) exponent form, stable for use as a JSON key. */
export function formatPoint(p: Point): string {
  return Object.entries(p)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${(v as number).toExponential()}`)
    .join(',');
}
