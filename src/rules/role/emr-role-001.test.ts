import {describe, expect, it} from 'vitest'
import {allowService, cluster, doc, emptyInventory, role, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, scanRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-role-001.js'

describe('EMR-ROLE-001 every role referenced by a live cluster exists', () => {
  it('fails for each missing reference, with the field as sub-key', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com'))}))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', autoScalingRole: 'gone-asg'}), cluster({id: 'j-2', serviceRole: 'also-gone'}))
    const outcomes = runRule(rule, inventory)
    expect(summarise(outcomes)).toEqual(['pass j-1#ServiceRole', 'fail j-1#AutoScalingRole', 'fail j-2#ServiceRole'])
    expect(outcomes[1]?.message).toContain('gone-asg')
  })

  it('resolves ARN references, path included, to the role', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc', path: '/emr/'}))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: `arn:aws:iam::${ACCOUNT}:role/emr/svc`}))
    expect(summarise(runRule(rule, inventory))).toEqual(['pass j-1#ServiceRole'])
  })

  it('without clusters, passes with an info note listing the default roles present', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'EMR_DefaultRole'}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome).toMatchObject({status: 'pass', severity: 'info', evidence: {defaultRolesPresent: ['EMR_DefaultRole']}})
  })

  it('says which role exists or is missing, and from which field', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'svc'}))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: `arn:aws:iam::${ACCOUNT}:role/svc`, autoScalingRole: 'gone-asg'}))
    expect(runRule(rule, inventory)).toMatchObject([
      {
        message: 'ServiceRole svc of cluster j-1 exists.',
        evidence: {field: 'ServiceRole', reference: `arn:aws:iam::${ACCOUNT}:role/svc`, roleArn: `arn:aws:iam::${ACCOUNT}:role/svc`},
      },
      {
        message: 'Cluster j-1 (us-east-1) uses AutoScalingRole gone-asg, which does not exist; recreate it with the documented trust and policy.',
        evidence: {field: 'AutoScalingRole', reference: 'gone-asg'},
      },
    ])
  })

  // REQUIREMENTS EMR-ROLE-001: with no cluster, which of EMR_DefaultRole, EMR_DefaultRole_V2, EMR_EC2_DefaultRole
  // and EMR_AutoScaling_DefaultRole exist (the notebook and cleanup roles are not cluster roles).
  it('without clusters, lists the default cluster roles present and absent', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'EMR_EC2_DefaultRole'}), role({name: 'EMR_Notebooks_DefaultRole'}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome?.message).toBe('No active cluster in the scanned regions; default roles present: EMR_EC2_DefaultRole.')
    expect(outcome?.evidence).toEqual({
      defaultRolesPresent: ['EMR_EC2_DefaultRole'],
      defaultRolesAbsent: ['EMR_DefaultRole', 'EMR_DefaultRole_V2', 'EMR_AutoScaling_DefaultRole', 'EMR_AutoScalingDefaultRole'],
    })
    expect(runRule(rule, emptyInventory())[0]?.message).toBe('No active cluster in the scanned regions; default roles present: none.')
    const two = withRoles(emptyInventory(), role({name: 'EMR_DefaultRole'}), role({name: 'EMR_EC2_DefaultRole'}))
    expect(runRule(rule, two)[0]?.message).toBe('No active cluster in the scanned regions; default roles present: EMR_DefaultRole, EMR_EC2_DefaultRole.')
  })

  it('says nothing of an account without clusters where one region could not be listed', () => {
    const inventory = setCoverage(emptyInventory(['us-east-1', 'eu-west-1']), 'emr.clusters', 'eu-west-1', 'denied')
    expect(runRule(rule, inventory)).toEqual([])
  })

  it('is unknown, never pass, where clusters or IAM could not be read', () => {
    const noClusters = setCoverage(emptyInventory(), 'emr.clusters', 'us-east-1', 'denied', 'elasticmapreduce:ListClusters')
    // No "no active cluster" pass: the engine's unknown for the region is the only answer.
    expect(summarise(scanRule(rule, noClusters))).toEqual(['unknown 123456789012#us-east-1'])
    expect(scanRule(rule, noClusters)[0]?.message).toBe(
      'Could not check the roles of active clusters in us-east-1: the active clusters (elasticmapreduce:ListClusters) could not be read (see coverage).',
    )
    const noIam = setCoverage(emptyInventory(), 'iam.authorizationDetails', 'global', 'denied')
    noIam.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc'}))
    expect(runRule(rule, noIam).map((outcome) => outcome.status)).toEqual(['unknown'])
  })
})
