/**
 * What `fix --apply` and `rollback` need on top of the scan policy, declared beside the executor: the
 * writes (scoped by resource and, for tags, to the v2 tag key only) and the reads that re-check targets.
 * `emr-audit permissions --fix` prints it; a test proves it covers every call src/fix/aws.ts sends.
 */
import {V2_TAG_KEY} from '../inventory/tags.js'
import {SCAN_ACTIONS} from '../scanners/index.js'
import {FIX_READ_ACTIONS, FIX_WRITE_ACTIONS} from './aws.js'

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action: string[]
  Resource: string | string[]
  Condition?: Record<string, Record<string, string | string[]>>
}

const ONLY_THE_V2_TAG = {'ForAllValues:StringEquals': {'aws:TagKeys': [V2_TAG_KEY]}, Null: {'aws:TagKeys': 'false'}}

/** The reads the executor makes before and after each write, for every kind of change. */
export const FIX_READS: readonly string[] = [...new Set(Object.values(FIX_READ_ACTIONS).flat())].sort()

/** Those the scan policy does not already grant. */
const EXTRA_READS = FIX_READS.filter((action) => !SCAN_ACTIONS.includes(action))

export function fixStatements(partition: string, account: string): PolicyStatement[] {
  const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`
  return [
    {Sid: 'EmrAuditFixReadBack', Effect: 'Allow', Action: EXTRA_READS, Resource: '*'},
    {
      Sid: 'EmrAuditTagNetworkWithV2TagOnly',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: ['subnet', 'security-group', 'vpc'].map((type) => `arn:${partition}:ec2:*:${account}:${type}/*`),
      Condition: ONLY_THE_V2_TAG,
    },
    {Sid: 'EmrAuditTagStudioSecretsWithV2TagOnly', Effect: 'Allow', Action: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'], Resource: `arn:${partition}:secretsmanager:*:${account}:secret:*`, Condition: ONLY_THE_V2_TAG},
    {Sid: 'EmrAuditEditRoleTrustAndInlinePolicies', Effect: 'Allow', Action: ['iam:DeleteRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'], Resource: iam('role/*')},
    {
      Sid: 'EmrAuditSameNameInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
      Resource: [iam('instance-profile/*'), iam('role/*')],
    },
    // AddRoleToInstanceProfile requires PassRole on the role; this identity cannot launch anything to pass it to.
    {Sid: 'EmrAuditPassRoleOnlyForInstanceProfiles', Effect: 'Allow', Action: ['iam:PassRole'], Resource: iam('role/*')},
    {
      Sid: 'EmrAuditCreateEmrAndSpotServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: {StringEquals: {'iam:AWSServiceName': ['elasticmapreduce.amazonaws.com', 'spot.amazonaws.com']}},
    },
    {
      Sid: 'EmrAuditDeleteOnlyTheServiceLinkedRolesItCreates',
      Effect: 'Allow',
      Action: ['iam:DeleteServiceLinkedRole'],
      Resource: [iam('role/aws-service-role/elasticmapreduce.amazonaws.com/*'), iam('role/aws-service-role/spot.amazonaws.com/*')],
    },
    {Sid: 'EmrAuditEnableBlockPublicAccess', Effect: 'Allow', Action: ['elasticmapreduce:PutBlockPublicAccessConfiguration'], Resource: '*'},
    {
      Sid: 'EmrAuditNeverEditServiceLinkedRoles',
      Effect: 'Deny',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:DeleteRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'],
      Resource: iam('role/aws-service-role/*'),
    },
  ]
}

/** Every write the policy allows, for the test that compares it with what the executor can send. */
export function allowedFixWrites(): string[] {
  const reads = new Set(FIX_READS)
  return [...new Set(fixStatements('aws', '123456789012').filter((statement) => statement.Effect === 'Allow').flatMap((statement) => statement.Action))].filter((action) => !reads.has(action) && action !== 'iam:PassRole').sort()
}

export {FIX_WRITE_ACTIONS}
