import {Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {writeStdout} from '../report/outputs.js'
import {scanPolicy} from '../report/permissions.js'

export default class Permissions extends AuditCommand {
  static override summary = 'Print the least-privilege IAM policy a scan needs.'

  static override description = 'Generated from the actions the scanners declare (a test proves every AWS call the code sends is declared). Attach it to the role or user emr-audit runs as; with --multi-account, also what the caller needs to assume the audit role in other accounts and list the organization.'

  static override flags = {
    partition: Flags.string({summary: 'ARN partition for resource ARNs.', options: ['aws', 'aws-cn', 'aws-us-gov'], default: 'aws'}),
    'multi-account': Flags.boolean({summary: 'Add sts:AssumeRole and organizations:ListAccounts for --accounts / --organization.', default: false}),
  }

  static override examples = [
    {description: 'The read-only policy for a scan', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Save it for the China partition', command: '<%= config.bin %> <%= command.id %> --partition aws-cn > emr-audit-policy.json'},
  ]

  async run(): Promise<void> {
    const {flags} = await this.parse(Permissions)
    await writeStdout(`${JSON.stringify(scanPolicy({partition: flags.partition, multiAccount: flags['multi-account']}), null, 2)}\n`)
  }
}
