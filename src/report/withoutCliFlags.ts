/**
 * A status or warning line as report prose: the parenthesised command-line hints a fit's status carries for the
 * terminal (`(--fix E=...)`, `(--bounds)`, `(--fix, --tie)`) are dropped, since a report's reader may have no
 * command line (a shared HTML file, the browser app) and the sentence says what to do without them.
 *
 * @example
 * withoutCliFlags('fix E (--fix E=...) or add runs'); // → "fix E or add runs"
 */
export function withoutCliFlags(text: string): string {
  return text.replace(/ \(--[^)]*\)/g, '');
}
