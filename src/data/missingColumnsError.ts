import { InputError } from '../core/errors.ts';

/**
 * A CSV whose header lacks a column the caller needs (the loss, or a variable that cannot be derived). It carries
 * what the header has and the mapping the loader made, so `scalefit inspect` can show them instead of failing.
 */
export class MissingColumnsError extends InputError {
  constructor(
    message: string,
    /** The header as read (trimmed). */
    readonly header: string[],
    /** Canonical name (N, D, C, loss, ...) -> the header it maps to, or `derived: ...` for the third of N, D, C. */
    readonly columns: Record<string, string>,
    /** Headers kept as tags. */
    readonly tagColumns: string[],
    /** What is missing: `loss`, `N`, `D`, ... */
    readonly missing: string[],
  ) {
    super(message);
    this.name = 'MissingColumnsError';
  }
}
