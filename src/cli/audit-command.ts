import {Command} from '@oclif/core'
import {ExitCode, UserInputError} from '../shared/errors.js'
import {redact} from '../shared/redact.js'
import {forLog, linesForLog} from '../shared/escape.js'

/** What every emr-audit command shares: errors become one clear line and a documented exit code. */
export abstract class AuditCommand extends Command {
  /**
   * One line on stderr and exit 2 for what the user can fix; a stack trace only with --debug. Messages may
   * quote an endpoint or a file, so they are escaped like any account text.
   */
  protected failWith(error: unknown, debug: boolean): never {
    if (error instanceof Error && 'oclif' in error) throw error // this.exit() and oclif's own errors
    if (debug && error instanceof Error) process.stderr.write(`${linesForLog(redact(error.stack ?? error.message))}\n`)
    if (error instanceof UserInputError) {
      process.stderr.write(`emr-audit: ${forLog(redact(error.message))}\n`)
      this.exit(ExitCode.Usage)
    }
    const message = forLog(redact(error instanceof Error ? error.message : String(error)))
    process.stderr.write(`emr-audit: unexpected error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`)
    this.exit(ExitCode.Internal)
  }
}
