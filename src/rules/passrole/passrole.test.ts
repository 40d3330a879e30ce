import {describe, expect, it} from 'vitest'
import {
  allowService,
  cluster,
  doc,
  emptyInventory,
  group,
  role,
  roleArn,
  setCoverage,
  user as iamUser,
  withRoles,
  ACCOUNT,
} from '../../../test/fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../../../test/fixtures/managed-policies.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import {analyze} from '../../app/analyze.js'
import type {Inventory} from '../../inventory/schema.js'
import passrole001 from './emr-passrole-001.js'
import passrole002 from './emr-passrole-002.js'
import passrole003 from './emr-passrole-003.js'

const emrTrust = doc(allowService('elasticmapreduce.amazonaws.com'))
const ec2Trust = doc(allowService('ec2.amazonaws.com'))

function v2Account(ec2Role: string, extraInline?: object): Inventory {
  const inventory = withAwsManaged(
    withRoles(
      emptyInventory(),
      role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')], ...(extraInline ? {inline: {pass: doc(extraInline)}} : {})}),
      role({name: ec2Role, trust: ec2Trust, profiles: [{name: ec2Role}]}),
    ),
    'AmazonEMRServicePolicy_v2',
  )
  inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: ec2Role}))
  return inventory
}

describe('EMR-PASSROLE-001 the service role can pass the cluster roles', () => {
  it('passes for the default EC2 role under the v2 policy', () => {
    expect(summarise(runRule(passrole001, v2Account('EMR_EC2_DefaultRole')))).toEqual(['pass svc#EMR_EC2_DefaultRole@ec2.amazonaws.com'])
  })
  it('fails critical for a custom-named EC2 role in use', () => {
    const [outcome] = runRule(passrole001, v2Account('custom-ec2'))
    expect(outcome).toMatchObject({status: 'fail', severity: 'critical', subKey: 'custom-ec2@ec2.amazonaws.com'})
  })
  it('passes once a scoped PassRole statement is added', () => {
    const scoped = {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: roleArn('custom-ec2'),
      Condition: {StringLike: {'iam:PassedToService': 'ec2.amazonaws.com*'}},
    }
    expect(runRule(passrole001, v2Account('custom-ec2', scoped)).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  // An explicit Deny overrides the v2 policy's Allow; a deny whose condition the scan cannot decide leaves
  // the question open. Neither may read as "can pass" (a cluster that cannot scale out would look healthy).
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  it('fails, never passes, when an explicit Deny overrides the allow', () => {
    const deny = {Effect: 'Deny', Action: 'iam:PassRole', Resource: roleArn('EMR_EC2_DefaultRole')}
    const [outcome] = runRule(passrole001, v2Account('EMR_EC2_DefaultRole', deny))
    expect(outcome).toMatchObject({status: 'fail', subKey: 'EMR_EC2_DefaultRole@ec2.amazonaws.com', evidence: {decision: 'explicit-deny'}})
  })
  it('is unknown, never pass, when a Deny depends on a condition the scan cannot know', () => {
    const deny = {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}}
    const [outcome] = runRule(passrole001, v2Account('EMR_EC2_DefaultRole', deny))
    expect(outcome).toMatchObject({status: 'unknown', evidence: {decision: 'unknown'}})
    expect(outcome?.message).toContain('depends on conditions not known here')
  })
  it("is unknown, never pass or fail, when the service role's managed policy was not read", () => {
    const inventory = v2Account('custom-ec2')
    inventory.iam.policies = []
    const [outcome] = runRule(passrole001, inventory)
    expect(outcome).toMatchObject({status: 'unknown', evidence: {decision: 'unknown'}})
    expect(outcome?.message).toContain(`policy ${arnOf('AmazonEMRServicePolicy_v2')} was not collected`)
  })
  it('checks the Auto Scaling role, passed to application-autoscaling.amazonaws.com', () => {
    const inventory = v2Account('EMR_EC2_DefaultRole')
    inventory.iam.roles.push(
      role({name: 'custom-scaling', trust: doc(allowService('application-autoscaling.amazonaws.com'))}),
      role({name: 'EMR_AutoScaling_DefaultRole', trust: doc(allowService('application-autoscaling.amazonaws.com'))}),
    )
    inventory.emr.clusters.push(
      cluster({id: 'j-2', serviceRole: 'svc', instanceProfile: 'EMR_EC2_DefaultRole', autoScalingRole: 'custom-scaling'}),
      cluster({id: 'j-3', serviceRole: 'svc', instanceProfile: 'EMR_EC2_DefaultRole', autoScalingRole: 'EMR_AutoScaling_DefaultRole'}),
    )
    expect(summarise(runRule(passrole001, inventory))).toEqual([
      'pass svc#EMR_EC2_DefaultRole@ec2.amazonaws.com',
      'fail svc#custom-scaling@application-autoscaling.amazonaws.com',
      'pass svc#EMR_AutoScaling_DefaultRole@application-autoscaling.amazonaws.com',
    ])
    expect(runRule(passrole001, inventory)[1]?.evidence).toMatchObject({usedBy: ['cluster j-2'], passedRole: roleArn('custom-scaling')})
  })
  it('checks the Auto Scaling role of a cluster that names no instance profile', () => {
    const inventory = v2Account('EMR_EC2_DefaultRole')
    inventory.iam.roles.push(role({name: 'custom-scaling', trust: doc(allowService('application-autoscaling.amazonaws.com'))}))
    inventory.emr.clusters.push(cluster({id: 'j-2', serviceRole: 'svc', autoScalingRole: 'custom-scaling'}))
    expect(summarise(runRule(passrole001, inventory))).toEqual([
      'pass svc#EMR_EC2_DefaultRole@ec2.amazonaws.com',
      'fail svc#custom-scaling@application-autoscaling.amazonaws.com',
    ])
  })
  it('reports a pair once, naming every cluster that uses it', () => {
    const inventory = v2Account('custom-ec2')
    inventory.emr.clusters.push(cluster({id: 'j-2', serviceRole: 'svc', instanceProfile: 'custom-ec2'}))
    const outcomes = runRule(passrole001, inventory)
    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]?.evidence).toMatchObject({usedBy: ['cluster j-1', 'cluster j-2'], passedToService: 'ec2.amazonaws.com'})
    expect(outcomes[0]?.message).toBe(
      'Service role svc may not pass custom-ec2 to ec2.amazonaws.com (cluster j-1, cluster j-2); add a scoped iam:PassRole statement for it.',
    )
  })
  it('a configured pair that a cluster also uses stays critical', () => {
    const [outcome] = runRule(passrole001, v2Account('custom-ec2'), {serviceRoles: ['svc'], ec2Roles: ['custom-ec2']})
    expect(outcome).toMatchObject({status: 'fail', severity: 'critical', evidence: {usedBy: ['cluster j-1', 'configured pair']}})
  })
  it('says which roles a pass is about', () => {
    expect(runRule(passrole001, v2Account('EMR_EC2_DefaultRole'))[0]?.message).toBe('Service role svc may pass EMR_EC2_DefaultRole to ec2.amazonaws.com.')
  })
  it('gives every reason an answer is unknown', () => {
    const deny = {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}}
    const inventory = v2Account('custom-ec2', deny)
    inventory.iam.policies = []
    expect(runRule(passrole001, inventory)[0]?.message).toBe(
      `Could not decide whether svc may pass custom-ec2: policy ${arnOf('AmazonEMRServicePolicy_v2')} was not collected; deny in inline:pass depends on conditions not known here.`,
    )
  })
  it('skips a cluster whose service role, instance profile or EC2 role is not in the account', () => {
    const inventory = v2Account('EMR_EC2_DefaultRole')
    inventory.emr.clusters.push(
      cluster({id: 'j-no-service-role', serviceRole: 'gone', instanceProfile: 'EMR_EC2_DefaultRole'}),
      cluster({id: 'j-no-profile', serviceRole: 'svc', instanceProfile: 'no-such-profile'}),
    )
    inventory.iam.instanceProfiles.push({
      name: 'empty-role',
      arn: `arn:aws:iam::${ACCOUNT}:instance-profile/empty-role`,
      id: 'AIPAEMPTY',
      path: '/',
      roles: [{name: 'deleted', arn: roleArn('deleted')}],
    })
    inventory.emr.clusters.push(cluster({id: 'j-deleted-role', serviceRole: 'svc', instanceProfile: 'empty-role'}))
    expect(summarise(runRule(passrole001, inventory))).toEqual(['pass svc#EMR_EC2_DefaultRole@ec2.amazonaws.com'])
  })
  it('is unknown through the engine, never pass, when the IAM snapshot could not be read', () => {
    const findings = analyze(
      setCoverage(v2Account('EMR_EC2_DefaultRole'), 'iam.authorizationDetails', 'global', 'denied', 'iam:GetAccountAuthorizationDetails'),
      {config: {}, rules: [passrole001]},
    )
    expect(findings.map((finding) => finding.status)).toEqual(['unknown'])
  })
  it('checks configured pairs at high severity', () => {
    const inventory = withAwsManaged(
      withRoles(
        emptyInventory(),
        role({name: 'svc', trust: emrTrust, managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
        role({name: 'custom-ec2', trust: ec2Trust}),
      ),
      'AmazonEMRServicePolicy_v2',
    )
    const [outcome] = runRule(passrole001, inventory, {serviceRoles: ['svc'], ec2Roles: ['custom-ec2']})
    expect(outcome).toMatchObject({status: 'fail', severity: 'high'})
  })
})

function operators(): Inventory {
  const inventory = withAwsManaged(v2Account('EMR_EC2_DefaultRole'), 'AmazonEMRFullAccessPolicy_v2', 'AdministratorAccess')
  const user = (name: string, attached: string[], inline: Record<string, object> = {}) => ({
    name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    id: `AIDA${name.toUpperCase()}`,
    path: '/',
    inlinePolicies: Object.entries(inline).map(([policyName, statement]) => ({name: policyName, document: doc(statement)})),
    attachedPolicies: attached.map((arn) => ({name: arn.slice(arn.lastIndexOf('/') + 1), arn})),
    groups: [] as string[],
    tags: [],
  })
  inventory.iam.users.push(
    user('admin', [arnOf('AdministratorAccess')]),
    user('analyst', [arnOf('AmazonEMRFullAccessPolicy_v2')]),
    user('wildcard', [], {p: {Effect: 'Allow', Action: 'iam:Pass*', Resource: `arn:aws:iam::${ACCOUNT}:role/*`}}),
    user('scoped', [], {
      p: {Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'elasticmapreduce.amazonaws.com'}}},
    }),
    user('notaction', [], {p: {Effect: 'Allow', NotAction: 's3:*', Resource: '*'}}),
  )
  const grouped = user('grouped', [])
  grouped.groups = ['emr-admins']
  inventory.iam.users.push(grouped)
  inventory.iam.groups.push({
    name: 'emr-admins',
    arn: `arn:aws:iam::${ACCOUNT}:group/emr-admins`,
    id: 'AGPA1',
    path: '/',
    inlinePolicies: [{name: 'g', document: doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'})}],
    attachedPolicies: [],
  })
  return inventory
}

describe('EMR-PASSROLE-002 unscoped PassRole among operators', () => {
  it('flags *, iam:Pass* on role/*, NotAction and group policies; not a PassedToService-scoped grant', () => {
    expect(summarise(runRule(passrole002, operators()))).toEqual(['fail emr-admins', 'fail admin', 'fail grouped', 'fail notaction', 'fail wildcard'])
  })
  // REQUIREMENTS §3: groups are principals. NotAction on "*" allows every other action
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html).
  it('reports an almost-admin group that has no members, once, on the group', () => {
    const inventory = emptyInventory()
    inventory.iam.groups.push({
      name: 'almost-admin',
      arn: `arn:aws:iam::${ACCOUNT}:group/almost-admin`,
      id: 'AGPA2',
      path: '/',
      inlinePolicies: [{name: 'g', document: doc({Effect: 'Allow', NotAction: ['s3:*', 'kms:*'], Resource: '*'})}],
      attachedPolicies: [],
    })
    const outcomes = runRule(passrole002, inventory)
    expect(outcomes).toEqual([expect.objectContaining({status: 'fail', resource: expect.objectContaining({type: 'iam-group', id: 'almost-admin'})})])
    expect(outcomes[0]?.message).toContain('group almost-admin may pass every role')
  })
})

/**
 * Expected answers: Resource wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
 * NotResource (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html), an explicit
 * Deny overrides any Allow and a boundary limits the effective permission
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), iam:PassedToService
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService).
 */
describe('EMR-PASSROLE-002 decides "every role" by pattern and by the effective permission', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role`
  const pass = (extra: object) => ({Effect: 'Allow', Action: 'iam:PassRole', ...extra})
  function withUser(name: string, statements: object[], boundary?: object[]): Inventory {
    const inventory = emptyInventory()
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/${name}-boundary`
    inventory.iam.users.push({
      name,
      arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      id: `AIDA${name.toUpperCase()}`,
      path: '/',
      inlinePolicies: [{name: 'p', document: doc(...statements)}],
      attachedPolicies: [],
      groups: [],
      tags: [],
      ...(boundary ? {permissionsBoundaryArn: boundaryArn} : {}),
    })
    if (boundary)
      inventory.iam.policies.push({
        arn: boundaryArn,
        name: `${name}-boundary`,
        path: '/',
        awsManaged: false,
        defaultVersionId: 'v1',
        document: doc(...boundary),
      })
    return inventory
  }
  const verdictOf = (statements: object[], boundary?: object[]) => runRule(passrole002, withUser('u', statements, boundary))[0]

  it.each([
    ['*', 'fail'],
    [`${ROLE}/*`, 'fail'],
    ['arn:aws:iam::*:role/*', 'fail'],
    ['arn:*:iam::*:*', 'fail'],
    [`${ROLE}/emr-*`, 'pass'],
    // A role ARN starts with arn:, so `e*` reaches no role at all.
    ['e*', undefined],
    ['arn:aws:iam::123456789012:role/e*', 'pass'],
    ['*-role', 'pass'],
    // Every role name has at least one character (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html),
    // and `?` matches exactly one: these reach every role.
    [`${ROLE}/?*`, 'fail'],
    [`${ROLE}/*?`, 'fail'],
    ['arn:aws:iam::123456789012:role?*', 'fail'],
  ])('Resource %s → %s', (resource, status) => {
    expect(verdictOf([pass({Resource: resource})])?.status).toBe(status)
  })

  it('reports a prefix grant as scoped, with its pattern in the evidence', () => {
    const outcome = verdictOf([pass({Resource: `${ROLE}/emr-*`})])
    expect(outcome?.message).toContain(`only roles matching ${ROLE}/emr-*`)
    expect(outcome?.evidence?.['grants']).toEqual([{policy: 'inline:p', statementIndex: 0, coverage: {kind: 'scoped', patterns: [`${ROLE}/emr-*`]}}])
  })

  it('NotResource that leaves most roles open fails, naming the exception', () => {
    const outcome = verdictOf([pass({NotResource: `${ROLE}/admin`})])
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain(`every role except ${ROLE}/admin`)
  })

  it('passes Allow * narrowed by an explicit Deny NotResource role/emr/*, with the Deny as evidence', () => {
    const outcome = verdictOf([pass({Resource: '*'}), {Effect: 'Deny', Action: 'iam:PassRole', NotResource: `${ROLE}/emr/*`}])
    expect(outcome?.status).toBe('pass')
    expect(outcome?.evidence?.['narrowedBy']).toEqual([{policy: 'inline:p', statementIndex: 1, limitedTo: [`${ROLE}/emr/*`]}])
  })

  it('passes Allow * narrowed by a permissions boundary to named roles; a boundary allowing * does not narrow', () => {
    const named = verdictOf(
      [pass({Resource: '*'})],
      [{Effect: 'Allow', Action: ['iam:PassRole', 's3:*'], Resource: [`${ROLE}/EMR_EC2_DefaultRole`, `${ROLE}/EMR_DefaultRole_V2`]}],
    )
    expect(named?.status).toBe('pass')
    expect(named?.message).toContain('boundary:')
    expect(named?.evidence?.['narrowedBy']).toEqual([
      {policy: `boundary:arn:aws:iam::${ACCOUNT}:policy/u-boundary`, limitedTo: [`${ROLE}/EMR_EC2_DefaultRole`, `${ROLE}/EMR_DefaultRole_V2`]},
    ])
    expect(verdictOf([pass({Resource: '*'})], [{Effect: 'Allow', Action: '*', Resource: '*'}])?.status).toBe('fail')
  })

  it('a Deny NotResource role/?* excludes every role, so it narrows nothing', () => {
    expect(verdictOf([pass({Resource: '*'}), {Effect: 'Deny', Action: 'iam:PassRole', NotResource: `${ROLE}/?*`}])?.status).toBe('fail')
  })

  it('a Deny of a single role, or a conditional Deny, does not narrow', () => {
    expect(verdictOf([pass({Resource: '*'}), {Effect: 'Deny', Action: 'iam:PassRole', Resource: `${ROLE}/admin`}])?.status).toBe('fail')
    expect(
      verdictOf([
        pass({Resource: '*'}),
        {Effect: 'Deny', Action: 'iam:PassRole', NotResource: `${ROLE}/emr/*`, Condition: {Bool: {'aws:MultiFactorAuthPresent': 'false'}}},
      ])?.status,
    ).toBe('fail')
  })

  it.each([
    [{StringLike: {'iam:PassedToService': '*'}}, 'fail'],
    [{StringLike: {'iam:PassedToService': ['*.amazonaws.com']}}, 'fail'],
    [{StringLike: {'iam:PassedToService': '?*'}}, 'fail'],
    [{Null: {'iam:PassedToService': 'false'}}, 'fail'],
    [{StringLike: {'iam:PassedToService': 'elasticmapreduce.amazonaws.com'}}, undefined],
    [{StringEquals: {'iam:PassedToService': ['ec2.amazonaws.com', 'elasticmapreduce.amazonaws.com']}}, undefined],
  ])('iam:PassedToService %j → %s', (condition, status) => {
    expect(verdictOf([pass({Resource: '*', Condition: condition})])?.status).toBe(status)
  })
  it('names every open-ended reach and each granting policy once; no narrowedBy evidence when nothing narrows', () => {
    const inventory = emptyInventory()
    inventory.iam.users.push(
      iamUser({
        name: 'u',
        inline: {a: doc(pass({Resource: '*'}), pass({NotResource: `${ROLE}/admin`})), b: doc(pass({Resource: 'arn:aws:iam::*:role/*'}))},
      }),
    )
    const [outcome] = runRule(passrole002, inventory)
    expect(outcome?.message).toBe(
      `user u may pass every role; every role except ${ROLE}/admin; every role (iam:PassRole with no iam:PassedToService condition) via inline:a, inline:b; limit it to the EMR roles.`,
    )
    expect(outcome?.evidence).not.toHaveProperty('narrowedBy')
  })

  it('an all-but grant names each exception', () => {
    expect(verdictOf([pass({NotResource: [`${ROLE}/admin`, `${ROLE}/ops`]})])?.message).toContain(`every role except ${ROLE}/admin, ${ROLE}/ops `)
  })

  it('names each narrowing: a Deny NotResource keeps its patterns, a Deny of every role leaves none', () => {
    const outcome = verdictOf([
      pass({Resource: '*'}),
      {Effect: 'Deny', Action: 'iam:PassRole', NotResource: [`${ROLE}/emr/*`, `${ROLE}/ec2/*`]},
      {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*'},
    ])
    expect(outcome?.status).toBe('pass')
    expect(outcome?.message).toBe(
      `user u's iam:PassRole on every role (inline:p) is narrowed: inline:p limits it to ${ROLE}/emr/*, ${ROLE}/ec2/*; inline:p leaves no role.`,
    )
    expect(outcome?.evidence?.['narrowedBy']).toEqual([
      {policy: 'inline:p', statementIndex: 1, limitedTo: [`${ROLE}/emr/*`, `${ROLE}/ec2/*`]},
      {policy: 'inline:p', statementIndex: 2, limitedTo: []},
    ])
  })

  it('lists every scoped pattern, and keeps a statement Sid in the evidence', () => {
    const outcome = verdictOf([pass({Sid: 'EmrRoles', Resource: `${ROLE}/emr-*`}), pass({Resource: [`${ROLE}/ec2-a`, `${ROLE}/ec2-b`]})])
    expect(outcome?.message).toBe(`user u may pass only roles matching ${ROLE}/emr-*, ${ROLE}/ec2-a, ${ROLE}/ec2-b (inline:p).`)
    expect(outcome?.evidence?.['grants']).toEqual([
      {policy: 'inline:p', statementIndex: 0, sid: 'EmrRoles', coverage: {kind: 'scoped', patterns: [`${ROLE}/emr-*`]}},
      {policy: 'inline:p', statementIndex: 1, coverage: {kind: 'scoped', patterns: [`${ROLE}/ec2-a`, `${ROLE}/ec2-b`]}},
    ])
  })

  it('a principal that only Denies iam:PassRole holds no grant and is not reported', () => {
    expect(verdictOf([{Effect: 'Deny', Action: 'iam:PassRole', Resource: '*'}])).toBeUndefined()
  })

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html: the effective permissions
  // are what both the identity policy and the boundary allow, so a boundary that could not be read leaves the
  // open grant undecided — neither read as narrowing (pass) nor ignored (fail).
  it('an open grant under a boundary that was not collected is unknown, naming the boundary', () => {
    const inventory = emptyInventory()
    inventory.iam.users.push(iamUser({name: 'u', inline: {p: doc(pass({Resource: '*'}))}, boundary: `arn:aws:iam::${ACCOUNT}:policy/unread`}))
    const [outcome] = runRule(passrole002, inventory)
    expect(outcome?.status).toBe('unknown')
    expect(outcome?.message).toContain(`arn:aws:iam::${ACCOUNT}:policy/unread`)
    expect(outcome?.message).toContain('every role')
  })

  it('a scoped grant under a boundary that was not collected still passes (the boundary can only narrow it)', () => {
    const inventory = emptyInventory()
    inventory.iam.users.push(
      iamUser({name: 'u', inline: {p: doc(pass({Resource: `${ROLE}/EMR_DefaultRole_V2`}))}, boundary: `arn:aws:iam::${ACCOUNT}:policy/unread`}),
    )
    expect(runRule(passrole002, inventory)[0]?.status).toBe('pass')
  })

  describe('a permissions boundary narrows to the roles its own Allows reach', () => {
    const BOUNDARY = `boundary:arn:aws:iam::${ACCOUNT}:policy/u-boundary`
    const allowPass = (resource: string) => ({Effect: 'Allow', Action: 'iam:PassRole', Resource: resource})
    it('a conditional Deny in the boundary is not one of its Allows', () => {
      const outcome = verdictOf(
        [pass({Resource: '*'})],
        [allowPass(`${ROLE}/emr-*`), {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: {Bool: {'aws:MultiFactorAuthPresent': 'false'}}}],
      )
      expect(outcome?.status).toBe('pass')
      expect(outcome?.evidence?.['narrowedBy']).toEqual([{policy: BOUNDARY, limitedTo: [`${ROLE}/emr-*`]}])
    })
    it('one open-ended Allow among scoped ones leaves every role open', () => {
      expect(verdictOf([pass({Resource: '*'})], [allowPass(`${ROLE}/emr-*`), allowPass('*')])?.status).toBe('fail')
    })
    it('an Allow that reaches no role adds no pattern', () => {
      const outcome = verdictOf([pass({Resource: '*'})], [allowPass('e*'), allowPass(`${ROLE}/emr-*`)])
      expect(outcome?.evidence?.['narrowedBy']).toEqual([{policy: BOUNDARY, limitedTo: [`${ROLE}/emr-*`]}])
    })
    it("an unconditioned Deny NotResource in the boundary narrows like the principal's own", () => {
      const outcome = verdictOf(
        [pass({Resource: '*'})],
        [
          {Effect: 'Allow', Action: '*', Resource: '*'},
          {Effect: 'Deny', Action: 'iam:PassRole', NotResource: `${ROLE}/emr/*`},
        ],
      )
      expect(outcome?.status).toBe('pass')
      expect(outcome?.evidence?.['narrowedBy']).toEqual([{policy: BOUNDARY, statementIndex: 1, limitedTo: [`${ROLE}/emr/*`]}])
    })
  })
})

describe('EMR-PASSROLE-003 launchers can pass the roles in use', () => {
  it('AmazonEMRFullAccessPolicy_v2 cannot pass a service role named other than EMR_DefaultRole_V2', () => {
    const outcomes = runRule(passrole003, operators())
    expect(outcomes.filter((outcome) => outcome.resource.id === 'analyst')).toEqual([
      expect.objectContaining({status: 'fail', message: expect.stringContaining('not pass svc')}),
    ])
    expect(outcomes.find((outcome) => outcome.resource.id === 'admin')?.status).toBe('pass')
  })
})

/**
 * Expected answers: whoever launches a cluster needs iam:PassRole on the roles it names
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html), and the service and EC2 roles are
 * passed to elasticmapreduce.amazonaws.com and ec2.amazonaws.com respectively, the iam:PassedToService values of
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRFullAccessPolicy_v2.html. An explicit Deny wins
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 */
describe('EMR-PASSROLE-003 judges each launcher on the roles its clusters use', () => {
  const LAUNCH = {Effect: 'Allow', Action: 'elasticmapreduce:RunJobFlow', Resource: '*'}
  const passTo = (roleName: string, service: string) => ({
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: roleArn(roleName),
    Condition: {StringEquals: {'iam:PassedToService': service}},
  })
  const MAY_PASS_BOTH = [passTo('svc', 'elasticmapreduce.amazonaws.com'), passTo('ec2role', 'ec2.amazonaws.com')]
  function launchers(...users: ReturnType<typeof iamUser>[]): Inventory {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'svc', trust: emrTrust}),
      role({name: 'ec2role', trust: ec2Trust, profiles: [{name: 'ec2role'}]}),
      // Default names no cluster uses: in scope, but not roles the launches pass.
      role({name: 'EMR_DefaultRole_V2', trust: emrTrust}),
      role({name: 'EMR_EC2_DefaultRole', trust: ec2Trust}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: 'ec2role'}))
    inventory.iam.users.push(...users)
    return inventory
  }

  it('passes a launcher that may pass the service role to EMR and the EC2 role to EC2, and only the roles in use count', () => {
    const outcomes = runRule(passrole003, launchers(iamUser({name: 'launcher', inline: {p: doc(LAUNCH, ...MAY_PASS_BOTH)}})))
    expect(outcomes).toEqual([
      {
        status: 'pass',
        resource: expect.objectContaining({type: 'iam-user', id: 'launcher'}),
        message: 'user launcher may launch clusters and pass the roles they use.',
        evidence: {passRole: {svc: 'allow', ec2role: 'allow'}},
      },
    ])
  })

  it('fails a launcher whose PassRole names the wrong service for each role, naming both roles', () => {
    const swapped = [passTo('svc', 'ec2.amazonaws.com'), passTo('ec2role', 'elasticmapreduce.amazonaws.com')]
    const [outcome] = runRule(passrole003, launchers(iamUser({name: 'swapped', inline: {p: doc(LAUNCH, ...swapped)}})))
    expect(outcome).toMatchObject({
      status: 'fail',
      message: 'user swapped may launch clusters but not pass svc, ec2role; its launches with those roles fail.',
      evidence: {passRole: {svc: 'implicit-deny', ec2role: 'implicit-deny'}},
    })
  })

  it('fails when an explicit Deny takes away one role', () => {
    const deny = {Effect: 'Deny', Action: 'iam:PassRole', Resource: roleArn('ec2role')}
    const [outcome] = runRule(passrole003, launchers(iamUser({name: 'denied', inline: {p: doc(LAUNCH, ...MAY_PASS_BOTH, deny)}})))
    expect(outcome).toMatchObject({status: 'fail', evidence: {passRole: {svc: 'allow', ec2role: 'explicit-deny'}}})
    expect(outcome?.message).toContain('not pass ec2role;')
  })

  it('is unknown, never pass, when a Deny hangs on a condition the scan cannot know', () => {
    const deny = {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}}
    const [outcome] = runRule(passrole003, launchers(iamUser({name: 'maybe', inline: {p: doc(LAUNCH, ...MAY_PASS_BOTH, deny)}})))
    expect(outcome).toEqual({
      status: 'unknown',
      resource: expect.objectContaining({id: 'maybe'}),
      message: 'Could not decide whether maybe may pass svc, ec2role.',
      evidence: {passRole: {svc: 'unknown', ec2role: 'unknown'}},
    })
  })

  it('says nothing about a principal that may not launch clusters, nor about a group (its members are judged)', () => {
    const inventory = launchers(iamUser({name: 'passer-only', inline: {p: doc(...MAY_PASS_BOTH)}}), iamUser({name: 'member', groups: ['launchers']}))
    inventory.iam.groups.push(group({name: 'launchers', inline: {g: doc(LAUNCH, ...MAY_PASS_BOTH)}}))
    expect(summarise(runRule(passrole003, inventory))).toEqual(['pass member'])
  })

  it('says nothing when no cluster uses a role', () => {
    const inventory = launchers(iamUser({name: 'launcher', inline: {p: doc(LAUNCH)}}))
    inventory.emr.clusters = []
    expect(runRule(passrole003, inventory)).toEqual([])
  })
})
