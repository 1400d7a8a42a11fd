/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and transpositions of
 * two adjacent characters each cost 1), so `fitt` -> `fit`, `bootsrap` -> `bootstrap` and `chinchila` ->
 * `chinchilla` are all 1 apart.
 *
 * @example editDistance('bootsrap', 'bootstrap') // 1
 */
export function editDistance(a: string, b: string): number {
  const m = a.length,
    n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let x = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) x = Math.min(x, d[i - 2]![j - 2]! + 1);
      d[i]![j] = x;
    }
  }
  return d[m]![n]!;
}

/**
 * The known names closest to a misspelt one, only when close: within 1 edit for names of up to 4 characters, 2 for
 * longer ones (a third of the length at most), so `--out` never suggests `--at` and a wild guess gets no suggestion.
 * Case is ignored (`--n` suggests `--N`).
 *
 * @example suggest('fitt', ['fit', 'inspect']) // ['fit']
 */
export function suggest(name: string, known: readonly string[]): string[] {
  const limit = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
  // A suggestion must keep some of the name: replacing all of a one-letter name is no evidence of a typo.
  const scored = known
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .filter((s) => s.d <= limit && s.d < name.length);
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.k);
}

/** `; did you mean "fit"?` (or `... "a" or "b"?`), or '' when nothing is close. `quote` formats each name. */
export function didYouMean(
  name: string,
  known: readonly string[],
  quote: (s: string) => string = (s) => `"${s}"`,
): string {
  const close = suggest(name, known);
  return close.length ? `; did you mean ${close.map(quote).join(' or ')}?` : '';
}
