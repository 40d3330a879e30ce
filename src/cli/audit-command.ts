import {Command, Errors, type Interfaces} from '@oclif/core'
import {ExitCode, UserInputError} from '../shared/errors.js'
import {redact} from '../shared/redact.js'
import {forLog, linesForLog} from '../shared/escape.js'

/** Parsed flags or args (oclif's FlagOutput and ArgOutput, which its public interfaces do not export). */
type Output = Record<string, unknown>

/** What every emr-audit command shares: errors become one clear line and a documented exit code. */
export abstract class AuditCommand extends Command {
  private debugRequested = false

  /** Remembers --debug, so an error thrown anywhere after parsing is shown with its stack trace. */
  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv)
    this.debugRequested = (parsed.flags as {debug?: unknown}).debug === true
    return parsed
  }

  /**
   * One line on stderr and exit 2 for what the user can fix; exit 4 for anything else; a stack trace only
   * with --debug. Messages may quote an endpoint or a file, so they are escaped like any account text.
   * oclif's own errors (bad flags, this.exit()) go to bin/run.js's handler, which prints them and exits
   * with their code. Never through oclif's default catch: under --json it prints the error as JSON on
   * stdout (for a bad flag, the whole loaded config) and exits 1.
   */
  protected override async catch(error: Interfaces.CommandError): Promise<never> {
    // Typed as an Error, but JavaScript can throw anything.
    const thrown: unknown = error
    if (thrown instanceof Error && 'oclif' in thrown) throw thrown
    if (this.debugRequested && thrown instanceof Error) process.stderr.write(`${linesForLog(redact(thrown.stack ?? thrown.message))}\n`)
    if (thrown instanceof UserInputError) {
      process.stderr.write(`emr-audit: ${forLog(redact(thrown.message))}\n`)
      throw new Errors.ExitError(ExitCode.Usage)
    }
    const message = forLog(redact(thrown instanceof Error ? thrown.message : String(thrown)))
    process.stderr.write(`emr-audit: unexpected error: ${message}${this.debugRequested ? '' : ' (run with --debug for details)'}\n`)
    throw new Errors.ExitError(ExitCode.Internal)
  }
}
