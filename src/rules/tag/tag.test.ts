import {describe, expect, it} from 'vitest'
import {awsPolicyArn, cluster, doc, emptyInventory, role, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory, Tag} from '../../inventory/schema.js'
import tag001 from './emr-tag-001.js'
import tag002 from './emr-tag-002.js'
import tag003 from './emr-tag-003.js'
import {requireV2Tag} from './tag-contract.js'

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
    const outcomes = runRule(tag001, inventory)
    expect(summarise(outcomes)).toEqual(['unknown subnet-1'])
    expect(outcomes[0]?.message).toBe(
      'Could not check the tags of subnet subnet-1 (cluster j-1): subnets could not be read in us-east-1 (ec2:DescribeSubnets).',
    )
  })
  it('says which resource lacks the tag, for which clusters, and what breaks', () => {
    const inventory = account([])
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'), onSubnet('j-2', 'svc-v2'))
    expect(runRule(tag001, inventory)[0]?.message).toBe(
      'Subnet subnet-1 (cluster j-1, cluster j-2) lacks the tag for-use-with-amazon-emr-managed-policies=true; with the v2 service policy, EMR cannot launch or replace nodes there.',
    )
    const tagged = account([V2])
    tagged.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(runRule(tag001, tagged)[0]?.message).toBe('Subnet subnet-1 carries for-use-with-amazon-emr-managed-policies=true.')
  })
  it('the owner guard (tag only what the account owns) is false for a shared subnet and open when the owner is unknown', () => {
    const shared = account([])
    shared.ec2.subnets[0]!.ownerId = '999999999999'
    shared.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(runRule(tag001, shared)[0]?.evidence).toEqual({usedBy: ['cluster j-1'], ownerId: '999999999999', guard: {ownedByAccount: false}})
    const unowned = account([])
    delete unowned.ec2.subnets[0]!.ownerId
    unowned.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(runRule(tag001, unowned)[0]?.evidence).toEqual({usedBy: ['cluster j-1'], guard: {ownedByAccount: undefined}})
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
  it('says what an untagged group breaks', () => {
    const inventory = account([V2], [])
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(runRule(tag002, inventory)[0]?.message).toBe(
      'Security group sg-m (cluster j-1) lacks the tag for-use-with-amazon-emr-managed-policies=true; EMR cannot use it for launches or manage its rules.',
    )
  })
})

describe('requireV2Tag', () => {
  it('an entry with neither tags nor a reason is unknown as "not collected"', () => {
    const outcomes = requireV2Tag(
      emptyInventory(),
      [{kind: 'vpc', region: 'us-east-1', resource: {type: 'ec2-vpc', id: 'vpc-1'}, usedBy: ['Studio es-1']}],
      'x',
    )
    expect(outcomes.map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['unknown', 'Could not check the tags of vpc vpc-1 (Studio es-1): not collected.'],
    ])
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
  it('names every variant on the resource, reports each resource once, with its owner', () => {
    const variants = [
      {key: V2.key, value: 'True'},
      {key: 'For-Use-With-Amazon-EMR-Managed-Policies', value: 'yes'},
    ]
    const inventory = account(variants, [{key: V2.key, value: 'TRUE'}])
    // Two clusters and a Studio all examine subnet-1: still one finding for it.
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'), onSubnet('j-2', 'svc-custom'))
    inventory.emr.studios.push({id: 'es-1', region: 'us-east-1', origin: 'api', subnetIds: ['subnet-1'], gitSecrets: [], serviceRole: 'svc-custom'})
    const outcomes = runRule(tag003, inventory)
    expect(summarise(outcomes)).toEqual(['fail subnet-1', 'fail sg-m', 'fail sg-s'])
    expect(outcomes[0]?.message).toBe(
      'subnet-1 carries "for-use-with-amazon-emr-managed-policies"="True", "For-Use-With-Amazon-EMR-Managed-Policies"="yes", which IAM does not match; add exactly for-use-with-amazon-emr-managed-policies=true.',
    )
    expect(outcomes[0]?.evidence).toEqual({variants, usedBy: ['cluster j-1', 'cluster j-2'], ownerId: ACCOUNT})
  })
  it('skips resources it could not read', () => {
    const inventory = setCoverage(account([]), 'ec2.subnets', 'us-east-1', 'denied')
    inventory.ec2.subnets = []
    inventory.ec2.securityGroups[0]!.tags = [{key: V2.key, value: 'yes'}]
    inventory.emr.clusters.push(onSubnet('j-1', 'svc-v2'))
    expect(summarise(runRule(tag003, inventory))).toEqual(['fail sg-m'])
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
