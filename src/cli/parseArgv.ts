import { parseNumber } from '../data/parseNumber.ts';
import { InputError } from '../core/errors.ts';
import { didYouMean, suggest } from './didYouMean.ts';
import type { ChoiceDecl, NumberDecl, OptionDecl, OptionSet, Values } from './optionTypes.ts';

/** An option the command does not declare; `close` when a close name was suggested. */
export class UnknownOptionError extends InputError {
  constructor(
    message: string,
    readonly option: string,
    readonly close: boolean,
  ) {
    super(message);
  }
}

export interface ParsedArgv<S extends OptionSet> {
  values: Values<S>;
  positionals: string[];
  /** Options given on the command line (as opposed to defaulted). */
  given: Set<string>;
}

/** The allowed values of a choice option. */
export function choicesOf(decl: ChoiceDecl): readonly string[] {
  return typeof decl.choices === 'function' ? decl.choices() : decl.choices;
}

function show(x: number): string {
  return x === Number.MAX_SAFE_INTEGER ? '2^53-1' : String(x);
}

/** What a numeric option accepts, in words: "a whole number from 2 to 100000, or 0 for none". */
export function expectedNumber(decl: NumberDecl, withExample = true): string {
  const kind = decl.type === 'integer' ? 'a whole number' : 'a number';
  const { min, max, above, below } = decl;
  let range = '';
  if (min !== undefined && max !== undefined) range = ` from ${show(min)} to ${show(max)}`;
  else if (above !== undefined && below !== undefined) range = ` strictly between ${show(above)} and ${show(below)}`;
  else {
    const parts = [
      min !== undefined ? `>= ${show(min)}` : '',
      above !== undefined ? `> ${show(above)}` : '',
      max !== undefined ? `<= ${show(max)}` : '',
      below !== undefined ? `< ${show(below)}` : '',
    ].filter(Boolean);
    if (parts.length) range = ` ${parts.join(' and ')}`;
  }
  const also = decl.also ? `, or ${decl.also.value} for ${decl.also.meaning}` : '';
  const example = decl.example && withExample ? ` (e.g. ${decl.example})` : '';
  return `${kind}${range}${also}${example}`;
}

function inBounds(decl: NumberDecl, x: number): boolean {
  if (decl.also && x === decl.also.value) return true;
  if (decl.type === 'integer' && !Number.isSafeInteger(x)) return false;
  if (decl.min !== undefined && !(x >= decl.min)) return false;
  if (decl.max !== undefined && !(x <= decl.max)) return false;
  if (decl.above !== undefined && !(x > decl.above)) return false;
  if (decl.below !== undefined && !(x < decl.below)) return false;
  return true;
}

/**
 * Read one numeric value. An integer written with all its digits must be exactly representable: a seed of
 * 9007199254740993 would round to ...992 and silently collide with it, so it is refused rather than rounded.
 */
function parseNumberValue(flag: string, decl: NumberDecl, raw: string): number {
  const x = parseNumber(raw.trim());
  const exact =
    decl.type !== 'integer' ||
    !/^\+?\d+$/.test(raw.trim()) ||
    x === null ||
    BigInt(raw.trim()) === BigInt(Math.round(x));
  if (x === null || !exact || !inBounds(decl, x))
    throw new InputError(`${flag} ${raw}: expected ${expectedNumber(decl)}`);
  return x;
}

function parseChoiceValue(flag: string, decl: ChoiceDecl, raw: string, item: string): string {
  const choices = choicesOf(decl);
  if (choices.includes(item) || decl.orElse?.accepts(item)) return item;
  const known = decl.explain?.(item);
  if (known) throw new InputError(`${flag} ${raw}: ${known}`);
  const close = suggest(item, choices);
  const hint = close.length ? `did you mean ${close.join(' or ')}? ` : '';
  if (decl.orElse)
    throw new InputError(
      `${flag} ${raw}: ${decl.separator ? `"${item}" is unknown; ` : ''}${hint}expected one of ${choices.join(', ')}, or ${decl.orElse.text}`,
    );
  if (decl.separator)
    throw new InputError(
      `${flag} ${raw}: "${item}" is unknown; ${hint}expected a list of ${choices.join(', ')} separated by "${decl.separator}"`,
    );
  throw new InputError(`${flag} ${raw}: ${hint}expected one of ${choices.join(', ')}`);
}

function convert(flag: string, decl: OptionDecl, raw: string): unknown[] {
  switch (decl.type) {
    case 'flag':
      throw new InputError(`${flag} takes no value (got ${flag}=${raw})`);
    case 'string':
      // An empty value is never what was meant (`--out ''` from an unset shell variable): refuse it.
      if (raw.trim() === '')
        throw new InputError(
          `${flag}: empty value; expected ${decl.value}${decl.example ? `, e.g. ${flag} ${decl.example}` : ''}`,
        );
      return [raw];
    case 'choice': {
      const items = decl.separator
        ? raw
            .split(decl.separator)
            .map((s) => s.trim())
            .filter(Boolean)
        : [raw];
      if (items.length === 0)
        throw new InputError(`${flag}: empty value; expected one or more of ${choicesOf(decl).join(', ')}`);
      return items.map((item) => parseChoiceValue(flag, decl, raw, item));
    }
    case 'number':
    case 'integer': {
      const items = decl.separator ? raw.split(decl.separator) : [raw];
      return items.map((item) => parseNumberValue(flag, decl, item));
    }
  }
}

/**
 * Parse argv (after the command name) against declared options: `--name value`, `--name=value`, `-x`, flags,
 * positionals and `--` (everything after it is positional). A value may start with '-' (`--delta -1` reads -1 and
 * is then refused by its bounds, with what is expected). Unknown options get a "did you mean"; every error is one
 * InputError line naming the option. Defaults are applied; `given` says which options were on the command line.
 */
export function parseArgv<S extends OptionSet>(argv: readonly string[], options: S, where: string): ParsedArgv<S> {
  const byShort = new Map(
    Object.entries(options)
      .filter(([, d]) => d.short)
      .map(([name, d]) => [`-${d.short}`, name]),
  );
  const collected = new Map<string, unknown[]>();
  const positionals: string[] = [];
  const names = Object.keys(options);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    let name: string, inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
    } else {
      const long = byShort.get(token);
      if (long === undefined) {
        throw new InputError(`${prefix(where)}unknown option ${token} (see ${helpHint(where)})`);
      }
      name = long;
    }
    const decl = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!decl) {
      const flag = `--${name}`;
      const hint = didYouMean(name, names, (s) => `--${s}`);
      throw new UnknownOptionError(
        `${prefix(where)}unknown option ${flag}${hint} (see ${helpHint(where)})`,
        name,
        hint !== '',
      );
    }
    const flag = `--${name}`;
    let parsed: unknown[];
    if (decl.type === 'flag') {
      if (inline !== undefined) convert(flag, decl, inline);
      parsed = [true];
    } else {
      let raw = inline;
      if (raw === undefined) {
        const next = argv[i + 1];
        // The next token is the value unless it is another option (`--out --force`): a leading single '-' is a
        // value, so `--delta -1` reaches the bounds check instead of a parser's "ambiguous argument".
        if (next === undefined || (next.startsWith('--') && next.length > 2) || byShort.has(next)) {
          throw new InputError(`${flag}: missing value; expected ${valueName(decl)}${exampleOf(flag, decl)}`);
        }
        raw = next;
        i++;
      }
      parsed = convert(flag, decl, raw);
    }
    const before = collected.get(name);
    if (before && !decl.repeatable && decl.type !== 'flag') {
      throw new InputError(`${flag} given twice; it takes one value (see ${helpHint(where)})`);
    }
    collected.set(name, [...(before ?? []), ...parsed]);
  }
  const values: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(options)) {
    const got = collected.get(name);
    const list = decl.repeatable || (decl.type !== 'flag' && 'separator' in decl && decl.separator !== undefined);
    if (decl.type === 'flag') values[name] = got !== undefined;
    else if (list) values[name] = got ?? (decl.default !== undefined ? [decl.default] : []);
    else values[name] = got ? got[got.length - 1] : decl.default;
  }
  return { values: values as Values<S>, positionals, given: new Set(collected.keys()) };
}

function prefix(where: string): string {
  return where === 'scalefit' ? '' : `${where}: `;
}

function helpHint(where: string): string {
  return where === 'scalefit' ? 'scalefit --help' : `scalefit ${where} --help`;
}

/** The value's name: FILE, K, huber|mse|lad. */
export function valueName(decl: OptionDecl): string {
  if (decl.type === 'flag') return '';
  if (decl.type === 'choice') return decl.value ?? choicesOf(decl).join('|');
  return decl.value;
}

function exampleOf(flag: string, decl: OptionDecl): string {
  if (decl.type === 'number' || decl.type === 'integer') return ` (${expectedNumber(decl)})`;
  if (decl.type === 'string' && decl.example) return `, e.g. ${flag} ${decl.example}`;
  if (decl.type === 'choice') return ` (one of ${choicesOf(decl).join(', ')})`;
  return '';
}
