/**
 * The resources the v2 tag contract applies to, shared by EMR-TAG-001/002/003 and EMR-STUDIO-002/003 so
 * that all of them examine exactly the same set.
 */
import type {ResourceRef} from '../../findings/types.js'
import type {Cluster, Inventory, Role, SourceId, Studio, Tag} from '../../inventory/schema.js'
import {V2_TAG_KEY} from '../../inventory/tags.js'
import {conditionKeys, statementsOf} from '../../policy/document.js'
import {statementCoversAction} from '../../policy/match.js'
import type {InventoryIndex} from '../inventory-index.js'
import {clusterSecurityGroupIds, clusterSubnetIds, findSecurityGroup, findSubnet, findVpc} from '../network.js'

/** What the examined set is chosen and read from: the rules built on it read these. */
export const EXAMINED_SOURCES: readonly SourceId[] = [
  'emr.clusters',
  'emr.studios',
  'ec2.subnets',
  'ec2.vpcs',
  'ec2.securityGroups',
  'secretsmanager.secrets',
  'iam.authorizationDetails',
  'iam.awsManagedPolicies',
]

const V2_RESOURCE_TAG_KEY = `aws:resourcetag/${V2_TAG_KEY}`

function policyDocuments(role: Role, index: InventoryIndex) {
  return index.identityPolicies(role).map((source) => source.document)
}

/** Does any policy of the role key a permission on the v2 resource tag (optionally for one action)? */
export function usesV2TagConditions(role: Role, index: InventoryIndex, action?: string): boolean {
  return policyDocuments(role, index).some((document) =>
    statementsOf(document).some(
      (statement) => conditionKeys(statement).includes(V2_RESOURCE_TAG_KEY) && (action === undefined || statementCoversAction(statement, action)),
    ),
  )
}

/** REQUIREMENTS TAG: a cluster depends on the v2 tag when its service role has the v2 policy or tag-conditioned policies. */
export function isTagDependent(cluster: Cluster, index: InventoryIndex): boolean {
  const role = cluster.serviceRole ? index.roleByReference(cluster.serviceRole) : undefined
  if (!role) return false
  return role.attachedPolicies.some((policy) => policy.arn.endsWith(':policy/service-role/AmazonEMRServicePolicy_v2')) || usesV2TagConditions(role, index)
}

export interface ExaminedResource {
  resource: ResourceRef
  region: string
  /** undefined when the resource could not be read (its source failed); see `unreadable`. */
  tags?: Tag[]
  ownerId?: string
  unreadable?: string
  /** Why the tag contract applies: "subnet of cluster j-1", ... */
  usedBy: string[]
  kind: 'subnet' | 'vpc' | 'security-group' | 'secret'
}

type Kind = ExaminedResource['kind']
const resourceType = {subnet: 'ec2-subnet', vpc: 'ec2-vpc', 'security-group': 'ec2-security-group', secret: 'secret'} as const

class Collector {
  private readonly entries = new Map<string, ExaminedResource>()

  add(kind: Kind, id: string, region: string, usedBy: string, read: () => {tags?: Tag[]; ownerId?: string; arn?: string; unreadable?: string}): void {
    const key = `${kind}|${region}|${id}`
    const existing = this.entries.get(key)
    if (existing) {
      if (!existing.usedBy.includes(usedBy)) existing.usedBy.push(usedBy)
      return
    }
    const found = read()
    this.entries.set(key, {
      kind,
      region,
      resource: {type: resourceType[kind], id, region, ...(found.arn ? {arn: found.arn} : {})},
      ...(found.tags ? {tags: found.tags} : {}),
      ...(found.ownerId ? {ownerId: found.ownerId} : {}),
      ...(found.unreadable ? {unreadable: found.unreadable} : {}),
      usedBy: [usedBy],
    })
  }

  list(): ExaminedResource[] {
    return [...this.entries.values()]
  }
}

function networkReader(inventory: Inventory, index: InventoryIndex) {
  const read = <T extends {tags: Tag[]; ownerId?: string}>(lookup: {status: 'found'; value: T} | {status: 'missing'} | {status: 'unknown'; reason: string}) =>
    lookup.status === 'found'
      ? {tags: lookup.value.tags, ...(lookup.value.ownerId ? {ownerId: lookup.value.ownerId} : {})}
      : {unreadable: lookup.status === 'missing' ? 'not found' : lookup.reason}
  return {
    subnet: (id: string, region: string) => () => read(findSubnet(inventory, index, id, region)),
    vpc: (id: string, region: string) => () => read(findVpc(inventory, index, id, region)),
    group: (id: string, region: string) => () => read(findSecurityGroup(inventory, index, id, region)),
  }
}

/** Subnets, VPCs (where EMR must create default groups) and security groups of tag-dependent clusters. */
export function clusterNetworkResources(inventory: Inventory, index: InventoryIndex): {subnetsAndVpcs: ExaminedResource[]; securityGroups: ExaminedResource[]} {
  const subnets = new Collector()
  const groups = new Collector()
  const reader = networkReader(inventory, index)
  for (const cluster of inventory.emr.clusters.filter((entry) => isTagDependent(entry, index))) {
    const usedBy = `cluster ${cluster.id}`
    for (const id of clusterSubnetIds(cluster)) subnets.add('subnet', id, cluster.region, usedBy, reader.subnet(id, cluster.region))
    if (!cluster.emrManagedMasterSecurityGroup || !cluster.emrManagedSlaveSecurityGroup) {
      for (const id of clusterSubnetIds(cluster)) {
        const subnet = inventory.ec2.subnets.find((entry) => entry.id === id && entry.region === cluster.region)
        if (subnet?.vpcId)
          subnets.add(
            'vpc',
            subnet.vpcId,
            cluster.region,
            `${usedBy} (EMR creates its default security groups there)`,
            reader.vpc(subnet.vpcId, cluster.region),
          )
      }
    }
    for (const id of clusterSecurityGroupIds(cluster)) groups.add('security-group', id, cluster.region, usedBy, reader.group(id, cluster.region))
  }
  return {subnetsAndVpcs: subnets.list(), securityGroups: groups.list()}
}

function studioServiceRole(studio: Studio, index: InventoryIndex): Role | undefined {
  return studio.serviceRole ? index.roleByReference(studio.serviceRole) : undefined
}

/** Studio VPC, subnets and security groups, for Studios whose service role uses v2 tag conditions. */
export function studioNetworkResources(inventory: Inventory, index: InventoryIndex): ExaminedResource[] {
  const collector = new Collector()
  const reader = networkReader(inventory, index)
  for (const studio of inventory.emr.studios) {
    const role = studioServiceRole(studio, index)
    if (!role || !usesV2TagConditions(role, index)) continue
    const usedBy = `Studio ${studio.id}`
    if (studio.vpcId) collector.add('vpc', studio.vpcId, studio.region, usedBy, reader.vpc(studio.vpcId, studio.region))
    for (const id of studio.subnetIds) collector.add('subnet', id, studio.region, usedBy, reader.subnet(id, studio.region))
    for (const id of [studio.workspaceSecurityGroupId, studio.engineSecurityGroupId])
      if (id) collector.add('security-group', id, studio.region, usedBy, reader.group(id, studio.region))
  }
  return collector.list()
}

/** Git secrets of Studios whose service role reads secrets only when they carry the v2 tag. */
export function studioSecretResources(inventory: Inventory, index: InventoryIndex): ExaminedResource[] {
  const collector = new Collector()
  for (const studio of inventory.emr.studios) {
    const role = studioServiceRole(studio, index)
    if (!role || !usesV2TagConditions(role, index, 'secretsmanager:GetSecretValue')) continue
    const configured = new Set(studio.gitSecrets)
    const candidates = inventory.secrets.filter(
      (secret) => secret.region === studio.region && (secret.name.startsWith('emr-studio-') || configured.has(secret.name) || configured.has(secret.arn)),
    )
    for (const secret of candidates) collector.add('secret', secret.name, studio.region, `Studio ${studio.id}`, () => ({tags: secret.tags, arn: secret.arn}))
    const seen = new Set(candidates.flatMap((secret) => [secret.name, secret.arn]))
    const collected = index.collected('secretsmanager.secrets', studio.region)
    for (const name of studio.gitSecrets.filter((entry) => !seen.has(entry))) {
      collector.add('secret', name, studio.region, `Studio ${studio.id}`, () => ({
        unreadable: collected ? 'not found' : `secrets could not be listed in ${studio.region}`,
      }))
    }
  }
  return collector.list()
}
