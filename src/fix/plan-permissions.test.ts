/**
 * The policy for one saved plan: each write its [apply] changes and their undo send, on exactly the
 * resource IAM authorises it against. The resource types are the Service Authorization Reference's:
 * IAM (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html:
 * role/<path><name>, instance-profile/<path><name>), EC2 CreateTags/DeleteTags
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html), Secrets Manager
 * TagResource/UntagResource on the secret's ARN, and EMR's PutBlockPublicAccessConfiguration, which takes
 * no resource (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonemroneksemrcontainers.html).
 */
import {describe, expect, it} from 'vitest'
import {planPolicy} from './plan-permissions.js'
import {planOf} from '../../test/fixtures/plan.js'
import type {Change, Plan} from './types.js'

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}
const ONLY_V2 = {'ForAllValues:StringEquals': {'aws:TagKeys': [V2.key]}, Null: {'aws:TagKeys': 'false'}}
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:emr-studio-git-AbCdEf`
const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`

const base = {
  account: ACCOUNT,
  ruleIds: [] as string[],
  findings: [] as string[],
  summary: '',
  autoApply: 'yes' as const,
  guards: [],
  disposition: 'apply' as const,
}

const secretTag: Change = {
  ...base,
  id: '111111111111',
  kind: 'tag-secret',
  region: REGION,
  target: {type: 'secret', id: 'emr-studio-git', arn: SECRET_ARN, region: REGION},
  calls: [{operation: 'secretsmanager:TagResource', parameters: {SecretId: SECRET_ARN, Tags: [{Key: V2.key, Value: V2.value}]}}],
  before: {kind: 'tags', tags: []},
  after: {kind: 'tags', tags: [V2]},
}

const subnetTag: Change = {
  ...base,
  id: '222222222222',
  kind: 'tag-ec2-resource',
  region: REGION,
  target: {type: 'ec2-subnet', id: 'subnet-0a1b2c3d', region: REGION},
  calls: [{operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-0a1b2c3d'], Tags: [{Key: V2.key, Value: V2.value}]}}],
  before: {kind: 'tags', tags: []},
  after: {kind: 'tags', tags: [V2]},
}

const blockPublicAccess: Change = {
  ...base,
  id: '333333333333',
  kind: 'put-block-public-access',
  region: 'eu-west-1',
  target: {type: 'account', id: ACCOUNT, region: 'eu-west-1'},
  calls: [
    {
      operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
      parameters: {BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: []}},
    },
  ],
  before: {kind: 'block-public-access', blockPublicSecurityGroupRules: false, permittedRanges: []},
  after: {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: []},
}

const linkedRole: Change = {
  ...base,
  id: '444444444444',
  kind: 'create-service-linked-role',
  region: 'global',
  target: {
    type: 'iam-role',
    id: 'AWSServiceRoleForEMRCleanup',
    name: 'AWSServiceRoleForEMRCleanup',
    arn: iam('role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup'),
  },
  calls: [{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'elasticmapreduce.amazonaws.com'}}],
  before: {kind: 'service-linked-role', roles: []},
  after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']},
}

/** A profile created at its role's path (/team/), holding the role. */
const profile: Change = {
  ...base,
  id: '555555555555',
  kind: 'instance-profile',
  region: 'global',
  target: {type: 'iam-instance-profile', id: 'ec2-custom', name: 'ec2-custom', arn: iam('instance-profile/team/ec2-custom')},
  calls: [
    {operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2-custom', Path: '/team/'}},
    {operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: 'ec2-custom', RoleName: 'ec2-custom'}},
  ],
  before: {kind: 'instance-profile', exists: false, roles: []},
  after: {kind: 'instance-profile', exists: true, roles: ['ec2-custom']},
}

const trust: Change = {
  ...base,
  id: '666666666666',
  kind: 'update-trust-policy',
  region: 'global',
  target: {type: 'iam-role', id: 'svc', name: 'svc', arn: iam('role/service/svc')},
  calls: [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 'svc', PolicyDocument: '{"Statement":[1]}'}}],
  before: {kind: 'policy-document', document: {Statement: []}},
  after: {kind: 'policy-document', document: {Statement: [1]}},
}

const allows = (plan: Plan) => planPolicy(plan, 'plan.json').Statement.filter((statement) => statement.Effect === 'Allow')

describe('the policy for one plan', () => {
  it('reads back each kind of target it changes, and nothing else', () => {
    expect(allows(planOf(secretTag, linkedRole))[0]).toEqual({
      Sid: 'EmrAuditPlanReadBack',
      Effect: 'Allow',
      Action: ['iam:ListRoles', 'secretsmanager:DescribeSecret'],
      Resource: '*',
    })
    expect(planPolicy(planOf(), 'plan.json')).toEqual({
      Version: '2012-10-17',
      Statement: [
        expect.objectContaining({Sid: 'EmrAuditNeverEditServiceLinkedRoles', Effect: 'Deny', Resource: iam('role/aws-service-role/*')}),
        expect.objectContaining({Sid: 'EmrAuditNeverEditsItsOwnRole', Effect: 'Deny', Resource: '${aws:PrincipalArn}'}),
      ],
    })
  })

  it('tags and untags a secret by its ARN, with the v2 key only', () => {
    expect(allows(planOf(secretTag)).slice(1)).toEqual([
      {Sid: 'EmrAuditPlan1TagResource', Effect: 'Allow', Action: ['secretsmanager:TagResource'], Resource: [SECRET_ARN], Condition: ONLY_V2},
      {Sid: 'EmrAuditPlan2UntagResource', Effect: 'Allow', Action: ['secretsmanager:UntagResource'], Resource: [SECRET_ARN], Condition: ONLY_V2},
    ])
  })

  it('tags a subnet by its regional ARN, with the v2 key only', () => {
    const subnet = `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a1b2c3d`
    expect(allows(planOf(subnetTag)).slice(1)).toEqual([
      {Sid: 'EmrAuditPlan1CreateTags', Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: [subnet], Condition: ONLY_V2},
      {Sid: 'EmrAuditPlan2DeleteTags', Effect: 'Allow', Action: ['ec2:DeleteTags'], Resource: [subnet], Condition: ONLY_V2},
    ])
  })

  it('puts block public access only in the change’s region', () => {
    expect(allows(planOf(blockPublicAccess)).slice(1)).toEqual([
      {
        Sid: 'EmrAuditPlan1PutBlockPublicAccessConfiguration',
        Effect: 'Allow',
        Action: ['elasticmapreduce:PutBlockPublicAccessConfiguration'],
        Resource: ['*'],
        Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}},
      },
    ])
  })

  it('creates the service-linked role for its service only, and deletes only that role', () => {
    expect(allows(planOf(linkedRole)).slice(1)).toEqual([
      {
        Sid: 'EmrAuditPlan1CreateServiceLinkedRole',
        Effect: 'Allow',
        Action: ['iam:CreateServiceLinkedRole'],
        Resource: [iam('role/aws-service-role/elasticmapreduce.amazonaws.com/*')],
        Condition: {StringEquals: {'iam:AWSServiceName': 'elasticmapreduce.amazonaws.com'}},
      },
      {
        Sid: 'EmrAuditPlan2DeleteServiceLinkedRole',
        Effect: 'Allow',
        Action: ['iam:DeleteServiceLinkedRole'],
        Resource: [iam('role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup')],
      },
    ])
  })

  it('edits a role at the path its ARN names', () => {
    expect(allows(planOf(trust)).slice(1)).toEqual([
      {Sid: 'EmrAuditPlan1UpdateAssumeRolePolicy', Effect: 'Allow', Action: ['iam:UpdateAssumeRolePolicy'], Resource: [iam('role/service/svc')]},
    ])
    // An ARN of another account, or of something other than this role, gives no path.
    for (const arn of [
      'arn:aws:iam::210987654321:role/service/svc',
      iam('role/service/other'),
      // Another name of the same length: its ARN must end in this role's own name.
      iam('role/team/abc'),
      iam('user/service/svc'),
      'arn:aws-cn:iam::123456789012:role/x/svc',
    ])
      expect(allows(planOf({...trust, target: {...trust.target, arn}}))[1]?.Resource, arn).toEqual([iam('role/svc')])
  })

  // An instance profile's ARN holds its path (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns),
  // for every call on it, not only the one that creates it.
  it('creates, fills, empties and deletes an instance profile at its path, and passes its role to EC2 and EMR only', () => {
    const atPath = iam('instance-profile/team/ec2-custom')
    const role = iam('role/team/ec2-custom')
    expect(allows(planOf(profile)).slice(1)).toEqual([
      {Sid: 'EmrAuditPlan1CreateInstanceProfile', Effect: 'Allow', Action: ['iam:CreateInstanceProfile'], Resource: [atPath]},
      {Sid: 'EmrAuditPlan2AddRoleToInstanceProfile', Effect: 'Allow', Action: ['iam:AddRoleToInstanceProfile'], Resource: [atPath, role]},
      {
        Sid: 'EmrAuditPlan3PassRole',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [role],
        Condition: {StringEquals: {'iam:PassedToService': ['ec2.amazonaws.com', 'elasticmapreduce.amazonaws.com']}},
      },
      {Sid: 'EmrAuditPlan4RemoveRoleFromInstanceProfile', Effect: 'Allow', Action: ['iam:RemoveRoleFromInstanceProfile'], Resource: [atPath, role]},
      {Sid: 'EmrAuditPlan5DeleteInstanceProfile', Effect: 'Allow', Action: ['iam:DeleteInstanceProfile'], Resource: [atPath]},
    ])
  })

  it('takes the role’s path from the profile’s CreateInstanceProfile call wherever it stands, and only in a profile change', () => {
    const atPath = iam('instance-profile/team/ec2-custom')
    const addRole = (plan: Plan) => allows(plan).find((statement) => statement.Action[0] === 'iam:AddRoleToInstanceProfile')?.Resource
    expect(addRole(planOf({...profile, calls: [...profile.calls].reverse()}))).toEqual([atPath, iam('role/team/ec2-custom')])
    // A trust change carrying a profile creation at another path: the role stays at the path its own ARN names.
    const create = {operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'svc', Path: '/elsewhere/'}}
    const updates = allows(planOf({...trust, calls: [...trust.calls, create]})).find((statement) => statement.Action[0] === 'iam:UpdateAssumeRolePolicy')
    expect(updates?.Resource).toEqual([iam('role/service/svc')])
  })

  it('puts a profile the change does not create, and its role, at the root path', () => {
    const [, addRoleCall] = profile.calls
    const filling: Change = {...profile, calls: addRoleCall ? [addRoleCall] : []}
    const addRole = allows(planOf(filling)).find((statement) => statement.Action[0] === 'iam:AddRoleToInstanceProfile')
    expect(addRole?.Resource).toEqual([iam('instance-profile/ec2-custom'), iam('role/ec2-custom')])
  })

  it('gives a role whose ARN path holds a wildcard the root path, not that path', () => {
    expect(allows(planOf({...trust, target: {...trust.target, arn: iam('role/te*am/svc')}}))[1]?.Resource).toEqual([iam('role/svc')])
  })

  it('lets a failure that is not a problem of the plan through as it is, not as a bad plan', () => {
    expect(() => planPolicy(planOf({...trust, calls: [null as unknown as Change['calls'][number]]}), 'plan.json')).toThrow(TypeError)
  })

  it('keeps the same write under different conditions apart', () => {
    const spot: Change = {
      ...linkedRole,
      id: '888888888888',
      target: {
        type: 'iam-role',
        id: 'AWSServiceRoleForEC2Spot',
        name: 'AWSServiceRoleForEC2Spot',
        arn: iam('role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot'),
      },
      calls: [{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'spot.amazonaws.com'}}],
      after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEC2Spot']},
    }
    const creates = allows(planOf(linkedRole, spot)).filter((statement) => statement.Action[0] === 'iam:CreateServiceLinkedRole')
    expect(creates.map((statement) => [statement.Resource, statement.Condition])).toEqual([
      [[iam('role/aws-service-role/elasticmapreduce.amazonaws.com/*')], {StringEquals: {'iam:AWSServiceName': 'elasticmapreduce.amazonaws.com'}}],
      [[iam('role/aws-service-role/spot.amazonaws.com/*')], {StringEquals: {'iam:AWSServiceName': 'spot.amazonaws.com'}}],
    ])
  })

  it('grants only the apply of a change that could not be rolled back', () => {
    // An empty configuration cannot be sent back (undo.ts), so rollback needs nothing here.
    const fromEmpty: Change = {...blockPublicAccess, before: {kind: 'block-public-access', blockPublicSecurityGroupRules: null, permittedRanges: []}}
    expect(allows(planOf(fromEmpty)).slice(1)).toEqual([
      {
        Sid: 'EmrAuditPlan1PutBlockPublicAccessConfiguration',
        Effect: 'Allow',
        Action: ['elasticmapreduce:PutBlockPublicAccessConfiguration'],
        Resource: ['*'],
        Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}},
      },
    ])
  })

  it('gathers the same write on several resources into one statement, resources sorted', () => {
    const other: Change = {
      ...subnetTag,
      id: '777777777777',
      target: {type: 'ec2-subnet', id: 'subnet-00000000', region: REGION},
      calls: [{operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-00000000'], Tags: [{Key: V2.key, Value: V2.value}]}}],
    }
    expect(allows(planOf(subnetTag, other))[1]?.Resource).toEqual([
      `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-00000000`,
      `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a1b2c3d`,
    ])
  })

  it.each([
    ['an account that is not 12 digits', {account: '12345'}],
    ['a partition that is not AWS’s', {partition: 'aws*'}],
  ])('refuses a plan with %s', (_label, edit) => {
    expect(() => planPolicy({...planOf(), ...edit}, 'plan.json')).toThrow("plan.json: the plan's account or partition is not valid")
  })

  it.each([
    [
      'a secret of another account',
      {...secretTag, calls: [{operation: 'secretsmanager:TagResource', parameters: {SecretId: SECRET_ARN.replace(ACCOUNT, '210987654321'), Tags: []}}]},
      `SecretId ${SECRET_ARN.replace(ACCOUNT, '210987654321')} is not in account ${ACCOUNT}`,
    ],
    ['a region that is not one', {...blockPublicAccess, region: 'eu-*'}, 'region "eu-*" is not a valid name'],
    [
      'a service-linked role for another service',
      {...linkedRole, calls: [{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'rds.amazonaws.com'}}]},
      'AWSServiceName "rds.amazonaws.com" is not one emr-audit creates',
    ],
    [
      'a service-linked role outside the services emr-audit creates',
      {...linkedRole, target: {...linkedRole.target, arn: iam('role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForEMRCleanup')}},
      'AWSServiceRoleForEMRCleanup is not a service-linked role emr-audit creates',
    ],
    [
      'tags on something other than a subnet, VPC or group',
      {...subnetTag, target: {type: 'iam-role', id: 'subnet-0a1b2c3d'}},
      '"iam-role" is not a resource emr-audit tags',
    ],
    [
      'tags on a type named after what every object inherits',
      {...subnetTag, target: {type: 'constructor', id: 'subnet-0a1b2c3d'}},
      '"constructor" is not a resource emr-audit tags',
    ],
    [
      'a role name that is not text',
      {...trust, calls: [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 42, PolicyDocument: '{}'}}]},
      'RoleName 42 is not a valid name',
    ],
    [
      'tags naming resources not as a list',
      {...subnetTag, calls: [{operation: 'ec2:CreateTags', parameters: {Resources: 'subnet-0a1b2c3d', Tags: []}}]},
      'Resources undefined is not a valid name',
    ],
    [
      'a wildcard instance profile',
      {...profile, calls: [{operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2-*', Path: '/team/'}}]},
      'InstanceProfileName "ec2-*" is not a valid name',
    ],
    // IAM allows * and ? in a path, but in a policy's Resource they are wildcards: the grant would reach other profiles.
    [
      'a wildcard in the profile path',
      {...profile, calls: [{operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2', Path: '/*/'}}]},
      'Path "/*/" is not a valid name',
    ],
    [
      'a policy variable in the profile path',
      {...profile, calls: [{operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2', Path: '/${aws:username}/'}}]},
      'Path "/${aws:username}/" is not a valid name',
    ],
    [
      'a secret that is not named by its ARN',
      {...secretTag, calls: [{operation: 'secretsmanager:TagResource', parameters: {SecretId: 'emr-studio-git', Tags: []}}]},
      'SecretId "emr-studio-git" is not a valid name',
    ],
    [
      'a service-linked role named by no ARN',
      {...linkedRole, target: {...linkedRole.target, arn: 'AWSServiceRoleForEMRCleanup'}},
      'AWSServiceRoleForEMRCleanup is not a service-linked role emr-audit creates',
    ],
    [
      'a service-linked role to delete with a wildcard name',
      {
        ...linkedRole,
        before: linkedRole.after,
        after: linkedRole.before,
        calls: [{operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: 'AWSServiceRole*'}}],
      },
      'RoleName "AWSServiceRole*" is not a valid name',
    ],
    [
      'tags naming no resource',
      {...subnetTag, calls: [{operation: 'ec2:CreateTags', parameters: {Resources: [], Tags: []}}]},
      'Resources undefined is not a valid name',
    ],
  ] as Array<[string, Change, string]>)('refuses a change with %s, naming it', (_label, change, problem) => {
    expect(() => planPolicy(planOf(change), 'plan.json')).toThrow(`plan.json: change ${change.id} (${change.kind}): ${problem}; no policy printed`)
  })
})
