/**
 * How each active cluster and each Studio is wired: its roles, instance profile, network and security
 * configuration, read from the inventory once, when the report is built. The report carries it (the
 * inventory is not kept), so the diagrams of the Markdown and HTML reports can be drawn from any saved or
 * merged report.
 */
import {type Static, Type as T} from '@sinclair/typebox'
import type {AuditConfig} from '../config/schema.js'
import type {Cluster, Inventory, Role, Studio, Tag} from '../inventory/schema.js'
import {instanceProfileNameFromReference, roleNameFromReference} from '../policy/match.js'
import {buildIndex, type InventoryIndex} from '../rules/inventory-index.js'
import {clusterSecurityGroupIds, clusterSubnetIds, findSecurityGroup, findSubnet, type Lookup, v2TagState} from '../rules/network.js'
import {runtimePairs} from '../rules/runtime/pairing.js'
import {buildScope} from '../rules/scope.js'

const Str = T.String()
const OptStr = T.Optional(T.String())
const Presence = T.Union([T.Literal('found'), T.Literal('absent'), T.Literal('unknown')])

/** The v2 tag (REQUIREMENTS "the v2 tag"): exact, a near miss (EMR-TAG-003), absent, or not readable. */
export const V2_TAG_STATES = ['tagged', 'near-miss', 'untagged', 'unknown'] as const
export type V2TagDisplay = (typeof V2_TAG_STATES)[number]

const WiredRoleSchema = T.Object({name: Str, arn: OptStr, presence: Presence}, {additionalProperties: false})
const WiredResourceSchema = T.Object(
  {id: Str, name: OptStr, arn: OptStr, v2Tag: T.Union(V2_TAG_STATES.map((state) => T.Literal(state)))},
  {additionalProperties: false},
)

export const WiringSchema = T.Object(
  {
    kind: T.Union([T.Literal('cluster'), T.Literal('studio')]),
    id: Str,
    name: OptStr,
    arn: OptStr,
    region: Str,
    /** Set in reports that cover several accounts. */
    account: OptStr,
    serviceRole: T.Optional(WiredRoleSchema),
    autoScalingRole: T.Optional(WiredRoleSchema),
    /** Studio (IAM Identity Center mode) user role. */
    userRole: T.Optional(WiredRoleSchema),
    instanceProfile: T.Optional(T.Object({name: Str, arn: OptStr, presence: Presence}, {additionalProperties: false})),
    /** The roles the instance profile holds (the cluster's EC2 roles). */
    ec2Roles: T.Array(WiredRoleSchema),
    /** Runtime roles paired with the cluster, each with the EC2 role that assumes it (those steps used first; at most MAX_RUNTIME_ROLES). */
    runtimeRoles: T.Array(T.Object({role: WiredRoleSchema, assumedBy: Str}, {additionalProperties: false})),
    /** How many more runtime roles are paired with the cluster than `runtimeRoles` lists. */
    runtimeRolesNotShown: T.Optional(T.Integer({minimum: 1})),
    securityConfiguration: T.Optional(T.Object({name: Str, presence: Presence}, {additionalProperties: false})),
    subnets: T.Array(WiredResourceSchema),
    securityGroups: T.Array(WiredResourceSchema),
    /** Studio Git-credential secrets. */
    secrets: T.Array(WiredResourceSchema),
  },
  {additionalProperties: false},
)

export type Wiring = Static<typeof WiringSchema>
type WiredRole = Static<typeof WiredRoleSchema>
type RuntimeEntry = Wiring['runtimeRoles'][number] & {observed: boolean}

/**
 * An account may have hundreds of runtime roles trusting one EC2 role: a diagram (and the report) shows a
 * few, those steps were seen using first, and says how many more there are.
 */
export const MAX_RUNTIME_ROLES = 10
type WiredResource = Static<typeof WiredResourceSchema>

function tagDisplay(tags: readonly Tag[] | undefined): V2TagDisplay {
  if (!tags) return 'unknown'
  return {exact: 'tagged', 'near-miss': 'near-miss', absent: 'untagged'}[v2TagState(tags).state] as V2TagDisplay
}

function wiredRole(reference: string, index: InventoryIndex, iamCollected: boolean): WiredRole {
  const role = index.roleByReference(reference)
  if (role) return {name: role.name, arn: role.arn, presence: 'found'}
  return {name: roleNameFromReference(reference), ...(reference.startsWith('arn:') ? {arn: reference} : {}), presence: iamCollected ? 'absent' : 'unknown'}
}

const foundRole = (role: Role): WiredRole => ({name: role.name, arn: role.arn, presence: 'found'})

function wiredNetwork<V extends {tags: Tag[]; name?: string}>(id: string, lookup: Lookup<V>): WiredResource {
  if (lookup.status !== 'found') return {id, v2Tag: 'unknown'}
  return {id, ...(lookup.value.name ? {name: lookup.value.name} : {}), v2Tag: tagDisplay(lookup.value.tags)}
}

function runtimeSubset(entries: readonly RuntimeEntry[]): Pick<Wiring, 'runtimeRoles' | 'runtimeRolesNotShown'> {
  const ordered = [...entries].sort((a, b) => Number(b.observed) - Number(a.observed) || a.role.name.localeCompare(b.role.name))
  const shown = ordered.slice(0, MAX_RUNTIME_ROLES).map(({role, assumedBy}) => ({role, assumedBy}))
  return {runtimeRoles: shown, ...(ordered.length > shown.length ? {runtimeRolesNotShown: ordered.length - shown.length} : {})}
}

function clusterWiring(cluster: Cluster, inventory: Inventory, index: InventoryIndex, runtime: Map<string, RuntimeEntry[]>): Wiring {
  const iamCollected = index.collected('iam.authorizationDetails', 'global')
  const profile = cluster.instanceProfile ? index.resolveInstanceProfile(cluster.instanceProfile) : undefined
  const configuration = cluster.securityConfiguration
    ? inventory.emr.securityConfigurations.find((entry) => entry.name === cluster.securityConfiguration && entry.region === cluster.region)
    : undefined
  return {
    kind: 'cluster',
    id: cluster.id,
    name: cluster.name,
    ...(cluster.arn ? {arn: cluster.arn} : {}),
    region: cluster.region,
    ...(cluster.serviceRole ? {serviceRole: wiredRole(cluster.serviceRole, index, iamCollected)} : {}),
    ...(cluster.autoScalingRole ? {autoScalingRole: wiredRole(cluster.autoScalingRole, index, iamCollected)} : {}),
    ...(cluster.instanceProfile && profile
      ? {
          instanceProfile: {
            name: instanceProfileNameFromReference(cluster.instanceProfile),
            ...('arn' in profile && profile.arn ? {arn: profile.arn} : {}),
            presence: profile.status,
          },
        }
      : {}),
    ec2Roles: profile?.status === 'found' ? profile.roleNames.map((name) => wiredRole(name, index, iamCollected)) : [],
    ...runtimeSubset(runtime.get(`${cluster.region}|${cluster.id}`) ?? []),
    ...(cluster.securityConfiguration
      ? {securityConfiguration: {name: cluster.securityConfiguration, presence: configuration ? (configuration.found ? 'found' : 'absent') : 'unknown'}}
      : {}),
    subnets: clusterSubnetIds(cluster).map((id) => wiredNetwork(id, findSubnet(inventory, index, id, cluster.region))),
    securityGroups: clusterSecurityGroupIds(cluster).map((id) => wiredNetwork(id, findSecurityGroup(inventory, index, id, cluster.region))),
    secrets: [],
  }
}

function studioWiring(studio: Studio, inventory: Inventory, index: InventoryIndex): Wiring {
  const iamCollected = index.collected('iam.authorizationDetails', 'global')
  const secretsListed = index.collected('secretsmanager.secrets', studio.region)
  const secrets = studio.gitSecrets.map((reference): WiredResource => {
    const secret = inventory.secrets.find((entry) => entry.region === studio.region && (entry.name === reference || entry.arn === reference))
    if (!secret) return {id: reference, v2Tag: secretsListed ? 'untagged' : 'unknown'}
    return {id: secret.name, arn: secret.arn, v2Tag: tagDisplay(secret.tags)}
  })
  const groups = [studio.workspaceSecurityGroupId, studio.engineSecurityGroupId].filter((id): id is string => Boolean(id))
  return {
    kind: 'studio',
    id: studio.id,
    ...(studio.name ? {name: studio.name} : {}),
    ...(studio.arn ? {arn: studio.arn} : {}),
    region: studio.region,
    ...(studio.serviceRole ? {serviceRole: wiredRole(studio.serviceRole, index, iamCollected)} : {}),
    ...(studio.userRole ? {userRole: wiredRole(studio.userRole, index, iamCollected)} : {}),
    ec2Roles: [],
    runtimeRoles: [],
    subnets: studio.subnetIds.map((id) => wiredNetwork(id, findSubnet(inventory, index, id, studio.region))),
    securityGroups: groups.map((id) => wiredNetwork(id, findSecurityGroup(inventory, index, id, studio.region))),
    secrets,
  }
}

/** Runtime roles by cluster (`region|id`), paired as the RUNTIME rules pair them. */
function runtimeRolesByCluster(inventory: Inventory, index: InventoryIndex, config: AuditConfig): Map<string, RuntimeEntry[]> {
  const byCluster = new Map<string, RuntimeEntry[]>()
  const {pairs} = runtimePairs(inventory, index, buildScope(inventory, index, config))
  for (const pair of pairs) {
    const role = pair.runtime ? foundRole(pair.runtime) : wiredRole(pair.runtimeReference, index, index.collected('iam.authorizationDetails', 'global'))
    for (const {cluster} of pair.clusters) {
      const key = `${cluster.region}|${cluster.id}`
      const list = byCluster.get(key) ?? []
      if (!list.some((entry) => entry.role.name === role.name && entry.assumedBy === pair.ec2Role.name))
        list.push({role, assumedBy: pair.ec2Role.name, observed: pair.observed})
      byCluster.set(key, list)
    }
  }
  return byCluster
}

/** The wiring of every cluster and Studio in the inventory (the scan lists active clusters only). */
export function wiringTopology(inventory: Inventory, config: AuditConfig): Wiring[] {
  const index = buildIndex(inventory)
  const runtime = runtimeRolesByCluster(inventory, index, config)
  return [
    ...inventory.emr.clusters.map((cluster) => clusterWiring(cluster, inventory, index, runtime)),
    ...inventory.emr.studios.map((studio) => studioWiring(studio, inventory, index)),
  ]
}
