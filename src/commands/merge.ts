import {Args, Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {ExitCode, UserInputError} from '../shared/errors.js'
import {SEVERITIES} from '../findings/types.js'
import {assertDistinctOutputs} from '../shared/files.js'
import {forLog} from '../shared/escape.js'
import {exitCodeFor} from '../report/model.js'
import {fileOutputs, parseOutputs} from '../report/outputs.js'
import {formatFlag} from '../cli/flags.js'
import {shouldColor} from '../report/table.js'
import {mergeReports} from '../app/merge.js'
import {writeReport} from '../app/write-report.js'

export default class Merge extends AuditCommand {
  static override summary = 'Combine JSON reports from sharded scans into one report.'

  static override description = `Reads reports written by \`scan --format json\` (for example one per account from a CI matrix), and writes one report: per-account sections, findings de-duplicated by fingerprint (when reports disagree, fail wins over error, unknown, suppressed and pass), coverage de-duplicated, summaries recounted. Two reports that cover the same account and region are warned about (an error with --fail-on-overlap). Exit codes are those of scan, judged on the merged report.`

  static override strict = false

  static override args = {
    reports: Args.string({description: 'JSON reports to merge (two or more).', required: true}),
  }

  static override flags = {
    format: formatFlag('json'),
    output: Flags.string({
      char: 'o',
      summary: 'Write to FILE (in --format, else the format its ending names), or FORMAT=FILE (repeatable).',
      helpValue: '[FORMAT=]FILE',
      multiple: true,
    }),
    'fail-on': Flags.option({summary: 'Lowest severity of a failing finding that makes the exit code 1.', options: SEVERITIES, default: 'high'})(),
    'fail-on-overlap': Flags.boolean({summary: 'Exit 2 when two reports cover the same account and region, instead of warning.', default: false}),
  }

  static override examples = [
    {
      description: 'Merge the reports of a CI matrix and upload one SARIF file',
      command: '<%= config.bin %> <%= command.id %> reports/*.json --output sarif=all.sarif --output json=all.json',
    },
  ]

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Merge)
    const paths = argv as string[]
    if (paths.length < 2) throw new UserInputError('merge needs at least two reports')
    const targets = parseOutputs(flags.output ?? [], flags.format, 'json')
    await assertDistinctOutputs(fileOutputs(targets))
    const report = await mergeReports({
      paths,
      failOnOverlap: flags['fail-on-overlap'],
      warn: (message) => process.stderr.write(`emr-audit: warning: ${forLog(message)}\n`),
    })
    await writeReport(report, targets, {color: shouldColor(process.stdout)})
    const code = exitCodeFor(report, flags['fail-on'])
    if (code !== ExitCode.Ok) this.exit(code)
  }
}
