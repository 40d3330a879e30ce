/**
 * What `fix --apply` and `rollback` need on top of the scan policy, declared beside the executor: the
 * writes and the reads that re-check targets. Least privilege: IAM writes only on EMR's role names (its
 * defaults, `EMR_*`, and the roles the config names), iam:PassRole only to EMR and EC2, secret tagging only
 * on Studio Git secrets, and never on the caller's own role. `emr-audit permissions --fix` prints it; a
 * test proves it covers every call src/fix/aws.ts sends. For one saved plan, plan-permissions.ts prints
 * the exact resources instead.
 */
import type {AuditConfig} from '../config/schema.js'
import {UserInputError} from '../shared/errors.js'
import {V2_TAG_KEY} from '../inventory/tags.js'
import {parseArn} from '../policy/match.js'
import {SCAN_ACTIONS} from '../scanners/index.js'
import {FIX_READ_ACTIONS} from './aws.js'
import {DECLARED_KINDS, FIX_WRITE_ACTIONS} from './remediations/index.js'
import {quoted} from './state.js'

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action: string[]
  Resource: string | string[]
  Condition?: Record<string, Record<string, string | string[]>>
}

export const ONLY_THE_V2_TAG = {'ForAllValues:StringEquals': {'aws:TagKeys': [V2_TAG_KEY]}, Null: {'aws:TagKeys': 'false'}}

/** The reads the executor makes before and after each write, for every kind of change a module proposes. */
export const FIX_READS: readonly string[] = [...new Set(DECLARED_KINDS.flatMap((kind) => FIX_READ_ACTIONS[kind]))].sort()

/** Those the scan policy does not already grant. */
const EXTRA_READS = FIX_READS.filter((action) => !SCAN_ACTIONS.includes(action))

export const ROLE_EDITS = ['iam:DeleteRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']
export const PROFILE_EDITS = ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile']
/** The services the roles emr-audit touches are for; AddRoleToInstanceProfile needs iam:PassRole on the role. */
export const PASSED_TO = ['ec2.amazonaws.com', 'elasticmapreduce.amazonaws.com']
export const SERVICE_LINKED = ['elasticmapreduce.amazonaws.com', 'spot.amazonaws.com']

/** EMR's default role names (EMR_DefaultRole, EMR_DefaultRole_V2, EMR_EC2_DefaultRole, EMR_AutoScaling_DefaultRole, …). */
const EMR_DEFAULT_ROLES = 'EMR_*'
/** EMR Studio's console names the Git secrets it creates with this prefix (the v2-tags guard relies on it too). */
const STUDIO_SECRET_PREFIX = 'emr-studio-'

/**
 * Never on the caller's own role: `${aws:PrincipalArn}` is the role of the session making the call
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html), so even a role
 * that matches `EMR_*` cannot widen itself through emr-audit's permissions.
 */
export function selfEditDeny(): PolicyStatement {
  return {
    Sid: 'EmrAuditNeverEditsItsOwnRole',
    Effect: 'Deny',
    Action: [...ROLE_EDITS, 'iam:AddRoleToInstanceProfile', 'iam:PassRole'],
    Resource: '${aws:PrincipalArn}',
  }
}

export function serviceLinkedDeny(iam: (resource: string) => string): PolicyStatement {
  return {
    Sid: 'EmrAuditNeverEditServiceLinkedRoles',
    Effect: 'Deny',
    Action: [...ROLE_EDITS, 'iam:AddRoleToInstanceProfile'],
    Resource: iam('role/aws-service-role/*'),
  }
}

/**
 * Role and secret names never hold "*" or "?", which a Resource reads as wildcards: a config naming one
 * would widen a write statement to every role or secret, so it is refused
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/
const SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/

function exact(reference: string, kind: 'role' | 'secret'): string {
  const [name, arn] = kind === 'role' ? [ROLE_NAME, ROLE_ARN] : [SECRET_NAME, SECRET_ARN]
  if (!name.test(reference) && !arn.test(reference))
    throw new UserInputError(
      `the config names ${quoted(reference)}, which is not one ${kind} name or ARN: a pattern would widen the fix policy; no policy printed`,
    )
  return reference
}

/** A role (or profile) named in the config: an ARN as it is, a name at any path. */
function named(reference: string, kind: 'role' | 'instance-profile', iam: (resource: string) => string): string[] {
  if (parseArn(reference)) return [reference]
  return [iam(`${kind}/${reference}`), iam(`${kind}/*/${reference}`)]
}

function namesOf(config: AuditConfig): {roles: string[]; ec2Roles: string[]; secrets: string[]} {
  const studios = config.studios ?? []
  return {
    roles: [...(config.serviceRoles ?? []), ...(config.ec2Roles ?? []), ...studios.flatMap((studio) => (studio.serviceRole ? [studio.serviceRole] : []))].map(
      (reference) => exact(reference, 'role'),
    ),
    ec2Roles: (config.ec2Roles ?? []).map((reference) => exact(reference, 'role')),
    secrets: studios.flatMap((studio) => studio.gitSecrets ?? []).map((reference) => exact(reference, 'secret')),
  }
}

/** A secret named in the config: its ARN, or any version of the random suffix Secrets Manager appends to the name. */
function secretResource(reference: string, secret: (name: string) => string): string {
  return parseArn(reference) ? reference : secret(`${reference}-??????`)
}

const unique = (values: string[]) => [...new Set(values)]

export function fixStatements(partition: string, account: string, config: AuditConfig = {}): PolicyStatement[] {
  const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`
  const secret = (name: string) => `arn:${partition}:secretsmanager:*:${account}:secret:${name}`
  const names = namesOf(config)
  const roles = unique([iam(`role/${EMR_DEFAULT_ROLES}`), ...names.roles.flatMap((reference) => named(reference, 'role', iam))])
  const ec2Roles = unique([iam(`role/${EMR_DEFAULT_ROLES}`), ...names.ec2Roles.flatMap((reference) => named(reference, 'role', iam))])
  const profiles = unique([
    iam(`instance-profile/${EMR_DEFAULT_ROLES}`),
    ...names.ec2Roles.flatMap((reference) => named(reference.replace(/^arn:.*:role\//, ''), 'instance-profile', iam)),
  ])
  return [
    {Sid: 'EmrAuditFixReadBack', Effect: 'Allow', Action: EXTRA_READS, Resource: '*'},
    {
      Sid: 'EmrAuditTagNetworkWithV2TagOnly',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: ['subnet', 'security-group', 'vpc'].map((type) => `arn:${partition}:ec2:*:${account}:${type}/*`),
      Condition: ONLY_THE_V2_TAG,
    },
    {
      Sid: 'EmrAuditTagStudioGitSecretsWithV2TagOnly',
      Effect: 'Allow',
      Action: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
      Resource: unique([secret(`${STUDIO_SECRET_PREFIX}*`), ...names.secrets.map((reference) => secretResource(reference, secret))]),
      Condition: ONLY_THE_V2_TAG,
    },
    {Sid: 'EmrAuditEditEmrRoleTrustAndInlinePolicies', Effect: 'Allow', Action: ROLE_EDITS, Resource: roles},
    {Sid: 'EmrAuditSameNameInstanceProfiles', Effect: 'Allow', Action: PROFILE_EDITS, Resource: [...profiles, ...ec2Roles]},
    {
      Sid: 'EmrAuditPassEc2RolesToEmrAndEc2Only',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: ec2Roles,
      Condition: {StringEquals: {'iam:PassedToService': PASSED_TO}},
    },
    {
      Sid: 'EmrAuditCreateEmrAndSpotServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: SERVICE_LINKED.map((service) => iam(`role/aws-service-role/${service}/*`)),
      Condition: {StringEquals: {'iam:AWSServiceName': SERVICE_LINKED}},
    },
    {
      Sid: 'EmrAuditDeleteOnlyTheServiceLinkedRolesItCreates',
      Effect: 'Allow',
      Action: ['iam:DeleteServiceLinkedRole'],
      Resource: SERVICE_LINKED.map((service) => iam(`role/aws-service-role/${service}/*`)),
    },
    {Sid: 'EmrAuditEnableBlockPublicAccess', Effect: 'Allow', Action: ['elasticmapreduce:PutBlockPublicAccessConfiguration'], Resource: '*'},
    serviceLinkedDeny(iam),
    selfEditDeny(),
  ]
}

/** Every write the policy allows, for the test that compares it with what the executor can send. */
export function allowedFixWrites(statements: PolicyStatement[] = fixStatements('aws', '123456789012')): string[] {
  const reads = new Set(FIX_READS)
  return [...new Set(statements.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => statement.Action))]
    .filter((action) => !reads.has(action) && action !== 'iam:PassRole')
    .sort()
}

export {FIX_WRITE_ACTIONS}
