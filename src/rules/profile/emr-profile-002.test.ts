import {describe, expect, it} from 'vitest'
import {cluster, emptyInventory, role, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, scanRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-profile-002.js'

describe('EMR-PROFILE-002 cluster instance profile is non-empty and name-aligned', () => {
  it('passes for an aligned profile, named or by ARN', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', profiles: [{name: 'ec2'}]}))
    inventory.emr.clusters.push(
      cluster({id: 'j-1', instanceProfile: 'ec2'}),
      cluster({id: 'j-2', instanceProfile: `arn:aws:iam::${ACCOUNT}:instance-profile/ec2`}),
    )
    expect(summarise(runRule(rule, inventory))).toEqual(['pass j-1', 'pass j-2'])
  })

  it('fails for a missing, empty or mismatched profile', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', profiles: [{name: 'mismatch'}]}))
    inventory.iam.instanceProfiles.push({name: 'empty', arn: 'arn:aws:iam::123456789012:instance-profile/empty', id: 'AIPAY', path: '/', roles: []})
    inventory.emr.clusters.push(
      cluster({id: 'j-missing', instanceProfile: 'nope'}),
      cluster({id: 'j-empty', instanceProfile: 'empty'}),
      cluster({id: 'j-mismatch', instanceProfile: 'mismatch'}),
    )
    const outcomes = runRule(rule, inventory)
    expect(summarise(outcomes)).toEqual(['fail j-missing', 'fail j-empty', 'fail j-mismatch'])
    expect(outcomes.map((outcome) => outcome.message)).toEqual([
      expect.stringContaining('does not exist'),
      expect.stringContaining('holds no role'),
      expect.stringContaining('holds ec2'),
    ])
  })

  it('is unknown when profiles could not be listed and the snapshot does not show the profile', () => {
    const inventory = setCoverage(emptyInventory(), 'iam.instanceProfiles', 'global', 'denied')
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'maybe-empty'}))
    expect(summarise(runRule(rule, inventory))).toEqual(['unknown j-1'])
  })

  it('is unknown in a region whose clusters could not be listed', () => {
    const inventory = setCoverage(emptyInventory(), 'emr.clusters', 'us-east-1', 'error', 'elasticmapreduce:ListClusters')
    expect(scanRule(rule, inventory).map((finding) => [summarise([finding])[0], finding.message])).toEqual([
      [
        'unknown 123456789012#us-east-1',
        'Could not check the instance profiles of active clusters in us-east-1: the active clusters (elasticmapreduce:ListClusters) could not be read (see coverage).',
      ],
    ])
  })

  it('is unknown, saying so, for a cluster that reports no instance profile', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-1'}))
    expect(runRule(rule, inventory).map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['unknown', 'Cluster j-1 reports no instance profile; its EC2 role cannot be checked.'],
    ])
  })

  it('names the profile, the cluster and the roles found, with the profile reference as evidence', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', profiles: [{name: 'ec2'}]}),
      role({name: 'a', profiles: [{name: 'mismatch', roleNames: ['a', 'b']}]}),
    )
    inventory.iam.instanceProfiles.push({name: 'empty', arn: 'arn:aws:iam::123456789012:instance-profile/empty', id: 'AIPAY', path: '/', roles: []})
    const profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/ec2`
    inventory.emr.clusters.push(
      cluster({id: 'j-ok', instanceProfile: profileArn}),
      cluster({id: 'j-empty', instanceProfile: 'empty'}),
      cluster({id: 'j-mismatch', instanceProfile: 'mismatch'}),
    )
    expect(runRule(rule, inventory).map((outcome) => [outcome.status, outcome.message, outcome.evidence])).toEqual([
      ['pass', 'Instance profile ec2 of cluster j-ok holds the role of the same name.', {instanceProfile: profileArn, rolesInProfile: ['ec2']}],
      ['fail', 'Instance profile empty of cluster j-empty holds no role; add role empty to it.', {instanceProfile: 'empty', rolesInProfile: []}],
      [
        'fail',
        'Instance profile mismatch of cluster j-mismatch holds a, b, not a role named mismatch; EMR requires the names to match.',
        {instanceProfile: 'mismatch', rolesInProfile: ['a', 'b']},
      ],
    ])
  })

  it('"exactly one role, named like the profile": a second role fails the check (REQUIREMENTS PROFILE-002)', () => {
    const inventory = emptyInventory()
    inventory.iam.instanceProfiles.push({
      name: 'ec2',
      arn: 'arn:aws:iam::123456789012:instance-profile/ec2',
      id: 'AIPAZ',
      path: '/',
      roles: [
        {name: 'ec2', arn: 'arn:aws:iam::123456789012:role/ec2'},
        {name: 'extra', arn: 'arn:aws:iam::123456789012:role/extra'},
      ],
    })
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'ec2'}))
    expect(summarise(runRule(rule, inventory))).toEqual(['fail j-1'])
  })

  it('says why the profile could not be checked', () => {
    const inventory = setCoverage(emptyInventory(), 'iam.instanceProfiles', 'global', 'denied')
    inventory.emr.clusters.push(cluster({id: 'j-1', instanceProfile: 'maybe-empty'}))
    expect(runRule(rule, inventory).map((outcome) => [outcome.message, outcome.evidence])).toEqual([
      [
        'Could not check instance profile maybe-empty of cluster j-1: instance profiles could not be listed (iam:ListInstanceProfiles), and the IAM snapshot does not show profiles without a role.',
        {instanceProfile: 'maybe-empty'},
      ],
    ])
  })
})
