import {Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {accountFlags, checkSelection, outputFlags, selectionFlags} from '../cli/flags.js'
import {confirmOnTerminal} from '../cli/confirm.js'
import {progressFor} from '../cli/progress.js'
import {loadConfig} from '../app/load-config.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../app/demo.js'
import {ExitCode, UserInputError} from '../shared/errors.js'
import {assertDistinctOutputs, writeJsonFile, writePrivateFile} from '../shared/files.js'
import {applyFixPlan, defaultJournalPath, planFromScan, readPlan} from '../app/run-fix.js'
import {assertKnownRuleIds} from '../app/catalog.js'
import type {ChangeOutcome, Plan} from '../fix/types.js'
import {forLog, jsonText} from '../shared/escape.js'
import {countByDisposition, renderOutcome, renderOutcomeSummary, renderPlan} from '../report/plan.js'
import {writeStdout} from '../report/outputs.js'
import {painter, shouldColor} from '../report/table.js'

export default class Fix extends AuditCommand {
  static override summary = 'Plan (and with --apply, make) the changes that fix failing findings.'

  static override description = `Scans like \`scan\`, then turns failing findings into a plan: each change with its rule, target, the exact AWS calls, the state before and after (tags, or policy documents as a diff), its guards, and whether --apply would run it.

Without --apply nothing is written to AWS. With --apply, the changes marked [apply] run: those the catalog marks auto-apply, and guarded ones whose guard held. Advisory and refused changes never run. Before each write the target is re-read and skipped if it changed since the scan; after it, the target is read back and the change counts as applied only if it equals the planned after. Every change made is journaled with its before-image; \`emr-audit rollback JOURNAL\` undoes them.

A saved plan (--plan FILE) is refused whole, before any AWS call, unless its changes digest holds and every change re-derives: its calls from its before and after, and for [apply] changes its after from its before, exactly as emr-audit's own fixes make them.

Exit codes:
  0  plan printed (dry run), or every change applied or skipped
  1  --apply: at least one change failed (or read back differently from the plan)
  2  bad usage, config, inventory file or credentials; a saved plan that fails its checks; --apply refused (no --yes without a terminal, over --max-changes, declined)
  4  emr-audit itself failed unexpectedly`

  // oclif's generated line garbles the flags' exclusive sets into "[--demo | [...] |  |  |"; say it plainly.
  static override usage = [
    '<%= command.id %> [-r REGION...] [-p NAME] [-c FILE] [--apply [-y]] [FLAGS]',
    '<%= command.id %> --inventory FILE [-c FILE] [FLAGS]',
    '<%= command.id %> --plan FILE [--apply [-y]] [FLAGS]',
    '<%= command.id %> --demo [FLAGS]',
  ]

  static override examples = [
    {description: 'The plan for the bundled demo account (offline, no credentials)', command: '<%= config.bin %> <%= command.id %> --demo'},
    {description: 'Show what would change (nothing is written)', command: '<%= config.bin %> <%= command.id %> --region us-east-1'},
    {
      description: 'Only the v2 tags, as JSON for review',
      command: '<%= config.bin %> <%= command.id %> --only EMR-TAG-001 --only EMR-TAG-002 --format json --output plan.json',
    },
    {
      description: 'Apply in CI (no terminal), at most 10 changes, journal kept as an artifact',
      command: '<%= config.bin %> <%= command.id %> --apply --yes --max-changes 10 --journal fix-journal.json',
    },
    {
      description: 'Review a plan, then apply exactly it',
      command: '<%= config.bin %> <%= command.id %> --format json --output plan.json && <%= config.bin %> <%= command.id %> --apply --plan plan.json',
    },
    {description: 'Undo what an apply did', command: '<%= config.bin %> rollback fix-journal.json'},
  ]

  static override flags = {
    ...accountFlags,
    inventory: Flags.string({
      summary: 'Plan from a saved inventory instead of scanning (not with --apply).',
      helpValue: 'FILE',
      exclusive: ['profile', 'region', 'endpoint-url', 'apply', 'plan'],
    }),
    demo: Flags.boolean({
      summary: 'Plan for the bundled demo account (examples/demo) offline: no credentials, no network.',
      default: false,
      exclusive: ['inventory', 'config', 'profile', 'region', 'endpoint-url', 'apply', 'plan'],
    }),
    plan: Flags.string({
      summary:
        'Use this saved plan (fix --format json --output FILE) instead of scanning: shown, or with --apply made exactly; targets changed since are skipped.',
      helpValue: 'FILE',
      exclusive: ['region', 'only', 'resource', 'config'],
    }),
    only: Flags.string({summary: 'Only fix findings of this rule (repeatable).', helpValue: 'RULE_ID', multiple: true}),
    resource: Flags.string({summary: 'Only fix findings on this resource: id, name or ARN (repeatable).', helpValue: 'ID', multiple: true}),
    'max-changes': Flags.integer({summary: '--apply refuses (and changes nothing) when the plan has more changes to make than this.', min: 1, helpValue: 'N'}),
    format: Flags.option({
      char: 'f',
      summary: 'Output format of the plan (and of the apply outcome).',
      options: ['table', 'json'] as const,
      default: 'table',
    })(),
    output: Flags.string({char: 'o', summary: 'Write the plan to FILE instead of stdout.', helpValue: 'FILE'}),
    apply: Flags.boolean({summary: 'Make the changes marked [apply]. Asks first on a terminal.', default: false}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask before applying (required with --apply when there is no terminal).', default: false}),
    journal: Flags.string({
      summary: 'Where --apply records what it changed. Default: emr-audit-journal-<time>.json in the working directory.',
      helpValue: 'FILE',
    }),
    concurrency: Flags.integer({
      summary: 'Concurrent API calls per service and region while scanning, and changes applied at once (1-40).',
      min: 1,
      max: 40,
      default: 8,
    }),
    ...selectionFlags,
    ...outputFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Fix)
    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)
    // Refuse before minutes of scanning, not after.
    if (flags.apply && !flags.yes && !interactive) throw new UserInputError('--apply without a terminal needs --yes (nothing was changed)')
    if (flags.journal && !flags.apply) throw new UserInputError('--journal is only used with --apply')
    assertKnownRuleIds(flags.only ?? [], '--only')
    const selection = checkSelection(flags)
    if (flags.plan && Object.keys(selection).length > 0)
      throw new UserInputError('--plan applies a saved plan exactly as reviewed: --checks, --exclude-checks, --groups and --severity do not apply to it')
    const journalPath = flags.apply ? (flags.journal ?? defaultJournalPath(new Date())) : undefined
    await assertDistinctOutputs([
      ...(journalPath ? [{flag: flags.journal ? `--journal ${journalPath}` : `the journal ${journalPath}`, path: journalPath}] : []),
      ...(flags.output ? [{flag: `--output ${flags.output}`, path: flags.output}] : []),
      // The reviewed plan is the record of what was agreed: its own output never replaces it.
      ...(flags.plan ? [{flag: `--plan ${flags.plan}`, path: flags.plan, input: true}] : []),
    ])
    const config = await loadConfig(flags.demo ? DEMO_CONFIG_FILE : flags.config)
    const inventoryPath = flags.demo ? DEMO_INVENTORY : flags.inventory
    const progress = flags.plan || inventoryPath ? undefined : progressFor(process.stderr, flags.quiet)
    const plan = flags.plan
      ? await readPlan(flags.plan)
      : await planFromScan({
          config,
          regions: flags.region ?? [],
          ...(flags.profile ? {profile: flags.profile} : {}),
          ...(flags['endpoint-url'] ? {endpoint: flags['endpoint-url']} : {}),
          ...(inventoryPath ? {inventoryPath} : {}),
          concurrency: flags.concurrency,
          ...(flags.only ? {only: flags.only} : {}),
          ...(flags.resource ? {resources: flags.resource} : {}),
          ...(progress ? {observer: progress} : {}),
          selection,
        }).finally(() => progress?.stop())
    const json = flags.format === 'json'
    const color = !flags.output && shouldColor(process.stdout, process.env, flags.color)
    if (!flags.apply) {
      await this.emit(json ? `${jsonText(plan)}\n` : renderPlan(plan, {color, applying: false}), flags.output)
      return
    }
    const outcomes = await this.apply(plan, {
      ...flags,
      journal: journalPath ?? defaultJournalPath(new Date()),
      json,
      color,
      colorFlag: flags.color,
      interactive,
    })
    if (outcomes.some((outcome) => outcome.status === 'failed')) this.exit(ExitCode.Findings)
  }

  private async emit(text: string, output: string | undefined): Promise<void> {
    if (output) {
      await writePrivateFile(output, text)
    } else {
      await writeStdout(text)
    }
  }

  private async apply(
    plan: Plan,
    options: {
      json: boolean
      color: boolean
      colorFlag?: boolean | undefined
      interactive: boolean
      yes: boolean
      journal: string
      output?: string | undefined
      'max-changes'?: number | undefined
      concurrency: number
      profile?: string | undefined
      'endpoint-url'?: string | undefined
    },
  ): Promise<ChangeOutcome[]> {
    const pending = countByDisposition(plan).apply
    if (!options.json) await this.emit(renderPlan(plan, {color: options.color, applying: true}), options.output)
    const maxChanges = options['max-changes']
    if (maxChanges !== undefined && pending > maxChanges) {
      throw new UserInputError(
        `the plan has ${pending} changes to make, over --max-changes ${maxChanges}; narrow it with --only / --resource or raise the limit (nothing was changed)`,
      )
    }
    if (pending === 0) {
      process.stderr.write('emr-audit: nothing to apply\n')
      if (options.json) await this.emit(`${jsonText({plan, outcomes: []})}\n`, options.output)
      return []
    }
    if (!options.yes && options.interactive && !(await confirmOnTerminal(`Apply ${pending} change(s) to account ${forLog(plan.account)}?`))) {
      throw new UserInputError('not confirmed; nothing was changed')
    }
    const journalPath = options.journal
    process.stderr.write(`emr-audit: journal: ${forLog(journalPath)}\n`)
    const paint = painter(shouldColor(process.stderr, process.env, options.colorFlag))
    // Ctrl-C stops new changes; those in flight finish and are journaled. A second Ctrl-C exits at once
    // (the journal already holds an intent entry for anything in flight).
    const interrupt = new AbortController()
    const onSigint = () => {
      if (interrupt.signal.aborted) process.exit(130)
      interrupt.abort()
      process.stderr.write('emr-audit: interrupted; finishing the changes in flight (Ctrl-C again to stop at once)\n')
    }
    process.on('SIGINT', onSigint)
    const outcomes = await applyFixPlan(plan, {
      signal: interrupt.signal,
      journalPath,
      concurrency: Math.min(options.concurrency, 8),
      ...(options.profile ? {profile: options.profile} : {}),
      ...(options['endpoint-url'] ? {endpoint: options['endpoint-url']} : {}),
      ...(options.json
        ? {}
        : {onOutcome: (outcome: ChangeOutcome) => outcome.status !== 'not-applied' && process.stderr.write(`${renderOutcome(outcome, paint)}\n`)}),
    }).finally(() => process.off('SIGINT', onSigint))
    if (options.json) {
      const result = {
        plan,
        journal: journalPath,
        outcomes: outcomes.map(({change, status, detail}) => ({id: change.id, summary: change.summary, status, ...(detail ? {detail} : {})})),
      }
      if (options.output) await writeJsonFile(options.output, result)
      else await writeStdout(`${jsonText(result)}\n`)
    } else {
      process.stderr.write(`\n${renderOutcomeSummary(outcomes, journalPath)}`)
    }
    if (interrupt.signal.aborted) this.exit(ExitCode.Interrupted)
    return outcomes
  }
}
