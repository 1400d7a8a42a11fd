/**
 * Errors that the CLI turns into one line on stderr and an exit code.
 * InputError: the user's data or arguments are wrong (exit 2). ScalefitError: anything else we detected (exit 1).
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export class ScalefitError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ScalefitError';
  }
}
