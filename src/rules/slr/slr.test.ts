import {describe, expect, it} from 'vitest'
import {allowService, awsPolicyArn, cluster, doc, emptyInventory, managedPolicy, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import slr001 from './emr-slr-001.js'
import slr002 from './emr-slr-002.js'

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
  it('is silent without Spot, and unknown where capacity was not read', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-od'}), cluster({id: 'j-unread', instanceGroups: undefined}))
    expect(summarise(runRule(slr002, inventory))).toEqual(['unknown j-unread'])
  })
})
