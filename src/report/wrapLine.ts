/**
 * Wrap one line of aligned terminal output to `width` columns, keeping its head as written: the indentation and, for
 * `    key        = value` lines, everything up to the value, which later lines are indented to (otherwise they are
 * indented two more spaces than the line). Lines that fit are returned unchanged: their padding is their alignment.
 *
 * @example wrapLine('    note = aa bb cc', 14) // '    note = aa\n           bb\n           cc'
 */
export function wrapLine(line: string, width = 100): string {
  const length = (s: string) => [...s].length;
  if (length(line) <= width) return line;
  const keyed = /^(\s*[^=\s][^=]{0,40}?=\s+)\S/.exec(line);
  const head = keyed ? keyed[1]! : /^\s*/.exec(line)![0];
  const indent = keyed ? ' '.repeat(length(head)) : `${head}  `;
  const out: string[] = [];
  let prefix = head;
  let current = '';
  for (const word of line.slice(head.length).split(/\s+/).filter(Boolean)) {
    if (current !== '' && length(prefix + current) + 1 + length(word) > width) {
      out.push(prefix + current);
      prefix = indent;
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  out.push(prefix + current);
  return out.join('\n');
}
