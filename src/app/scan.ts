/** Orchestrates the scanners: every independent chain runs concurrently; the result is one inventory. */
import {type AwsClients} from '../aws/clients.js'
import type {AuditConfig} from '../config/schema.js'
import {INVENTORY_SCHEMA_VERSION, type SourceId, type BucketEncryption, type KmsKey, type Cluster, type Inventory, type NetworkInterface, type SecurityGroup, type Secret, type SourceOutcome, type Studio, type Subnet, type Vpc} from '../inventory/schema.js'
import {hasV2LikeTag} from '../inventory/tags.js'
import {isRuntimeRoleEnabled, kmsKeysOf} from '../inventory/security-configuration.js'
import {
  awsManagedPoliciesToFetch,
  isAwsManagedPolicyArn,
  createLimiters,
  listSecurityConfigurations,
  scanAuthorizationDetails,
  scanAccountSummary,
  scanAwsManagedPolicies,
  scanBucketEncryption,
  bucketOf,
  scanKmsKeys,
  scanSteps,
  scanBlockPublicAccess,
  scanCallerIdentity,
  scanClusters,
  scanInstanceProfiles,
  scanSecrets,
  scanSecurityConfigurations,
  scanNetworkInterfaces,
  scanSecurityGroups,
  scanStudios,
  scanSubnets,
  scanVpcs,
  type ScanContext,
} from '../scanners/index.js'
import {TOOL_NAME, toolVersion} from '../shared/version.js'

export interface ScanOptions {
  clients: AwsClients
  regions: string[]
  config: AuditConfig
  concurrency: number
  /** Told when the scan starts, as each source finishes, and at the end (progress on stderr). */
  observer?: ScanObserver
  /** Names this account in the observer's calls: the account id when several accounts are scanned. */
  label?: string
  now?: () => Date
  /** Network resources to keep though no cluster uses them yet (preflight: the request's subnets and groups). */
  alsoKeep?: {subnetIds: readonly string[]; securityGroupIds: readonly string[]; awsManagedPolicyArns?: readonly string[]}
}

/** Sources a scan reads, once each: on a terminal, "9/13 sources" per region. */
export const GLOBAL_SOURCES: readonly SourceId[] = ['sts.identity', 'iam.authorizationDetails', 'iam.instanceProfiles', 'iam.awsManagedPolicies', 'iam.accountSummary', 's3.bucketEncryption']
/** emr.studioSessionMappings is read only where Studios exist, so it is not counted. */
export const REGIONAL_SOURCES: readonly SourceId[] = [
  'emr.clusters', 'emr.instanceCapacity', 'emr.instances', 'emr.steps', 'emr.securityConfigurations', 'emr.blockPublicAccess', 'emr.studios',
  'ec2.vpcs', 'ec2.subnets', 'ec2.securityGroups', 'ec2.networkInterfaces', 'secretsmanager.secrets', 'kms.keys',
]

export interface ExpectedSource {
  source: SourceId
  region: string
}

export function expectedSources(regions: readonly string[]): ExpectedSource[] {
  return [...GLOBAL_SOURCES.map((source) => ({source, region: 'global'})), ...regions.flatMap((region) => REGIONAL_SOURCES.map((source) => ({source, region})))]
}

export interface ScanObserver {
  started(label: string, expected: readonly ExpectedSource[]): void
  sourceDone(label: string, outcome: SourceOutcome): void
  /** `scanned` false: the scan stopped (its error is reported on its own). */
  finished(label: string, scanned: boolean): void
}

async function scanRegion(ctx: ScanContext, region: string) {
  const clusters = scanClusters(ctx, region)
  const listed = listSecurityConfigurations(ctx, region)
  const configurations = scanSecurityConfigurations(ctx, region, listed, clusters)
  const steps = (async () => {
    // Steps matter only where runtime roles are on, which the cluster's security configuration says.
    const [clusterList, configurationList] = await Promise.all([clusters, configurations])
    const enabled = new Set((configurationList ?? []).filter((entry) => isRuntimeRoleEnabled(entry.configuration)).map((entry) => entry.name))
    await scanSteps(ctx, region, (clusterList ?? []).filter((cluster) => cluster.securityConfiguration && enabled.has(cluster.securityConfiguration)))
  })()
  const studios = scanStudios(ctx, region)
  // Who else uses the groups EMR resources use decides whether tagging a group is safe (fix guard).
  const networkInterfaces = (async (): Promise<NetworkInterface[] | undefined> => {
    const [clusterList, studioList] = await Promise.all([clusters, studios])
    const groupIds = [...usedSecurityGroupIds(clusterList ?? [], studioList)]
    if (groupIds.length > 0) return scanNetworkInterfaces(ctx, region, groupIds)
    ctx.record({source: 'ec2.networkInterfaces', region, status: 'ok', message: 'no security group in use; nothing to list'})
    return []
  })()
  const [clusterList, securityConfigurations, blockPublicAccess, studioList, vpcs, subnets, securityGroups, secrets, interfaces] = await Promise.all([
    clusters,
    configurations,
    scanBlockPublicAccess(ctx, region),
    studios,
    scanVpcs(ctx, region),
    scanSubnets(ctx, region),
    scanSecurityGroups(ctx, region),
    scanSecrets(ctx, region),
    networkInterfaces,
    steps,
  ])
  return {
    clusters: clusterList ?? [],
    securityConfigurations: securityConfigurations ?? [],
    blockPublicAccess,
    studios: studioList,
    vpcs: vpcs ?? [],
    subnets: subnets ?? [],
    securityGroups: securityGroups ?? [],
    secrets: secrets ?? [],
    networkInterfaces: interfaces,
  }
}

/** Security groups that clusters and Studios of one region name. */
export function usedSecurityGroupIds(clusters: Cluster[], studios: Studio[]): Set<string> {
  const groupIds = new Set<string>()
  for (const cluster of clusters) {
    for (const id of [cluster.emrManagedMasterSecurityGroup, cluster.emrManagedSlaveSecurityGroup, cluster.serviceAccessSecurityGroup, ...cluster.additionalMasterSecurityGroups, ...cluster.additionalSlaveSecurityGroups]) {
      if (id) groupIds.add(id)
    }
  }
  for (const studio of studios) for (const id of [studio.workspaceSecurityGroupId, studio.engineSecurityGroupId]) if (id) groupIds.add(id)
  return groupIds
}

/** Network resources clusters and Studios use, plus any carrying the v2 tag (or a near-miss of it). */
export function selectNetwork(region: string, clusters: Cluster[], studios: Studio[], vpcs: Vpc[], subnets: Subnet[], groups: SecurityGroup[], alsoKeep: ScanOptions['alsoKeep'] = {subnetIds: [], securityGroupIds: []}) {
  const subnetIds = new Set<string>(alsoKeep.subnetIds)
  const regionStudios = studios.filter((entry) => entry.region === region)
  const groupIds = usedSecurityGroupIds(clusters, regionStudios)
  for (const id of alsoKeep.securityGroupIds) groupIds.add(id)
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
  return secrets.filter((secret) => secret.name.startsWith('emr-studio-') || configured.has(secret.name) || configured.has(secret.arn) || hasV2LikeTag(secret.tags))
}

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => key(a).localeCompare(key(b))
}

export async function scanAccount(options: ScanOptions): Promise<Inventory> {
  const now = options.now ?? (() => new Date())
  const startedAt = now().toISOString()
  const coverage: SourceOutcome[] = []
  const label = options.label ?? ''
  const [homeRegion] = options.regions
  if (!homeRegion) throw new Error('scanAccount needs at least one region')
  const ctx: ScanContext = {
    clients: options.clients,
    scope: {regions: options.regions, config: options.config},
    homeRegion,
    limit: createLimiters(options.concurrency),
    record: (outcome) => {
      coverage.push(outcome)
      options.observer?.sourceDone(label, outcome)
    },
  }
  options.observer?.started(label, expectedSources(options.regions))
  let inventory: Inventory | undefined
  try {
    inventory = await collect(ctx, options, coverage, startedAt, now)
    return inventory
  } finally {
    options.observer?.finished(label, inventory !== undefined)
  }
}

async function collect(ctx: ScanContext, options: ScanOptions, coverage: SourceOutcome[], startedAt: string, now: () => Date): Promise<Inventory> {

  // Identity is needed only to label the inventory: it runs beside the other sources, not before them.
  // Unusable credentials still stop everything: every source rethrows a CredentialsError.
  const identityChain = scanCallerIdentity(ctx)
  const iamChain = (async () => {
    const details = await scanAuthorizationDetails(ctx)
    // Preflight: the AWS managed policies a plan attaches to roles it creates are read though nothing has them yet.
    const wanted = details ? [...new Set([...awsManagedPoliciesToFetch(details), ...(options.alsoKeep?.awsManagedPolicyArns ?? []).filter(isAwsManagedPolicyArn)])].sort() : []
    const awsPolicies = details ? await scanAwsManagedPolicies(ctx, wanted) : []
    return {details, awsPolicies}
  })()
  const regionalChain = Promise.all(options.regions.map((region) => scanRegion(ctx, region)))
  // KMS keys and Studio buckets are named by what the regional scan finds.
  const referencedChain: Promise<[KmsKey[], BucketEncryption[]]> = regionalChain.then((regional) => {
    const keys = regional.flatMap((data, index) => {
      const region = options.regions[index] as string
      return [
        ...data.securityConfigurations.flatMap((entry) => kmsKeysOf(entry.configuration).map((reference) => ({reference, region}))),
        ...data.studios.flatMap((studio) => (studio.encryptionKeyArn ? [{reference: studio.encryptionKeyArn, region}] : [])),
      ]
    })
    const buckets = regional.flatMap((data) => data.studios.flatMap((studio) => (studio.defaultS3Location ? [bucketOf(studio.defaultS3Location)] : []))).filter((bucket): bucket is string => Boolean(bucket))
    return Promise.all([scanKmsKeys(ctx, keys), scanBucketEncryption(ctx, buckets)])
  })
  const [identity, {details, awsPolicies}, instanceProfiles, quotas, regional, [kmsKeys, s3Buckets]] = await Promise.all([
    identityChain,
    iamChain,
    scanInstanceProfiles(ctx),
    scanAccountSummary(ctx),
    regionalChain,
    referencedChain,
  ])
  if (!details) ctx.record({source: 'iam.awsManagedPolicies', region: 'global', status: 'error', message: 'not attempted: the IAM snapshot could not be read'})

  const studios = regional.flatMap((region) => region.studios)
  const network = options.regions.map((region, index) => {
    const data = regional[index]!
    return selectNetwork(region, data.clusters, studios, data.vpcs, data.subnets, data.securityGroups, options.alsoKeep)
  })

  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: {name: TOOL_NAME, version: toolVersion()},
    account: {id: identity.accountId, partition: identity.partition, callerArn: identity.arn, ...(quotas ? {iamQuotas: quotas} : {})},
    regions: [...options.regions],
    startedAt,
    finishedAt: now().toISOString(),
    coverage: coverage.sort(byKey((outcome) => `${outcome.source}|${outcome.region}|${outcome.status}`)),
    iam: {
      roles: (details?.roles ?? []).sort(byKey((role) => role.arn)),
      users: (details?.users ?? []).sort(byKey((user) => user.arn)),
      groups: (details?.groups ?? []).sort(byKey((group) => group.arn)),
      policies: [...(details?.customerPolicies ?? []), ...awsPolicies].sort(byKey((policy) => policy.arn)),
      instanceProfiles: (instanceProfiles ?? []).sort(byKey((profile) => profile.arn)),
    },
    emr: {
      clusters: regional.flatMap((region) => region.clusters),
      securityConfigurations: regional.flatMap((region) => region.securityConfigurations),
      blockPublicAccess: regional.flatMap((region) => (region.blockPublicAccess ? [region.blockPublicAccess] : [])),
      studios,
    },
    ec2: {
      vpcs: network.flatMap((entry) => entry.vpcs),
      subnets: network.flatMap((entry) => entry.subnets),
      securityGroups: network.flatMap((entry) => entry.securityGroups),
      networkInterfaces: regional.flatMap((region) => region.networkInterfaces ?? []),
    },
    secrets: selectSecrets(regional.flatMap((region) => region.secrets), studios),
    kmsKeys,
    s3Buckets,
  }
}
