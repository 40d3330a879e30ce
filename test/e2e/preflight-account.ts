/**
 * The account preflight's end-to-end tests launch into: EMR roles as AWS's documentation sets them up,
 * the security configurations the requests name, and launchers with and without the permissions a launch
 * needs. Shared by the RunJobFlow tests and the Terraform/CloudFormation equivalence tests.
 */
import type {RunJobFlowCommandInput} from '@aws-sdk/client-emr'
import {runCli} from './cli.js'
import {ACCOUNT, allowService, emrConditions, instanceProfile, role, securityConfiguration, type Seeder, user, V2_TAG, V2_SERVICE_POLICY} from './seed.js'

const EC2_DATA = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::etl-data/*'}]}
const passRole = (name: string, service: string) => ({
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  Condition: {StringEquals: {'iam:PassedToService': service}},
})
const launch = {Effect: 'Allow', Action: 'elasticmapreduce:RunJobFlow', Resource: '*'}
export const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`

export interface EmrRoleNames {
  service: string
  ec2: string
}

/** The service role (v2 managed policy, confused-deputy conditions) and the EC2 role with its same-named instance profile. */
export async function seedEmrRoles(seed: Seeder, names: EmrRoleNames): Promise<void> {
  await role(seed, names.service, [allowService('elasticmapreduce.amazonaws.com', emrConditions)], {managed: [V2_SERVICE_POLICY]})
  await role(seed, names.ec2, [allowService('ec2.amazonaws.com')], {inline: {data: EC2_DATA}})
  await instanceProfile(seed, names.ec2, names.ec2)
}

/** `encrypted` (at rest and in transit) and `runtime-roles` (the same, with runtime roles on). */
export async function seedSecurityConfigurations(seed: Seeder): Promise<void> {
  const atRest = {
    S3EncryptionConfiguration: {EncryptionMode: 'SSE-S3'},
    LocalDiskEncryptionConfiguration: {
      EncryptionKeyProviderType: 'Custom',
      S3Object: 's3://keys/provider.jar',
      EncryptionKeyProviderClass: 'com.example.KeyProvider',
    },
  }
  const inTransit = {TLSCertificateConfiguration: {CertificateProviderType: 'PEM', S3Object: 's3://certs/certs.zip'}}
  const encryption = {
    EnableAtRestEncryption: true,
    EnableInTransitEncryption: true,
    AtRestEncryptionConfiguration: atRest,
    InTransitEncryptionConfiguration: inTransit,
  }
  await securityConfiguration(seed, 'encrypted', {EncryptionConfiguration: encryption})
  await securityConfiguration(seed, 'runtime-roles', {
    AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}},
    EncryptionConfiguration: encryption,
  })
}

/** `deployer` may launch and pass the roles; `launch-only` may not pass them; `pass-only` may not call RunJobFlow. */
export async function seedLaunchers(seed: Seeder, names: EmrRoleNames): Promise<void> {
  const passes = [passRole(names.service, 'elasticmapreduce.amazonaws.com'), passRole(names.ec2, 'ec2.amazonaws.com')]
  await user(seed, 'deployer', [], {launch: {Version: '2012-10-17', Statement: [launch, ...passes]}})
  await user(seed, 'launch-only', [], {launch: {Version: '2012-10-17', Statement: [launch]}})
  await user(seed, 'pass-only', [], {pass: {Version: '2012-10-17', Statement: passes}})
}

export interface PreflightFinding {
  ruleId: string
  status: string
  message?: string
  severity: string
  evidence: {requestField?: string}
}

export interface PreflightOutcome {
  code: number
  stdout: string
  stderr: string
  verdict: string
  failing: PreflightFinding[]
  /** Every finding the report lists (passes only with --include-passed). */
  findings: PreflightFinding[]
}

/** `emr-audit preflight FILE … --format json`, its verdict and failing findings read from the report. */
export async function preflightJson(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<PreflightOutcome> {
  const result = await runCli(['preflight', file, '--format', 'json', ...args], env)
  const report = JSON.parse(result.stdout || '{}') as {preflight?: {verdict: string}; findings?: PreflightFinding[]}
  const findings = report.findings ?? []
  return {...result, verdict: report.preflight?.verdict ?? '', failing: findings.filter((finding) => finding.status === 'fail'), findings}
}

/** The network a request launches into (as `network()` in seed.ts creates it). */
export interface RequestNetwork {
  subnetId: string
  groupId: string
  slaveGroupId: string
  serviceAccessGroupId: string
}

/** A RunJobFlow request that launches cleanly into `net` with `roles`; `changes` and `instances` vary one thing. */
export function runJobFlowRequest(
  net: RequestNetwork,
  roles: EmrRoleNames,
  changes: Partial<RunJobFlowCommandInput> = {},
  instances: Partial<NonNullable<RunJobFlowCommandInput['Instances']>> = {},
): RunJobFlowCommandInput {
  return {
    Name: 'etl',
    ReleaseLabel: 'emr-7.1.0',
    Applications: [{Name: 'Spark'}],
    ServiceRole: roles.service,
    JobFlowRole: roles.ec2,
    SecurityConfiguration: 'encrypted',
    Tags: [V2_TAG],
    ...changes,
    Instances: {
      Ec2SubnetId: net.subnetId,
      EmrManagedMasterSecurityGroup: net.groupId,
      EmrManagedSlaveSecurityGroup: net.slaveGroupId,
      ServiceAccessSecurityGroup: net.serviceAccessGroupId,
      InstanceGroups: [
        {InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1},
        {InstanceRole: 'CORE', InstanceType: 'm5.xlarge', InstanceCount: 2},
      ],
      ...instances,
    },
  }
}
