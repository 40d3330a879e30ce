/**
 * A real permission boundary, over the wire: the emulator enforces IAM after the first three calls, and the
 * scan runs as users with partial read access. A denied source must be named, never read as "nothing there".
 */
import {CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand} from '@aws-sdk/client-iam'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import {startEnforcingEmulator, type Emulator} from './moto.js'
import {allowService, clients, cluster, instanceProfile, network, REGION, role} from './seed.js'

let emulator: Emulator

interface Report {
  coverage: Array<{source: string; region: string; status: string; action?: string}>
  findings: Array<{ruleId: string; status: string; resource: {id: string}}>
}

async function user(iam: IAMClient, name: string, actions: string[]): Promise<{id: string; secret: string}> {
  await iam.send(new CreateUserCommand({UserName: name}))
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'access',
      PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: actions, Resource: '*'}]}),
    }),
  )
  const key = await iam.send(new CreateAccessKeyCommand({UserName: name}))
  return {id: key.AccessKey?.AccessKeyId ?? '', secret: key.AccessKey?.SecretAccessKey ?? ''}
}

const credentials: Record<string, {id: string; secret: string}> = {}

beforeAll(async () => {
  // The three unauthenticated calls create an administrator; everything after runs as someone.
  const started = await startEnforcingEmulator()
  emulator = started.emulator
  const admin = started.admin
  const seed = clients(emulator.endpoint, admin)

  await role(seed, 'EMR_DefaultRole', [allowService('elasticmapreduce.amazonaws.com')], {
    managed: ['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'],
  })
  await role(seed, 'EMR_EC2_DefaultRole', [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, 'EMR_EC2_DefaultRole', 'EMR_EC2_DefaultRole')
  const {subnetId} = await network(seed)
  await cluster(seed, {name: 'c', serviceRole: 'EMR_DefaultRole', instanceProfile: 'EMR_EC2_DefaultRole', subnetId})

  credentials['noNetwork'] = await user(seed.iam, 'no-network', ['sts:GetCallerIdentity', 'iam:*', 'elasticmapreduce:*'])
  credentials['noIam'] = await user(seed.iam, 'no-iam', ['sts:GetCallerIdentity', 'elasticmapreduce:*', 'ec2:Describe*', 'secretsmanager:ListSecrets'])
}, 90_000)

afterAll(async () => {
  await emulator?.stop()
})

async function scanAs(who: string): Promise<{code: number; report: Report; stderr: string}> {
  const env = {...emulatorEnv(emulator.endpoint), AWS_ACCESS_KEY_ID: credentials[who]?.id, AWS_SECRET_ACCESS_KEY: credentials[who]?.secret}
  // --fail-on critical: the emulator gives every instance a public IP, a high finding (EMR-CLUSTER-004) no seed can avoid.
  const result = await runCli(['scan', '--region', REGION, '--format', 'json', '--fail-on', 'critical'], env)
  return {code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr}
}

describe('a scan with partial permissions', () => {
  it('names every denied action in coverage, completes, and exits 3', async () => {
    const {code, report} = await scanAs('noNetwork')
    const denied = report.coverage.filter((outcome) => outcome.status === 'denied').map((outcome) => `${outcome.source} ${outcome.action}`)
    expect(denied.sort()).toEqual([
      'ec2.networkInterfaces ec2:DescribeNetworkInterfaces',
      'ec2.securityGroups ec2:DescribeSecurityGroups',
      'ec2.subnets ec2:DescribeSubnets',
      'ec2.vpcs ec2:DescribeVpcs',
      'secretsmanager.secrets secretsmanager:ListSecrets',
    ])
    expect(report.coverage).toContainEqual({source: 'iam.authorizationDetails', region: 'global', status: 'ok'})
    expect(report.findings.filter((finding) => finding.status === 'fail' && (finding as {severity?: string}).severity === 'critical')).toEqual([])
    expect(code).toBe(3)
  })

  it('without IAM read access, every IAM-based rule is unknown rather than passing', async () => {
    const {code, report} = await scanAs('noIam')
    expect(report.coverage).toContainEqual(
      expect.objectContaining({source: 'iam.authorizationDetails', status: 'denied', action: 'iam:GetAccountAuthorizationDetails'}),
    )
    expect(report.coverage).toContainEqual(expect.objectContaining({source: 'iam.instanceProfiles', status: 'denied', action: 'iam:ListInstanceProfiles'}))
    const unknownRules = new Set(report.findings.filter((finding) => finding.status === 'unknown').map((finding) => finding.ruleId))
    for (const ruleId of ['EMR-ROLE-001', 'EMR-PROFILE-001', 'EMR-PROFILE-002', 'EMR-PROFILE-003', 'EMR-TRUST-001', 'EMR-TRUST-002', 'EMR-TRUST-005'])
      expect(unknownRules).toContain(ruleId)
    // No rule that needs IAM data may claim a result without it.
    const iamRules = /^EMR-(ROLE|PROFILE|TRUST|POLICY|PASSROLE|RUNTIME)-/
    expect(report.findings.filter((finding) => iamRules.test(finding.ruleId) && finding.status !== 'unknown')).toEqual([])
    expect(code).toBe(3)
  })
})
