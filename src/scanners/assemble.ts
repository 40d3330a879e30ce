/** The inventory, put together from the sources' results: sorted, and only the network and secrets that matter. */
import type {Cluster, Inventory, SecurityGroup, Secret, SourceId, SourceOutcome, Studio, Subnet, Vpc} from '../inventory/schema.js'
import {INVENTORY_SCHEMA_VERSION} from '../inventory/schema.js'
import {sliceReady} from '../inventory/sources.js'
import {hasV2LikeTag} from '../inventory/tags.js'
import {TOOL_NAME, toolVersion} from '../shared/version.js'
import {GLOBAL, type SourceRun} from './scheduler.js'
import type {SourceResults} from './source.js'
import type {AlsoKeep} from './context.js'

/** Security groups that clusters and Studios of one region name. */
export function usedSecurityGroupIds(clusters: Cluster[], studios: Studio[]): Set<string> {
  const groupIds = new Set<string>()
  for (const cluster of clusters) {
    for (const id of [
      cluster.emrManagedMasterSecurityGroup,
      cluster.emrManagedSlaveSecurityGroup,
      cluster.serviceAccessSecurityGroup,
      ...cluster.additionalMasterSecurityGroups,
      ...cluster.additionalSlaveSecurityGroups,
    ]) {
      if (id) groupIds.add(id)
    }
  }
  for (const studio of studios) for (const id of [studio.workspaceSecurityGroupId, studio.engineSecurityGroupId]) if (id) groupIds.add(id)
  return groupIds
}

/** Network resources clusters and Studios use, plus any carrying the v2 tag (or a near-miss of it). */
export function selectNetwork(
  region: string,
  clusters: Cluster[],
  studios: Studio[],
  vpcs: Vpc[],
  subnets: Subnet[],
  groups: SecurityGroup[],
  alsoKeep?: AlsoKeep,
) {
  const subnetIds = new Set<string>(alsoKeep?.subnetIds ?? [])
  const regionStudios = studios.filter((entry) => entry.region === region)
  const groupIds = usedSecurityGroupIds(clusters, regionStudios)
  for (const id of alsoKeep?.securityGroupIds ?? []) groupIds.add(id)
  const vpcIds = new Set<string>()
  for (const cluster of clusters) {
    if (cluster.subnetId) subnetIds.add(cluster.subnetId)
    for (const id of cluster.requestedSubnetIds) subnetIds.add(id)
  }
  for (const studio of regionStudios) {
    if (studio.vpcId) vpcIds.add(studio.vpcId)
    for (const id of studio.subnetIds) subnetIds.add(id)
  }
  const keptSubnets = subnets.filter((subnet) => subnetIds.has(subnet.id) || hasV2LikeTag(subnet.tags))
  for (const subnet of keptSubnets) if (subnetIds.has(subnet.id) && subnet.vpcId) vpcIds.add(subnet.vpcId)
  return {
    vpcs: vpcs.filter((vpc) => vpcIds.has(vpc.id) || hasV2LikeTag(vpc.tags)),
    subnets: keptSubnets,
    securityGroups: groups.filter((group) => groupIds.has(group.id) || hasV2LikeTag(group.tags)),
  }
}

/** Secrets Studios may use: the `emr-studio-` prefix EMR Studio gives them, configured ones, v2-tagged ones. */
export function selectSecrets(secrets: Secret[], studios: Studio[]): Secret[] {
  const configured = new Set(studios.flatMap((studio) => studio.gitSecrets))
  return secrets.filter(
    (secret) => secret.name.startsWith('emr-studio-') || configured.has(secret.name) || configured.has(secret.arn) || hasV2LikeTag(secret.tags),
  )
}

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => key(a).localeCompare(key(b))
}

export interface InventoryFrame {
  regions: string[]
  startedAt: string
  finishedAt: string
  coverage: readonly SourceOutcome[]
  alsoKeep?: AlsoKeep
}

/**
 * The inventory from the sources finished so far: a source not finished reads as not collected (no data,
 * no coverage entry). Once every source has finished, this is the scan's inventory.
 */
export function assembleInventory(run: SourceRun, frame: InventoryFrame): Inventory {
  const ready = (source: SourceId) => sliceReady(source, run.done)
  const global = <K extends SourceId>(source: K): SourceResults[K] | undefined => (ready(source) ? run.result(source, GLOBAL) : undefined)
  const regional = <K extends SourceId>(source: K): Array<SourceResults[K] | undefined> =>
    frame.regions.map((region) => (ready(source) ? run.result(source, region) : undefined))
  const identity = global('sts.identity')
  if (!identity) throw new Error('the inventory needs the caller identity first')
  const details = global('iam.authorizationDetails')
  const quotas = global('iam.accountSummary')

  const studios = frame.regions.flatMap((region, index) => {
    const mappings = regional('emr.studioSessionMappings')[index]
    return (regional('emr.studios')[index]?.studios ?? []).map((studio) => {
      const sessionMappings = mappings?.get(studio.id)
      return sessionMappings ? {...studio, sessionMappings} : studio
    })
  })
  const clusters = frame.regions.map((region, index) => {
    const capacity = regional('emr.instanceCapacity')[index]
    const primaries = regional('emr.instances')[index]
    const steps = regional('emr.steps')[index]
    return (regional('emr.clusters')[index] ?? []).map((cluster): Cluster => {
      const primaryInstances = primaries?.get(cluster.id)
      const clusterSteps = steps?.get(cluster.id)
      return {...cluster, ...capacity?.get(cluster.id), ...(primaryInstances ? {primaryInstances} : {}), ...(clusterSteps ? {steps: clusterSteps} : {})}
    })
  })
  const network = frame.regions.map((region, index) =>
    selectNetwork(
      region,
      clusters[index] ?? [],
      studios,
      regional('ec2.vpcs')[index] ?? [],
      regional('ec2.subnets')[index] ?? [],
      regional('ec2.securityGroups')[index] ?? [],
      frame.alsoKeep,
    ),
  )
  const networkInterfaces = regional('ec2.networkInterfaces')

  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: {name: TOOL_NAME, version: toolVersion()},
    account: {id: identity.accountId, partition: identity.partition, callerArn: identity.arn, ...(quotas ? {iamQuotas: quotas} : {})},
    regions: [...frame.regions],
    startedAt: frame.startedAt,
    finishedAt: frame.finishedAt,
    coverage: frame.coverage
      .filter((outcome) => run.done.has(outcome.source))
      .sort(byKey((outcome) => `${outcome.source}|${outcome.region}|${outcome.status}`)),
    iam: {
      roles: [...(details?.roles ?? [])].sort(byKey((role) => role.arn)),
      users: [...(details?.users ?? [])].sort(byKey((user) => user.arn)),
      groups: [...(details?.groups ?? [])].sort(byKey((group) => group.arn)),
      policies: [...(details?.customerPolicies ?? []), ...(global('iam.awsManagedPolicies') ?? [])].sort(byKey((policy) => policy.arn)),
      instanceProfiles: [...(global('iam.instanceProfiles') ?? [])].sort(byKey((profile) => profile.arn)),
    },
    emr: {
      clusters: clusters.flat(),
      securityConfigurations: regional('emr.securityConfigurations').flatMap((entries) => entries ?? []),
      blockPublicAccess: regional('emr.blockPublicAccess').flatMap((entry) => (entry ? [entry] : [])),
      studios,
    },
    ec2: {
      vpcs: network.flatMap((entry) => entry.vpcs),
      subnets: network.flatMap((entry) => entry.subnets),
      securityGroups: network.flatMap((entry) => entry.securityGroups),
      networkInterfaces: networkInterfaces.flatMap((entries) => entries ?? []),
    },
    secrets: selectSecrets(
      regional('secretsmanager.secrets').flatMap((entries) => entries ?? []),
      studios,
    ),
    kmsKeys: global('kms.keys') ?? [],
    s3Buckets: global('s3.bucketEncryption') ?? [],
  }
}
