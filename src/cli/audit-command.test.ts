/**
 * AuditCommand.catch() is every command's only error handler: what the user can fix is one escaped line
 * and exit 2, anything else exit 4 (README "Exit codes"); --debug adds the stack; oclif's own exits pass.
 */
import {Flags} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import {UserInputError} from '../shared/errors.js'
import {AuditCommand} from './audit-command.js'

function commandThrowing(thrown: () => unknown) {
  return class extends AuditCommand {
    static override flags = {debug: Flags.boolean({default: false})}
    async run(): Promise<void> {
      await this.parse()
      throw thrown()
    }
  }
}

class ExitsThree extends AuditCommand {
  async run(): Promise<void> {
    await this.parse()
    this.exit(3)
  }
}

describe('AuditCommand.catch', () => {
  it('a UserInputError is one line on stderr and exit 2, its control characters escaped', async () => {
    const result = await runCommand(
      commandThrowing(() => new UserInputError('bad \u001b[2Jname')),
      [],
    )
    expect(result).toMatchObject({code: 2, stdout: '', stderr: 'emr-audit: bad \\x1b[2Jname\n'})
  })

  it('any other error is exit 4 and asks for --debug', async () => {
    const result = await runCommand(
      commandThrowing(() => new TypeError('boom')),
      [],
    )
    expect(result).toMatchObject({code: 4, stderr: 'emr-audit: unexpected error: boom (run with --debug for details)\n'})
  })

  it('a thrown value that is no Error is exit 4 too', async () => {
    const result = await runCommand(
      commandThrowing(() => 'a string'),
      [],
    )
    expect(result).toMatchObject({code: 4, stderr: 'emr-audit: unexpected error: a string (run with --debug for details)\n'})
  })

  it('--debug prints the stack trace first', async () => {
    const result = await runCommand(
      commandThrowing(() => new TypeError('boom')),
      ['--debug'],
    )
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/^TypeError: boom\n\s+at .*audit-command\.test\.ts/)
    expect(result.stderr.endsWith('emr-audit: unexpected error: boom\n')).toBe(true)
  })

  it('credentials in a message are redacted', async () => {
    const result = await runCommand(
      commandThrowing(() => new UserInputError('endpoint said AKIAABCDEFGHIJKLMNOP')),
      [],
    )
    expect(result).toMatchObject({code: 2, stderr: 'emr-audit: endpoint said [redacted]\n'})
  })

  it('this.exit() keeps its code, with nothing printed', async () => {
    expect(await runCommand(ExitsThree, [])).toMatchObject({code: 3, stdout: '', stderr: ''})
  })
})
