import {Flags} from '@oclif/core'
import {AuditCommand} from '../cli/audit-command.js'
import {loadConfig} from '../app/load-config.js'
import {UserInputError} from '../shared/errors.js'
import {writeStdout} from '../report/outputs.js'
import {permissionsForPlan, scanPolicy} from '../app/permission-policy.js'

export default class Permissions extends AuditCommand {
  static override summary = 'Print the least-privilege IAM policy a scan (and with --fix, fix --apply and rollback) needs.'

  static override description = `Generated from the actions the scanners declare (a test proves every AWS call the code sends is declared). Attach it to the role or user emr-audit runs as; with --multi-account, also what the caller needs to assume the audit role in other accounts and list the organization. With --fix, also the writes \`fix --apply\` and \`rollback\` make and the reads that re-check each target: IAM writes only on EMR role names (EMR_* and the roles --config names), iam:PassRole only to EMR and EC2, tags limited to the v2 tag key and Studio Git secrets, never the service-linked roles nor the caller's own role. With --fix --plan FILE, exactly what applying and rolling back that saved plan needs, scoped to the resources it names.`

  static override flags = {
    partition: Flags.option({summary: 'ARN partition for resource ARNs.', options: ['aws', 'aws-cn', 'aws-us-gov'] as const, default: 'aws'})(),
    'multi-account': Flags.boolean({summary: 'Add sts:AssumeRole and organizations:ListAccounts for --accounts / --organization.', default: false}),
    fix: Flags.boolean({summary: 'Add what fix --apply and rollback need.', default: false}),
    'account-id': Flags.string({
      summary: 'With --fix: the account the write statements are scoped to (default: a <ACCOUNT_ID> placeholder).',
      helpValue: 'ID',
      dependsOn: ['fix'],
    }),
    config: Flags.string({
      char: 'c',
      summary: 'With --fix: also allow the service, EC2 and Studio roles and the Studio Git secrets this config names.',
      helpValue: 'FILE',
      dependsOn: ['fix'],
    }),
    'security-hub': Flags.boolean({
      summary: "Add what scan --security-hub needs: securityhub:DescribeHub, GetFindings and BatchImportFindings (into the account's default product only).",
      default: false,
    }),
    plan: Flags.string({
      summary: 'With --fix: only what `fix --apply --plan FILE` and the rollback of its journal need, scoped to the resources this saved plan changes.',
      helpValue: 'FILE',
      dependsOn: ['fix'],
      exclusive: ['account-id', 'config', 'multi-account', 'partition', 'security-hub'],
    }),
  }

  static override examples = [
    {description: 'The read-only policy for a scan', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Save it for the China partition', command: '<%= config.bin %> <%= command.id %> --partition aws-cn > emr-audit-policy.json'},
    {
      description: 'The policy for scan plus fix --apply in one account',
      command: '<%= config.bin %> <%= command.id %> --fix --account-id 123456789012 --config emr-audit.yaml',
    },
    {description: 'Exactly what applying one reviewed plan needs', command: '<%= config.bin %> <%= command.id %> --fix --plan plan.json'},
  ]

  async run(): Promise<void> {
    const {flags} = await this.parse(Permissions)
    if (flags.plan) {
      await writeStdout(`${JSON.stringify(await permissionsForPlan(flags.plan), null, 2)}\n`)
      return
    }
    const account = flags['account-id']
    if (account !== undefined && !/^\d{12}$/.test(account)) throw new UserInputError(`--account-id: '${account}' is not a 12-digit AWS account id`)
    const config = flags.config ? await loadConfig(flags.config) : undefined
    const fix = flags.fix ? {fix: {...(account ? {account} : {}), ...(config ? {config} : {})}} : {}
    await writeStdout(
      `${JSON.stringify(scanPolicy({partition: flags.partition, multiAccount: flags['multi-account'], securityHub: flags['security-hub'], ...fix}), null, 2)}\n`,
    )
  }
}
