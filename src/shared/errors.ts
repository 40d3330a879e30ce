/** Exit codes a pipeline can act on; the README and every command's --help say them. */
export const ExitCode = {
  /** Nothing failing at or above --fail-on, and the scan was complete. */
  Ok: 0,
  /** Failing findings at or above --fail-on. */
  Findings: 1,
  /** Bad usage, config, inventory file or credentials. */
  Usage: 2,
  /** Nothing failing at or above --fail-on, but the scan was incomplete (unknown results or coverage gaps). */
  Incomplete: 3,
  /** emr-audit itself failed unexpectedly (a bug: please report it with the --debug output). */
  Internal: 4,
  /** fix --apply stopped by Ctrl-C (128 + SIGINT, as shells report it); the journal holds what was done. */
  Interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * An error the user can fix: bad flags, config, inventory file, missing credentials.
 * Commands print its message as one line and exit 2; no stack trace unless --debug.
 */
export class UserInputError extends Error {
  readonly exitCode = ExitCode.Usage
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'UserInputError'
  }
}
