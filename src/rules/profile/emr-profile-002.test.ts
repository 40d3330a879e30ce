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
})
