/**
 * EMR-PROFILE-001: EMR launches instances with the instance profile named like the EC2 role
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html), so the fix is a profile
 * of that name holding the role; one that exists already is shown, not changed.
 */
import {describe, expect, it} from 'vitest'
import {emptyInventory, role, roleArn, setCoverage, withRoles} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {Inventory} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import instanceProfile from './instance-profile.js'

const plan = (inventory: Inventory, names: string[] = ['ec2-role']) =>
  instanceProfile.plan(
    names.map((name) => failing('EMR-PROFILE-001', 'critical', 'fail', name)),
    {inventory, index: buildIndex(inventory), config: {}},
  )

function withProfile(roles: string[]): Inventory {
  const inventory = withRoles(emptyInventory(), role({name: 'ec2-role'}))
  inventory.iam.instanceProfiles.push({
    name: 'ec2-role',
    arn: 'arn:aws:iam::123456789012:instance-profile/ec2-role',
    id: 'AIPAEXAMPLE',
    path: '/',
    roles: roles.map((name) => ({name, arn: roleArn(name)})),
  })
  return inventory
}

describe('the instance profile fix', () => {
  it('creates a missing profile named like the role, holding it, on the role’s path', () => {
    const {proposals, declined} = plan(withRoles(emptyInventory(), role({name: 'ec2-role', path: '/emr/'})))
    expect(declined).toEqual([])
    expect(proposals).toEqual([
      {
        kind: 'instance-profile',
        region: 'global',
        target: {type: 'iam-instance-profile', id: 'ec2-role', name: 'ec2-role', arn: 'arn:aws:iam::123456789012:instance-profile/emr/ec2-role'},
        ruleIds: ['EMR-PROFILE-001'],
        findings: [failing('EMR-PROFILE-001', 'critical', 'fail', 'ec2-role').fingerprint],
        summary: 'Create instance profile ec2-role holding role ec2-role',
        before: {kind: 'instance-profile', exists: false, roles: []},
        after: {kind: 'instance-profile', exists: true, roles: ['ec2-role']},
        guards: [{name: 'noProfileNamedLikeRole', held: true, detail: 'no instance profile is named ec2-role'}],
      },
    ])
  })

  it('shows putting the role into an existing profile, naming the role it would replace', () => {
    const [replacing] = plan(withProfile(['other'])).proposals
    expect(replacing).toMatchObject({
      kind: 'instance-profile',
      summary: 'Put role ec2-role into instance profile ec2-role (replacing other)',
      before: {kind: 'instance-profile', exists: true, roles: ['other']},
      after: {kind: 'instance-profile', exists: true, roles: ['ec2-role']},
      guards: [{name: 'noProfileNamedLikeRole', held: false, detail: 'instance profile ec2-role exists holding other; instances using it would change role'}],
    })
    expect(replacing).not.toHaveProperty('refusal')
    const [filling] = plan(withProfile([])).proposals
    expect(filling).toMatchObject({
      summary: 'Put role ec2-role into instance profile ec2-role',
      guards: [{held: false, detail: 'instance profile ec2-role exists (empty); instances using it would change role'}],
    })
  })

  it('refuses a service-linked role', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2-role', path: '/aws-service-role/ec2.amazonaws.com/'}))
    expect(plan(inventory).proposals[0]?.refusal).toBe('ec2-role is a service-linked role')
  })

  it('declines when the role is unknown or the profiles could not be read', () => {
    const why = 'whether a profile of that name exists could not be read'
    const inventory = withRoles(emptyInventory(), role({name: 'ec2-role'}))
    expect(plan(inventory, ['missing']).declined).toEqual([{fingerprint: failing('EMR-PROFILE-001', 'critical', 'fail', 'missing').fingerprint, why}])
    setCoverage(inventory, 'iam.instanceProfiles', 'global', 'denied')
    expect(plan(inventory)).toEqual({proposals: [], declined: [{fingerprint: failing('EMR-PROFILE-001', 'critical', 'fail', 'ec2-role').fingerprint, why}]})
  })
})
