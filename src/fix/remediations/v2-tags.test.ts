/**
 * The v2 tag (for-use-with-amazon-emr-managed-policies=true) on network resources and Studio Git secrets,
 * and the guards that keep tagging from granting more than EMR needs: a v2 policy holder may change a
 * tagged group's rules, and the Studio service role may read a tagged secret
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html).
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT, cluster, emptyInventory, REGION} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {AuditConfig} from '../../config/schema.js'
import type {Finding, ResourceRef} from '../../findings/types.js'
import type {Inventory, NetworkInterface} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import v2Tags, {withV2Tag} from './v2-tags.js'

const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:git-AbCdEf`

/** A failing finding on the resource; the fingerprint tells findings apart in the proposals. */
const finding = (ruleId: string, resource: ResourceRef, fingerprint = ruleId.slice(-1).repeat(32)): Finding =>
  failing(ruleId, 'medium', 'fail', resource.id, {resource, fingerprint})

const plan = (inventory: Inventory, findings: Finding[], config: AuditConfig = {}) => v2Tags.plan(findings, {inventory, index: buildIndex(inventory), config})

const guard = (inventory: Inventory, findings: Finding[], name: string, config: AuditConfig = {}) =>
  plan(inventory, findings, config).proposals[0]?.guards.find((entry) => entry.name === name)

function withGroup(ownerId: string | undefined, interfaces: NetworkInterface[] = []): Inventory {
  const inventory = emptyInventory()
  inventory.ec2.securityGroups.push({id: 'sg-1', name: 'g', region: REGION, vpcId: 'vpc-1', ...(ownerId ? {ownerId} : {}), tags: [], ingress: []})
  inventory.ec2.networkInterfaces = interfaces
  return inventory
}
const GROUP = finding('EMR-TAG-002', {type: 'ec2-security-group', id: 'sg-1', region: REGION})
const eni = (id: string, extra: Partial<NetworkInterface> = {}): NetworkInterface => ({id, region: REGION, groupIds: ['sg-1'], tags: [], ...extra})

describe('the v2 tag', () => {
  it('is set to true, replacing a wrong value and keeping every other tag', () => {
    expect(withV2Tag([{key: 'Name', value: 'a'}])).toEqual([{key: 'Name', value: 'a'}, V2])
    expect(
      withV2Tag([
        {key: V2.key, value: 'false'},
        {key: 'Name', value: 'a'},
      ]),
    ).toEqual([{key: 'Name', value: 'a'}, V2])
  })

  it('is proposed once per resource, for all the rules that asked, in the resource’s region', () => {
    const inventory = withGroup(ACCOUNT)
    const {proposals, declined} = plan(inventory, [finding('EMR-TAG-003', GROUP.resource), GROUP])
    expect(declined).toEqual([])
    expect(proposals).toEqual([
      {
        kind: 'tag-ec2-resource',
        region: REGION,
        target: GROUP.resource,
        summary: `Tag sg-1 with ${V2.key}=true`,
        before: {kind: 'tags', tags: []},
        after: {kind: 'tags', tags: [V2]},
        guards: [
          {name: 'ownedByAccount', held: true, detail: `owned by ${ACCOUNT}`},
          {name: 'usedOnlyByEmr', held: true, detail: 'no network interface outside EMR uses it'},
        ],
        ruleIds: ['EMR-TAG-002', 'EMR-TAG-003'],
        findings: ['3'.repeat(32), '2'.repeat(32)],
      },
    ])
  })

  it('is not proposed where it is already exact, and declined for a resource not in the inventory', () => {
    const inventory = withGroup(ACCOUNT)
    const group = inventory.ec2.securityGroups[0]
    if (group) group.tags = [V2]
    expect(plan(inventory, [GROUP])).toEqual({proposals: [], declined: []})
    const missing = finding('EMR-TAG-001', {type: 'ec2-subnet', id: 'subnet-9', region: REGION})
    expect(plan(inventory, [missing]).declined).toEqual([
      {fingerprint: missing.fingerprint, why: 'subnet-9 is not in the inventory, so its current tags are unknown'},
    ])
    const regionless = finding('EMR-TAG-002', {type: 'ec2-security-group', id: 'sg-1'})
    expect(plan(withGroup(ACCOUNT), [regionless]).proposals).toEqual([])
  })

  it('on a subnet or VPC carries only the owner guard', () => {
    const inventory = emptyInventory()
    inventory.ec2.vpcs.push({id: 'vpc-1', region: REGION, ownerId: ACCOUNT, isDefault: false, tags: []})
    inventory.ec2.subnets.push({id: 'subnet-1', region: REGION, vpcId: 'vpc-1', ownerId: '210987654321', tags: []})
    const {proposals} = plan(inventory, [
      finding('EMR-TAG-001', {type: 'ec2-vpc', id: 'vpc-1', region: REGION}),
      finding('EMR-TAG-001', {type: 'ec2-subnet', id: 'subnet-1', region: REGION}, 'e'.repeat(32)),
    ])
    expect(proposals.map((proposal) => [proposal.target.id, proposal.guards])).toEqual([
      ['vpc-1', [{name: 'ownedByAccount', held: true, detail: `owned by ${ACCOUNT}`}]],
      ['subnet-1', [{name: 'ownedByAccount', held: false, detail: 'owned by 210987654321 (shared network): only the owner can tag it'}]],
    ])
  })

  it('cannot be decided for a resource whose owner was not reported', () => {
    expect(guard(withGroup(undefined), [GROUP], 'ownedByAccount')).toEqual({name: 'ownedByAccount', held: null, detail: 'the owner account was not reported'})
  })
})

describe('a security group used outside EMR', () => {
  it('names up to five interfaces that use it, by instance or description, and counts the rest', () => {
    const interfaces = [
      eni('eni-1', {instanceId: 'i-1', description: 'ignored'}),
      eni('eni-2', {description: 'Lambda'}),
      ...['eni-3', 'eni-4', 'eni-5', 'eni-6', 'eni-7'].map((id) => eni(id)),
    ]
    expect(guard(withGroup(ACCOUNT, interfaces), [GROUP], 'usedOnlyByEmr')).toEqual({
      name: 'usedOnlyByEmr',
      held: false,
      detail: 'also used by eni-1 (i-1), eni-2 (Lambda), eni-3, eni-4, eni-5 and 2 more; tagging would let v2 policy holders change its rules',
    })
    expect(guard(withGroup(ACCOUNT, interfaces.slice(0, 5)), [GROUP], 'usedOnlyByEmr')?.detail).toBe(
      'also used by eni-1 (i-1), eni-2 (Lambda), eni-3, eni-4, eni-5; tagging would let v2 policy holders change its rules',
    )
  })

  it('does not count interfaces EMR made or manages, of other groups, or in other regions', () => {
    const inventory = withGroup(ACCOUNT, [
      eni('eni-v2', {tags: [V2]}),
      eni('eni-emr', {tags: [{key: 'aws:elasticmapreduce:job-flow-id', value: 'j-1'}]}),
      eni('eni-primary', {instanceId: 'i-primary'}),
      eni('eni-other-group', {groupIds: ['sg-2']}),
      eni('eni-elsewhere', {region: 'eu-west-1'}),
    ])
    inventory.emr.clusters.push(cluster({id: 'j-1', primaryInstances: [{id: 'i-primary'}]} as Parameters<typeof cluster>[0]))
    expect(guard(inventory, [GROUP], 'usedOnlyByEmr')?.held).toBe(true)
  })

  it('counts an interface whose v2 tag has another value, or whose instance is no cluster’s', () => {
    for (const used of [
      eni('eni-1', {tags: [{key: V2.key, value: 'false'}]}),
      eni('eni-1', {tags: [{key: 'Name', value: 'true'}]}),
      eni('eni-1', {instanceId: 'i-elsewhere'}),
    ])
      expect(guard(withGroup(ACCOUNT, [used]), [GROUP], 'usedOnlyByEmr')?.held).toBe(false)
  })

  it('cannot be decided when the interfaces were not listed', () => {
    const expected = {
      name: 'usedOnlyByEmr',
      held: null,
      detail: `the group's network interfaces could not be listed (ec2:DescribeNetworkInterfaces in ${REGION})`,
    }
    const unlisted = withGroup(ACCOUNT)
    delete unlisted.ec2.networkInterfaces
    expect(guard(unlisted, [GROUP], 'usedOnlyByEmr')).toEqual(expected)
    const denied = withGroup(ACCOUNT)
    denied.coverage = denied.coverage.map((outcome) => (outcome.source === 'ec2.networkInterfaces' ? {...outcome, status: 'denied'} : outcome))
    expect(guard(denied, [GROUP], 'usedOnlyByEmr')).toEqual(expected)
  })
})

describe('a Studio Git secret', () => {
  const withSecret = (name: string, arn = SECRET_ARN) => {
    const inventory = emptyInventory()
    inventory.secrets.push({arn, name, region: REGION, tags: []})
    return inventory
  }
  const SECRET = finding('EMR-STUDIO-003', {type: 'secret', id: 'git', region: REGION})

  it('is tagged by its ARN, found by name or ARN, and only in its region', () => {
    const {proposals} = plan(withSecret('git'), [SECRET], {studios: [{gitSecrets: ['git']}]} as AuditConfig)
    expect(proposals[0]).toMatchObject({
      kind: 'tag-secret',
      region: REGION,
      target: {type: 'secret', id: 'git', region: REGION, arn: SECRET_ARN},
      summary: `Tag secret git with ${V2.key}=true`,
      after: {kind: 'tags', tags: [V2]},
    })
    const byArn = finding('EMR-STUDIO-003', {type: 'secret', id: 'renamed', arn: SECRET_ARN, region: REGION})
    expect(plan(withSecret('git'), [byArn]).proposals).toHaveLength(1)
    expect(plan(withSecret('git'), [{...SECRET, resource: {...SECRET.resource, region: 'eu-west-1'}}]).declined).toHaveLength(1)
  })

  it('is one EMR Studio names emr-studio-…, or one the config lists by name or ARN; no other', () => {
    expect(guard(withSecret('emr-studio-git'), [{...SECRET, resource: {...SECRET.resource, id: 'emr-studio-git'}}], 'studioSecret')).toEqual({
      name: 'studioSecret',
      held: true,
      detail: 'named with the emr-studio- prefix EMR Studio uses',
    })
    const listed = {name: 'studioSecret', held: true, detail: 'listed as a Studio Git secret in the config'}
    expect(guard(withSecret('git'), [SECRET], 'studioSecret', {studios: [{gitSecrets: ['git']}]} as AuditConfig)).toEqual(listed)
    expect(guard(withSecret('git'), [SECRET], 'studioSecret', {studios: [{gitSecrets: [SECRET_ARN]}]} as AuditConfig)).toEqual(listed)
    const inStudio = withSecret('git')
    inStudio.emr.studios.push({gitSecrets: ['git']} as Inventory['emr']['studios'][number])
    expect(guard(inStudio, [SECRET], 'studioSecret')).toEqual(listed)
    expect(guard(withSecret('git'), [SECRET], 'studioSecret')).toEqual({
      name: 'studioSecret',
      held: false,
      detail: 'neither named emr-studio-… nor listed in the config: tagging would let the Studio service role read it',
    })
  })

  it('is the one the finding names among several in the region', () => {
    const inventory = withSecret('git')
    inventory.secrets.unshift({arn: SECRET_ARN.replace('git-', 'first-'), name: 'first', region: REGION, tags: []})
    expect(plan(inventory, [SECRET]).proposals[0]?.target.arn).toBe(SECRET_ARN)
  })

  it('whose ARN cannot be read has an owner that cannot be decided', () => {
    expect(guard(withSecret('git', 'not-an-arn'), [SECRET], 'ownedByAccount')?.held).toBeNull()
  })

  it('of another account is not the account’s to tag', () => {
    const shared = withSecret('git', `arn:aws:secretsmanager:${REGION}:210987654321:secret:git-AbCdEf`)
    expect(guard(shared, [SECRET], 'ownedByAccount')?.held).toBe(false)
  })
})
