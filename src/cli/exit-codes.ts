/** ESLint-style exit codes (see docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_ANALYSE = 2;

/** An error the CLI reports as one line (no stack trace) with exit code 2. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
