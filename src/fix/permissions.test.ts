/**
 * The policy `permissions --fix` prints, statement by statement. The resource forms are the Service
 * Authorization Reference's: IAM roles and instance profiles by path and name
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html),
 * EC2 subnets, security groups and VPCs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html),
 * Secrets Manager secrets with their random suffix (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html).
 */
import {describe, expect, it} from 'vitest'
import {allowedFixWrites, fixStatements, type PolicyStatement} from './permissions.js'

const ACCOUNT = '123456789012'
const iam = (resource: string) => `arn:aws-cn:iam::${ACCOUNT}:${resource}`
const ONLY_V2 = {'ForAllValues:StringEquals': {'aws:TagKeys': ['for-use-with-amazon-emr-managed-policies']}, Null: {'aws:TagKeys': 'false'}}
const ROLE_EDITS = ['iam:DeleteRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']

// Built inside each test, not once in the describe body: a policy built while the file is collected is
// run by no test, so a mutation run would try its mutants against none of these assertions.
const policy = () =>
  fixStatements('aws-cn', ACCOUNT, {
    serviceRoles: ['svc'],
    ec2Roles: ['team-ec2', `arn:aws-cn:iam::${ACCOUNT}:role/team/ec2-b`],
    studios: [{serviceRole: 'studio-svc', gitSecrets: ['repo', `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:other-AbCdEf`]}],
  } as Parameters<typeof fixStatements>[2])
const bySid = (sid: string) => policy().find((statement) => statement.Sid === sid)

describe('the fix policy', () => {
  it('reads back its targets, on any resource (the reads take none narrower)', () => {
    expect(policy()[0]).toMatchObject({Sid: 'EmrAuditFixReadBack', Effect: 'Allow', Resource: '*'})
  })

  it('tags the network and Studio Git secrets with the v2 key only', () => {
    expect(bySid('EmrAuditTagNetworkWithV2TagOnly')).toEqual({
      Sid: 'EmrAuditTagNetworkWithV2TagOnly',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: [`arn:aws-cn:ec2:*:${ACCOUNT}:subnet/*`, `arn:aws-cn:ec2:*:${ACCOUNT}:security-group/*`, `arn:aws-cn:ec2:*:${ACCOUNT}:vpc/*`],
      Condition: ONLY_V2,
    })
    expect(bySid('EmrAuditTagStudioGitSecretsWithV2TagOnly')).toEqual({
      Sid: 'EmrAuditTagStudioGitSecretsWithV2TagOnly',
      Effect: 'Allow',
      Action: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
      Resource: [
        `arn:aws-cn:secretsmanager:*:${ACCOUNT}:secret:emr-studio-*`,
        `arn:aws-cn:secretsmanager:*:${ACCOUNT}:secret:repo-??????`,
        `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:other-AbCdEf`,
      ],
      Condition: ONLY_V2,
    })
  })

  it('edits the trust and inline policies of EMR’s default roles and the roles the config names, at any path', () => {
    expect(bySid('EmrAuditEditEmrRoleTrustAndInlinePolicies')).toEqual({
      Sid: 'EmrAuditEditEmrRoleTrustAndInlinePolicies',
      Effect: 'Allow',
      Action: ROLE_EDITS,
      Resource: [
        iam('role/EMR_*'),
        iam('role/svc'),
        iam('role/*/svc'),
        iam('role/team-ec2'),
        iam('role/*/team-ec2'),
        `arn:aws-cn:iam::${ACCOUNT}:role/team/ec2-b`,
        iam('role/studio-svc'),
        iam('role/*/studio-svc'),
      ],
    })
  })

  it('makes instance profiles named like the EC2 roles, and passes those roles to EMR and EC2 only', () => {
    const ec2Roles = [iam('role/EMR_*'), iam('role/team-ec2'), iam('role/*/team-ec2'), `arn:aws-cn:iam::${ACCOUNT}:role/team/ec2-b`]
    expect(bySid('EmrAuditSameNameInstanceProfiles')).toEqual({
      Sid: 'EmrAuditSameNameInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
      Resource: [
        iam('instance-profile/EMR_*'),
        iam('instance-profile/team-ec2'),
        iam('instance-profile/*/team-ec2'),
        iam('instance-profile/team/ec2-b'),
        iam('instance-profile/*/team/ec2-b'),
        ...ec2Roles,
      ],
    })
    expect(bySid('EmrAuditPassEc2RolesToEmrAndEc2Only')).toEqual({
      Sid: 'EmrAuditPassEc2RolesToEmrAndEc2Only',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: ec2Roles,
      Condition: {StringEquals: {'iam:PassedToService': ['ec2.amazonaws.com', 'elasticmapreduce.amazonaws.com']}},
    })
  })

  it('creates and deletes only the EMR and Spot service-linked roles, and turns block public access on', () => {
    const linked = [iam('role/aws-service-role/elasticmapreduce.amazonaws.com/*'), iam('role/aws-service-role/spot.amazonaws.com/*')]
    expect(bySid('EmrAuditCreateEmrAndSpotServiceLinkedRoles')).toEqual({
      Sid: 'EmrAuditCreateEmrAndSpotServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: linked,
      Condition: {StringEquals: {'iam:AWSServiceName': ['elasticmapreduce.amazonaws.com', 'spot.amazonaws.com']}},
    })
    expect(bySid('EmrAuditDeleteOnlyTheServiceLinkedRolesItCreates')).toEqual({
      Sid: 'EmrAuditDeleteOnlyTheServiceLinkedRolesItCreates',
      Effect: 'Allow',
      Action: ['iam:DeleteServiceLinkedRole'],
      Resource: linked,
    })
    expect(bySid('EmrAuditEnableBlockPublicAccess')).toEqual({
      Sid: 'EmrAuditEnableBlockPublicAccess',
      Effect: 'Allow',
      Action: ['elasticmapreduce:PutBlockPublicAccessConfiguration'],
      Resource: '*',
    })
  })

  it('ends with the two denies: no service-linked role edited, never the caller’s own role', () => {
    expect(policy().slice(-2)).toEqual([
      {
        Sid: 'EmrAuditNeverEditServiceLinkedRoles',
        Effect: 'Deny',
        Action: [...ROLE_EDITS, 'iam:AddRoleToInstanceProfile'],
        Resource: iam('role/aws-service-role/*'),
      },
      {
        Sid: 'EmrAuditNeverEditsItsOwnRole',
        Effect: 'Deny',
        Action: [...ROLE_EDITS, 'iam:AddRoleToInstanceProfile', 'iam:PassRole'],
        Resource: '${aws:PrincipalArn}',
      },
    ])
  })

  it('a Studio with neither a service role nor Git secrets widens nothing beyond the defaults', () => {
    const bare = fixStatements('aws-cn', ACCOUNT, {studios: [{}]} as Parameters<typeof fixStatements>[2])
    const resourceOf = (sid: string) => bare.find((statement) => statement.Sid === sid)?.Resource
    expect(resourceOf('EmrAuditTagStudioGitSecretsWithV2TagOnly')).toEqual([`arn:aws-cn:secretsmanager:*:${ACCOUNT}:secret:emr-studio-*`])
    expect(resourceOf('EmrAuditEditEmrRoleTrustAndInlinePolicies')).toEqual([iam('role/EMR_*')])
    expect(resourceOf('EmrAuditSameNameInstanceProfiles')).toEqual([iam('instance-profile/EMR_*'), iam('role/EMR_*')])
  })

  it('counts only allowed writes as what it lets the fixer send', () => {
    const denyOnly: PolicyStatement[] = [{Sid: 'x', Effect: 'Deny', Action: ['iam:CreateUser'], Resource: '*'}]
    expect(allowedFixWrites(denyOnly)).toEqual([])
    expect(allowedFixWrites([{Sid: 'x', Effect: 'Allow', Action: ['iam:GetRole', 'iam:PassRole', 'ec2:CreateTags'], Resource: '*'}])).toEqual([
      'ec2:CreateTags',
    ])
  })
})
