import {describe, expect, it} from 'vitest'
import {allowService, awsPolicyArn, doc, emptyInventory, managedPolicy, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-profile-003.js'

const ec2Trust = doc(allowService('ec2.amazonaws.com'))
const config = {ec2Roles: ['ec2']}

function withPolicy(policy: object, extra: Parameters<typeof role>[0] = {name: 'ec2'}) {
  return withRoles(emptyInventory(), role({...extra, name: 'ec2', trust: ec2Trust, inline: {p: doc(policy)}}))
}

describe('EMR-PROFILE-003 the EC2 role is not a privilege-escalation path', () => {
  it.each([
    ['iam:PassRole on *', {Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}, 'iam:PassRole'],
    ['iam:Pass* on role/*', {Effect: 'Allow', Action: 'IAM:pass*', Resource: 'arn:aws:iam::123456789012:role/*'}, 'iam:PassRole'],
    ['iam:* write', {Effect: 'Allow', Action: 'iam:*', Resource: '*'}, 'iam:CreateRole'],
    ['sts:AssumeRole on *', {Effect: 'Allow', Action: ['s3:GetObject', 'sts:AssumeRole'], Resource: ['*']}, 'sts:AssumeRole'],
    ['*:*', {Effect: 'Allow', Action: '*', Resource: '*'}, '*:*'],
    ['NotAction that leaves IAM in', {Effect: 'Allow', NotAction: 's3:*', Resource: '*'}, 'iam:AttachRolePolicy'],
    // A role name has at least one character: `?*` reaches every role (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
    ['iam:PassRole on role/?*', {Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/?*'}, 'iam:PassRole'],
    ['sts:AssumeRole on role/*?', {Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/*?'}, 'sts:AssumeRole'],
    ['?* on ?* (every action on everything)', {Effect: 'Allow', Action: '?*', Resource: '?*'}, '*:*'],
    // A Deny on some roles leaves every other role passable, whatever name the check samples.
    [
      'iam:PassRole on *, denied only on role/emr-*',
      [
        {Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'},
        {Effect: 'Deny', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/emr-*'},
      ],
      'iam:PassRole',
    ],
  ])('fails for %s', (_label, statement, action) => {
    const [outcome] = runRule(
      rule,
      Array.isArray(statement) ? withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, inline: {p: doc(...statement)}})) : withPolicy(statement),
      config,
    )
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain(action)
    expect(outcome?.message).toContain('inline:p')
  })

  it.each([
    ['PassRole on one named role', {Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/runtime'}],
    ['read-only IAM', {Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*'}],
    ['NotAction that excludes iam and sts', {Effect: 'Allow', NotAction: ['iam:*', 'sts:*'], Resource: 'arn:aws:s3:::bucket/*'}],
    ['Action * limited to S3 resources', [{Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::*'}]],
    // Prefix patterns are scoped (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    ['PassRole on role/emr-*', {Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/emr-*'}],
    ['AssumeRole on role/e*', {Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/e*'}],
    ['IAM write on *-role', {Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::123456789012:role/*-role'}],
    ['every action of services starting with e', {Effect: 'Allow', Action: 'e*', Resource: '*'}],
  ])('passes for %s', (_label, statement) => {
    const statements = Array.isArray(statement) ? statement : [statement]
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, inline: {p: doc(...statements)}}))
    expect(summarise(runRule(rule, inventory, config))).toEqual(['pass ec2'])
  })

  it('an explicit Deny cancels the grant', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({
        name: 'ec2',
        trust: ec2Trust,
        inline: {p: doc({Effect: 'Allow', Action: '*', Resource: '*'}, {Effect: 'Deny', Action: ['iam:*', 'sts:*'], Resource: '*'})},
      }),
    )
    const [outcome] = runRule(rule, inventory, config)
    expect(outcome?.status).toBe('fail') // *:* itself still stands
    expect(outcome?.message).toBe(`EC2 role ec2 allows *:* via inline:p; every process on the cluster can use these, so scope them down.`)
  })

  it('a permissions boundary that excludes IAM makes the grant ineffective', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/boundary'
    const inventory = withPolicy({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}, {name: 'ec2', boundary})
    inventory.iam.policies.push(managedPolicy(boundary, doc({Effect: 'Allow', Action: 's3:*', Resource: '*'})))
    expect(summarise(runRule(rule, inventory, config))).toEqual(['pass ec2'])
  })

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html: the effective permissions
  // are what both the identity policy and the boundary allow. A boundary that allows IAM writes only on
  // `role/emr-audit-*` caps `iam:PutRolePolicy` on `*` to those roles — not every role, so not the grant this
  // rule fails — even though the rule's sample role name happens to match it. The scan cannot enumerate the
  // names it reaches, so the verdict is unknown, naming the action; never the account-wide fail.
  it('an open grant capped by a boundary to names the sample matches is unknown, not an account-wide fail', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/boundary'
    const inventory = withPolicy({Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*'}, {name: 'ec2', boundary})
    inventory.iam.policies.push(
      managedPolicy(boundary, doc({Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::123456789012:role/emr-audit-*'})),
    )
    const [outcome] = runRule(rule, inventory, config)
    expect(outcome?.status).toBe('unknown')
    expect(outcome?.message).toContain('iam:PutRolePolicy')
    expect(outcome?.message).toContain('permissions boundary')
  })

  it('reports conditional grants as failing, saying so', () => {
    const [outcome] = runRule(
      rule,
      withPolicy({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}}),
      config,
    )
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('iam:PassRole (under conditions)')
  })

  it('is unknown when an attached managed policy document was not collected', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, managed: [awsPolicyArn('SomethingNotFetched')]}))
    expect(summarise(runRule(rule, inventory, config))).toEqual(['unknown ec2'])
  })

  it('reports heuristic-only EC2 roles at info severity', () => {
    const ec2Policy = awsPolicyArn('AmazonElasticMapReduceforEC2Role')
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'looks-like-emr', trust: ec2Trust, managed: [ec2Policy], inline: {p: doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'})}}),
    )
    inventory.iam.policies.push(managedPolicy(ec2Policy, doc({Effect: 'Allow', Action: 's3:*', Resource: '*'})))
    const [outcome] = runRule(rule, inventory)
    expect(outcome).toMatchObject({status: 'fail', severity: 'info', scope: [{class: 'EC2', via: 'heuristic'}]})
  })

  it('a pass names the role and what it was checked for, at high severity for a named EC2 role', () => {
    const [outcome] = runRule(rule, withPolicy({Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}), config)
    expect([outcome?.status, outcome?.severity, outcome?.message]).toEqual([
      'pass',
      'high',
      'EC2 role ec2 grants no IAM write, unscoped PassRole or AssumeRole, and no *:*.',
    ])
  })

  it('lists every action granted and every policy granting it, with the statements as evidence', () => {
    const customer = 'arn:aws:iam::123456789012:policy/builder'
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', trust: ec2Trust, managed: [customer], inline: {p: doc({Effect: 'Allow', Action: ['iam:PassRole', 'sts:AssumeRole'], Resource: '*'})}}),
    )
    inventory.iam.policies.push(
      managedPolicy(customer, doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}, {Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*'})),
    )
    const [outcome] = runRule(rule, inventory, config)
    expect(outcome?.message).toBe(
      `EC2 role ec2 allows iam:CreateRole, iam:PassRole, sts:AssumeRole via ${customer}, inline:p; every process on the cluster can use these, so scope them down.`,
    )
    expect(outcome?.evidence).toEqual({
      grants: [
        {action: 'iam:CreateRole', conditional: false, statements: [{policy: customer, statementIndex: 1, conditional: false}]},
        {action: 'iam:PassRole', conditional: false, statements: [{policy: 'inline:p', statementIndex: 0, conditional: false}]},
        {action: 'sts:AssumeRole', conditional: false, statements: [{policy: 'inline:p', statementIndex: 0, conditional: false}]},
      ],
    })
  })

  it('a conditional grant on every role (role/*) still counts, under conditions', () => {
    const [outcome] = runRule(
      rule,
      withPolicy({
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::123456789012:role/*',
        Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
      }),
      config,
    )
    expect(outcome?.message).toBe(
      'EC2 role ec2 allows iam:PassRole (under conditions) via inline:p; every process on the cluster can use these, so scope them down.',
    )
    expect(outcome?.evidence).toEqual({
      grants: [{action: 'iam:PassRole', conditional: true, statements: [{policy: 'inline:p', statementIndex: 0, conditional: true}]}],
    })
  })

  it('every action on every resource (?*), under a condition, is *:* under conditions', () => {
    const [outcome] = runRule(rule, withPolicy({Effect: 'Allow', Action: '*', Resource: '?*', Condition: {Bool: {'aws:SecureTransport': 'true'}}}), config)
    const grants = outcome?.evidence?.['grants'] as Array<{action: string; conditional: boolean}>
    expect(grants.find((grant) => grant.action === '*:*')).toMatchObject({conditional: true})
  })

  it('every action on IAM resources only is IAM write, not *:*', () => {
    const [outcome] = runRule(rule, withPolicy({Effect: 'Allow', Action: '*', Resource: 'arn:aws:iam::123456789012:*'}), config)
    const actions = (outcome?.evidence?.['grants'] as Array<{action: string}>).map((grant) => grant.action)
    expect(actions).toContain('iam:PassRole')
    expect(actions).toContain('sts:AssumeRole')
    expect(actions).not.toContain('*:*')
  })

  it('says once why each unread policy leaves the role undecided', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', trust: ec2Trust, managed: [awsPolicyArn('NotFetched'), awsPolicyArn('AlsoNotFetched')]}))
    expect(runRule(rule, inventory, config)[0]?.message).toBe(
      'Could not fully evaluate EC2 role ec2: policy arn:aws:iam::aws:policy/service-role/NotFetched was not collected; policy arn:aws:iam::aws:policy/service-role/AlsoNotFetched was not collected.',
    )
  })
})
