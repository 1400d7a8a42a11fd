/**
 * Parse a numeric cell: plain (`1400000000`), scientific (`5.76e23`) or suffixed (`70M`, `1.3B`, `1.4T`, `400K`;
 * case-insensitive, `G` = `B` = 1e9). Returns `null` for anything else, including `n/a`, `NaN`, `Infinity`,
 * thousands separators (`7,000,000,000`), `1.2.3` and an exponent with a suffix (`1e9B`): a cell we cannot read unambiguously is refused, not guessed.
 *
 * A suffix shifts the decimal exponent of the text (`1.1T` is read as `1.1e12`), so the result is the double nearest
 * to the decimal value written, exactly as `Number('1.1e12')`, never `1.1 * 1e12` with its extra rounding.
 *
 * @example
 * import { parseNumber } from 'scalefit';
 * parseNumber('70B'); // → 7e10
 * parseNumber('1.4T'); // → 1.4e12
 * parseNumber('n/a'); // → null
 */
export function parseNumber(text: string): number | null {
  return parseNumberIn(text, 0, text.length);
}

/**
 * {@link parseNumber} of `text.slice(start, end)`, without making that string when the cell is a plain number (the
 * loader reads a million-row log's numbers straight from the text it streams).
 */
export function parseNumberIn(text: string, start: number, end: number): number | null {
  // Fast path for plain and scientific numbers (a million-row log has millions of cells): no regex, no allocation.
  const fast = plainNumber(text, start, end);
  if (fast === NOT_EXACT) {
    const v = Number(text.slice(start, end));
    return Number.isFinite(v) ? v : null;
  }
  if (!Number.isNaN(fast)) return fast; // a plain number, read exactly
  const m = NUMBER.exec(text.slice(start, end).trim());
  if (!m) return null;
  const suffix = m[3]?.toLowerCase();
  const value = suffix ? Number(`${m[1]}e${Number(m[2] ?? '0') + SUFFIX_EXPONENT[suffix]!}`) : Number(m[0]);
  return Number.isFinite(value) ? value : null;
}

/** Exact powers of ten: every 10^k with k <= 22 is a double (5^22 < 2^53). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Marker returned by plainNumber for a plain number it does not read itself (Number() reads it). */
const NOT_EXACT = Infinity;

/**
 * The value of `s.slice(start, end)` when it is `[+-]digits[.digits][e[+-]digits]` (at least one mantissa digit, the
 * grammar `Number()` reads the same way), NaN for any other text, or NOT_EXACT for a plain number outside the fast path.
 *
 * Fast path (Clinger 1990, "How to read floating point numbers accurately"): with at most 15 significant digits the
 * digits form an integer m < 2^53, exact in a double, and for |k| <= 22 so is 10^|k|; one IEEE multiplication or
 * division then rounds m x 10^k correctly, which is exactly the double `Number()` returns. Everything else (more
 * digits, larger exponents) goes to `Number()`.
 */
function plainNumber(s: string, start: number, end: number): number {
  let i = start;
  let c = s.charCodeAt(i);
  const negative = c === 45;
  if (c === 43 || c === 45) i++;
  let digits = 0;
  let significant = 0;
  let m = 0;
  while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
    if (m !== 0 || c !== 48) significant++;
    m = m * 10 + (c - 48);
  }
  let scale = 0;
  if (i < end && c === 46) {
    i++;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
      if (m !== 0 || c !== 48) significant++;
      m = m * 10 + (c - 48);
      scale--;
    }
  }
  if (digits === 0) return NaN;
  if (i < end && (c === 101 || c === 69)) {
    i++;
    let expNegative = false;
    if (i < end && ((c = s.charCodeAt(i)) === 43 || c === 45)) {
      expNegative = c === 45;
      i++;
    }
    let exp = 0;
    let expDigits = 0;
    while (i < end && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      expDigits++;
      // Capped: a huge exponent only needs to stay outside the fast path (Number() then gives 0 or Infinity).
      if (exp < 1e6) exp = exp * 10 + (c - 48);
    }
    if (expDigits === 0) return NaN;
    scale += expNegative ? -exp : exp;
  }
  if (i !== end) return NaN;
  if (significant > 15 || scale > 22 || scale < -22) return NOT_EXACT;
  const v = scale >= 0 ? m * POW10[scale]! : m / POW10[-scale]!;
  return negative ? -v : v;
}
// An exponent or a suffix, not both: `1e9B` could mean 1e18 or be a typo for 1e9, so it is refused.
const NUMBER = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:e([+-]?\d+)|([kmgbt]))?$/i;

const SUFFIX_EXPONENT: Record<string, number> = { k: 3, m: 6, g: 9, b: 9, t: 12 };

/**
 * Why a cell is not a number, as advice for an error message: thousands separators, a decimal comma, a missing
 * value or a non-finite value each get their own fix.
 *
 * @example numberHint('7,000,000,000') // 'remove the thousands separators (write 7000000000 or 7e9)'
 */
export function numberHint(raw: string): string {
  const t = raw.trim();
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t))
    return `remove the thousands separators (write ${t.replace(/,/g, '')})`;
  if (/^[+-]?\d+,\d+$/.test(t)) return `use a dot as the decimal separator (write ${t.replace(',', '.')})`;
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return 'a run needs a finite value: fill it in or drop the row';
  if (/^(n\/?a|null|none|nil|missing|-+|\?)$/i.test(t)) return 'the value is missing: fill it in or drop the row';
  if (/^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(t)) return 'the value overflows a double; check its exponent';
  return 'use plain (7000000000), scientific (7e9) or suffixed (7B) numbers';
}
