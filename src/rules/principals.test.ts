import {describe, expect, it} from 'vitest'
import {doc, emptyInventory, group, managedPolicy, role, user, withRoles} from '../../test/fixtures/inventory.js'
import {buildIndex} from './inventory-index.js'
import {awsManagedArn, entitiesAttaching, principalsOf} from './principals.js'
import {buildScope} from './scope.js'

const CUSTOMER = 'arn:aws:iam::123456789012:policy/emr-operators'
const UNREAD = 'arn:aws:iam::123456789012:policy/not-in-snapshot'
const BOUNDARY = 'arn:aws:iam::123456789012:policy/boundary'
const allowEmr = doc({Effect: 'Allow', Action: 'elasticmapreduce:*', Resource: '*'})

function account() {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'EMR_DefaultRole'}),
    role({name: 'AWSServiceRoleForEMRCleanup', path: '/aws-service-role/elasticmapreduce.amazonaws.com/'}),
    role({name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/'}),
    role({name: 'deployer', managed: [CUSTOMER], boundary: BOUNDARY}),
  )
  inventory.iam.policies.push(managedPolicy(CUSTOMER, allowEmr), managedPolicy(BOUNDARY, allowEmr))
  inventory.iam.groups.push(group({name: 'operators', managed: [CUSTOMER], inline: {extra: allowEmr}}))
  inventory.iam.users.push(
    user({name: 'alice', inline: {own: allowEmr}, managed: [UNREAD], groups: ['operators', 'deleted-group'], boundary: BOUNDARY}),
    user({name: 'bob'}),
  )
  return inventory
}

describe('the principals the operator rules evaluate', () => {
  it('lists users, groups and roles other than EMR’s own and service-linked ones, sorted by ARN', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    const principals = principalsOf(inventory, index, buildScope(inventory, index, {}))
    expect(principals.map((principal) => `${principal.kind} ${principal.name}`)).toEqual(['group operators', 'role deployer', 'user alice', 'user bob'])
    expect(principals[0]?.resource).toEqual({type: 'iam-group', id: 'operators', arn: 'arn:aws:iam::123456789012:group/operators', name: 'operators'})
    expect(principals[1]?.resource).toEqual({type: 'iam-role', id: 'deployer', arn: 'arn:aws:iam::123456789012:role/deployer', name: 'deployer'})
    expect(principals[2]?.resource).toEqual({type: 'iam-user', id: 'alice', arn: 'arn:aws:iam::123456789012:user/alice', name: 'alice'})
  })

  it('gives a user its own policies, then those of each of its groups, labelled with the group', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    const alice = principalsOf(inventory, index, buildScope(inventory, index, {})).find((principal) => principal.name === 'alice')
    expect(alice?.policies).toEqual([
      {label: 'inline:own', document: allowEmr},
      {label: UNREAD, document: null},
      {label: 'group operators inline:extra', document: allowEmr},
      {label: `group operators ${CUSTOMER}`, document: allowEmr},
    ])
    expect(alice?.boundary).toEqual({label: `boundary:${BOUNDARY}`, document: allowEmr})
  })

  it('gives a group and a role their own policies, and the role its boundary; no boundary when none is set', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    const principals = principalsOf(inventory, index, buildScope(inventory, index, {}))
    const named = (name: string) => principals.find((principal) => principal.name === name)
    expect(named('operators')?.policies).toEqual([
      {label: 'inline:extra', document: allowEmr},
      {label: CUSTOMER, document: allowEmr},
    ])
    expect(named('deployer')?.policies).toEqual([{label: CUSTOMER, document: allowEmr}])
    expect(named('deployer')?.boundary).toEqual({label: `boundary:${BOUNDARY}`, document: allowEmr})
    expect(named('bob')).not.toHaveProperty('boundary')
    expect(named('operators')).not.toHaveProperty('boundary')
  })

  it('builds the list once per analysis, and afresh for another inventory or scope', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    const scope = buildScope(inventory, index, {})
    const first = principalsOf(inventory, index, scope)
    expect(Object.isFrozen(first)).toBe(true)
    expect(principalsOf(inventory, index, scope)).toBe(first)
    const otherScope = buildScope(inventory, index, {})
    expect(principalsOf(inventory, index, otherScope)).not.toBe(first)
    const other = account()
    other.iam.users.pop()
    expect(principalsOf(other, index, otherScope).map((principal) => principal.name)).not.toContain('bob')
  })
})

describe('who attaches a managed policy', () => {
  it('lists the users, groups and roles attaching it, and no one else', () => {
    expect(entitiesAttaching(account(), CUSTOMER).map((entity) => `${entity.kind} ${entity.name} ${entity.resource.type}`)).toEqual([
      'group operators iam-group',
      'role deployer iam-role',
    ])
    expect(entitiesAttaching(account(), UNREAD)).toEqual([
      {
        kind: 'user',
        name: 'alice',
        arn: 'arn:aws:iam::123456789012:user/alice',
        resource: {type: 'iam-user', id: 'alice', arn: 'arn:aws:iam::123456789012:user/alice', name: 'alice'},
      },
    ])
    expect(entitiesAttaching(account(), BOUNDARY)).toEqual([])
  })
})

describe('AWS managed policy ARNs', () => {
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html
  it('are in the aws account of the partition, at the given path', () => {
    expect(awsManagedArn('aws', 'AdministratorAccess')).toBe('arn:aws:iam::aws:policy/AdministratorAccess')
    expect(awsManagedArn('aws-cn', 'AmazonEMRServicePolicy_v2', '/service-role/')).toBe('arn:aws-cn:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2')
  })
})
