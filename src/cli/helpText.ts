import type { OptionDecl, OptionSet } from './optionTypes.ts';
import { choicesOf, expectedNumber, valueName } from './parseArgv.ts';

/** Help is wrapped to this many columns (a terminal of 100 columns shows it without wrapping). */
export const HELP_WIDTH = 100;
const OPTION_COLUMN = 29;

/** Greedy word wrap of one paragraph to `width` columns, later lines indented by `indent` spaces. */
export function wrap(text: string, width: number, indent: number, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = ' '.repeat(firstIndent);
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** The option's usage: `-h, --help`, `--out FILE`, `--loss huber|mse|lad`. */
function optionUsage(name: string, decl: OptionDecl): string {
  const value = valueName(decl);
  return `${decl.short ? `-${decl.short}, ` : ''}--${name}${value ? ` ${value}` : ''}`;
}

/** What --help says about an option: its description, then the allowed values, default and repeatability. */
function optionDescription(decl: OptionDecl): string {
  const extra: string[] = [];
  if (decl.type === 'choice' && decl.value)
    extra.push(`one of ${choicesOf(decl).join(', ')}${decl.orElse ? `, or ${decl.orElse.text}` : ''}`);
  if (decl.type === 'number' || decl.type === 'integer') extra.push(expectedNumber(decl, false));
  const dflt =
    decl.defaultText ?? (decl.type !== 'flag' && decl.default !== undefined ? String(decl.default) : undefined);
  if (dflt !== undefined) extra.push(`default ${dflt}`);
  if (decl.repeatable) extra.push('repeatable');
  if (decl.type !== 'flag' && 'separator' in decl && decl.separator)
    extra.push(`several separated by "${decl.separator}"`);
  return extra.length ? `${decl.description} (${extra.join('; ')})` : decl.description;
}

/** The option lines of one help section. */
export function optionLines(options: OptionSet): string[] {
  const lines: string[] = [];
  for (const [name, decl] of Object.entries(options)) {
    const left = `  ${optionUsage(name, decl)}`;
    const body = optionDescription(decl);
    if (left.length + 1 <= OPTION_COLUMN) {
      lines.push(
        ...wrap(body, HELP_WIDTH, OPTION_COLUMN).map((l, i) =>
          i === 0 ? `${left.padEnd(OPTION_COLUMN)}${l.trimStart()}` : l,
        ),
      );
    } else {
      lines.push(left, ...wrap(body, HELP_WIDTH, OPTION_COLUMN));
    }
  }
  return lines;
}

/** Options grouped by their `group` (in order of first appearance; ungrouped ones first, under "Options"). */
function optionSections(options: OptionSet): Array<{ title: string; options: OptionSet }> {
  const sections = new Map<string, OptionSet>([['Options', {}]]);
  for (const [name, decl] of Object.entries(options)) {
    const title = decl.group ?? 'Options';
    if (!sections.has(title)) sections.set(title, {});
    sections.get(title)![name] = decl;
  }
  return [...sections].filter(([, o]) => Object.keys(o).length > 0).map(([title, o]) => ({ title, options: o }));
}

export interface HelpInput {
  name: string;
  usage: readonly string[];
  description: string;
  examples: ReadonlyArray<{ command: string; note?: string }>;
  options: OptionSet;
  globalOptions: OptionSet;
}

/** A command's --help, generated from its declarations. */
export function commandHelp(c: HelpInput): string {
  const out: string[] = [];
  c.usage.forEach((u, i) => out.push(`${i === 0 ? 'Usage: ' : '       '}scalefit ${c.name}${u ? ` ${u}` : ''}`));
  out.push('', ...c.description.split(/\n\s*\n/).flatMap((p, i) => [...(i ? [''] : []), ...wrap(p, HELP_WIDTH, 0)]));
  if (c.examples.length) {
    out.push('', 'Examples:');
    for (const e of c.examples) {
      out.push(...wrap(e.command, HELP_WIDTH - 2, 6, 2).map((l, i, all) => (i < all.length - 1 ? `${l} \\` : l)));
      if (e.note) out.push(...wrap(e.note, HELP_WIDTH, 6));
    }
  }
  for (const s of optionSections(c.options)) out.push('', `${s.title}:`, ...optionLines(s.options));
  out.push('', 'Global options:', ...optionLines(c.globalOptions));
  return out.join('\n');
}
