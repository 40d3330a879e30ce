/**
 * Guards that look at the grant (issue 12, item 3). What counts as "allowed" follows the IAM evaluation
 * logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html: an
 * explicit deny wins, an allow is needed, a permissions boundary limits it); NotAction reaches every
 * action it does not list (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html).
 * A runtime role's trust names the instance-profile role
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html).
 */
import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, withRoles, ACCOUNT, REGION} from '../../test/fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../../test/fixtures/managed-policies.js'
import {analyze} from '../app/analyze.js'
import type {Inventory, PolicyDocument} from '../inventory/schema.js'
import {buildIndex} from '../rules/inventory-index.js'
import {explicitRole, notAdministratorLike, trustNamesPrincipal, trustsService} from './grant-guards.js'
import {planFixes} from './planner.js'
import type {Change} from './types.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const allow = (action: string | string[], resource: string | string[] = '*', extra: object = {}): object => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
})
const READ_DATA = doc(allow('s3:GetObject', 'arn:aws:s3:::data/*'))

/** A runtime-role cluster whose EC2 role may not assume the runtime role a (failed) step names. */
function runtimeAccount(
  runtime: {name: string; trust: PolicyDocument; managed?: string[]; inline?: Record<string, PolicyDocument>},
  stepArn = roleArn(runtime.name),
): Inventory {
  const inventory = withAwsManaged(
    withRoles(
      emptyInventory(),
      role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
      role({name: 'ec2-role', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2-role'}]}),
      role({name: runtime.name, trust: runtime.trust, ...(runtime.managed ? {managed: runtime.managed} : {}), inline: runtime.inline ?? {data: READ_DATA}}),
    ),
    'AmazonEMRServicePolicy_v2',
    'AdministratorAccess',
  )
  inventory.emr.securityConfigurations.push({
    name: 'rr',
    region: REGION,
    origins: ['cluster'],
    found: true,
    configuration: {AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}}},
  })
  inventory.emr.clusters.push(
    cluster({
      id: 'j-1',
      serviceRole: 'svc',
      instanceProfile: 'ec2-role',
      securityConfiguration: 'rr',
      steps: [{id: 's-1', state: 'FAILED', executionRoleArn: stepArn}],
    }),
  )
  return inventory
}

function runtimeChanges(inventory: Inventory): Change[] {
  return planFixes(analyze(inventory, {config: {}, now: NOW}), inventory, {config: {}, now: NOW}).changes.filter(
    (change) => change.kind === 'put-role-policy' && change.target.id === 'ec2-role',
  )
}

function failedGuard(changes: Change[], name: string) {
  return changes.flatMap((change) => change.guards).find((guard) => guard.name === name && guard.held !== true)
}

describe('the runtime-role grant looks at the role it grants', () => {
  it('a failed step naming OrgAdmin (trusts the account root, AdministratorAccess) gets an advisory change, never an applied one', () => {
    const changes = runtimeChanges(
      runtimeAccount({name: 'OrgAdmin', trust: doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`)), managed: [arnOf('AdministratorAccess')], inline: {}}),
    )
    expect(changes.map((change) => [change.policyName, change.disposition])).toEqual([['emr-audit-runtime-roles-unverified', 'advisory']])
    expect(changes[0]?.reason).toBe('guard notAdministratorLike did not hold')
    expect(failedGuard(changes, 'notAdministratorLike')?.detail).toBe(
      `OrgAdmin: OrgAdmin has administrator-like access (every action, by ${arnOf('AdministratorAccess')}); it is never the target of an automatic grant`,
    )
  })

  it('a step naming a role whose trust does not name the EC2 role is not enough', () => {
    const changes = runtimeChanges(runtimeAccount({name: 'rt-other', trust: doc(allowAws(roleArn('someone-else')))}))
    expect(changes.map((change) => change.disposition)).toEqual(['advisory'])
    expect(failedGuard(changes, 'trustNamesGrantee')?.detail).toMatch(/does not name ec2-role or its account root/)
  })

  it('a step naming a role of another account is not granted: its trust cannot be read here', () => {
    const foreign = 'arn:aws:iam::999999999999:role/elsewhere'
    const changes = runtimeChanges(runtimeAccount({name: 'rt', trust: doc(allowAws(roleArn('ec2-role')))}, foreign))
    expect(changes.map((change) => change.disposition)).toEqual(['advisory'])
    expect(failedGuard(changes, 'explicitRoleArn')?.detail).toBe(`elsewhere: ${foreign} is not a role of account ${ACCOUNT} in the inventory`)
  })

  it('grants a plain runtime role whose trust names the EC2 role, or its account root with a condition', () => {
    const byArn = runtimeChanges(runtimeAccount({name: 'rt', trust: doc(allowAws(roleArn('ec2-role')))}))
    expect(byArn.map((change) => [change.policyName, change.disposition])).toEqual([['emr-audit-runtime-roles', 'apply']])
    const byRoot = runtimeChanges(
      runtimeAccount({name: 'rt', trust: doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`, {Condition: {ArnEquals: {'aws:PrincipalArn': roleArn('ec2-role')}}}))}),
    )
    expect(byRoot.map((change) => change.disposition)).toEqual(['apply'])
    expect(byRoot[0]?.guards.map((guard) => [guard.name, guard.held])).toEqual([
      ['explicitRoleArn', true],
      ['observedOrConfigured', true],
      ['trustNamesGrantee', true],
      ['notAdministratorLike', true],
    ])
  })
})

describe('administrator-like, decided by the evaluator', () => {
  const check = (inline: Record<string, PolicyDocument>, managed: string[] = [], boundary?: string) => {
    const inventory = withAwsManaged(
      withRoles(emptyInventory(), role({name: 'target', inline, managed, ...(boundary ? {boundary} : {})})),
      'AdministratorAccess',
    )
    const target = inventory.iam.roles[0]
    if (!target) throw new Error('no role')
    return notAdministratorLike(target, buildIndex(inventory), inventory)
  }
  const verdict = (inline: Record<string, PolicyDocument>, managed: string[] = []) => check(inline, managed).held

  it.each([
    ['Action "*"', doc(allow('*'))],
    ['Action "*:*"', doc(allow('*:*'))],
    ['iam:* on *', doc(allow('iam:*'))],
    ['sts:* on *', doc(allow('sts:*'))],
    ['PowerUserAccess-like NotAction', doc(allow([], '*', {Action: undefined, NotAction: ['iam:*', 'organizations:*', 'account:*']}))],
    ['iam:PassRole on role/*', doc(allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/*`))],
    ["iam:Pass* on every account's roles", doc(allow('iam:Pass*', 'arn:aws:iam::*:role/*'))],
    ['sts:AssumeRole with a NotResource', doc(allow('sts:AssumeRole', [], {Resource: undefined, NotResource: roleArn('Secret')}))],
    ['iam:PutRolePolicy on itself only', doc(allow('iam:PutRolePolicy', roleArn('target')))],
    ['iam:CreatePolicyVersion on every policy', doc(allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/*`))],
    ['iam:AttachUserPolicy, case and glob', doc(allow('IAM:attach*policy'))],
  ])('%s is administrator-like', (_label, document) => {
    expect(verdict({p: document})).toBe(false)
  })

  it('AdministratorAccess, attached, is administrator-like', () => expect(verdict({}, [arnOf('AdministratorAccess')])).toBe(false))

  it.each([
    ['data access only', doc(allow(['s3:*', 'dynamodb:*']))],
    ['PassRole on one named role', doc(allow('iam:PassRole', roleArn('EMR_EC2_DefaultRole')))],
    ['AssumeRole on a prefix of roles', doc(allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/etl-*`))],
    ['an allow of * cancelled by an explicit deny of *', doc(allow('*'), {Effect: 'Deny', Action: '*', Resource: '*'})],
  ])('%s is not', (_label, document) => {
    expect(verdict({p: document})).toBe(true)
  })

  it('a role that may write a new default version of a policy attached to itself, or of its boundary, is administrator-like', () => {
    // iam:CreatePolicyVersion with SetAsDefault (or iam:SetDefaultPolicyVersion) replaces what the policy allows
    // for everyone it is attached to (https://docs.aws.amazon.com/IAM/latest/UserGuide/managed-policies.html#customer-managed-policies
    // and https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html).
    const own = `arn:aws:iam::${ACCOUNT}:policy/etl-own`
    const edits = (action: string) => {
      const inventory = withRoles(emptyInventory(), role({name: 'target', inline: {p: doc(allow(action, own))}, managed: [own]}))
      inventory.iam.policies.push({arn: own, name: 'etl-own', path: '/', awsManaged: false, defaultVersionId: 'v1', document: doc(allow('s3:GetObject', '*'))})
      const target = inventory.iam.roles[0]
      if (!target) throw new Error('no role')
      return notAdministratorLike(target, buildIndex(inventory), inventory)
    }
    expect(edits('iam:CreatePolicyVersion')).toMatchObject({held: false, detail: expect.stringMatching(/iam:CreatePolicyVersion on its own policy etl-own/)})
    expect(edits('iam:SetDefaultPolicyVersion').held).toBe(false)
    // AdministratorAccess held in check by a boundary the role may rewrite is no check at all.
    const inventory = withAwsManaged(
      withRoles(emptyInventory(), role({name: 'target', managed: [arnOf('AdministratorAccess')], boundary: own})),
      'AdministratorAccess',
    )
    inventory.iam.policies.push({
      arn: own,
      name: 'etl-own',
      path: '/',
      awsManaged: false,
      defaultVersionId: 'v1',
      document: doc(allow('s3:GetObject'), allow('iam:CreatePolicyVersion', own)),
    })
    const target = inventory.iam.roles[0]
    if (!target) throw new Error('no role')
    expect(notAdministratorLike(target, buildIndex(inventory), inventory)).toMatchObject({
      held: false,
      detail: expect.stringMatching(/iam:CreatePolicyVersion on its own policy etl-own/),
    })
  })

  it('a role one sts:AssumeRole away from an administrator is administrator-like; one whose trust does not let it is not', () => {
    const stepping = (adminTrust: PolicyDocument) => {
      const inventory = withAwsManaged(
        withRoles(
          emptyInventory(),
          role({name: 'target', inline: {hop: doc(allow('sts:AssumeRole', roleArn('OrgAdmin')))}}),
          role({name: 'OrgAdmin', trust: adminTrust, managed: [arnOf('AdministratorAccess')]}),
        ),
        'AdministratorAccess',
      )
      const [target] = inventory.iam.roles
      if (!target) throw new Error('no role')
      return notAdministratorLike(target, buildIndex(inventory), inventory)
    }
    const reached = stepping(doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`)))
    expect(reached.held).toBe(false)
    expect(reached.detail).toBe(
      `target has administrator-like access (sts:AssumeRole on OrgAdmin, which has every action, by ${arnOf('AdministratorAccess')}); it is never the target of an automatic grant`,
    )
    expect(stepping(doc(allowAws(roleArn('someone-else')))).held).toBe(true)
  })

  it('a role that may pass a named administrator role is administrator-like', () => {
    const inventory = withAwsManaged(
      withRoles(
        emptyInventory(),
        role({name: 'target', inline: {pass: doc(allow('iam:PassRole', roleArn('OrgAdmin')))}}),
        role({name: 'OrgAdmin', trust: doc(allowService('ec2.amazonaws.com')), managed: [arnOf('AdministratorAccess')]}),
      ),
      'AdministratorAccess',
    )
    const [target] = inventory.iam.roles
    if (!target) throw new Error('no role')
    expect(notAdministratorLike(target, buildIndex(inventory), inventory).detail).toMatch(/iam:PassRole on OrgAdmin, which has every action/)
  })

  it('an allow that depends on a condition cannot be decided offline: the grant is withheld', () => {
    const guard = check({p: doc(allow('*', '*', {Condition: {StringEquals: {'aws:RequestedRegion': 'us-east-1'}}}))})
    expect(guard.held).toBeNull()
    // The first probe left open, with the evaluator's own reason for it (src/policy/evaluate.ts).
    expect(guard.detail).toBe(
      'whether target has administrator-like access could not be decided (every action: allow in inline:p depends on conditions not known here)',
    )
  })

  it('a permissions boundary that allows only data access makes AdministratorAccess harmless', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/data-only'
    const inventory = withAwsManaged(
      withRoles(emptyInventory(), role({name: 'target', managed: [arnOf('AdministratorAccess')], boundary})),
      'AdministratorAccess',
    )
    inventory.iam.policies.push({arn: boundary, name: 'data-only', path: '/', awsManaged: false, defaultVersionId: 'v1', document: doc(allow('s3:GetObject'))})
    const target = inventory.iam.roles[0]
    if (!target) throw new Error('no role')
    expect(notAdministratorLike(target, buildIndex(inventory), inventory).held).toBe(true)
  })
})

describe('the PassRole grant looks at the role passed', () => {
  function passAccount(ec2: {trust: PolicyDocument; managed?: string[]}): Change[] {
    const inventory = withAwsManaged(
      withRoles(
        emptyInventory(),
        role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
        role({name: 'ec2-custom', trust: ec2.trust, ...(ec2.managed ? {managed: ec2.managed} : {}), profiles: [{name: 'ec2-custom'}]}),
      ),
      'AmazonEMRServicePolicy_v2',
      'AdministratorAccess',
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: 'ec2-custom'}))
    return planFixes(analyze(inventory, {config: {}, now: NOW}), inventory, {config: {}, now: NOW}).changes.filter(
      (change) => change.target.id === 'svc' && change.kind === 'put-role-policy',
    )
  }

  it('passes a plain EC2 role that trusts EC2', () => {
    expect(passAccount({trust: doc(allowService('ec2.amazonaws.com'))}).map((change) => [change.policyName, change.disposition])).toEqual([
      ['emr-audit-passrole', 'apply'],
    ])
  })

  it('an EC2 role with AdministratorAccess is shown, not passed', () => {
    const changes = passAccount({trust: doc(allowService('ec2.amazonaws.com')), managed: [arnOf('AdministratorAccess')]})
    expect(changes.map((change) => [change.policyName, change.disposition, change.reason])).toEqual([
      ['emr-audit-passrole-unverified', 'advisory', 'guard notAdministratorLike did not hold'],
    ])
  })

  it('a role that does not trust EC2 is shown, not passed', () => {
    const changes = passAccount({trust: doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`))})
    expect(changes.map((change) => change.disposition)).toEqual(['advisory'])
    expect(failedGuard(changes, 'trustsPassedToService')?.detail).toMatch(/does not trust ec2\.amazonaws\.com/)
  })
})

describe('every IAM write that hands out access', () => {
  // Each writes a role's, user's, group's or policy's permissions or credentials, so whoever may call it on
  // every resource of its kind can grant itself (or anyone) more (the IAM API reference:
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html).
  it.each([
    ['iam:CreateRole', 'role'],
    ['iam:PutRolePolicy', 'role'],
    ['iam:AttachRolePolicy', 'role'],
    ['iam:DeleteRolePolicy', 'role'],
    ['iam:DetachRolePolicy', 'role'],
    ['iam:UpdateAssumeRolePolicy', 'role'],
    ['iam:PutRolePermissionsBoundary', 'role'],
    ['iam:DeleteRolePermissionsBoundary', 'role'],
    ['iam:CreateUser', 'user'],
    ['iam:PutUserPolicy', 'user'],
    ['iam:AttachUserPolicy', 'user'],
    ['iam:CreateAccessKey', 'user'],
    ['iam:CreateLoginProfile', 'user'],
    ['iam:UpdateLoginProfile', 'user'],
    ['iam:DeleteUserPermissionsBoundary', 'user'],
    ['iam:AddUserToGroup', 'group'],
    ['iam:PutGroupPolicy', 'group'],
    ['iam:AttachGroupPolicy', 'group'],
    ['iam:CreatePolicyVersion', 'policy'],
    ['iam:SetDefaultPolicyVersion', 'policy'],
  ])('%s on every %s makes a role administrator-like, and is named with the policy allowing it', (action, kind) => {
    const inventory = withRoles(emptyInventory(), role({name: 'target', inline: {edit: doc(allow(action, `arn:aws:iam::${ACCOUNT}:${kind}/*`))}}))
    const [target] = inventory.iam.roles
    if (!target) throw new Error('no role')
    expect(notAdministratorLike(target, buildIndex(inventory), inventory)).toEqual({
      name: 'notAdministratorLike',
      held: false,
      detail: `target has administrator-like access (${action} on every ${kind}, by inline:edit); it is never the target of an automatic grant`,
    })
  })

  it('an edit allowed only on another named role is not one on every role, nor on the role itself', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'target', inline: {edit: doc(allow('iam:PutRolePolicy', roleArn('other')))}}))
    const [target] = inventory.iam.roles
    if (!target) throw new Error('no role')
    expect(notAdministratorLike(target, buildIndex(inventory), inventory)).toEqual({
      name: 'notAdministratorLike',
      held: true,
      detail: 'target has no administrator-like access',
    })
  })

  it('a role, user or group edit allowed only on a policy attached to the role is not one: only a new policy version edits it', () => {
    const own = `arn:aws:iam::${ACCOUNT}:policy/etl-own`
    for (const action of ['iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:AddUserToGroup']) {
      const inventory = withRoles(emptyInventory(), role({name: 'target', inline: {edit: doc(allow(action, own))}, managed: [own]}))
      inventory.iam.policies.push({arn: own, name: 'etl-own', path: '/', awsManaged: false, defaultVersionId: 'v1', document: doc(allow('s3:GetObject', '*'))})
      const [target] = inventory.iam.roles
      if (!target) throw new Error('no role')
      expect(notAdministratorLike(target, buildIndex(inventory), inventory).held, action).toBe(true)
    }
  })

  it('an edit of the role itself is named so', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'target', inline: {self: doc(allow('iam:AttachRolePolicy', roleArn('target')))}}))
    const [target] = inventory.iam.roles
    if (!target) throw new Error('no role')
    expect(notAdministratorLike(target, buildIndex(inventory), inventory).detail).toBe(
      'target has administrator-like access (iam:AttachRolePolicy on itself, by inline:self); it is never the target of an automatic grant',
    )
  })
})

describe('the guards on the role a grant names', () => {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'runtime', trust: doc(allowAws(roleArn('ec2-role')))}),
    role({name: 'ec2-role', trust: doc(allowService('ec2.amazonaws.com'))}),
  )
  const [runtime, ec2Role] = inventory.iam.roles
  if (!runtime || !ec2Role) throw new Error('no roles')

  it('accept only one role of the inventory by its exact ARN, never a pattern', () => {
    expect(explicitRole(roleArn('runtime'), inventory)).toEqual({role: runtime, guard: {name: 'explicitRoleArn', held: true, detail: roleArn('runtime')}})
    for (const pattern of [roleArn('run*'), roleArn('runtim?')])
      expect(explicitRole(pattern, inventory), pattern).toEqual({
        guard: {name: 'explicitRoleArn', held: false, detail: `${pattern} is a pattern, not one role`},
      })
    expect(explicitRole('arn:aws:iam::210987654321:role/runtime', inventory)).toEqual({
      guard: {name: 'explicitRoleArn', held: false, detail: `arn:aws:iam::210987654321:role/runtime is not a role of account ${ACCOUNT} in the inventory`},
    })
  })

  it('need the trust to name the grantee or its account root, for sts:AssumeRole, in an Allow', () => {
    expect(trustNamesPrincipal(runtime, ec2Role, inventory).held).toBe(true)
    const withTrust = (trust: PolicyDocument) => ({...runtime, trustPolicy: trust})
    expect(trustNamesPrincipal(withTrust(doc(allowAws(ACCOUNT))), ec2Role, inventory).held).toBe(true)
    expect(trustNamesPrincipal(withTrust(doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`))), ec2Role, inventory).held).toBe(true)
    expect(trustNamesPrincipal(withTrust(doc(allowAws(roleArn('other')))), ec2Role, inventory)).toEqual({
      name: 'trustNamesGrantee',
      held: false,
      detail: 'the trust of runtime does not name ec2-role or its account root; granting would not let it assume the role',
    })
    expect(trustNamesPrincipal(withTrust(doc({...allowAws(roleArn('ec2-role')), Effect: 'Deny'})), ec2Role, inventory).held).toBe(false)
    expect(trustNamesPrincipal(withTrust(doc(allowAws(roleArn('ec2-role'), {Action: 'sts:TagSession'}))), ec2Role, inventory).held).toBe(false)
    expect(trustNamesPrincipal({...runtime, trustPolicy: null}, ec2Role, inventory)).toEqual({
      name: 'trustNamesGrantee',
      held: null,
      detail: 'the trust policy of runtime was not read',
    })
  })

  it('need a passed role to trust the service it is passed to', () => {
    expect(trustsService(ec2Role, ['ec2.amazonaws.com'])).toEqual({name: 'trustsPassedToService', held: true, detail: 'ec2-role trusts ec2.amazonaws.com'})
    expect(trustsService(runtime, ['ec2.amazonaws.com'])).toEqual({
      name: 'trustsPassedToService',
      held: false,
      detail: 'runtime does not trust ec2.amazonaws.com; passing it there is not what the finding needs',
    })
    expect(trustsService({...ec2Role, trustPolicy: null}, ['ec2.amazonaws.com'])).toEqual({
      name: 'trustsPassedToService',
      held: null,
      detail: 'the trust policy of ec2-role was not read',
    })
  })
})

describe('administrator-like, named exactly', () => {
  const guardOf = (inline: Record<string, PolicyDocument>, ...others: Parameters<typeof role>[0][]) => {
    const inventory = withRoles(emptyInventory(), role({name: 'target', inline}), ...others.map((spec) => role(spec)))
    const [target] = inventory.iam.roles
    if (!target) throw new Error('no role')
    return notAdministratorLike(target, buildIndex(inventory), inventory)
  }

  it.each([
    ['iam:PassRole', 'iam:PassRole on every role'],
    ['sts:AssumeRole', 'sts:AssumeRole on every role'],
  ])('%s on role/* is named as such', (action, what) => {
    expect(guardOf({p: doc(allow(action, `arn:aws:iam::${ACCOUNT}:role/*`))}).detail).toBe(
      `target has administrator-like access (${what}, by inline:p); it is never the target of an automatic grant`,
    )
  })

  it('names every policy that allows it', () => {
    expect(guardOf({a: doc(allow('*')), b: doc(allow('*'))}).detail).toBe(
      'target has administrator-like access (every action, by inline:a, inline:b); it is never the target of an automatic grant',
    )
  })

  it('a role that may only pass or assume roles without such access is not', () => {
    const plain = {name: 'plain', trust: doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`)), inline: {data: READ_DATA}}
    expect(guardOf({p: doc(allow(['iam:PassRole', 'sts:AssumeRole'], roleArn('plain')))}, plain).held).toBe(true)
  })
})

describe('a trust naming the grantee', () => {
  const inventory = withRoles(emptyInventory(), role({name: 'ec2-role'}))
  const [grantee] = inventory.iam.roles
  if (!grantee) throw new Error('no role')
  const target = (trust: PolicyDocument) => role({name: 'runtime', trust})

  it('is enough in any one of its statements, and any one principal of it', () => {
    expect(trustNamesPrincipal(target(doc(allowAws(roleArn('other')), allowAws(roleArn('ec2-role')))), grantee, inventory).held).toBe(true)
    expect(trustNamesPrincipal(target(doc(allowAws([roleArn('other'), roleArn('ec2-role')]))), grantee, inventory).held).toBe(true)
  })
})
