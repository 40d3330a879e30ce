/** Network questions several rules ask: a cluster's security groups, open ingress, tag contract. */
import type {BlockPublicAccess, Cluster, IngressRule, Inventory, SecurityGroup, Subnet, Tag, Vpc} from '../inventory/schema.js'
import {isV2LikeKey, V2_TAG_KEY, V2_TAG_VALUE} from '../inventory/tags.js'
import type {InventoryIndex} from './inventory-index.js'

export function clusterSecurityGroupIds(cluster: Cluster): string[] {
  const ids = [
    cluster.emrManagedMasterSecurityGroup,
    cluster.emrManagedSlaveSecurityGroup,
    cluster.serviceAccessSecurityGroup,
    ...cluster.additionalMasterSecurityGroups,
    ...cluster.additionalSlaveSecurityGroups,
  ].filter((id): id is string => Boolean(id))
  return [...new Set(ids)]
}

export function clusterSubnetIds(cluster: Cluster): string[] {
  return [...new Set([cluster.subnetId, ...cluster.requestedSubnetIds].filter((id): id is string => Boolean(id)))]
}

export type Lookup<T> = {status: 'found'; value: T} | {status: 'missing'} | {status: 'unknown'; reason: string}

function lookup<T extends {id: string; region: string}>(items: T[], id: string, region: string, collected: boolean, what: string, action: string): Lookup<T> {
  const value = items.find((item) => item.id === id && item.region === region)
  if (value) return {status: 'found', value}
  return collected ? {status: 'missing'} : {status: 'unknown', reason: `${what} could not be read in ${region} (${action})`}
}

export function findSecurityGroup(inventory: Inventory, index: InventoryIndex, id: string, region: string): Lookup<SecurityGroup> {
  return lookup(inventory.ec2.securityGroups, id, region, index.collected('ec2.securityGroups', region), 'security groups', 'ec2:DescribeSecurityGroups')
}

export function findSubnet(inventory: Inventory, index: InventoryIndex, id: string, region: string): Lookup<Subnet> {
  return lookup(inventory.ec2.subnets, id, region, index.collected('ec2.subnets', region), 'subnets', 'ec2:DescribeSubnets')
}

export function findVpc(inventory: Inventory, index: InventoryIndex, id: string, region: string): Lookup<Vpc> {
  return lookup(inventory.ec2.vpcs, id, region, index.collected('ec2.vpcs', region), 'VPCs', 'ec2:DescribeVpcs')
}

export const WORLD = ['0.0.0.0/0', '::/0']

export function isWorldOpen(rule: IngressRule): boolean {
  return rule.ipv4Ranges.includes('0.0.0.0/0') || rule.ipv6Ranges.includes('::/0')
}

/**
 * Would block public access refuse this rule at launch? Only world-open rules inside a permitted range
 * pass (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html).
 */
export function refusedByBpa(rule: IngressRule, bpa: BlockPublicAccess): boolean {
  if (!isWorldOpen(rule)) return false
  if (rule.protocol === '-1' || rule.fromPort === undefined || rule.toPort === undefined) return true
  const {fromPort, toPort} = rule
  return !bpa.permittedRanges.some((range) => range.min <= fromPort && toPort <= (range.max ?? range.min))
}

/** All ports: protocol -1, or 0–65535. */
export function coversAllPorts(rule: IngressRule): boolean {
  return rule.protocol === '-1' || ((rule.fromPort ?? 0) <= 0 && (rule.toPort ?? 65535) >= 65535)
}

export function coversPort(rule: IngressRule, port: number): boolean {
  if (rule.protocol === '-1') return true
  if (rule.fromPort === undefined || rule.toPort === undefined) return false
  return rule.fromPort <= port && port <= rule.toPort
}

export function portLabel(rule: IngressRule): string {
  if (coversAllPorts(rule)) return 'all ports'
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`
  return `${rule.protocol}/${ports}`
}

export type V2TagState = 'exact' | 'near-miss' | 'absent'

/** The v2 tag contract: exact key and value; a key a person would read as it, or a wrong value, is a near miss. */
export function v2TagState(tags: readonly Tag[]): {state: V2TagState; variants: Tag[]} {
  if (tags.some((tag) => tag.key === V2_TAG_KEY && tag.value === V2_TAG_VALUE)) return {state: 'exact', variants: []}
  const variants = tags.filter((tag) => isV2LikeKey(tag.key))
  return {state: variants.length > 0 ? 'near-miss' : 'absent', variants}
}

/** The groups EMR creates and manages for a cluster; its own rules between them are not outside access. */
export function emrManagedGroupIds(cluster: Cluster): string[] {
  return [cluster.emrManagedMasterSecurityGroup, cluster.emrManagedSlaveSecurityGroup, cluster.serviceAccessSecurityGroup].filter((id): id is string =>
    Boolean(id),
  )
}

/** TCP is protocol `tcp` or number 6; `-1` is every protocol. */
export function allowsTcp(rule: IngressRule): boolean {
  return ['-1', 'tcp', '6'].includes(rule.protocol.toLowerCase())
}

export interface PortExposure {
  securityGroup: string
  rule: string
  /** A CIDR, a prefix list or a security group id; `unrecorded` when an older inventory lacks the sources. */
  source: string
}

/**
 * Who can reach a TCP port through a group's rules, apart from the groups in `trusted`. An inventory saved
 * before rule sources were recorded cannot tell a group source from nothing: that is reported as `unrecorded`.
 */
export function tcpPortExposures(group: SecurityGroup, port: number, trusted: readonly string[]): PortExposure[] {
  return group.ingress
    .filter((rule) => allowsTcp(rule) && coversPort(rule, port))
    .flatMap((rule) => {
      const label = portLabel(rule)
      const sources = [...rule.ipv4Ranges, ...rule.ipv6Ranges, ...(rule.prefixLists ?? []), ...(rule.sourceGroups ?? []).filter((id) => !trusted.includes(id))]
      const unrecorded = rule.sourceGroups === undefined && rule.ipv4Ranges.length === 0 && rule.ipv6Ranges.length === 0
      return [...sources, ...(unrecorded ? ['unrecorded'] : [])].map((source) => ({securityGroup: group.id, rule: label, source}))
    })
}
