/**
 * `emr-audit preflight` of a Terraform plan and a CloudFormation template that create the cluster's
 * roles, instance profile, subnet and security groups themselves, against the emulator: each gives the
 * verdict the equivalent RunJobFlow request gives once the same resources exist in the account.
 */
import {readFile, mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv} from './cli.js'
import {startEmulator, type Emulator} from './moto.js'
import {
  type EmrRoleNames,
  preflightJson,
  type PreflightOutcome,
  runJobFlowRequest,
  seedEmrRoles,
  seedLaunchers,
  seedSecurityConfigurations,
  userArn,
} from './preflight-account.js'
import {clients, emrServiceLinkedRole, network, REGION, V2_TAG} from './seed.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/preflight/', import.meta.url))
// The names the fixtures give the roles and instance profile they create.
const ROLES: EmrRoleNames = {service: 'etl-emr-service', ec2: 'EMR_EC2_DefaultRole'}

interface Case {
  name: string
  launcher: string
  /** The subnet carries the v2 tag (the fixtures tag theirs). */
  taggedSubnet: boolean
  verdict: string
  /** The failing rule, and the request field each format names for it. */
  failing?: {ruleId: string; terraform: string; cloudformation: string; runJobFlow: string}
}

const CASES: Case[] = [
  {name: 'a clean launch', launcher: 'deployer', taggedSubnet: true, verdict: 'will launch'},
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html: launching passes the service role to EMR.
  {
    name: 'a launcher without iam:PassRole',
    launcher: 'launch-only',
    taggedSubnet: true,
    verdict: 'will fail to launch',
    failing: {
      ruleId: 'EMR-LAUNCH-002',
      terraform: 'aws_emr_cluster.etl.service_role',
      cloudformation: 'Resources.Etl.Properties.ServiceRole',
      runJobFlow: 'ServiceRole',
    },
  },
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html: with the v2 service policy, the subnet carries the tag.
  {
    name: 'an untagged subnet with the v2 service policy',
    launcher: 'deployer',
    taggedSubnet: false,
    verdict: 'will fail to launch',
    failing: {
      ruleId: 'EMR-TAG-001',
      terraform: 'aws_emr_cluster.etl.ec2_attributes.subnet_id',
      cloudformation: 'Resources.Etl.Properties.Instances.Ec2SubnetId',
      runJobFlow: 'Instances.Ec2SubnetId',
    },
  },
]

let emulator: Emulator
let env: NodeJS.ProcessEnv
let dir: string
const seen = new Map<string, string>()

const args = (launcher: string) => ['--region', REGION, '--as', userArn(launcher)]

function expectCase(result: PreflightOutcome, expected: Case, field: keyof NonNullable<Case['failing']>): void {
  const open = result.findings.map((finding) => `${finding.ruleId} ${finding.status}: ${finding.message ?? ''}`).join('\n')
  expect(result.verdict, `${result.stderr}${open}`).toBe(expected.verdict)
  expect(result.code).toBe(expected.verdict === 'will launch' ? 0 : 1)
  if (!expected.failing) {
    expect(result.failing.filter((finding) => ['critical', 'high'].includes(finding.severity))).toEqual([])
    return
  }
  const {ruleId} = expected.failing
  expect(result.failing.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.evidence.requestField)).toContain(expected.failing[field])
}

/** The fixture plan, with its subnet's tags removed when the case wants it untagged. */
async function terraformPlan(expected: Case): Promise<string> {
  const plan = JSON.parse(await readFile(join(FIXTURES, 'terraform-plan.json'), 'utf8')) as {
    planned_values: {root_module: {resources: Array<{address: string; values: Record<string, unknown>}>}}
  }
  const subnet = plan.planned_values.root_module.resources.find((resource) => resource.address === 'aws_subnet.private')
  if (subnet && !expected.taggedSubnet) Object.assign(subnet.values, {tags: {}, tags_all: {}})
  const file = join(dir, `${expected.name.replaceAll(/\W+/g, '-')}.tfplan.json`)
  await writeFile(file, JSON.stringify(plan))
  return file
}

/** The fixture template, without its subnet's tags when the case wants it untagged (a tag valued "false" is another finding). */
async function cloudFormationTemplate(expected: Case): Promise<string> {
  const template = await readFile(join(FIXTURES, 'cloudformation-template.yaml'), 'utf8')
  const subnetTags = '      Tags:\n        - Key: for-use-with-amazon-emr-managed-policies\n          Value: !Ref SubnetTag\n'
  expect(template).toContain(subnetTags)
  const file = join(dir, `${expected.name.replaceAll(/\W+/g, '-')}.template.yaml`)
  await writeFile(file, expected.taggedSubnet ? template : template.replace(subnetTags, '      Tags: []\n'))
  return file
}

beforeAll(async () => {
  emulator = await startEmulator()
  const seed = clients(emulator.endpoint)
  await emrServiceLinkedRole(seed)
  await seedSecurityConfigurations(seed)
  await seedLaunchers(seed, ROLES)
  env = emulatorEnv(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-preflight-iac-'))
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
})

describe('preflight of a plan or template that creates what the cluster uses', () => {
  it.each(CASES)('Terraform plan, $name: $verdict', async (expected) => {
    const result = await preflightJson(await terraformPlan(expected), args(expected.launcher), env)
    expectCase(result, expected, 'terraform')
    seen.set(`terraform:${expected.name}`, result.verdict)
  })

  it.each(CASES)('CloudFormation template, $name: $verdict', async (expected) => {
    const result = await preflightJson(await cloudFormationTemplate(expected), [...args(expected.launcher), '--parameter', 'SubnetTag=true'], env)
    expectCase(result, expected, 'cloudformation')
    seen.set(`cloudformation:${expected.name}`, result.verdict)
  })

  it('a template parameter with no value is refused by path before anything is sent (exit 2)', async () => {
    const result = await preflightJson(join(FIXTURES, 'cloudformation-template.yaml'), ['--region', REGION], {...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9'})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Resources.Private.Properties.Tags: parameter SubnetTag has no value')
  })
})

describe('the equivalent RunJobFlow request, once the same resources exist', () => {
  let tagged: Awaited<ReturnType<typeof network>>
  let untagged: Awaited<ReturnType<typeof network>>

  beforeAll(async () => {
    const seed = clients(emulator.endpoint)
    await seedEmrRoles(seed, ROLES)
    tagged = await network(seed, [V2_TAG], '10.50.0.0/16', '10.50.1.0/24')
    untagged = await network(seed, [], '10.60.0.0/16', '10.60.1.0/24')
  }, 120_000)

  it.each(CASES)('RunJobFlow, $name: the same verdict as the plan and the template', async (expected) => {
    const net = expected.taggedSubnet ? tagged : untagged
    const request = runJobFlowRequest(net, ROLES)
    const file = join(dir, `${expected.name.replaceAll(/\W+/g, '-')}.run-job-flow.json`)
    await writeFile(file, JSON.stringify(request))
    const result = await preflightJson(file, args(expected.launcher), env)
    expectCase(result, expected, 'runJobFlow')
    expect([seen.get(`terraform:${expected.name}`), seen.get(`cloudformation:${expected.name}`)]).toEqual([result.verdict, result.verdict])
  })
})
