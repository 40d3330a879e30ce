/**
 * The examined set behind EMR-TAG-001/002/003 and EMR-STUDIO-002/003 (REQUIREMENTS TAG and STUDIO-002/003):
 * which resources the v2 tag contract covers, why, and what is recorded when one cannot be read.
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT, awsPolicyArn, cluster, doc, emptyInventory, REGION, role, setCoverage, withRoles} from '../../../test/fixtures/inventory.js'
import type {Inventory, Studio} from '../../inventory/schema.js'
import {buildIndex} from '../inventory-index.js'
import {clusterNetworkResources, isTagDependent, studioNetworkResources, studioSecretResources, usesV2TagConditions} from './examined.js'

const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}
const tagCondition = {StringEquals: {'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true'}}

/**
 * The Studio service role sample keys both its network and its secret statements on the v2 tag
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html).
 */
function account(): Inventory {
  return withRoles(
    emptyInventory(),
    role({name: 'svc-v2', managed: [awsPolicyArn('AmazonEMRServicePolicy_v2')]}),
    role({name: 'svc-mixed', managed: [awsPolicyArn('AmazonS3ReadOnlyAccess', '/'), awsPolicyArn('AmazonEMRServicePolicy_v2')]}),
    role({name: 'svc-v1', managed: [awsPolicyArn('AmazonElasticMapReduceRole')]}),
    role({
      name: 'studio-net',
      inline: {net: doc({Effect: 'Allow', Action: 'ec2:CreateNetworkInterface', Resource: '*', Condition: tagCondition})},
    }),
    role({
      name: 'studio-secrets',
      inline: {git: doc({Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:*', Condition: tagCondition})},
    }),
  )
}

const studio = (spec: Partial<Studio>): Studio => ({id: 'es-1', region: REGION, origin: 'api', subnetIds: [], gitSecrets: [], ...spec})
const secretArn = (name: string, region = REGION) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`
const brief = (entries: Array<{kind: string; resource: {id: string}; usedBy: string[]}>) =>
  entries.map((entry) => `${entry.kind} ${entry.resource.id} <- ${entry.usedBy.join(' + ')}`)

describe('isTagDependent (service role has AmazonEMRServicePolicy_v2 or v2 tag conditions)', () => {
  it('finds the v2 policy among other attached policies', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    expect(isTagDependent(cluster({id: 'j-1', serviceRole: 'svc-mixed'}), index)).toBe(true)
    expect(isTagDependent(cluster({id: 'j-2', serviceRole: 'svc-v1'}), index)).toBe(false)
  })
  it('is false when the cluster names no service role, or one the account does not have', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    expect(isTagDependent(cluster({id: 'j-1'}), index)).toBe(false)
    expect(isTagDependent(cluster({id: 'j-2', serviceRole: 'deleted-role'}), index)).toBe(false)
  })
  it('a tag condition counts for an action only when its statement covers that action', () => {
    const inventory = account()
    const index = buildIndex(inventory)
    const net = index.roleByName('studio-net')!
    expect(usesV2TagConditions(net, index)).toBe(true)
    expect(usesV2TagConditions(net, index, 'ec2:CreateNetworkInterface')).toBe(true)
    expect(usesV2TagConditions(net, index, 'secretsmanager:GetSecretValue')).toBe(false)
  })
})

describe('clusterNetworkResources', () => {
  it('ignores clusters without a service role', () => {
    const inventory = account()
    inventory.ec2.subnets.push({id: 'subnet-1', region: REGION, vpcId: 'vpc-1', tags: []})
    inventory.emr.clusters.push(cluster({id: 'j-1', subnetId: 'subnet-1'}))
    expect(clusterNetworkResources(inventory, buildIndex(inventory))).toEqual({subnetsAndVpcs: [], securityGroups: []})
  })

  it('records kind, resource, tags and owner of each subnet and group; the VPC only once per reason', () => {
    const inventory = account()
    inventory.ec2.subnets.push(
      {id: 'subnet-a', region: REGION, vpcId: 'vpc-1', ownerId: '999999999999', tags: [V2]},
      {id: 'subnet-b', region: REGION, vpcId: 'vpc-1', ownerId: ACCOUNT, tags: []},
    )
    inventory.ec2.vpcs.push({id: 'vpc-1', region: REGION, isDefault: false, tags: []})
    inventory.ec2.securityGroups.push({id: 'sg-m', name: 'm', region: REGION, tags: [V2], ingress: []})
    // Only the master group is supplied: EMR still has to create the other default group in the VPC.
    inventory.emr.clusters.push(
      cluster({id: 'j-1', serviceRole: 'svc-v2', requestedSubnetIds: ['subnet-a', 'subnet-b'], emrManagedMasterSecurityGroup: 'sg-m'}),
    )
    const {subnetsAndVpcs, securityGroups} = clusterNetworkResources(inventory, buildIndex(inventory))
    expect(subnetsAndVpcs).toEqual([
      {
        kind: 'subnet',
        region: REGION,
        resource: {type: 'ec2-subnet', id: 'subnet-a', region: REGION},
        tags: [V2],
        ownerId: '999999999999',
        usedBy: ['cluster j-1'],
      },
      {kind: 'subnet', region: REGION, resource: {type: 'ec2-subnet', id: 'subnet-b', region: REGION}, tags: [], ownerId: ACCOUNT, usedBy: ['cluster j-1']},
      {
        kind: 'vpc',
        region: REGION,
        resource: {type: 'ec2-vpc', id: 'vpc-1', region: REGION},
        tags: [],
        usedBy: ['cluster j-1 (EMR creates its default security groups there)'],
      },
    ])
    expect(securityGroups).toEqual([
      {kind: 'security-group', region: REGION, resource: {type: 'ec2-security-group', id: 'sg-m', region: REGION}, tags: [V2], usedBy: ['cluster j-1']},
    ])
  })

  it('looks up the VPC of the cluster subnet in the cluster region, not a namesake elsewhere', () => {
    const inventory = account()
    inventory.ec2.subnets.push(
      {id: 'subnet-1', region: 'eu-west-1', vpcId: 'vpc-other-region', tags: []},
      {id: 'subnet-0', region: REGION, vpcId: 'vpc-other-subnet', tags: []},
      {id: 'subnet-1', region: REGION, vpcId: 'vpc-1', tags: []},
    )
    inventory.ec2.vpcs.push({id: 'vpc-1', region: REGION, isDefault: false, tags: []})
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc-v2', subnetId: 'subnet-1'}))
    expect(brief(clusterNetworkResources(inventory, buildIndex(inventory)).subnetsAndVpcs)).toEqual([
      'subnet subnet-1 <- cluster j-1',
      'vpc vpc-1 <- cluster j-1 (EMR creates its default security groups there)',
    ])
  })

  it('a subnet the account does not list is "not found"; one that could not be read carries the reason; no VPC is guessed', () => {
    const missing = account()
    missing.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc-v2', subnetId: 'subnet-gone'}))
    expect(clusterNetworkResources(missing, buildIndex(missing)).subnetsAndVpcs).toEqual([
      {kind: 'subnet', region: REGION, resource: {type: 'ec2-subnet', id: 'subnet-gone', region: REGION}, unreadable: 'not found', usedBy: ['cluster j-1']},
    ])
    const denied = setCoverage(account(), 'ec2.subnets', REGION, 'denied')
    denied.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc-v2', subnetId: 'subnet-1'}))
    expect(clusterNetworkResources(denied, buildIndex(denied)).subnetsAndVpcs).toEqual([
      {
        kind: 'subnet',
        region: REGION,
        resource: {type: 'ec2-subnet', id: 'subnet-1', region: REGION},
        unreadable: `subnets could not be read in ${REGION} (ec2:DescribeSubnets)`,
        usedBy: ['cluster j-1'],
      },
    ])
  })

  it('skips the VPC when both EMR-managed groups are supplied', () => {
    const inventory = account()
    inventory.ec2.subnets.push({id: 'subnet-1', region: REGION, vpcId: 'vpc-1', tags: []})
    inventory.emr.clusters.push(
      cluster({id: 'j-1', serviceRole: 'svc-v2', subnetId: 'subnet-1', emrManagedMasterSecurityGroup: 'sg-m', emrManagedSlaveSecurityGroup: 'sg-s'}),
    )
    const {subnetsAndVpcs, securityGroups} = clusterNetworkResources(inventory, buildIndex(inventory))
    expect(brief(subnetsAndVpcs)).toEqual(['subnet subnet-1 <- cluster j-1'])
    expect(brief(securityGroups)).toEqual(['security-group sg-m <- cluster j-1', 'security-group sg-s <- cluster j-1'])
  })
})

describe('studioNetworkResources', () => {
  it('examines VPC, subnets and the groups that are set, for a Studio whose role uses v2 tag conditions', () => {
    const inventory = account()
    inventory.ec2.vpcs.push({id: 'vpc-1', region: REGION, isDefault: false, tags: [V2]})
    inventory.emr.studios.push(
      studio({serviceRole: 'studio-net', vpcId: 'vpc-1', subnetIds: ['subnet-1'], workspaceSecurityGroupId: 'sg-w'}),
      studio({id: 'es-2', serviceRole: 'studio-net', subnetIds: ['subnet-2'], engineSecurityGroupId: 'sg-e'}),
      studio({id: 'es-v1', serviceRole: 'svc-v1', vpcId: 'vpc-9', subnetIds: ['subnet-9']}),
    )
    const examined = studioNetworkResources(inventory, buildIndex(inventory))
    expect(brief(examined)).toEqual([
      'vpc vpc-1 <- Studio es-1',
      'subnet subnet-1 <- Studio es-1',
      'security-group sg-w <- Studio es-1',
      'subnet subnet-2 <- Studio es-2',
      'security-group sg-e <- Studio es-2',
    ])
    expect(examined.map((entry) => entry.resource.type)).toEqual(['ec2-vpc', 'ec2-subnet', 'ec2-security-group', 'ec2-subnet', 'ec2-security-group'])
    expect(examined[0]?.tags).toEqual([V2])
  })
})

describe('studioSecretResources (emr-studio-* secrets plus the Studio Git secrets, in its region)', () => {
  it('picks secrets by prefix, by configured name or ARN, in the Studio region only', () => {
    const inventory = account()
    inventory.secrets.push(
      {name: 'emr-studio-repo', arn: secretArn('emr-studio-repo'), region: REGION, tags: [V2]},
      {name: 'team-git', arn: secretArn('team-git'), region: REGION, tags: []},
      {name: 'by-arn', arn: secretArn('by-arn'), region: REGION, tags: []},
      {name: 'unrelated', arn: secretArn('unrelated'), region: REGION, tags: []},
      {name: 'emr-studio-elsewhere', arn: secretArn('emr-studio-elsewhere', 'eu-west-1'), region: 'eu-west-1', tags: []},
    )
    inventory.emr.studios.push(studio({serviceRole: 'studio-secrets', gitSecrets: ['team-git', secretArn('by-arn')]}))
    const examined = studioSecretResources(inventory, buildIndex(inventory))
    expect(examined).toEqual([
      {
        kind: 'secret',
        region: REGION,
        resource: {type: 'secret', id: 'emr-studio-repo', region: REGION, arn: secretArn('emr-studio-repo')},
        tags: [V2],
        usedBy: ['Studio es-1'],
      },
      {
        kind: 'secret',
        region: REGION,
        resource: {type: 'secret', id: 'team-git', region: REGION, arn: secretArn('team-git')},
        tags: [],
        usedBy: ['Studio es-1'],
      },
      {kind: 'secret', region: REGION, resource: {type: 'secret', id: 'by-arn', region: REGION, arn: secretArn('by-arn')}, tags: [], usedBy: ['Studio es-1']},
    ])
  })

  it('a configured secret that is not listed is "not found", or unreadable when secrets could not be listed', () => {
    const inventory = account()
    inventory.emr.studios.push(studio({serviceRole: 'studio-secrets', gitSecrets: ['gone']}))
    expect(studioSecretResources(inventory, buildIndex(inventory))).toEqual([
      {kind: 'secret', region: REGION, resource: {type: 'secret', id: 'gone', region: REGION}, unreadable: 'not found', usedBy: ['Studio es-1']},
    ])
    const denied = setCoverage(account(), 'secretsmanager.secrets', REGION, 'denied')
    denied.emr.studios.push(studio({serviceRole: 'studio-secrets', gitSecrets: ['gone']}))
    expect(studioSecretResources(denied, buildIndex(denied))).toEqual([
      {
        kind: 'secret',
        region: REGION,
        resource: {type: 'secret', id: 'gone', region: REGION},
        unreadable: `secrets could not be listed in ${REGION}`,
        usedBy: ['Studio es-1'],
      },
    ])
  })

  it('needs the tag condition on secretsmanager:GetSecretValue, not just on some network action', () => {
    const inventory = account()
    inventory.secrets.push({name: 'emr-studio-repo', arn: secretArn('emr-studio-repo'), region: REGION, tags: []})
    inventory.emr.studios.push(studio({serviceRole: 'studio-net', gitSecrets: ['emr-studio-repo']}))
    expect(studioSecretResources(inventory, buildIndex(inventory))).toEqual([])
  })
})
