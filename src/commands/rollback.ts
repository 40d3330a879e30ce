import {Args, Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {ExitCode, UserInputError} from '../shared/errors.js'
import {rollbackFromJournal} from '../app/run-fix.js'
import type {RollbackOutcome} from '../fix/executor.js'
import {forLog, jsonText} from '../shared/escape.js'
import {renderRollbackOutcome} from '../report/plan.js'
import {writeStdout} from '../report/outputs.js'
import {painter, shouldColor} from '../report/table.js'
import {confirmOnTerminal} from '../cli/confirm.js'

export default class Rollback extends AuditCommand {
  static override summary = 'Undo what a `fix --apply` run changed, from its journal.'

  static override description = `The journal is refused whole, before any AWS call, unless its digest holds and every entry is exactly a change emr-audit makes (its after re-derived from its before, its calls from both), so an edited journal cannot make rollback grant anything the change did not take away.

Walks the journal newest change first. Each target is re-read: if it still looks exactly as the apply left it, its before-image is restored (added tags removed or old values put back, trust and inline policies restored, created instance profiles and inline policies removed, created service-linked roles deleted); if it changed since, it is refused and left alone (no blind overwrite). Restored entries are marked in the journal, so running rollback again does nothing twice.

Exit codes:
  0  every entry restored (or already rolled back)
  1  at least one entry refused or failed
  2  bad usage, journal file or credentials (or a journal of another account, or one that fails its checks); not confirmed
  4  emr-audit itself failed unexpectedly`

  static override examples = [
    {description: 'Undo an apply, after confirming on the terminal', command: '<%= config.bin %> <%= command.id %> emr-audit-journal-20261123T154500Z.json'},
    {description: 'In CI', command: '<%= config.bin %> <%= command.id %> fix-journal.json --yes --format json'},
  ]

  static override args = {
    journal: Args.string({description: 'The journal file `fix --apply` wrote.', required: true}),
  }

  static override flags = {
    yes: Flags.boolean({char: 'y', summary: 'Do not ask first (required when there is no terminal).', default: false}),
    profile: Flags.string({char: 'p', summary: 'AWS profile to use.', helpValue: 'NAME'}),
    format: Flags.option({char: 'f', summary: 'Output format.', options: ['table', 'json'] as const, default: 'table'})(),
    'endpoint-url': Flags.string({summary: 'Send every AWS call to this endpoint (emulators, tests). AWS_ENDPOINT_URL works too.', helpValue: 'URL'}),
    debug: Flags.boolean({summary: 'Print stack traces for errors.', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Rollback)
    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)
    if (!flags.yes && !interactive) throw new UserInputError('rollback without a terminal needs --yes (nothing was changed)')
    const paint = painter(shouldColor(process.stdout))
    const outcomes = await rollbackFromJournal({
      journalPath: args.journal,
      ...(flags.profile ? {profile: flags.profile} : {}),
      ...(flags['endpoint-url'] ? {endpoint: flags['endpoint-url']} : {}),
      confirm: async (pending, account) => flags.yes || confirmOnTerminal(`Undo ${pending} change(s) in account ${forLog(account)}?`),
    })
    if (!outcomes) throw new UserInputError('not confirmed; nothing was changed')
    if (flags.format === 'json') {
      await writeStdout(
        `${jsonText({journal: args.journal, outcomes: outcomes.map(({entry, status, detail}) => ({id: entry.change.id, summary: entry.change.summary, status, ...(detail ? {detail} : {})}))})}\n`,
      )
    } else {
      const count = (status: RollbackOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length
      const lines = outcomes.map((outcome) => renderRollbackOutcome(outcome, paint))
      lines.push(
        '',
        `${count('restored')} restored, ${count('refused')} refused, ${count('failed')} failed, ${count('already-rolled-back')} already rolled back.`,
      )
      await writeStdout(`${lines.join('\n')}\n`)
    }
    if (outcomes.some((outcome) => outcome.status === 'refused' || outcome.status === 'failed')) this.exit(ExitCode.Findings)
  }
}
