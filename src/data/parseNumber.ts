/**
 * Parse a numeric cell: plain (`1400000000`), scientific (`5.76e23`) or suffixed (`70M`, `1.3B`, `1.4T`, `400K`;
 * case-insensitive, `G` = `B` = 1e9). Returns `null` for anything else, including `n/a`, `NaN`, `Infinity`,
 * thousands separators (`7,000,000,000`) and `1.2.3`: a cell we cannot read unambiguously is refused, not guessed.
 *
 * @example parseNumber('70B') // 70000000000
 * @example parseNumber('5.76e23') // 5.76e23
 */
export function parseNumber(text: string): number | null {
  const m = NUMBER.exec(text.trim());
  if (!m) return null;
  const base = Number(m[1]);
  const suffix = m[2]?.toLowerCase();
  const value = suffix ? base * SUFFIX[suffix]! : base;
  return Number.isFinite(value) ? value : null;
}

const NUMBER = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([kmgbt])?$/i;

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, b: 1e9, t: 1e12 };
