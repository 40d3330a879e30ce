import {Args, Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {ExitCode, UserInputError} from '../core/errors.js'
import {readJsonFile, readablePath, schemaProblems} from '../core/validate.js'
import {SEVERITIES, type Severity} from '../findings/types.js'
import {assertDistinctOutputs} from '../core/files.js'
import {forLog} from '../core/escape.js'
import {combineReports, exitCodeFor, findOverlaps, type ScanReport, ScanReportSchema} from '../report/model.js'
import {fileOutputs, type Format, FORMATS, parseOutputs, writeOutputs} from '../report/outputs.js'
import {shouldColor} from '../report/table.js'
import {RULES} from '../rules/index.js'

export async function readReport(path: string): Promise<ScanReport> {
  const value = await readJsonFile(path, 'report')
  const [problem] = schemaProblems(ScanReportSchema, value)
  if (problem) throw new UserInputError(`${path}: not an emr-audit JSON report (${readablePath(problem.path) || 'top level'}: ${problem.message.toLowerCase()})`)
  return value as ScanReport
}

export default class Merge extends AuditCommand {
  static override summary = 'Combine JSON reports from sharded scans into one report.'

  static override description = `Reads reports written by \`scan --format json\` (for example one per account from a CI matrix), and writes one report: per-account sections, findings de-duplicated by fingerprint (when reports disagree, fail wins over error, unknown, suppressed and pass), coverage de-duplicated, summaries recounted. Two reports that cover the same account and region are warned about (an error with --fail-on-overlap). Exit codes are those of scan, judged on the merged report.`

  static override strict = false

  static override args = {
    reports: Args.string({description: 'JSON reports to merge (two or more).', required: true}),
  }

  static override flags = {
    format: Flags.string({char: 'f', summary: 'Output format (default json; --output FILE without it takes the format from FILE\'s ending).', options: [...FORMATS]}),
    output: Flags.string({char: 'o', summary: 'Write to FILE (in --format, else the format its ending names), or FORMAT=FILE (repeatable).', helpValue: '[FORMAT=]FILE', multiple: true}),
    'fail-on': Flags.string({summary: 'Lowest severity of a failing finding that makes the exit code 1.', options: [...SEVERITIES], default: 'high'}),
    'fail-on-overlap': Flags.boolean({summary: 'Exit 2 when two reports cover the same account and region, instead of warning.', default: false}),
  }

  static override examples = [
    {description: 'Merge the reports of a CI matrix and upload one SARIF file', command: '<%= config.bin %> <%= command.id %> reports/*.json --output sarif=all.sarif --output json=all.json'},
  ]

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Merge)
    try {
      const paths = argv as string[]
      if (paths.length < 2) throw new UserInputError('merge needs at least two reports')
      const targets = parseOutputs(flags.output ?? [], flags.format as Format | undefined, 'json')
      await assertDistinctOutputs(fileOutputs(targets))
      const reports = await Promise.all(paths.map(readReport))
      for (const overlap of findOverlaps(reports)) {
        const where = `${overlap.reports.map((index) => paths[index]).join(' and ')} both cover account ${overlap.account} in ${overlap.regions.join(', ')}`
        if (flags['fail-on-overlap']) throw new UserInputError(`${where} (--fail-on-overlap)`)
        process.stderr.write(`emr-audit: warning: ${forLog(`${where}; their findings are merged, the most severe status winning`)}\n`)
      }
      const report = combineReports(reports)
      await writeOutputs(report, targets, RULES, {color: shouldColor(process.stdout)})
      const code = exitCodeFor(report, flags['fail-on'] as Severity)
      if (code !== ExitCode.Ok) this.exit(code)
    } catch (error) {
      this.failWith(error, false)
    }
  }
}
