/**
 * `emr-audit preflight` against the emulator: a well-set-up account, a RunJobFlow request that would
 * launch, and one request per reason a launch fails (the reasons the issue lists; each expected rule is
 * the catalog's or the launch-only check that AWS's documentation says decides it). Then requests are
 * submitted to the emulator where it can represent the failure.
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EMRClient, RunJobFlowCommand, type RunJobFlowCommandInput} from '@aws-sdk/client-emr'
import {CreateAccessKeyCommand} from '@aws-sdk/client-iam'
import {CreateKeyCommand, KMSClient} from '@aws-sdk/client-kms'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import {startEmulator, startEnforcingEmulator, type Emulator} from './moto.js'
import {preflightJson, type PreflightOutcome, runJobFlowRequest, seedEmrRoles, seedLaunchers, seedSecurityConfigurations, userArn} from './preflight-account.js'
import {blockPublicAccess, clients, cluster, emrServiceLinkedRole, network, openToWorld, REGION, securityConfiguration, V2_TAG} from './seed.js'

let emulator: Emulator
let env: NodeJS.ProcessEnv
let dir: string
let net: Awaited<ReturnType<typeof network>>
let untagged: Awaited<ReturnType<typeof network>>
let openGroup: string
let inventoryFile: string

function request(
  changes: Partial<RunJobFlowCommandInput> = {},
  instances: Partial<NonNullable<RunJobFlowCommandInput['Instances']>> = {},
): RunJobFlowCommandInput {
  return runJobFlowRequest(net, {service: 'EMR_DefaultRole', ec2: 'EMR_EC2_DefaultRole'}, changes, instances)
}

/** `live`: against the emulator, as a user runs it; `saved`: against the inventory a scan saved in beforeAll (faster, same account). */
async function preflight(name: string, input: RunJobFlowCommandInput, launcher = 'deployer', mode: 'live' | 'saved' = 'saved'): Promise<PreflightOutcome> {
  const file = join(dir, `${name}.json`)
  await writeFile(file, JSON.stringify(input))
  const source = mode === 'live' ? [] : ['--inventory', inventoryFile]
  return preflightJson(file, ['--region', REGION, '--as', userArn(launcher), ...source], env)
}

beforeAll(async () => {
  emulator = await startEmulator()
  const seed = clients(emulator.endpoint)
  await seedEmrRoles(seed, {service: 'EMR_DefaultRole', ec2: 'EMR_EC2_DefaultRole'})
  await emrServiceLinkedRole(seed)
  net = await network(seed, [V2_TAG], '10.30.0.0/16', '10.30.1.0/24')
  untagged = await network(seed, [], '10.40.0.0/16', '10.40.1.0/24')
  openGroup = untagged.groupId
  await openToWorld(seed, openGroup, 8080)
  await blockPublicAccess(seed)
  await seedSecurityConfigurations(seed)
  // A customer managed key with the default key policy (the account root, so IAM decides): the EC2 role's
  // policies grant no KMS action, so its nodes could not use the key for local-disk encryption.
  const kms = new KMSClient({endpoint: emulator.endpoint, region: REGION, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  const key = await kms.send(new CreateKeyCommand({Description: 'emr local disks'}))
  const atRest = {
    S3EncryptionConfiguration: {EncryptionMode: 'SSE-S3'},
    LocalDiskEncryptionConfiguration: {EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: key.KeyMetadata?.Arn ?? ''},
  }
  const inTransit = {TLSCertificateConfiguration: {CertificateProviderType: 'PEM', S3Object: 's3://certs/certs.zip'}}
  await securityConfiguration(seed, 'kms-unusable', {
    EncryptionConfiguration: {
      EnableAtRestEncryption: true,
      EnableInTransitEncryption: true,
      AtRestEncryptionConfiguration: atRest,
      InTransitEncryptionConfiguration: inTransit,
    },
  })
  await seedLaunchers(seed, {service: 'EMR_DefaultRole', ec2: 'EMR_EC2_DefaultRole'})
  env = emulatorEnv(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-preflight-'))
  // A running cluster on the untagged network, so a saved inventory keeps that subnet and its open group.
  await cluster(seed, {
    name: 'legacy',
    serviceRole: 'EMR_DefaultRole',
    instanceProfile: 'EMR_EC2_DefaultRole',
    subnetId: untagged.subnetId,
    masterGroup: openGroup,
    slaveGroup: untagged.slaveGroupId,
  })
  inventoryFile = join(dir, 'inventory.json')
  await writeFile(join(dir, 'emr-audit.yaml'), 'securityConfigurations: [encrypted, runtime-roles]\n')
  const saved = await runCli(
    ['scan', '--region', REGION, '--config', join(dir, 'emr-audit.yaml'), '--save-inventory', inventoryFile, '--format', 'json', '--quiet'],
    env,
  )
  expect(saved.stderr).toBe('')
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
})

describe('preflight of a RunJobFlow request', () => {
  it('a request that would launch cleanly: "will launch", exit 0', async () => {
    const result = await preflight('clean', request(), 'deployer', 'live')
    // Below --fail-on (high) a finding may remain: this account has no Kerberos (EMR-SECCFG-006, low).
    expect(
      result.failing.filter((finding) => ['critical', 'high'].includes(finding.severity)),
      result.stderr,
    ).toEqual([])
    expect(result.verdict).toBe('will launch')
    expect(result.stderr).toContain('emr-audit preflight: will launch')
    expect(result.code).toBe(0)
  })

  // Each request differs from the clean one in one way, and each way is a documented reason EMR refuses
  // the launch or the cluster fails to start.
  it.each([
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html: launching passes each role.
    ['a launcher without iam:PassRole', () => request(), 'launch-only', 'EMR-LAUNCH-002', 'ServiceRole', 'saved'],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html: RunJobFlow itself is an IAM action.
    ['a launcher without elasticmapreduce:RunJobFlow', () => request(), 'pass-only', 'EMR-LAUNCH-001', 'Tags', 'saved'],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html: the instance profile must exist and hold its role.
    ['an instance profile that does not exist', () => request({JobFlowRole: 'missing-profile'}), 'deployer', 'EMR-PROFILE-002', 'JobFlowRole', 'saved'],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html: the service role must exist.
    ['a service role that does not exist', () => request({ServiceRole: 'EMR_MissingRole'}), 'deployer', 'EMR-ROLE-001', 'ServiceRole', 'saved'],
    // https://docs.aws.amazon.com/emr/latest/APIReference/API_JobFlowInstancesConfig.html: the subnet is one of the account's.
    [
      'a subnet that does not exist in the region',
      () => request({}, {Ec2SubnetId: 'subnet-0123456789abcdef0'}),
      'deployer',
      'EMR-LAUNCH-003',
      'Instances.Ec2SubnetId',
      'live',
    ],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html: with the v2 service policy, the subnet carries the tag.
    [
      'an untagged subnet with the v2 service policy',
      () => request({}, {Ec2SubnetId: untagged.subnetId}),
      'deployer',
      'EMR-TAG-001',
      'Instances.Ec2SubnetId',
      'saved',
    ],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html: a world-open port outside the permitted ranges is refused.
    [
      'a security group open to the world on 8080 under block public access',
      () => request({}, {AdditionalMasterSecurityGroups: [openGroup]}),
      'deployer',
      'EMR-LAUNCH-004',
      'Instances.EmrManagedMasterSecurityGroup',
      'saved',
    ],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html: the named configuration must exist in the region.
    [
      'a security configuration that does not exist',
      () => request({SecurityConfiguration: 'no-such-configuration'}),
      'deployer',
      'EMR-SECCFG-001',
      'SecurityConfiguration',
      'live',
    ],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-keys.html and
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html: a key whose policy delegates
    // to IAM is usable by the EC2 role only if its own policies allow the key's use; here they do not.
    [
      'a KMS key the EC2 role may not use',
      () => request({SecurityConfiguration: 'kms-unusable'}),
      'deployer',
      'EMR-SECCFG-004',
      'SecurityConfiguration',
      'live',
    ],
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html: runtime roles need emr-6.7.0 or later…
    [
      'runtime roles on a release before emr-6.7.0',
      () => request({SecurityConfiguration: 'runtime-roles', ReleaseLabel: 'emr-6.5.0'}),
      'deployer',
      'EMR-RUNTIME-001',
      'SecurityConfiguration',
      'saved',
    ],
    // …and are not supported on highly available (three-primary) clusters.
    [
      'runtime roles on a highly available cluster',
      () => request({SecurityConfiguration: 'runtime-roles'}, {InstanceGroups: [{InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 3}]}),
      'deployer',
      'EMR-RUNTIME-001',
      'SecurityConfiguration',
      'saved',
    ],
  ] as const)('%s: "will fail to launch", exit 1, named', async (name, make, launcher, ruleId, field, mode) => {
    const result = await preflight(name.replaceAll(/\W+/g, '-'), make(), launcher, mode)
    expect(result.verdict, result.stderr).toBe('will fail to launch')
    expect(result.code).toBe(1)
    expect(result.failing.map((finding) => finding.ruleId)).toContain(ruleId)
    expect(result.failing.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.evidence.requestField)).toContain(field)
  })

  it('a subnet absent from a saved inventory is "cannot tell" (exit 3), never "will fail": the scan keeps only what clusters use or what is tagged', async () => {
    const result = await preflight('not-in-saved', request({}, {Ec2SubnetId: 'subnet-0123456789abcdef0'}), 'deployer', 'saved')
    expect(result.verdict, result.stderr).toBe('cannot tell')
    expect(result.code).toBe(3)
  })

  it('a request that is not a RunJobFlow request is refused by name before anything is sent (exit 2)', async () => {
    const file = join(dir, 'bad.json')
    await writeFile(file, JSON.stringify({Name: 'x', Instances: {InstanceGroups: [{InstanceRole: 'LEADER', InstanceCount: 1}]}}))
    const result = await runCli(['preflight', file, '--region', REGION], {...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9'})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Instances.InstanceGroups[0].InstanceRole')
  })

  it('SARIF locates each finding in the request file, at the field it came from (code scanning shows it on the change)', async () => {
    const file = join(dir, 'sarif-request.json')
    await writeFile(file, JSON.stringify(request({JobFlowRole: 'missing-profile'})))
    const result = await runCli(
      ['preflight', 'sarif-request.json', '--region', REGION, '--as', userArn('deployer'), '--inventory', inventoryFile, '--format', 'sarif'],
      env,
      dir,
    )
    expect(result.code, result.stderr).toBe(1)
    const sarif = JSON.parse(result.stdout) as {
      runs: Array<{
        tool: {driver: {rules: Array<{id: string}>}}
        results: Array<{
          ruleId: string
          ruleIndex: number
          locations: Array<{physicalLocation?: {artifactLocation: {uri: string}}; logicalLocations?: Array<{fullyQualifiedName: string}>}>
        }>
      }>
    }
    const [run] = sarif.runs
    const profile = run?.results.find((entry) => entry.ruleId === 'EMR-PROFILE-002')
    expect(profile?.locations[0]).toEqual({
      logicalLocations: [{fullyQualifiedName: 'JobFlowRole', name: 'JobFlowRole', kind: 'member'}],
      physicalLocation: {artifactLocation: {uri: 'sarif-request.json'}},
    })
    // Launch-only checks are described like the catalog's rules, and each result points at its own rule.
    for (const entry of run?.results ?? []) expect(run?.tool.driver.rules[entry.ruleIndex]?.id).toBe(entry.ruleId)
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(
      expect.arrayContaining(['EMR-LAUNCH-001', 'EMR-LAUNCH-002', 'EMR-LAUNCH-003', 'EMR-LAUNCH-004']),
    )
  })
})

/**
 * The verdict against what AWS's API does with the request: the emulator enforces IAM on the caller
 * (INITIAL_NO_AUTH_ACTION_COUNT), so a launcher without elasticmapreduce:RunJobFlow is refused there too.
 * It does not check iam:PassRole nor that the roles and instance profile exist when a cluster is created,
 * so those verdicts (asserted above) cannot be confirmed by submitting; that is said here rather than
 * asserted against an emulator that would accept them.
 */
describe('preflight agrees with the emulator when the request is submitted', () => {
  let enforcing: Emulator
  const keys: Record<string, {accessKeyId: string; secretAccessKey: string}> = {}

  beforeAll(async () => {
    const started = await startEnforcingEmulator()
    enforcing = started.emulator
    keys['admin'] = started.admin
    const seed = clients(enforcing.endpoint, keys['admin'])
    const names = {service: 'EMR_DefaultRole', ec2: 'EMR_EC2_DefaultRole'}
    await seedEmrRoles(seed, names)
    net = await network(seed, [V2_TAG], '10.50.0.0/16', '10.50.1.0/24')
    await blockPublicAccess(seed)
    await seedLaunchers(seed, names)
    for (const name of ['deployer', 'pass-only']) {
      const key = await seed.iam.send(new CreateAccessKeyCommand({UserName: name}))
      keys[name] = {accessKeyId: key.AccessKey?.AccessKeyId ?? '', secretAccessKey: key.AccessKey?.SecretAccessKey ?? ''}
    }
  }, 120_000)

  afterAll(async () => {
    await enforcing?.stop()
  })

  it.each([
    ['deployer', 'will launch', 'launched'],
    ['pass-only', 'will fail to launch', 'refused'],
  ])('launched by %s: preflight says "%s", and submitting it is %s', async (launcher, verdict, outcome) => {
    const input = {...request({SecurityConfiguration: undefined}), Instances: {...request().Instances, ServiceAccessSecurityGroup: undefined}}
    const file = join(dir, `submit-${launcher}.json`)
    await writeFile(file, JSON.stringify(input))
    // The preflight itself runs as the administrator (it reads the account); --as names who will launch.
    const adminEnv = {...emulatorEnv(enforcing.endpoint), AWS_ACCESS_KEY_ID: keys['admin']?.accessKeyId, AWS_SECRET_ACCESS_KEY: keys['admin']?.secretAccessKey}
    const result = await runCli(['preflight', file, '--region', REGION, '--as', userArn(launcher), '--format', 'json', '--fail-on', 'critical'], adminEnv)
    expect((JSON.parse(result.stdout) as {preflight: {verdict: string}}).preflight.verdict, result.stderr).toBe(verdict)
    const emr = new EMRClient({endpoint: enforcing.endpoint, region: REGION, credentials: keys[launcher] as {accessKeyId: string; secretAccessKey: string}})
    const submitted = await emr.send(new RunJobFlowCommand(input)).then(
      () => 'launched',
      // The emulator answers an IAM denial on EMR's JSON API with an XML body and HTTP 403, which the SDK
      // cannot parse as EMR's error shape: the status is the refusal.
      (error: Error & {$metadata?: {httpStatusCode?: number}; $response?: {statusCode?: number}}) =>
        error.name === 'AccessDeniedException' || (error.$metadata?.httpStatusCode ?? error.$response?.statusCode) === 403
          ? 'refused'
          : `${error.name}: ${error.message}`,
    )
    expect(submitted).toBe(outcome)
  })
})
