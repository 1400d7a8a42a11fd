/**
 * JSON with a fixed layout: two-space indentation, keys in insertion order, non-finite numbers as null and a
 * trailing newline. The same object always serialises to the same bytes, which is what makes fits/*.json
 * byte-identical for the same input and seed.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
