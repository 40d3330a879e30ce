/**
 * The analyzer end to end, against the emulator with the real AWS managed policies loaded:
 * a well-configured account scans clean, and an account with planted defects yields exactly the
 * findings that prove each defect — each defect sits beside the rule ids it proves.
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateTagsCommand} from '@aws-sdk/client-ec2'
import {PutRolePolicyCommand} from '@aws-sdk/client-iam'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {
  ACCOUNT,
  allowAws,
  allowService,
  blockPublicAccess,
  clients,
  cluster,
  emrConditions,
  emrServiceLinkedRole,
  group,
  instanceProfile,
  network,
  openToWorld,
  role,
  securityConfiguration,
  type Seeder,
  user,
  V2_TAG,
  V2_SERVICE_POLICY,
} from './seed.js'

const DATA_BUCKET_ONLY = {
  Version: '2012-10-17',
  Statement: [
    {Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::analytics-data', 'arn:aws:s3:::analytics-data/*']},
  ],
}
const SECURE_CONFIGURATION = {
  EncryptionConfiguration: {
    EnableAtRestEncryption: true,
    EnableInTransitEncryption: true,
    AtRestEncryptionConfiguration: {
      S3EncryptionConfiguration: {EncryptionMode: 'SSE-S3'},
      LocalDiskEncryptionConfiguration: {
        EncryptionKeyProviderType: 'Custom',
        S3Object: 's3://keys/provider.jar',
        EncryptionKeyProviderClass: 'com.example.KeyProvider',
      },
    },
    InTransitEncryptionConfiguration: {TLSCertificateConfiguration: {CertificateProviderType: 'PEM', S3Object: 's3://certs/certs.zip'}},
  },
  AuthenticationConfiguration: {KerberosConfiguration: {Provider: 'ClusterDedicatedKdc', ClusterDedicatedKdcConfiguration: {TicketLifetimeInHours: 24}}},
}

/**
 * The emulator gives every instance a public IP address, so EMR-CLUSTER-004 fails for any cluster it
 * runs; that rule is proven by unit tests and the ListInstances scanner test instead.
 */
const EMULATOR_ARTIFACTS = new Set(['EMR-CLUSTER-004'])

interface Finding {
  ruleId: string
  status: string
  resource: {id: string}
}

let emulator: Emulator
let seed: Seeder
let workdir: string

beforeAll(async () => {
  emulator = await startFrontedEmulator()
  seed = clients(emulator.endpoint)
  workdir = await mkdtemp(join(tmpdir(), 'emr-audit-catalog-'))
}, 60_000)

afterAll(async () => {
  await emulator?.stop()
})

/** A cluster set up the way the EMR documentation describes it. Returns its id and network. */
async function wellConfiguredCluster(): Promise<{clusterId: string; subnetId: string; groupId: string; slaveGroupId: string; serviceAccessGroupId: string}> {
  await role(seed, 'EMR_DefaultRole_V2', [allowService('elasticmapreduce.amazonaws.com', emrConditions)], {managed: [V2_SERVICE_POLICY]})
  await role(seed, 'EMR_EC2_DefaultRole', [allowService('ec2.amazonaws.com')], {inline: {'analytics-data': DATA_BUCKET_ONLY}})
  await instanceProfile(seed, 'EMR_EC2_DefaultRole', 'EMR_EC2_DefaultRole')
  await emrServiceLinkedRole(seed)
  await securityConfiguration(seed, 'secure', SECURE_CONFIGURATION)
  await blockPublicAccess(seed)
  const net = await network(seed, [V2_TAG])
  const clusterId = await cluster(seed, {
    name: 'analytics',
    serviceRole: 'EMR_DefaultRole_V2',
    instanceProfile: 'EMR_EC2_DefaultRole',
    subnetId: net.subnetId,
    securityConfiguration: 'secure',
    masterGroup: net.groupId,
    slaveGroup: net.slaveGroupId,
    serviceAccessGroup: net.serviceAccessGroupId,
  })
  return {clusterId, ...net}
}

/**
 * Runtime roles on, beside the healthy cluster: same roles and tagged network, EMR-managed groups (the emulator
 * adds EMR's all-traffic rules between them, as AWS does), no key pair, and one runtime role wired as documented.
 */
async function runtimeRoleCluster(net: {subnetId: string; groupId: string; slaveGroupId: string; serviceAccessGroupId: string}): Promise<string> {
  const runtimeArn = await role(
    seed,
    'analytics-runtime',
    [allowAws(`arn:aws:iam::${ACCOUNT}:role/EMR_EC2_DefaultRole`, undefined, ['sts:AssumeRole', 'sts:TagSession'])],
    {inline: {'analytics-data': DATA_BUCKET_ONLY}},
  )
  await seed.iam.send(
    new PutRolePolicyCommand({
      RoleName: 'EMR_EC2_DefaultRole',
      PolicyName: 'runtime-roles',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: runtimeArn}],
      }),
    }),
  )
  const runtimeOn = {...SECURE_CONFIGURATION, AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}}}
  await securityConfiguration(seed, 'secure-runtime', runtimeOn)
  return cluster(seed, {
    name: 'steps-only',
    serviceRole: 'EMR_DefaultRole_V2',
    instanceProfile: 'EMR_EC2_DefaultRole',
    subnetId: net.subnetId,
    securityConfiguration: 'secure-runtime',
    masterGroup: net.groupId,
    slaveGroup: net.slaveGroupId,
    serviceAccessGroup: net.serviceAccessGroupId,
  })
}

/** A deployer who may pass only the EMR default roles (a prefix, not every role). */
const PASS_EMR_ROLES_ONLY = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/EMR_*`}]}

async function scan(config: string, ...flags: string[]): Promise<{code: number; findings: Finding[]}> {
  const path = join(workdir, `config-${Date.now()}.yaml`)
  await writeFile(path, config)
  const result = await runCli(['scan', '--config', path, '--format', 'json', ...flags], emulatorEnv(emulator.endpoint))
  // Progress lines aside (test/e2e/progress.test.ts), nothing: no warning, no error.
  expect(result.stderr.replace(/^emr-audit progress: .*\n/gm, '')).toBe('')
  return {code: result.code, findings: (JSON.parse(result.stdout) as {findings: Finding[]}).findings}
}

const failing = (findings: Finding[]) =>
  findings
    .filter((finding) => finding.status === 'fail' && !EMULATOR_ARTIFACTS.has(finding.ruleId))
    .map((finding) => `${finding.ruleId} ${finding.resource.id}`)
    .sort()

describe('the full catalog against the emulator', () => {
  it('a well-configured account yields no failing finding', async () => {
    await emulator.reset()
    const healthy = await wellConfiguredCluster()
    const steps = await runtimeRoleCluster(healthy)
    await user(seed, 'emr-deployer', [], {'pass-emr-roles': PASS_EMR_ROLES_ONLY})
    const {findings} = await scan('regions: [us-east-1]\nruntimeRoles: [analytics-runtime]\n', '--include-passed')
    expect(failing(findings)).toEqual([])
    // The emulator artefact is real: the rule did run and saw the public address.
    expect(
      findings
        .filter((finding) => finding.ruleId === 'EMR-CLUSTER-004')
        .map((finding) => finding.resource.id)
        .sort(),
    ).toEqual([healthy.clusterId, steps].sort())
    // The rules did look: SSH on the runtime-role cluster, and the prefix-scoped PassRole, were judged and passed.
    const verdict = (ruleId: string, id: string) => findings.find((finding) => finding.ruleId === ruleId && finding.resource.id === id)?.status
    expect(verdict('EMR-CLUSTER-003', steps)).toBe('pass')
    expect(verdict('EMR-PASSROLE-002', 'emr-deployer')).toBe('pass')
    expect(verdict('EMR-RUNTIME-002', 'EMR_EC2_DefaultRole')).toBe('pass')
  })

  it('each planted defect is found, with no false positive around it', async () => {
    await emulator.reset()
    const healthy = await wellConfiguredCluster()

    // EMR-PROFILE-001, EMR-PROFILE-002: an EC2 role inside an instance profile of another name.
    // EMR-PASSROLE-001: the v2 service policy cannot pass that custom-named EC2 role.
    // EMR-TRUST-002: the custom service role trusts EMR without confused-deputy conditions.
    // EMR-ROLE-001: the cluster names an auto scaling role that does not exist.
    // EMR-SECCFG-002, -003, -006: the cluster has no security configuration.
    // EMR-TAG-001: the cluster depends on the v2 tag, its subnet is untagged.
    // EMR-TAG-003: its security groups carry the tag with the value "True".
    // EMR-CLUSTER-002: its master group is open to the world on 8443.
    await role(seed, 'custom-service', [allowService('elasticmapreduce.amazonaws.com')], {managed: [V2_SERVICE_POLICY]})
    await role(seed, 'custom-ec2', [allowService('ec2.amazonaws.com')], {inline: {'analytics-data': DATA_BUCKET_ONLY}})
    await instanceProfile(seed, 'custom-profile', 'custom-ec2')
    const untagged = await network(seed, [], '10.1.0.0/16', '10.1.1.0/24')
    await seed.ec2.send(
      new CreateTagsCommand({Resources: [untagged.groupId, untagged.slaveGroupId, untagged.serviceAccessGroupId], Tags: [{Key: V2_TAG.Key, Value: 'True'}]}),
    )
    await openToWorld(seed, untagged.groupId, 8443)
    const broken = await cluster(seed, {
      name: 'broken',
      serviceRole: 'custom-service',
      instanceProfile: 'custom-profile',
      autoScalingRole: 'deleted-autoscaling',
      subnetId: untagged.subnetId,
      masterGroup: untagged.groupId,
      slaveGroup: untagged.slaveGroupId,
      serviceAccessGroup: untagged.serviceAccessGroupId,
    })

    // EMR-POLICY-003: a person still on the deprecated full-access policy.
    // EMR-PASSROLE-002: that policy passes any role.
    await user(seed, 'legacy-operator', ['arn:aws:iam::aws:policy/AmazonElasticMapReduceFullAccess'])

    // EMR-PASSROLE-002: a group with no members that may do everything but S3 and KMS (so pass any role).
    await group(seed, 'almost-admin', {'all-but-data': {Version: '2012-10-17', Statement: [{Effect: 'Allow', NotAction: ['s3:*', 'kms:*'], Resource: '*'}]}})

    // EMR-TRUST-005: a configured runtime role trusts another account.
    // EMR-RUNTIME-003 does not apply: no cluster here has runtime roles on.
    await role(seed, 'shared-runtime', [allowAws('arn:aws:iam::999999999999:root')])

    // EMR-STUDIO-001: a Studio (from the config: the emulator has no Studio API) whose service role is gone.
    const config = [
      'regions: [us-east-1]',
      'runtimeRoles: [shared-runtime]',
      'studios:',
      '  - id: es-analytics',
      '    region: us-east-1',
      '    authMode: IAM',
      '    serviceRole: deleted-studio-service',
      '',
    ].join('\n')

    const {code, findings} = await scan(config)
    expect(failing(findings)).toEqual(
      [
        `EMR-CLUSTER-002 ${broken}`,
        'EMR-PASSROLE-001 custom-service',
        'EMR-PASSROLE-002 almost-admin',
        'EMR-PASSROLE-002 legacy-operator',
        'EMR-POLICY-003 legacy-operator',
        'EMR-PROFILE-001 custom-ec2',
        `EMR-PROFILE-002 ${broken}`,
        `EMR-ROLE-001 ${broken}`,
        `EMR-SECCFG-002 ${broken}`,
        `EMR-SECCFG-003 ${broken}`,
        `EMR-SECCFG-006 ${broken}`,
        'EMR-STUDIO-001 es-analytics',
        `EMR-TAG-001 ${untagged.subnetId}`,
        'EMR-TAG-003 ' + untagged.groupId,
        'EMR-TAG-003 ' + untagged.slaveGroupId,
        'EMR-TAG-003 ' + untagged.serviceAccessGroupId,
        'EMR-TRUST-002 custom-service',
        'EMR-TRUST-005 shared-runtime',
      ].sort(),
    )
    // Nothing around the defects is touched: the healthy cluster, its roles and network stay clean.
    const healthyIds = new Set([
      healthy.clusterId,
      healthy.subnetId,
      healthy.groupId,
      healthy.slaveGroupId,
      healthy.serviceAccessGroupId,
      'EMR_DefaultRole_V2',
      'EMR_EC2_DefaultRole',
    ])
    expect(failing(findings).filter((entry) => healthyIds.has(entry.split(' ')[1] ?? ''))).toEqual([])
    expect(code).toBe(1)
  })
})
