import {describe, expect, it} from 'vitest'
import {allowService, awsPolicyArn, cluster, doc, emptyInventory, managedPolicy, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import slr001 from './emr-slr-001.js'
import slr002, {usesSpot} from './emr-slr-002.js'

const cleanupPolicy = 'arn:aws:iam::aws:policy/aws-service-role/AmazonEMRCleanupPolicy'
const cleanupRole = (extra: Partial<Parameters<typeof role>[0]> = {}) =>
  role({
    name: 'AWSServiceRoleForEMRCleanup',
    path: '/aws-service-role/elasticmapreduce.amazonaws.com/',
    trust: doc(allowService('elasticmapreduce.amazonaws.com')),
    managed: [cleanupPolicy],
    ...extra,
  })

describe('EMR-SLR-001 the cleanup service-linked role', () => {
  it('is only evaluated when clusters exist', () => {
    expect(runRule(slr001, emptyInventory())).toEqual([])
  })
  it('passes when intact, fails when missing or altered', () => {
    const withCluster = () => {
      const inventory = emptyInventory()
      inventory.emr.clusters.push(cluster({id: 'j-1'}))
      return inventory
    }
    expect(summarise(runRule(slr001, withRoles(withCluster(), cleanupRole())))).toEqual(['pass AWSServiceRoleForEMRCleanup'])
    expect(summarise(runRule(slr001, withCluster()))).toEqual(['fail 123456789012'])
    const [altered] = runRule(slr001, withRoles(withCluster(), cleanupRole({managed: []})))
    expect(altered?.message).toContain('AmazonEMRCleanupPolicy is not attached')
  })
  // REQUIREMENTS EMR-SLR-001: the name, the path /aws-service-role/elasticmapreduce.amazonaws.com/, the EMR
  // principal in the trust, and AmazonEMRCleanupPolicy attached.
  it('names every way the role is not intact, and finds it by its path under another name', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-1'}))
    withRoles(inventory, cleanupRole({path: '/', trust: doc(allowService('ec2.amazonaws.com')), managed: []}))
    expect(runRule(slr001, inventory)).toEqual([
      {
        status: 'fail',
        resource: {
          type: 'iam-role',
          id: 'AWSServiceRoleForEMRCleanup',
          name: 'AWSServiceRoleForEMRCleanup',
          arn: 'arn:aws:iam::123456789012:role/AWSServiceRoleForEMRCleanup',
        },
        message:
          'Service-linked role AWSServiceRoleForEMRCleanup is not intact: its path is /, not /aws-service-role/elasticmapreduce.amazonaws.com/; its trust does not allow the EMR principal; AmazonEMRCleanupPolicy is not attached; delete and recreate it.',
        evidence: {
          problems: [
            'its path is /, not /aws-service-role/elasticmapreduce.amazonaws.com/',
            'its trust does not allow the EMR principal',
            'AmazonEMRCleanupPolicy is not attached',
          ],
        },
      },
    ])
    const renamed = emptyInventory()
    renamed.emr.clusters.push(cluster({id: 'j-1'}))
    withRoles(renamed, cleanupRole({name: 'AWSServiceRoleForEMRCleanup_2'}))
    expect(summarise(runRule(slr001, renamed))).toEqual(['pass AWSServiceRoleForEMRCleanup_2'])
    const missing = emptyInventory()
    missing.emr.clusters.push(cluster({id: 'j-1'}))
    expect(runRule(slr001, missing)[0]?.evidence).toEqual({expectedPath: '/aws-service-role/elasticmapreduce.amazonaws.com/'})
  })
})

describe('EMR-SLR-002 Spot service-linked role', () => {
  const spotCluster = (serviceRole = 'svc') =>
    cluster({id: 'j-spot', serviceRole, instanceGroups: [{id: 'ig-1', type: 'CORE', market: 'SPOT', hasAutoScalingPolicy: false}]})
  it('passes when the role exists', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'AWSServiceRoleForEC2Spot', path: '/aws-service-role/spot.amazonaws.com/'}))
    inventory.emr.clusters.push(spotCluster())
    expect(runRule(slr002, inventory).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  it('fails when missing and the v2 service policy cannot create it; passes when the service role can', () => {
    const v2 = awsPolicyArn('AmazonEMRServicePolicy_v2')
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'svc', managed: [v2]}),
      role({
        name: 'v1',
        inline: {
          slr: doc({
            Effect: 'Allow',
            Action: 'iam:CreateServiceLinkedRole',
            Resource: '*',
            Condition: {StringLike: {'iam:AWSServiceName': 'spot.amazonaws.com'}},
          }),
        },
      }),
    )
    inventory.iam.policies.push(managedPolicy(v2, doc({Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*'})))
    inventory.emr.clusters.push(spotCluster('svc'), {...spotCluster('v1'), id: 'j-v1'})
    expect(summarise(runRule(slr002, inventory))).toEqual(['fail j-spot', 'pass j-v1'])
  })
  // REQUIREMENTS EMR-SLR-002: Spot is an instance group with Market SPOT or a fleet with TargetSpotCapacity > 0.
  it('tells Spot capacity from groups and fleets', () => {
    expect(usesSpot(cluster({id: 'j-1', instanceGroups: [{id: 'ig', type: 'CORE', market: 'ON_DEMAND', hasAutoScalingPolicy: false}]}))).toBe(false)
    expect(usesSpot(cluster({id: 'j-1', instanceGroups: undefined, instanceFleets: [{id: 'if', type: 'CORE', targetSpotCapacity: 1}]}))).toBe(true)
    expect(
      usesSpot(cluster({id: 'j-1', instanceGroups: undefined, instanceFleets: [{id: 'if', type: 'CORE', targetSpotCapacity: 0, targetOnDemandCapacity: 2}]})),
    ).toBe(false)
    expect(usesSpot(cluster({id: 'j-1', instanceGroups: undefined, instanceFleets: [{id: 'if', type: 'CORE'}]}))).toBe(false)
  })
  it('passes on the role name alone, fails a Spot cluster without a service role, and is unknown when the grant is conditional', () => {
    const byName = withRoles(emptyInventory(), role({name: 'AWSServiceRoleForEC2Spot'}))
    byName.emr.clusters.push(spotCluster())
    expect(runRule(slr002, byName)).toMatchObject([{status: 'pass', message: 'AWSServiceRoleForEC2Spot exists for the Spot capacity of j-spot.'}])
    const conditional = doc({Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*', Condition: {StringEquals: {'aws:ResourceTag/team': 'x'}}})
    const inventory = withRoles(emptyInventory(), role({name: 'svc', inline: {slr: conditional}}))
    inventory.emr.clusters.push(spotCluster('svc'), {...spotCluster(''), id: 'j-none'})
    expect(runRule(slr002, inventory)).toMatchObject([
      {status: 'unknown', resource: {id: 'j-spot'}, evidence: {serviceRole: 'svc', canCreateSpotRole: 'unknown'}},
      {status: 'fail', resource: {id: 'j-none'}, evidence: {canCreateSpotRole: 'implicit-deny'}},
    ])
  })
  it('is silent without Spot, and unknown where capacity was not read', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-od'}), cluster({id: 'j-unread', instanceGroups: undefined}))
    expect(summarise(runRule(slr002, inventory))).toEqual(['unknown j-unread'])
  })
})
