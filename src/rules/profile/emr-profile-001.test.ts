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
})
