import { expect } from 'vitest';

/**
 * Checks a value against a rounded published number: |actual - printed| <= half a unit of the last printed digit
 * (`unit`, e.g. 1e7 for 2.418e10), the most a correct value can differ from what the paper or code printed.
 */
export function expectPrinted(actual: number, printed: number, unit: number, what: string): void {
  expect(
    Math.abs(actual - printed),
    `${what}: ${actual} against the printed ${printed} (unit ${unit})`,
  ).toBeLessThanOrEqual((unit / 2) * (1 + 1e-9));
}
