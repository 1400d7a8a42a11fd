/**
 * Errors that the CLI turns into one line on stderr and an exit code.
 * InputError: the user's data or arguments are wrong (exit 2). ScalefitError: anything else we detected (exit 1).
 *
 * @example
 * import { InputError, loadRunsFromText } from 'scalefit';
 * let error;
 * try { loadRunsFromText('N,D\n1,2\n', 'runs.csv'); } catch (e) { error = e; }
 * error instanceof InputError; // → true
 * error.message.startsWith('runs.csv:1: no loss column'); // → true
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * A failure scalefit detected that is not the user's input (e.g. a chart that does not render): exit code 1.
 *
 * @example
 * import { ScalefitError } from 'scalefit';
 * new ScalefitError('cannot render chart').exitCode; // → 1
 */
export class ScalefitError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ScalefitError';
  }
}
