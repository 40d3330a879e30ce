import {describe, expect, it} from 'vitest'
import {doc, emptyInventory, managedPolicy, role, roleArn, setCoverage, withRoles} from '../../test/fixtures/inventory.js'
import {buildIndex} from './inventory-index.js'

const POLICY = 'arn:aws:iam::123456789012:policy/emr-ec2'
const UNREAD = 'arn:aws:iam::123456789012:policy/unread'
const document = doc({Effect: 'Allow', Action: 's3:GetObject', Resource: '*'})

function account() {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'ec2-role', path: '/emr/', id: 'AROAEC2ROLE', inline: {logs: document}, managed: [POLICY, UNREAD], boundary: POLICY}),
    role({name: 'in-snapshot-only', profiles: [{name: 'snapshot-profile'}]}),
  )
  inventory.iam.policies.push(managedPolicy(POLICY, document))
  inventory.iam.instanceProfiles.push({
    name: 'ec2-profile',
    arn: 'arn:aws:iam::123456789012:instance-profile/ec2-profile',
    id: 'AIPAEC2PROFILE',
    path: '/',
    roles: [{name: 'ec2-role', arn: roleArn('ec2-role', '/emr/')}],
  })
  return inventory
}

describe('role lookups', () => {
  const index = buildIndex(account())

  it('finds a role by name, by ARN (path included), by a name in an ARN, and by id', () => {
    expect(index.roleByName('ec2-role')?.id).toBe('AROAEC2ROLE')
    expect(index.roleByReference('arn:aws:iam::123456789012:role/emr/ec2-role')?.name).toBe('ec2-role')
    expect(index.roleByReference('ec2-role')?.name).toBe('ec2-role')
    expect(index.roleById('AROAEC2ROLE')?.name).toBe('ec2-role')
    expect(index.roleByName('EC2-ROLE')).toBeUndefined()
    expect(index.roleById('ec2-role')).toBeUndefined()
  })

  it('gives a role’s inline and attached policies, an unread one as null, the same list each time', () => {
    const entry = index.roleByName('ec2-role')!
    expect(index.identityPolicies(entry)).toEqual([
      {label: 'inline:logs', document},
      {label: POLICY, document},
      {label: UNREAD, document: null},
    ])
    expect(index.identityPolicies(entry)).toBe(index.identityPolicies(entry))
    expect(index.permissionsBoundary(entry)).toEqual({label: `boundary:${POLICY}`, document})
    expect(index.permissionsBoundary(index.roleByName('in-snapshot-only')!)).toBeUndefined()
    expect(
      buildIndex(withRoles(emptyInventory(), role({name: 'bounded', boundary: UNREAD}))).permissionsBoundary(role({name: 'bounded', boundary: UNREAD})),
    ).toEqual({
      label: `boundary:${UNREAD}`,
      document: null,
    })
    expect(index.policy(POLICY)?.document).toEqual(document)
    expect(index.policy(UNREAD)).toBeUndefined()
  })
})

describe('instance profiles', () => {
  it('resolves a profile ListInstanceProfiles listed, by name or ARN', () => {
    const index = buildIndex(account())
    const found = {
      status: 'found',
      name: 'ec2-profile',
      arn: 'arn:aws:iam::123456789012:instance-profile/ec2-profile',
      roleNames: ['ec2-role'],
      source: 'ListInstanceProfiles',
    }
    expect(index.resolveInstanceProfile('ec2-profile')).toEqual(found)
    expect(index.resolveInstanceProfile('arn:aws:iam::123456789012:instance-profile/ec2-profile')).toEqual(found)
    expect(index.instanceProfile('arn:aws:iam::123456789012:instance-profile/ec2-profile')?.id).toBe('AIPAEC2PROFILE')
  })

  it('calls a profile ListInstanceProfiles did not list absent, even when the snapshot shows it', () => {
    // withRoles lists the snapshot's profiles too; take this one out of the listing.
    const inventory = account()
    inventory.iam.instanceProfiles = inventory.iam.instanceProfiles.filter((profile) => profile.name !== 'snapshot-profile')
    expect(buildIndex(inventory).resolveInstanceProfile('snapshot-profile')).toEqual({status: 'absent', name: 'snapshot-profile'})
  })

  it('falls back on the IAM snapshot when the profiles could not be listed, else answers unknown', () => {
    const inventory = setCoverage(account(), 'iam.instanceProfiles', 'global', 'denied')
    inventory.iam.instanceProfiles = []
    const index = buildIndex(inventory)
    expect(index.resolveInstanceProfile('snapshot-profile')).toEqual({
      status: 'found',
      name: 'snapshot-profile',
      arn: 'arn:aws:iam::123456789012:instance-profile/snapshot-profile',
      roleNames: ['in-snapshot-only'],
      source: 'GetAccountAuthorizationDetails',
    })
    expect(index.resolveInstanceProfile('empty-profile')).toEqual({
      status: 'unknown',
      name: 'empty-profile',
      reason: 'instance profiles could not be listed (iam:ListInstanceProfiles), and the IAM snapshot does not show profiles without a role',
    })
  })
})

describe('source coverage', () => {
  it('keeps the worst outcome of a source in a region, whatever the order', () => {
    const inventory = emptyInventory(['us-east-1', 'eu-west-1'])
    inventory.coverage.push(
      {source: 'emr.clusters', region: 'us-east-1', status: 'error'},
      {source: 'emr.clusters', region: 'us-east-1', status: 'denied'},
      {source: 'ec2.vpcs', region: 'eu-west-1', status: 'unsupported'},
      {source: 'ec2.vpcs', region: 'eu-west-1', status: 'ok'},
      {source: 'ec2.subnets', region: 'eu-west-1', status: 'denied'},
      {source: 'ec2.subnets', region: 'eu-west-1', status: 'unsupported'},
    )
    const index = buildIndex(inventory)
    expect(index.sourceStatus('emr.clusters', 'us-east-1')).toBe('error')
    expect(index.sourceStatus('ec2.vpcs', 'eu-west-1')).toBe('unsupported')
    expect(index.sourceStatus('ec2.subnets', 'eu-west-1')).toBe('denied')
    expect(index.sourceStatus('emr.clusters', 'eu-west-1')).toBe('ok')
    expect(index.sourceStatus('emr.clusters', 'ap-south-1')).toBeUndefined()
  })

  it('counts a source collected only when it answered in full', () => {
    const inventory = setCoverage(emptyInventory(), 'emr.clusters', 'us-east-1', 'unsupported')
    const index = buildIndex(inventory)
    expect(index.collected('emr.clusters', 'us-east-1')).toBe(false)
    expect(index.collected('ec2.vpcs', 'us-east-1')).toBe(true)
    expect(index.collected('ec2.vpcs', 'eu-west-1')).toBe(false)
  })
})
