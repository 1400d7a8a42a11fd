/**
 * Wrap text at word boundaries to lines of at most `width` characters (a longer word gets a line of its own), later
 * lines indented by `indent`: terminal output stays within its columns without the terminal breaking words.
 *
 * @example wrapText('a b c', 3) // 'a b\nc'
 */
export function wrapText(text: string, width = 100, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line !== '' && [...prefix, ...line, ' ', ...word].length > width) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push((lines.length === 0 ? '' : indent) + line);
  return lines.join('\n');
}
