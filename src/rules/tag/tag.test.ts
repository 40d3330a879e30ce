import {describe, expect, it} from 'vitest'
import {awsPolicyArn, cluster, doc, emptyInventory, role, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory, Tag} from '../../inventory/schema.js'
import tag001 from './emr-tag-001.js'
import tag002 from './emr-tag-002.js'
import tag003 from './emr-tag-003.js'

const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}
const v2Policy = awsPolicyArn('AmazonEMRServicePolicy_v2')
const v1Policy = awsPolicyArn('AmazonElasticMapReduceRole')

function account(subnetTags: Tag[], groupTags: Tag[] = [V2]): Inventory {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'svc-v2', managed: [v2Policy]}),
    role({name: 'svc-v1', managed: [v1Policy]}),
    role({
      name: 'svc-custom',
      inline: {
        tagged: doc({
          Effect: 'Allow',
          Action: 'ec2:RunInstances',
          Resource: '*',
          Condition: {StringEquals: {'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true'}},
        }),
      },
    }),
  )
  inventory.ec2.subnets.push({id: 'subnet-1', region: 'us-east-1', vpcId: 'vpc-1', ownerId: ACCOUNT, tags: subnetTags})
  inventory.ec2.vpcs.push({id: 'vpc-1', region: 'us-east-1', isDefault: false, ownerId: ACCOUNT, tags: []})
  inventory.ec2.securityGroups.push(
    {id: 'sg-m', name: 'm', region: 'us-east-1', ownerId: ACCOUNT, tags: groupTags, ingress: []},
    {id: 'sg-s', name: 's', region: 'us-east-1', ownerId: ACCOUNT, tags: groupTags, ingress: []},
  )
  return inventory
}

const onSubnet = (id: string, serviceRole: string) =>
  cluster({id, serviceRole, subnetId: 'subnet-1', emrManagedMasterSecurityGroup: 'sg-m', emrManagedSlaveSecurityGroup: 'sg-s'})

describe('EMR-TAG-001 subnets of tag-dependent clusters', () => {
  it('fails an untagged subnet of a v2 cluster (once, naming every cluster on it), with the owner guard', () => {
    const inventory = account([])
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'), onSubnet('j-2', 'svc-custom'))
    const outcomes = runRule(tag001, inventory)
    expect(summarise(outcomes)).toEqual(['fail subnet-1'])
    expect(outcomes[0]?.evidence).toMatchObject({usedBy: ['cluster j-1', 'cluster j-2'], guard: {ownedByAccount: true}})
  })
  it('a v1 cluster in an untagged subnet is not a finding', () => {
    const inventory = account([])
    inventory.emr.clusters.push(onSubnet('j-v1', 'svc-v1'))
    expect(runRule(tag001, inventory)).toEqual([])
  })
  it('passes with the exact tag; leaves near misses to TAG-003', () => {
    const tagged = account([V2])
    tagged.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(summarise(runRule(tag001, tagged))).toEqual(['pass subnet-1'])
    const nearMiss = account([{key: 'for-use-with-amazon-emr-managed-policies', value: 'True'}])
    nearMiss.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(runRule(tag001, nearMiss)).toEqual([])
  })
  it('checks the VPC when EMR must create its default security groups', () => {
    const inventory = account([V2])
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc-v2', subnetId: 'subnet-1'}))
    expect(summarise(runRule(tag001, inventory))).toEqual(['pass subnet-1', 'fail vpc-1'])
  })
  it('is unknown when subnets could not be read', () => {
    const inventory = setCoverage(account([]), 'ec2.subnets', 'us-east-1', 'denied')
    inventory.ec2.subnets = []
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(summarise(runRule(tag001, inventory))).toEqual(['unknown subnet-1'])
  })
})

describe('EMR-TAG-002 security groups of tag-dependent clusters', () => {
  it('fails untagged groups and passes tagged ones', () => {
    const inventory = account([V2], [])
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(summarise(runRule(tag002, inventory))).toEqual(['fail sg-m', 'fail sg-s'])
    const tagged = account([V2])
    tagged.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(summarise(runRule(tag002, tagged))).toEqual(['pass sg-m', 'pass sg-s'])
  })
})

describe('EMR-TAG-003 near-miss tags', () => {
  it.each([
    ['value True', {key: V2.key, value: 'True'}],
    ['value yes', {key: V2.key, value: 'yes'}],
    ['padded value', {key: V2.key, value: 'true '}],
    ['key case', {key: 'For-Use-With-Amazon-EMR-Managed-Policies', value: 'true'}],
    ['padded key', {key: ` ${V2.key}`, value: 'true'}],
  ])('fails a %s', (_label, tag) => {
    const inventory = account([tag])
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    const outcomes = runRule(tag003, inventory)
    expect(summarise(outcomes)).toEqual(['fail subnet-1'])
    expect(outcomes[0]?.evidence?.['variants']).toEqual([tag])
  })
  it('is silent when the exact tag is there too, or when the cluster does not depend on the tag', () => {
    const both = account([V2, {key: 'For-Use-With-Amazon-EMR-Managed-Policies', value: 'yes'}])
    both.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(runRule(tag003, both)).toEqual([])
    const v1 = account([{key: V2.key, value: 'True'}])
    v1.emr.clusters.push(onSubnet('j-1', 'svc-v1'))
    expect(runRule(tag003, v1)).toEqual([])
  })
})
