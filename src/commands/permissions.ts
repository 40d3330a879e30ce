import {Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {UserInputError} from '../core/errors.js'
import {writeStdout} from '../report/outputs.js'
import {scanPolicy} from '../report/permissions.js'

export default class Permissions extends AuditCommand {
  static override summary = 'Print the least-privilege IAM policy a scan (and with --fix, fix --apply and rollback) needs.'

  static override description = 'Generated from the actions the scanners declare (a test proves every AWS call the code sends is declared). Attach it to the role or user emr-audit runs as; with --multi-account, also what the caller needs to assume the audit role in other accounts and list the organization. With --fix, also the writes `fix --apply` and `rollback` make (tags limited to the v2 tag key, roles outside the service-linked path) and the reads that re-check each target.'

  static override flags = {
    partition: Flags.string({summary: 'ARN partition for resource ARNs.', options: ['aws', 'aws-cn', 'aws-us-gov'], default: 'aws'}),
    'multi-account': Flags.boolean({summary: 'Add sts:AssumeRole and organizations:ListAccounts for --accounts / --organization.', default: false}),
    fix: Flags.boolean({summary: 'Add what fix --apply and rollback need.', default: false}),
    'account-id': Flags.string({summary: 'With --fix: the account the write statements are scoped to (default: a <ACCOUNT_ID> placeholder).', helpValue: 'ID', dependsOn: ['fix']}),
  }

  static override examples = [
    {description: 'The read-only policy for a scan', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Save it for the China partition', command: '<%= config.bin %> <%= command.id %> --partition aws-cn > emr-audit-policy.json'},
    {description: 'The policy for scan plus fix --apply in one account', command: '<%= config.bin %> <%= command.id %> --fix --account-id 123456789012'},
  ]

  async run(): Promise<void> {
    const {flags} = await this.parse(Permissions)
    const account = flags['account-id']
    if (account !== undefined && !/^\d{12}$/.test(account)) this.failWith(new UserInputError(`--account-id: '${account}' is not a 12-digit AWS account id`), false)
    const fix = flags.fix ? {fix: account ? {account} : {}} : {}
    await writeStdout(`${JSON.stringify(scanPolicy({partition: flags.partition, multiAccount: flags['multi-account'], ...fix}), null, 2)}\n`)
  }
}
