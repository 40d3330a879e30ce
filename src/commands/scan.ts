import {Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {accountFlags, checkSelection, outputFlags, selectionFlags, formatFlag} from '../cli/flags.js'
import {progressFor} from '../cli/progress.js'
import {loadConfig} from '../app/load-config.js'
import {parseAccountIds, readAccountsFile} from '../config/accounts.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../app/demo.js'
import {ExitCode} from '../shared/errors.js'
import {runScan} from '../app/run-scan.js'
import {SEVERITIES} from '../findings/types.js'
import {forLog} from '../shared/escape.js'
import {exitCodeFor, type ScanReport} from '../report/model.js'
import {assertDistinctOutputs} from '../shared/files.js'
import {fileOutputs, parseOutputs} from '../report/outputs.js'
import {shouldColor} from '../report/table.js'
import {writeReport} from '../app/write-report.js'

export default class Scan extends AuditCommand {
  static override summary = "Audit the account's Amazon EMR security setup and report findings."

  static override description = `Collects the account's EMR-related inventory (IAM roles, instance profiles and policies; EMR clusters, security configurations, block public access and Studios; the VPCs, subnets, security groups and Studio secrets they use) with read-only calls, and checks it against AWS's documented requirements.

Credentials come from the usual AWS chain (environment, shared config and credentials files, SSO, instance role); --profile picks a named profile. Secret values are never read.

Exit codes:
  0  nothing failing at or above --fail-on, and the scan was complete
  1  failing findings at or above --fail-on
  2  bad usage, config, inventory file or credentials
  3  nothing failing at or above --fail-on, but the scan was incomplete (unknown results or coverage gaps)
  4  emr-audit itself failed unexpectedly`

  // oclif's generated line garbles the flags' exclusive sets into "[--demo |  | -c FILE ...] |  |"; say it plainly.
  static override usage = [
    '<%= command.id %> [-r REGION... | --all-regions] [-p NAME] [-c FILE] [FLAGS]',
    '<%= command.id %> --assume-role ROLE_NAME (--accounts ID,ID | --accounts-file FILE | --organization) [FLAGS]',
    '<%= command.id %> --inventory FILE [-c FILE] [FLAGS]',
    '<%= command.id %> --demo [FLAGS]',
  ]

  static override examples = [
    {
      description: 'See it work first: analyse the bundled demo account (no AWS account or credentials needed)',
      command: '<%= config.bin %> <%= command.id %> --demo',
    },
    {description: 'Scan the default region of the default profile', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'Scan two regions with a named profile',
      command: '<%= config.bin %> <%= command.id %> --profile audit --region us-east-1 --region eu-west-1',
    },
    {
      description: 'Write a JSON report and fail only on critical findings',
      command: '<%= config.bin %> <%= command.id %> --format json --output report.json --fail-on critical',
    },
    {
      description: 'One scan, three reports for CI: SARIF for code scanning, JUnit for the test panel, JSON to keep',
      command: '<%= config.bin %> <%= command.id %> --output sarif=emr-audit.sarif --output junit=emr-audit.xml --output json=emr-audit.json',
    },
    {
      description: 'Fail only on findings that are new since the last report',
      command: '<%= config.bin %> <%= command.id %> --baseline previous.json --fail-on high',
    },
    {
      description: 'Scan several accounts through a role they all have, into one report',
      command: '<%= config.bin %> <%= command.id %> --assume-role EmrAuditReadOnly --accounts 111111111111,222222222222 --format json --output all.json',
    },
    {
      description: 'Import the failing findings into Security Hub and close the ones fixed since the last import',
      command: '<%= config.bin %> <%= command.id %> --region us-east-1 --security-hub',
    },
    {
      description: 'Save the inventory, then analyse it again offline',
      command: '<%= config.bin %> <%= command.id %> --save-inventory inventory.json && <%= config.bin %> <%= command.id %> --inventory inventory.json',
    },
  ]

  static override flags = {
    ...accountFlags,
    'all-regions': Flags.boolean({
      summary: 'Scan every region enabled for the account (listed with ec2:DescribeRegions from the home region).',
      default: false,
      exclusive: ['inventory'],
    }),
    'assume-role': Flags.string({
      summary: 'Scan each of --accounts / --organization through this role (a role name every account has).',
      helpValue: 'ROLE_NAME',
    }),
    accounts: Flags.string({
      summary: 'Accounts to scan through --assume-role (comma-separated, repeatable).',
      helpValue: 'ID,ID',
      multiple: true,
      exclusive: ['accounts-file', 'organization', 'inventory'],
    }),
    'accounts-file': Flags.string({
      summary: 'Accounts to scan through --assume-role, one id a line (# comments allowed).',
      helpValue: 'FILE',
      exclusive: ['accounts', 'organization', 'inventory'],
    }),
    organization: Flags.boolean({
      summary: 'Scan every active account of the organization (organizations:ListAccounts) through --assume-role.',
      default: false,
      exclusive: ['accounts', 'accounts-file', 'inventory'],
    }),
    'external-id': Flags.string({summary: 'sts:ExternalId to pass when assuming --assume-role.', helpValue: 'ID'}),
    'account-concurrency': Flags.integer({summary: 'Accounts scanned at once (1-20).', min: 1, max: 20, default: 4}),
    format: formatFlag('table'),
    output: Flags.string({
      char: 'o',
      summary:
        'Write the report to FILE (in --format, else the format its ending names: .json, .sarif, .xml, .md, .csv, .asff.json, .ocsf.json), or FORMAT=FILE; repeat for several formats in one run. FILE - is standard output; missing folders are created.',
      helpValue: '[FORMAT=]FILE',
      multiple: true,
    }),
    baseline: Flags.string({
      summary: 'A previous JSON report: its findings are "existing", the rest "new", and only new ones count for --fail-on.',
      helpValue: 'REPORT.json',
    }),
    'fail-on': Flags.option({summary: 'Lowest severity of a failing finding that makes the exit code 1.', options: SEVERITIES, default: 'high'})(),
    'save-inventory': Flags.string({summary: 'Also save the collected inventory (JSON) for offline analysis.', helpValue: 'FILE'}),
    inventory: Flags.string({
      summary: 'Analyse a saved inventory instead of calling AWS.',
      helpValue: 'FILE',
      exclusive: ['profile', 'region', 'endpoint-url'],
    }),
    concurrency: Flags.integer({summary: 'Concurrent API calls per service and region (1-40).', min: 1, max: 40, default: 8}),
    'include-passed': Flags.boolean({summary: 'Also list passing checks.', default: false}),
    demo: Flags.boolean({
      summary: 'Analyse the bundled demo account (examples/demo) offline: no credentials, no network.',
      default: false,
      exclusive: [
        'inventory',
        'config',
        'profile',
        'region',
        'all-regions',
        'endpoint-url',
        'accounts',
        'accounts-file',
        'organization',
        'assume-role',
        'save-inventory',
      ],
    }),
    'security-hub': Flags.boolean({
      summary: "Also import the failing findings into AWS Security Hub (each region's default product) and close the ones imported before that pass now.",
      default: false,
      exclusive: ['inventory', 'demo', 'accounts', 'accounts-file', 'organization'],
    }),
    strict: Flags.boolean({summary: 'Treat an incomplete scan (unknown results, coverage gaps) as a failure: exit 1 instead of 3.', default: false}),
    ...selectionFlags,
    ...outputFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Scan)
    const targets = parseOutputs(flags.output ?? [], flags.format, 'table')
    const inventoryOut = flags['save-inventory']
    await assertDistinctOutputs([...(inventoryOut ? [{flag: `--save-inventory ${inventoryOut}`, path: inventoryOut}] : []), ...fileOutputs(targets)])
    const config = await loadConfig(flags.demo ? DEMO_CONFIG_FILE : flags.config)
    const inventoryPath = flags.demo ? DEMO_INVENTORY : flags.inventory
    const accounts = flags['accounts-file']
      ? await readAccountsFile(flags['accounts-file'])
      : flags.accounts
        ? parseAccountIds(flags.accounts, '--accounts')
        : undefined
    const progress = inventoryPath ? undefined : progressFor(process.stderr, flags.quiet)
    const {report, notes} = await runScan({
      config,
      regions: flags.region ?? [],
      allRegions: flags['all-regions'],
      ...(accounts ? {accounts} : {}),
      organization: flags.organization,
      ...(flags['assume-role'] ? {assumeRole: flags['assume-role']} : {}),
      ...(flags['external-id'] ? {externalId: flags['external-id']} : {}),
      accountConcurrency: flags['account-concurrency'],
      ...(flags.profile ? {profile: flags.profile} : {}),
      ...(flags['endpoint-url'] ? {endpoint: flags['endpoint-url']} : {}),
      ...(inventoryPath ? {inventoryPath} : {}),
      ...(flags['save-inventory'] ? {saveInventoryPath: flags['save-inventory']} : {}),
      concurrency: flags.concurrency,
      includePassed: flags['include-passed'],
      ...(flags.baseline ? {baselinePath: flags.baseline} : {}),
      ...(progress ? {observer: progress} : {}),
      selection: checkSelection(flags),
      securityHub: flags['security-hub'],
    }).finally(() => progress?.stop())
    if (!flags.quiet) for (const line of notes) process.stderr.write(`${line}\n`)
    const stepSummary = process.env['GITHUB_STEP_SUMMARY']
    await writeReport(report, targets, {color: shouldColor(process.stdout, process.env, flags.color), ...(stepSummary ? {stepSummary} : {})})
    if (!flags.quiet) this.warnAboutSuppressions(report)
    const judged = exitCodeFor(report, flags['fail-on'])
    const code = flags.strict && judged === ExitCode.Incomplete ? ExitCode.Findings : judged
    if (code !== ExitCode.Ok) this.exit(code)
  }

  private warnAboutSuppressions(report: ScanReport): void {
    for (const suppression of report.suppressions?.expired ?? [])
      process.stderr.write(
        `emr-audit: warning: ${forLog(`the suppression of ${suppression.ruleId} on ${suppression.resource} expired on ${suppression.expires} and no longer applies`)}\n`,
      )
    for (const suppression of report.suppressions?.stale ?? [])
      process.stderr.write(`emr-audit: warning: ${forLog(`the suppression of ${suppression.ruleId} on ${suppression.resource} matched no finding (stale)`)}\n`)
  }
}
