import {describe, expect, it} from 'vitest'
import type {AuditConfig} from '../../config/schema.js'
import {allowService, cluster, doc, emptyInventory, managedPolicy, role, user, withRoles, ACCOUNT, type RoleSpec} from '../../../test/fixtures/inventory.js'
import {arnOf, awsManaged, withAwsManaged} from '../../../test/fixtures/managed-policies.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory, ManagedPolicy, PolicyDocument} from '../../inventory/schema.js'
import policy001 from './emr-policy-001.js'
import policy002 from './emr-policy-002.js'
import policy003 from './emr-policy-003.js'
import policy004 from './emr-policy-004.js'
import policy005 from './emr-policy-005.js'
import policy006, {policySize} from './emr-policy-006.js'

const emrTrust = doc(allowService('elasticmapreduce.amazonaws.com'))
const ec2Trust = doc(allowService('ec2.amazonaws.com'))

describe('EMR-POLICY-001 deprecated service policy', () => {
  it('fails a service role on AmazonElasticMapReduceRole, passes one on the v2 policy', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'old', trust: emrTrust, managed: [arnOf('AmazonElasticMapReduceRole')]}),
      role({name: 'new', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
    )
    expect(summarise(runRule(policy001, inventory, {serviceRoles: ['old', 'new']}))).toEqual(['pass new', 'fail old'])
  })
  // REQUIREMENTS §3: a role in scope only by heuristic is reported at info severity.
  it('reports a role found only by heuristic at info, a configured one at the rule severity, with the SVC reasons only', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'found', trust: emrTrust, managed: [arnOf('AmazonElasticMapReduceRole')]}),
      role({name: 'named', trust: emrTrust, managed: [arnOf('AmazonElasticMapReduceRole')]}),
    )
    expect(runRule(policy001, inventory, {serviceRoles: ['named'], ec2Roles: ['named']})).toMatchObject([
      {
        resource: {id: 'found'},
        severity: 'info',
        scope: [{class: 'SVC', via: 'heuristic'}],
        message: 'Service role found uses the deprecated AmazonElasticMapReduceRole, which lets it pass any role to EC2; migrate to AmazonEMRServicePolicy_v2.',
        evidence: {policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole'},
      },
      {resource: {id: 'named'}, severity: 'medium', scope: [{class: 'SVC', via: 'config', detail: 'named in the config (serviceRoles)'}]},
    ])
  })
})

describe('EMR-POLICY-001 alongside other policies', () => {
  it('fails a role holding the v1 policy among others, and passes one holding others only, by name', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'mixed', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2'), arnOf('AmazonElasticMapReduceRole')]}),
      role({name: 'new', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2'), arnOf('AmazonEMRCleanupPolicy')]}),
    )
    expect(runRule(policy001, inventory, {serviceRoles: ['mixed', 'new']})).toMatchObject([
      {status: 'fail', resource: {id: 'mixed'}},
      {status: 'pass', resource: {id: 'new'}, message: 'Service role new does not use AmazonElasticMapReduceRole.'},
    ])
  })
})

describe('EMR-POLICY-002 account-wide data access of the EC2 role', () => {
  it.each([
    ['AmazonElasticMapReduceforEC2Role', {managed: [arnOf('AmazonElasticMapReduceforEC2Role')]}, 'fail'],
    ['s3:* on *', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'})}}, 'fail'],
    ['dynamodb:* on every table', {inline: {p: doc({Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/*`})}}, 'fail'],
    ['s3 on one bucket', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*']})}}, 'pass'],
    ['read-only object actions everywhere', {inline: {p: doc({Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*'})}}, 'pass'],
    // Prefixes are scoped, whatever sample name they would happen to match
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    ['s3:* on buckets starting with e', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::e*'})}}, 'pass'],
    ['s3:E* on *', {inline: {p: doc({Effect: 'Allow', Action: 's3:E*', Resource: '*'})}}, 'pass'],
    ['s3:* on arn:aws:s3:::*', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*'})}}, 'fail'],
    ['NotResource excluding one bucket', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*'})}}, 'fail'],
    ['sqs:* on every queue of the region', {inline: {p: doc({Effect: 'Allow', Action: 'sqs:*', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:*`})}}, 'fail'],
    ['sqs:* on queues named emr-*', {inline: {p: doc({Effect: 'Allow', Action: 'sqs:*', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:emr-*`})}}, 'pass'],
    // Names are never empty (buckets and tables have three characters or more), and `?` matches one character:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    ['s3:* on arn:aws:s3:::?*', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::?*'})}}, 'fail'],
    ['s3:* on arn:aws:s3:::???*', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::???*'})}}, 'fail'],
    ['s3:?* on *', {inline: {p: doc({Effect: 'Allow', Action: 's3:?*', Resource: '*'})}}, 'fail'],
    ['sqs:* on every queue, written *?', {inline: {p: doc({Effect: 'Allow', Action: 'sqs:*', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:*?`})}}, 'fail'],
    // A Deny or NotResource on some buckets leaves every other bucket granted, whatever name a check samples
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    [
      's3:* on *, with a Deny on emr-* buckets',
      {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}, {Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::emr-*'})}},
      'fail',
    ],
    ['s3:* on every bucket but emr-audit-*', {inline: {p: doc({Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::emr-audit*'})}}, 'fail'],
    [
      's3:* on *, with a Deny of s3:* on *',
      {inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}, {Effect: 'Deny', Action: 's3:*', Resource: '*'})}},
      'pass',
    ],
  ])('%s → %s', (_label, spec, expected) => {
    const inventory = withAwsManaged(withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, ...spec})), 'AmazonElasticMapReduceforEC2Role')
    expect(runRule(policy002, inventory, {ec2Roles: ['ec2']}).map((outcome) => outcome.status)).toEqual([expected])
  })
})

describe('EMR-POLICY-002 findings: what a user acts on', () => {
  const run = (spec: Partial<RoleSpec>, regions?: string[], config: AuditConfig = {ec2Roles: ['ec2']}) =>
    runRule(
      policy002,
      withAwsManaged(withRoles(emptyInventory(regions), role({name: 'ec2', trust: ec2Trust, ...spec})), 'AmazonElasticMapReduceforEC2Role'),
      config,
    )
  // A grant that only applies from one network: whether a job's request meets it is not in the inventory.
  const fromVpc = {StringEquals: {'aws:SourceVpc': 'vpc-0123456789abcdef0'}}

  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonElasticMapReduceforEC2Role.html:
  // s3:*, dynamodb:*, sqs:* and sns:* on "*" (its Kinesis actions are listed one by one).
  it('names the v1 policy and every account-wide service it grants, with the EC2 scope at the rule severity', () => {
    expect(run({managed: [arnOf('AmazonElasticMapReduceforEC2Role')]}, undefined, {ec2Roles: ['ec2'], serviceRoles: ['ec2']})).toMatchObject([
      {
        status: 'fail',
        resource: {id: 'ec2'},
        severity: 'high',
        scope: [{class: 'EC2', via: 'config'}],
        message:
          'EC2 role ec2 has account-wide data access (AmazonElasticMapReduceforEC2Role, s3:* on *, dynamodb:* on *, sqs:* on *, sns:* on *); every job on the cluster can read and write all of it.',
        evidence: {usesAmazonElasticMapReduceforEC2Role: true, accountWideGrants: ['s3:*', 'dynamodb:*', 'sqs:*', 'sns:*']},
      },
    ])
  })
  it('fails on the v1 policy by its ARN alone, even when its document was not collected', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, managed: [arnOf('AmazonElasticMapReduceforEC2Role')]}))
    expect(runRule(policy002, inventory, {ec2Roles: ['ec2']})).toMatchObject([
      {
        status: 'fail',
        message: 'EC2 role ec2 has account-wide data access (AmazonElasticMapReduceforEC2Role); every job on the cluster can read and write all of it.',
        evidence: {usesAmazonElasticMapReduceforEC2Role: true, accountWideGrants: []},
      },
    ])
  })
  it('passes a role whose managed policies are scoped, and says so', () => {
    const scoped = `arn:aws:iam::${ACCOUNT}:policy/emr-data`
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, managed: [scoped]}))
    inventory.iam.policies.push(managedPolicy(scoped, doc({Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*']})))
    expect(runRule(policy002, inventory, {ec2Roles: ['ec2']})).toMatchObject([
      {status: 'pass', resource: {id: 'ec2'}, message: 'EC2 role ec2 has no account-wide S3, DynamoDB, SQS, SNS or Kinesis grant.'},
    ])
  })
  // Each service once, whatever number of regions reached it.
  it('lists each account-wide service once across regions', () => {
    const everywhere = (service: string, resource: string) => ({
      Effect: 'Allow',
      Action: `${service}:*`,
      Resource: `arn:aws:${service}:*:${ACCOUNT}:${resource}`,
    })
    const outcomes = run({inline: {p: doc(everywhere('sqs', '*'), everywhere('sns', '*'), everywhere('kinesis', 'stream/*'))}}, ['us-east-1', 'eu-west-1'])
    expect(outcomes).toMatchObject([
      {
        status: 'fail',
        message: 'EC2 role ec2 has account-wide data access (sqs:* on *, sns:* on *, kinesis:* on *); every job on the cluster can read and write all of it.',
        evidence: {usesAmazonElasticMapReduceforEC2Role: false, accountWideGrants: ['sqs:*', 'sns:*', 'kinesis:*']},
      },
    ])
  })
  // Table names have at least three characters, so `table/?*` names every table:
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
  it('counts dynamodb:* on table/?* as every table', () => {
    const outcomes = run({inline: {p: doc({Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/?*`})}})
    expect(outcomes).toMatchObject([{status: 'fail', evidence: {accountWideGrants: ['dynamodb:*']}}])
  })
  it('is unknown, naming each service once, when a policy of the role was not collected', () => {
    const unread = `arn:aws:iam::${ACCOUNT}:policy/not-collected`
    expect(run({managed: [unread]}, ['us-east-1', 'eu-west-1'])).toEqual([
      {
        resource: {type: 'iam-role', id: 'ec2', arn: `arn:aws:iam::${ACCOUNT}:role/ec2`, name: 'ec2'},
        scope: [{class: 'EC2', via: 'config', detail: 'named in the config (ec2Roles)'}],
        severity: 'high',
        status: 'unknown',
        message:
          'Could not decide whether EC2 role ec2 has account-wide s3, dynamodb, sqs, sns, kinesis access: some of its policies could not be read or are conditional.',
      },
    ])
  })
  it.each([
    ['s3', {Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*', Condition: fromVpc}],
    ['sqs', {Effect: 'Allow', Action: 'sqs:*', Resource: `arn:aws:sqs:*:${ACCOUNT}:*`, Condition: fromVpc}],
  ])('is unknown when the only account-wide %s grant is conditional', (service, statement) => {
    expect(run({inline: {p: doc(statement)}})).toMatchObject([
      {
        status: 'unknown',
        message: `Could not decide whether EC2 role ec2 has account-wide ${service} access: some of its policies could not be read or are conditional.`,
      },
    ])
  })
  // Whatever its condition, a grant on emr-* buckets does not reach every bucket.
  it('passes when the only grant is scoped and conditional', () => {
    const statement = {Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::emr-*', 'arn:aws:s3:::emr-*/*'], Condition: fromVpc}
    expect(run({inline: {p: doc(statement)}}).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  // REQUIREMENTS §3: a role in scope only by heuristic is reported at info severity.
  it('reports an EC2 role found only by its v1 policy and EC2 trust at info', () => {
    expect(run({managed: [arnOf('AmazonElasticMapReduceforEC2Role')]}, undefined, {})).toMatchObject([
      {status: 'fail', severity: 'info', scope: [{class: 'EC2', via: 'heuristic'}]},
    ])
  })
  it('is unknown when a scoped grant allows the sample but the account-wide one is conditional', () => {
    const statements = doc(
      {Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::emr-*'},
      {Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: fromVpc},
    )
    expect(run({inline: {p: statements}}).map((outcome) => outcome.status)).toEqual(['unknown'])
  })
  // A Deny of everything under a condition the inventory cannot answer may or may not apply to a job's request
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
  it('is unknown when s3:* on * is denied everywhere under a condition', () => {
    const statements = doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}, {Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: fromVpc})
    expect(run({inline: {p: statements}}).map((outcome) => outcome.status)).toEqual(['unknown'])
  })
  // The permissions boundary caps what the identity policies grant, so s3:* on * under a boundary of emr-*
  // buckets reaches the emr-* buckets only (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
  // The rule's sample bucket happens to be named emr-…, which must not make the grant account-wide.
  it('does not call s3:* on * account-wide when the permissions boundary allows only some buckets', () => {
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/boundary`
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', trust: ec2Trust, boundary, inline: {p: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'})}}),
    )
    inventory.iam.policies.push(managedPolicy(boundary, doc({Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::emr-*', 'arn:aws:s3:::emr-*/*']})))
    expect(runRule(policy002, inventory, {ec2Roles: ['ec2']}).map((outcome) => outcome.status)).not.toContain('fail')
  })
})

describe('EMR-POLICY-003 / 004 managed policies on the wrong entities', () => {
  function account(): Inventory {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_DefaultRole', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
      role({name: 'ci', trust: doc(allowService('codebuild.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
    )
    inventory.iam.users.push({
      name: 'alice',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      id: 'AIDAALICE',
      path: '/',
      inlinePolicies: [],
      attachedPolicies: [{name: 'AmazonElasticMapReduceFullAccess', arn: arnOf('AmazonElasticMapReduceFullAccess')}],
      groups: [],
      tags: [],
    })
    inventory.iam.groups.push({
      name: 'ops',
      arn: `arn:aws:iam::${ACCOUNT}:group/ops`,
      id: 'AGPAOPS',
      path: '/',
      inlinePolicies: [],
      attachedPolicies: [{name: 'AmazonEMRServicePolicy_v2', arn: arnOf('AmazonEMRServicePolicy_v2')}],
    })
    return inventory
  }
  it('EMR-POLICY-003 names every holder of the v1 full-access policy', () => {
    expect(summarise(runRule(policy003, account()))).toEqual(['fail alice'])
  })
  it('EMR-POLICY-004 fails users, groups and roles EMR does not assume', () => {
    expect(summarise(runRule(policy004, account()))).toEqual(['fail ops', 'pass EMR_DefaultRole', 'fail ci'])
  })
  // Users, groups and roles have separate name spaces: a user named like the EMR service role is still a user.
  it('EMR-POLICY-004 fails a user that shares its name with the EMR service role', () => {
    const inventory = account()
    inventory.iam.users.push(user({name: 'EMR_DefaultRole', managed: [arnOf('AmazonEMRServicePolicy_v2')]}))
    expect(runRule(policy004, inventory).filter((outcome) => outcome.resource.type === 'iam-user')).toMatchObject([
      {status: 'fail', resource: {id: 'EMR_DefaultRole'}, evidence: {kind: 'user'}},
    ])
  })
  it('say which entity holds which policy', () => {
    expect(runRule(policy003, account())).toMatchObject([
      {
        message:
          'user alice has the deprecated AmazonElasticMapReduceFullAccess, which can pass any role and terminate any instance; move to AmazonEMRFullAccessPolicy_v2.',
        evidence: {policyArn: 'arn:aws:iam::aws:policy/AmazonElasticMapReduceFullAccess'},
      },
    ])
    const v2 = 'arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'
    expect(runRule(policy004, account())).toMatchObject([
      {
        message: 'AmazonEMRServicePolicy_v2 is attached to ops, a group; detach it — it is meant only for the EMR service role.',
        evidence: {policyArn: v2, kind: 'group'},
      },
      {message: 'AmazonEMRServicePolicy_v2 is attached to EMR_DefaultRole, which EMR assumes.'},
      {
        message: 'AmazonEMRServicePolicy_v2 is attached to ci, a role EMR does not assume; detach it — it is meant only for the EMR service role.',
        evidence: {policyArn: v2, kind: 'role'},
      },
    ])
  })
})

describe('EMR-POLICY-005 the service role can provision and clean up', () => {
  it('passes with the real AmazonEMRServicePolicy_v2 (tag context supplied)', () => {
    const inventory = withAwsManaged(
      withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]})),
      'AmazonEMRServicePolicy_v2',
    )
    const [outcome] = runRule(policy005, inventory, {serviceRoles: ['svc']})
    expect(outcome?.status).toBe('pass')
  })
  it('fails a custom policy that cannot terminate or clean up', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({
        name: 'svc',
        trust: emrTrust,
        inline: {
          p: doc({
            Effect: 'Allow',
            Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate', 'ec2:CreateNetworkInterface', 'ec2:ModifyInstanceAttribute'],
            Resource: '*',
          }),
        },
      }),
    )
    const [outcome] = runRule(policy005, inventory, {serviceRoles: ['svc']})
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('ec2:TerminateInstances, ec2:DeleteNetworkInterface, ec2:DeleteLaunchTemplate')
  })
  it('is unknown when the managed policy document was not collected', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]}))
    expect(runRule(policy005, inventory, {serviceRoles: ['svc']})[0]?.status).toBe('unknown')
  })
})

describe('EMR-POLICY-005 findings: region, tag context, evidence and wording', () => {
  const CREATE = ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate', 'ec2:CreateNetworkInterface']
  const CLEAN_UP = ['ec2:TerminateInstances', 'ec2:DeleteNetworkInterface', 'ec2:DeleteLaunchTemplate', 'ec2:ModifyInstanceAttribute']
  const inRegion = (region: string) => doc({Effect: 'Allow', Action: [...CREATE, ...CLEAN_UP], Resource: `arn:aws:ec2:${region}:${ACCOUNT}:*`})
  const setup = (regions: string[], document: PolicyDocument) => withRoles(emptyInventory(regions), role({name: 'svc', trust: emrTrust, inline: {p: document}}))
  const statuses = (inventory: Inventory, config: AuditConfig = {serviceRoles: ['svc']}) =>
    runRule(policy005, inventory, config).map((outcome) => outcome.status)

  // EMR launches a cluster's instances in the cluster's own region: that is where the role needs the rights.
  it('asks about the region of the clusters the role serves, not another cluster’s nor the first scanned', () => {
    const inventory = setup(['us-east-1', 'ap-south-1', 'eu-west-1'], inRegion('eu-west-1'))
    withRoles(inventory, role({name: 'other', trust: emrTrust}))
    inventory.emr.clusters.push(
      cluster({id: 'j-none', region: 'us-east-1'}),
      cluster({id: 'j-gone', region: 'us-east-1', serviceRole: 'deleted-role'}),
      cluster({id: 'j-other', region: 'ap-south-1', serviceRole: 'other'}),
      cluster({id: 'j-mine', region: 'eu-west-1', serviceRole: `arn:aws:iam::${ACCOUNT}:role/svc`}),
    )
    expect(summarise(runRule(policy005, inventory))).toEqual(['fail other', 'pass svc'])
  })
  it('asks about the first scanned region for a role no cluster uses', () => {
    expect(statuses(setup(['eu-west-1', 'us-east-1'], inRegion('eu-west-1')))).toEqual(['pass'])
    expect(statuses(setup(['us-east-1', 'eu-west-1'], inRegion('eu-west-1')))).toEqual(['fail'])
  })
  // EMR creates resources with the v2 tag in the request (aws:RequestTag, aws:TagKeys) and then works on
  // resources carrying it (aws:ResourceTag): https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html
  it('supplies the v2 tag as request tag, tag key and resource tag, and shows each decision', () => {
    const key = 'for-use-with-amazon-emr-managed-policies'
    const statements = doc(
      {
        Effect: 'Allow',
        Action: CREATE,
        Resource: '*',
        Condition: {StringEquals: {[`aws:RequestTag/${key}`]: 'true'}, 'ForAnyValue:StringEquals': {'aws:TagKeys': [key]}},
      },
      {Effect: 'Allow', Action: CLEAN_UP, Resource: '*', Condition: {StringEquals: {[`aws:ResourceTag/${key}`]: 'true'}}},
    )
    expect(runRule(policy005, setup(['us-east-1'], statements), {serviceRoles: ['svc']})).toMatchObject([
      {
        status: 'pass',
        message: 'Service role svc can create, modify and clean up the EC2 resources EMR manages.',
        evidence: {decisions: Object.fromEntries([...CREATE, ...CLEAN_UP].map((action) => [action, 'allow']))},
      },
    ])
  })
  it('reports the SVC scope only, at the rule severity for a configured role', () => {
    expect(runRule(policy005, setup(['us-east-1'], inRegion('us-east-1')), {serviceRoles: ['svc'], ec2Roles: ['svc']})).toMatchObject([
      {severity: 'high', scope: [{class: 'SVC', via: 'config', detail: 'named in the config (serviceRoles)'}]},
    ])
  })
  // REQUIREMENTS §3: a role in scope only by heuristic (EMR trust and an EMR service policy) is reported at info.
  it('reports a service role found only by heuristic at info', () => {
    const inventory = withAwsManaged(
      withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]})),
      'AmazonEMRServicePolicy_v2',
    )
    expect(runRule(policy005, inventory)).toMatchObject([{status: 'pass', severity: 'info', scope: [{class: 'SVC', via: 'heuristic'}]}])
  })
  it('names the undecided actions and each reason once when policies were not collected', () => {
    const [a, b] = ['a', 'b'].map((name) => `arn:aws:iam::${ACCOUNT}:policy/${name}`)
    const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, managed: [a ?? '', b ?? '']}))
    expect(runRule(policy005, inventory, {serviceRoles: ['svc']})).toMatchObject([
      {
        status: 'unknown',
        message: `Could not decide whether service role svc may ${[...CREATE, ...CLEAN_UP].join(', ')}: policy ${a} was not collected; policy ${b} was not collected.`,
        evidence: {decisions: Object.fromEntries([...CREATE, ...CLEAN_UP].map((action) => [action, 'unknown']))},
      },
    ])
  })
})

describe('EMR-POLICY-006 policy hygiene', () => {
  it('finds an inline copy of an EMR managed policy', () => {
    const v2 = arnOf('AmazonEMRServicePolicy_v2')
    const inventory = withAwsManaged(emptyInventory(), 'AmazonEMRServicePolicy_v2')
    const copied = inventory.iam.policies[0]?.document
    withRoles(inventory, role({name: 'svc', trust: emrTrust, inline: {copy: copied ?? doc()}}), role({name: 'EMR_DefaultRole', trust: emrTrust, managed: [v2]}))
    const outcomes = runRule(policy006, inventory, {serviceRoles: ['svc']})
    expect(outcomes.filter((outcome) => outcome.status === 'fail').map((outcome) => `${outcome.resource.id}#${outcome.subKey}`)).toEqual(['svc#inline-copy'])
  })
  it('a statement that differs only inside its condition is not a copy', () => {
    const inventory = withAwsManaged(emptyInventory(), 'AmazonEMRServicePolicy_v2')
    const altered = structuredClone(inventory.iam.policies[0]?.document) as {Statement: Array<Record<string, unknown>>}
    for (const statement of altered.Statement) if (statement['Condition']) statement['Condition'] = {StringEquals: {'aws:ResourceTag/team': 'data'}}
    altered.Statement = altered.Statement.filter((statement) => statement['Condition'])
    withRoles(inventory, role({name: 'svc', trust: emrTrust, inline: {edited: altered}}))
    expect(runRule(policy006, inventory, {serviceRoles: ['svc']}).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  it('reports full version slots and documents near their size quota as info', () => {
    const customer = `arn:aws:iam::${ACCOUNT}:policy/emr-custom`
    const inventory = withRoles(
      emptyInventory(),
      role({
        name: 'svc',
        trust: emrTrust,
        managed: [customer],
        inline: {big: doc({Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({length: 400}, (_, i) => `arn:aws:s3:::bucket-${i}/*`)})},
      }),
    )
    inventory.iam.policies.push({...managedPolicy(customer, doc({Effect: 'Allow', Action: 'ec2:*', Resource: '*'})), versionCount: 5})
    const outcomes = runRule(policy006, inventory, {serviceRoles: ['svc']})
    expect(outcomes.map((outcome) => [outcome.subKey, outcome.status, outcome.severity])).toEqual([
      ['versions', 'fail', 'info'],
      ['size', 'fail', 'info'],
    ])
  })
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: sizes are counted without
  // white space. {"Version":"2012-10-17","Statement":[]} is 39 characters; 90% of a 43 quota is 38.7, of 44 is 39.6.
  it('counts policy size without white space', () => {
    expect(policySize(doc())).toBe(39)
    expect(policySize({Version: '2012-10-17', Statement: [{Sid: 'a b c', Effect: 'Allow', Action: '*', Resource: '*'}]})).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"abc","Effect":"Allow","Action":"*","Resource":"*"}]}'.length,
    )
    expect(policySize(null)).toBe(0)
  })

  it('is near a quota from 90% of it, for the trust, the inline policies together and each customer managed policy', () => {
    const customer = `arn:aws:iam::${ACCOUNT}:policy/emr-custom`
    const run = (quota: number, versionCount: number) => {
      const inventory = withAwsManaged(
        withRoles(emptyInventory(), role({name: 'svc', trust: doc(), inline: {a: doc()}, managed: [customer, arnOf('AmazonEMRServicePolicy_v2')]})),
        'AmazonEMRServicePolicy_v2',
      )
      inventory.iam.policies.push({...managedPolicy(customer, doc()), versionCount})
      inventory.account.iamQuotas = {AssumeRolePolicySizeQuota: quota, RolePolicySizeQuota: quota, PolicySizeQuota: quota, VersionsPerPolicyQuota: 4}
      return runRule(policy006, inventory, {serviceRoles: ['svc']})
    }
    expect(run(43, 4)).toMatchObject([
      {subKey: 'versions', message: `${customer} attached to svc has all 4 versions in use; an edit must first delete a non-default version.`},
      {subKey: 'size', evidence: {nearQuota: ['trust policy 39/43', 'inline policies 39/43', 'emr-custom 39/43']}},
    ])
    expect(run(44, 3).map((outcome) => outcome.status)).toEqual(['pass'])
  })

  it('calls an inline policy a copy when at least half of its statements are an EMR managed policy’s', () => {
    const run = (own: number) => {
      const inventory = withAwsManaged(emptyInventory(), 'AmazonEMRServicePolicy_v2')
      const [first] = (inventory.iam.policies[0]?.document as {Statement: object[]}).Statement
      const others = Array.from({length: own}, (_, i) => ({Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::own-${i}/*`}))
      withRoles(inventory, role({name: 'svc', trust: emrTrust, inline: {mixed: doc(first ?? {}, ...others)}}))
      return runRule(policy006, inventory, {serviceRoles: ['svc']})
    }
    expect(run(1)).toMatchObject([{subKey: 'inline-copy', status: 'fail', evidence: {copies: [{inline: 'mixed', managedPolicy: 'AmazonEMRServicePolicy_v2'}]}}])
    expect(run(2).map((outcome) => outcome.status)).toEqual(['pass'])
  })

  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html: inline policies are not
  // updated by AWS. A copy is the same statement, whatever the order of its keys (IAM ignores it).
  it('calls a statement with its keys in another order a copy, at low severity, naming every copying inline policy', () => {
    const inventory = withAwsManaged(emptyInventory(), 'AmazonEMRServicePolicy_v2')
    const [first] = (inventory.iam.policies[0]?.document as {Statement: Array<Record<string, unknown>>}).Statement
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([key, inner]) => [key, reversed(inner)]),
            )
          : value
    expect(Object.keys(first ?? {}).length).toBeGreaterThan(1)
    withRoles(inventory, role({name: 'svc', trust: emrTrust, inline: {a: doc(reversed(first) as object), b: doc(first ?? {})}}))
    expect(runRule(policy006, inventory, {serviceRoles: ['svc']})).toMatchObject([
      {
        subKey: 'inline-copy',
        status: 'fail',
        severity: 'low',
        resource: {id: 'svc'},
        message: "Inline policy a, b of svc copies AmazonEMRServicePolicy_v2; inline copies miss AWS's updates, attach the managed policy instead.",
      },
    ])
  })
  it('does not call a statement a copy when only its action list differs', () => {
    const inventory = withAwsManaged(emptyInventory(), 'AmazonEMRServicePolicy_v2')
    const statements = (inventory.iam.policies[0]?.document as {Statement: Array<Record<string, unknown>>}).Statement
    const listed = statements.find((statement) => Array.isArray(statement['Action']) && statement['Action'].length > 1)
    withRoles(inventory, role({name: 'svc', trust: emrTrust, inline: {edited: doc({...listed, Action: ['ec2:DescribeInstances']})}}))
    expect(summarise(runRule(policy006, inventory, {serviceRoles: ['svc']}))).toEqual(['pass svc'])
  })
  // Only AWS managed EMR policies receive AWS's updates that a copy would miss.
  it('does not compare with AWS managed policies outside EMR, nor with customer managed ones', () => {
    const customer = `arn:aws:iam::${ACCOUNT}:policy/MyEMRPolicy`
    const inventory = withAwsManaged(emptyInventory(), 'AdministratorAccess')
    const own = doc({Effect: 'Allow', Action: 'elasticmapreduce:ListClusters', Resource: '*'})
    inventory.iam.policies.push(managedPolicy(customer, own))
    withRoles(inventory, role({name: 'svc', trust: emrTrust, inline: {admin: inventory.iam.policies[0]?.document ?? doc(), mine: own}}))
    expect(summarise(runRule(policy006, inventory, {serviceRoles: ['svc']}))).toEqual(['pass svc'])
  })
  it('looks at the roles of every EMR class', () => {
    const inventory = withRoles(
      emptyInventory(),
      ...['svc', 'ec2', 'EMR_AutoScaling_DefaultRole', 'studio-svc', 'studio-user', 'EMR_Notebooks_DefaultRole', 'runtime', 'emrfs'].map((name) =>
        role({name}),
      ),
    )
    inventory.emr.studios.push({
      id: 'es-1',
      region: 'us-east-1',
      origin: 'api',
      subnetIds: [],
      gitSecrets: [],
      serviceRole: 'studio-svc',
      userRole: 'studio-user',
    })
    const mapping = {
      AuthorizationConfiguration: {
        EmrFsConfiguration: {RoleMappings: [{Role: `arn:aws:iam::${ACCOUNT}:role/emrfs`, IdentifierType: 'User', Identifiers: ['a']}]},
      },
    }
    inventory.emr.securityConfigurations.push({name: 'fs', region: 'us-east-1', origins: ['listed'], found: true, configuration: mapping})
    expect(summarise(runRule(policy006, inventory, {serviceRoles: ['svc'], ec2Roles: ['ec2'], runtimeRoles: ['runtime']})).sort()).toEqual(
      ['EMR_AutoScaling_DefaultRole', 'EMR_Notebooks_DefaultRole', 'ec2', 'emrfs', 'runtime', 'studio-svc', 'studio-user', 'svc'].map((name) => `pass ${name}`),
    )
  })
  it('says the role is tidy in its pass message', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust}))
    expect(runRule(policy006, inventory, {serviceRoles: ['svc']})).toMatchObject([
      {status: 'pass', message: 'Policies of svc have no inline copies of EMR managed policies, free version slots and room to grow.'},
    ])
  })
  describe('version slots and size quotas, each on its own', () => {
    const quotas = {AssumeRolePolicySizeQuota: 2048, RolePolicySizeQuota: 10240, PolicySizeQuota: 6144, VersionsPerPolicyQuota: 5}
    const setup = (spec: Partial<RoleSpec>, policies: ManagedPolicy[], iamQuotas: Partial<typeof quotas> = {}) => {
      const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust, ...spec}))
      inventory.iam.policies.push(...policies)
      inventory.account.iamQuotas = {...quotas, ...iamQuotas}
      return runRule(policy006, inventory, {serviceRoles: ['svc']})
    }
    const customer = (name: string, versionCount: number, document = doc()) => ({
      ...managedPolicy(`arn:aws:iam::${ACCOUNT}:policy/${name}`, document),
      versionCount,
    })
    it('names every customer managed policy with all its version slots used, and nothing else', () => {
      const a = customer('a', 5)
      const b = customer('b', 5)
      expect(setup({managed: [a.arn, b.arn]}, [a, b])).toMatchObject([
        {
          subKey: 'versions',
          status: 'fail',
          severity: 'info',
          message: `${a.arn}, ${b.arn} attached to svc has all 5 versions in use; an edit must first delete a non-default version.`,
          evidence: {policies: [a.arn, b.arn]},
        },
      ])
      expect(setup({managed: [a.arn, b.arn]}, [a, b])).toHaveLength(1)
    })
    // AWS edits its managed policies itself; an attached policy missing from the inventory has no count to read.
    it('leaves out AWS managed policies and attached policies the inventory lacks', () => {
      const awsOwned = {...awsManaged('AmazonEMRServicePolicy_v2'), versionCount: 5}
      expect(summarise(setup({managed: [awsOwned.arn, `arn:aws:iam::${ACCOUNT}:policy/gone`]}, [awsOwned]))).toEqual(['pass svc'])
    })
    // {"Version":"2012-10-17","Statement":[],"Id":"1234567"} is 54 characters, exactly 90% of 60.
    const sized = {...doc(), Id: '1234567'}
    it('is near a quota at exactly 90% of it, naming each document with its size', () => {
      const c = customer('emr-custom', 1, sized)
      expect(
        setup({trust: sized, inline: {one: sized}, managed: [c.arn]}, [c], {AssumeRolePolicySizeQuota: 60, RolePolicySizeQuota: 60, PolicySizeQuota: 60}),
      ).toEqual([
        expect.objectContaining({
          subKey: 'size',
          status: 'fail',
          severity: 'info',
          message:
            'Policies of svc are near their size quota (trust policy 54/60, inline policies 54/60, emr-custom 54/60); edits that add statements may be refused.',
          evidence: {nearQuota: ['trust policy 54/60', 'inline policies 54/60', 'emr-custom 54/60']},
        }),
      ])
    })
    it('is not near a quota below 90% of it', () => {
      const c = customer('emr-custom', 1, sized)
      expect(
        summarise(
          setup({trust: sized, inline: {one: sized}, managed: [c.arn]}, [c], {AssumeRolePolicySizeQuota: 61, RolePolicySizeQuota: 61, PolicySizeQuota: 61}),
        ),
      ).toEqual(['pass svc'])
    })
  })

  it('passes a tidy role', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: emrTrust}))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc'}))
    expect(summarise(runRule(policy006, inventory))).toEqual(['pass svc'])
  })
})
