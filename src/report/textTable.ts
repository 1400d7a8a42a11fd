/**
 * A text table, columns separated by two spaces; the first row is the header. Columns are right-aligned (numbers line
 * up on their last digit) unless `align` has an 'l' at their position.
 *
 * @example textTable([['N', 'loss'], ['7e+10', '1.93']]) // '    N  loss\n7e+10  1.93\n'
 * @example textTable([['paper', 'runs'], ['Kaplan', '60']], 'lr') // 'paper   runs\nKaplan    60\n'
 */
export function textTable(rows: string[][], align = ''): string {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => [...(r[j] ?? '')].length)));
  const pad = (c: string, j: number) => {
    const fill = ' '.repeat(widths[j]! - [...c].length);
    return align[j] === 'l' ? c + fill : fill + c;
  };
  return `${rows.map((r) => r.map(pad).join('  ').trimEnd()).join('\n')}\n`;
}
