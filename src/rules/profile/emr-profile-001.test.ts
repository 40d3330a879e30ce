import {describe, expect, it} from 'vitest'
import {allowService, cluster, doc, emptyInventory, role, setCoverage, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-profile-001.js'

const ec2Trust = doc(allowService('ec2.amazonaws.com'))

describe('EMR-PROFILE-001 same-name instance profile', () => {
  it('passes for a role in a profile of its own name', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'EMR_EC2_DefaultRole', trust: ec2Trust, profiles: [{name: 'EMR_EC2_DefaultRole'}]}))
    expect(summarise(runRule(rule, inventory))).toEqual(['pass EMR_EC2_DefaultRole'])
  })

  it('fails critical for a cluster-referenced role whose profile has another name', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2-role', trust: ec2Trust, profiles: [{name: 'other-profile'}]}))
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'other-profile'}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome).toMatchObject({
      status: 'fail',
      severity: 'critical',
      resource: {id: 'ec2-role'},
      evidence: {profilesHoldingRole: ['other-profile'], guard: {profileNamedLikeRoleExists: false}},
    })
    expect(outcome?.scope?.[0]).toMatchObject({class: 'EC2', via: 'reference'})
  })

  it('fails high (not critical) for a default-name role, when its profile is empty or holds another role', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'EMR_EC2_DefaultRole', trust: ec2Trust}))
    inventory.iam.instanceProfiles.push({
      name: 'EMR_EC2_DefaultRole',
      arn: 'arn:aws:iam::123456789012:instance-profile/EMR_EC2_DefaultRole',
      id: 'AIPAX',
      path: '/',
      roles: [],
    })
    const [outcome] = runRule(rule, inventory)
    expect(outcome).toMatchObject({status: 'fail', severity: 'high', evidence: {rolesInProfile: [], guard: {profileNamedLikeRoleExists: true}}})
    expect(outcome?.message).toContain('is empty')
  })

  it('uses the IAM snapshot when ListInstanceProfiles was denied, and is unknown where that cannot tell', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_EC2_DefaultRole', trust: ec2Trust, profiles: [{name: 'EMR_EC2_DefaultRole'}]}),
      role({name: 'other', trust: ec2Trust}),
    )
    inventory.iam.instanceProfiles = []
    setCoverage(inventory, 'iam.instanceProfiles', 'global', 'denied', 'iam:ListInstanceProfiles')
    const config = {ec2Roles: ['other']}
    expect(summarise(runRule(rule, inventory, config))).toEqual(['pass EMR_EC2_DefaultRole', 'unknown other'])
  })

  it('audits roles named in the config as EC2 roles', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'custom', trust: ec2Trust}))
    expect(summarise(runRule(rule, inventory, {ec2Roles: ['custom']}))).toEqual(['fail custom'])
    expect(runRule(rule, inventory, {ec2Roles: ['custom']})[0]?.severity).toBe('critical')
  })

  // One role per instance profile, and EMR needs the profile named like the role
  // (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html).
  it('names the profile and role it checked, and what a same-name profile holds instead', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'good', trust: ec2Trust, profiles: [{name: 'good'}]}),
      role({name: 'someone-else', trust: ec2Trust, profiles: [{name: 'taken'}]}),
      role({name: 'taken', trust: ec2Trust}),
    )
    const outcomes = runRule(rule, inventory, {ec2Roles: ['good', 'taken']})
    expect(outcomes.map((outcome) => [outcome.resource.id, outcome.status, outcome.message, outcome.evidence])).toEqual([
      ['good', 'pass', 'Instance profile good holds role good.', {profile: 'arn:aws:iam::123456789012:instance-profile/good'}],
      [
        'taken',
        'fail',
        'Instance profile taken holds someone-else, not role taken; put role taken in it (check first which instances use the profile).',
        {profile: 'arn:aws:iam::123456789012:instance-profile/taken', rolesInProfile: ['someone-else'], guard: {profileNamedLikeRoleExists: true}},
      ],
    ])
  })

  it('lists the other profiles holding the role, never the missing one itself', () => {
    // The IAM snapshot still shows a same-name profile that ListInstanceProfiles (the authority) no longer lists.
    const inventory = withRoles(emptyInventory(), role({name: 'ec2-role', trust: ec2Trust, profiles: [{name: 'ec2-role'}, {name: 'p1'}, {name: 'p2'}]}))
    inventory.iam.instanceProfiles = inventory.iam.instanceProfiles.filter((profile) => profile.name !== 'ec2-role')
    withRoles(inventory, role({name: 'bare', trust: ec2Trust}))
    const outcomes = runRule(rule, inventory, {ec2Roles: ['ec2-role', 'bare']})
    expect(outcomes.map((outcome) => [outcome.resource.id, outcome.message, outcome.evidence?.['profilesHoldingRole']])).toEqual([
      ['bare', 'EC2 role bare has no instance profile of the same name; create profile bare holding it.', []],
      ['ec2-role', 'EC2 role ec2-role has no instance profile of the same name (only p1, p2); create profile ec2-role holding it.', ['p1', 'p2']],
    ])
  })

  it('says why it could not check', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'other', trust: ec2Trust}))
    setCoverage(inventory, 'iam.instanceProfiles', 'global', 'denied', 'iam:ListInstanceProfiles')
    expect(runRule(rule, inventory, {ec2Roles: ['other']})[0]?.message).toBe(
      'Could not check for an instance profile named other: instance profiles could not be listed (iam:ListInstanceProfiles), and the IAM snapshot does not show profiles without a role.',
    )
  })
})
