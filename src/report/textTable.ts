/**
 * A right-aligned text table, columns separated by two spaces; the first row is the header.
 *
 * @example textTable([['N', 'loss'], ['7e+10', '1.93']]) // '    N  loss\n7e+10  1.93\n'
 */
export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return `${rows.map((r) => r.map((c, j) => c.padStart(widths[j]!)).join('  ')).join('\n')}\n`;
}
