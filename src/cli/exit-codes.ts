/**
 * The exit codes, one policy for every command (README "Exit codes"):
 *
 *   0  analysed; nothing at or above --fail-on
 *   1  analysed; findings at or above --fail-on
 *   2  could not analyse: a usage error (unknown command or option, bad option value), an input
 *      that cannot be read or is not what the command takes, an output that cannot be written
 *
 * main.ts is the only place that turns these into the process exit code.
 */
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

/**
 * A mistake in the command line itself (unknown command or option, bad or repeated option value):
 * one line like a UserError, followed on the same line by where to look (`see 'ajp-inspect frames --help'`).
 */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
