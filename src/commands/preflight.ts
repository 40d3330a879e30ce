import {Args, Flags} from '@oclif/core'
import {loadConfig} from '../app/load-config.js'
import {runPreflight} from '../app/preflight.js'
import {writeReport} from '../app/write-report.js'
import {AuditCommand} from '../cli/audit-command.js'
import {accountFlags, checkSelection, outputFlags, selectionFlags, formatFlag} from '../cli/flags.js'
import {SEVERITIES} from '../findings/types.js'
import {fileOutputs, parseOutputs} from '../report/outputs.js'
import {shouldColor} from '../report/table.js'
import {ExitCode, UserInputError} from '../shared/errors.js'
import {forLog} from '../shared/escape.js'
import {assertDistinctOutputs} from '../shared/files.js'

const EXIT_OF_VERDICT = {
  'will launch': ExitCode.Ok,
  'launches with findings': ExitCode.Findings,
  'will fail to launch': ExitCode.Findings,
  'cannot tell': ExitCode.Incomplete,
} as const

/** `--parameter K=V`, repeatable: CloudFormation parameter values. */
function parseParameters(values: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {}
  for (const value of values) {
    const equals = value.indexOf('=')
    if (equals <= 0) throw new UserInputError(`--parameter ${forLog(value)}: expected KEY=VALUE`)
    parameters[value.slice(0, equals)] = value.slice(equals + 1)
  }
  return parameters
}

export default class Preflight extends AuditCommand {
  static override summary = 'Check a cluster before it exists: will it launch, and is it safe?'

  static override description = `Reads FILE, one of: a RunJobFlow request (JSON, the SDK's RunJobFlowCommandInput shape); a Terraform plan (terraform show -json plan.out: every aws_emr_cluster it creates, and the IAM roles, instance profiles, policies, subnets and security groups the same plan creates); or a CloudFormation template (JSON or YAML: every AWS::EMR::Cluster, with Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select and Fn::Split resolved against --parameter values, parameter defaults and the template's own resources; a name CloudFormation generates is stood for by the logical id). It lays each cluster and what the plan or template creates over the account as the scan sees it (or a saved --inventory), and runs the catalog's rules on it as if it were running, plus the checks only a launch needs: the launcher may call elasticmapreduce:RunJobFlow and pass each role to its service (iam:PassedToService), the subnet exists in the region, block public access lets the security groups through. Nothing is created and no mutating call is made.

Prints the verdict first (will launch / launches with findings / will fail to launch / cannot tell), then the findings, each naming the request field it came from (Instances.Ec2SubnetId; aws_emr_cluster.etl.service_role; Resources.Etl.Properties.JobFlowRole). A value the input leaves to apply or stack creation that cannot be traced to a resource of the same plan or template, or a template parameter with no value, is an error (exit 2), reported before any AWS call.

Exit codes:
  0  will launch (nothing failing at or above --fail-on)
  1  will fail to launch, or launches with failing findings at or above --fail-on
  2  bad usage, request file, config, inventory or credentials
  3  cannot tell: a check the launch depends on could not be made
  4  emr-audit itself failed unexpectedly`

  static override args = {
    file: Args.string({
      description: 'The launch request: RunJobFlow JSON, a Terraform plan as JSON, or a CloudFormation template (JSON or YAML).',
      required: true,
    }),
  }

  static override examples = [
    {
      description: 'Will this request launch in us-east-1, for the current caller?',
      command: '<%= config.bin %> <%= command.id %> cluster.json --region us-east-1',
    },
    {
      description: 'Check it for the CI role that will launch it, against a saved inventory, as SARIF',
      command:
        '<%= config.bin %> <%= command.id %> cluster.json --inventory inventory.json --as arn:aws:iam::123456789012:role/deployer --format sarif --output preflight.sarif',
    },
    {
      description: 'Every cluster a Terraform plan creates (terraform plan -out plan.out && terraform show -json plan.out > tfplan.json)',
      command: '<%= config.bin %> <%= command.id %> tfplan.json --region us-east-1',
    },
    {
      description: 'The clusters of a CloudFormation template, with a parameter value, findings located at the logical id in SARIF',
      command: '<%= config.bin %> <%= command.id %> template.yaml --parameter SubnetTag=true --region us-east-1 --format sarif --output template.sarif',
    },
  ]

  static override flags = {
    ...accountFlags,
    as: Flags.string({summary: 'The principal that will launch the cluster (user, role or role-session ARN). Default: the caller.', helpValue: 'ARN'}),
    parameter: Flags.string({summary: 'A CloudFormation parameter value (repeatable).', helpValue: 'KEY=VALUE', multiple: true}),
    inventory: Flags.string({summary: 'Check against a saved inventory instead of calling AWS.', helpValue: 'FILE', exclusive: ['profile', 'endpoint-url']}),
    format: formatFlag('table'),
    output: Flags.string({
      char: 'o',
      summary: 'Write the report to FILE (in --format, else the format its ending names), or FORMAT=FILE; repeatable. FILE - is standard output.',
      helpValue: '[FORMAT=]FILE',
      multiple: true,
    }),
    'fail-on': Flags.option({summary: 'Lowest severity of a failing finding that makes the exit code 1.', options: SEVERITIES, default: 'high'})(),
    concurrency: Flags.integer({summary: 'Concurrent API calls per service and region (1-40).', min: 1, max: 40, default: 8}),
    'include-passed': Flags.boolean({summary: 'Also list passing checks.', default: false}),
    ...selectionFlags,
    ...outputFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Preflight)
    const targets = parseOutputs(flags.output ?? [], flags.format, 'table')
    await assertDistinctOutputs(fileOutputs(targets))
    if (flags.as !== undefined && !/^arn:[\w-]+:(iam|sts)::\d{12}:\S+$/.test(flags.as))
      throw new UserInputError(`--as ${forLog(flags.as)}: expected an IAM user, role or role-session ARN`)
    const {verdict, report, launchRules} = await runPreflight({
      file: args.file,
      config: await loadConfig(flags.config),
      regions: flags.region ?? [],
      ...(flags.profile ? {profile: flags.profile} : {}),
      ...(flags['endpoint-url'] ? {endpoint: flags['endpoint-url']} : {}),
      ...(flags.inventory ? {inventoryPath: flags.inventory} : {}),
      ...(flags.as ? {launcherArn: flags.as} : {}),
      parameters: parseParameters(flags.parameter ?? []),
      failOn: flags['fail-on'],
      includePassed: flags['include-passed'],
      concurrency: flags.concurrency,
      selection: checkSelection(flags),
    })
    // The verdict comes first, on its own line, where a person looks (stderr when stdout carries a machine format).
    const toTable = targets.some((target) => target.path === undefined && target.format === 'table')
    ;(toTable ? process.stdout : process.stderr).write(`emr-audit preflight: ${verdict}\n`)
    await writeReport(report, targets, {color: shouldColor(process.stdout, process.env, flags.color), extraRules: launchRules})
    const code = EXIT_OF_VERDICT[verdict]
    if (code !== ExitCode.Ok) this.exit(code)
  }
}
