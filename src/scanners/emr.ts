/**
 * EMR, per region: active clusters with their capacity, security configurations, block public access and
 * Studios. Where the endpoint lacks ListSecurityConfigurations or the Studio APIs, the names clusters and
 * the config reference are used instead and the gap is recorded in coverage.
 */
import {
  type BlockPublicAccessConfiguration,
  type BlockPublicAccessConfigurationMetadata,
  type Cluster as SdkCluster,
  type ClusterState,
  DescribeClusterCommand,
  DescribeSecurityConfigurationCommand,
  DescribeStudioCommand,
  type EMRClient,
  GetBlockPublicAccessConfigurationCommand,
  ListClustersCommand,
  ListInstanceFleetsCommand,
  ListInstanceGroupsCommand,
  ListInstancesCommand,
  ListStepsCommand,
  DescribeStepCommand,
  ListStudioSessionMappingsCommand,
  ListSecurityConfigurationsCommand,
  ListStudiosCommand,
} from '@aws-sdk/client-emr'
import {isNotFound} from '../aws/errors.js'
import type {StudioConfig} from '../config/schema.js'
import type {BlockPublicAccess, Cluster, InstanceFleet, InstanceGroup, SecurityConfiguration, Studio} from '../inventory/schema.js'
import {toTags} from '../inventory/tags.js'
import {parsePolicyJson} from '../policy/document.js'
import {ActionError, call, recordFailure, runSource, type ScanContext, settle} from './context.js'
import {byMarker, collectPages} from './pagination.js'

export const EMR_ACTIONS = [
  'elasticmapreduce:ListClusters',
  'elasticmapreduce:DescribeCluster',
  'elasticmapreduce:ListInstanceGroups',
  'elasticmapreduce:ListInstanceFleets',
  'elasticmapreduce:ListInstances',
  'elasticmapreduce:ListSteps',
  'elasticmapreduce:DescribeStep',
  'elasticmapreduce:ListStudioSessionMappings',
  'elasticmapreduce:ListSecurityConfigurations',
  'elasticmapreduce:DescribeSecurityConfiguration',
  'elasticmapreduce:GetBlockPublicAccessConfiguration',
  'elasticmapreduce:ListStudios',
  'elasticmapreduce:DescribeStudio',
] as const

/** Terminated clusters stay listable for weeks; only these states describe what is running now. */
export const ACTIVE_CLUSTER_STATES: ClusterState[] = ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING']

function toCluster(cluster: SdkCluster, region: string): Cluster {
  const ec2 = cluster.Ec2InstanceAttributes ?? {}
  return {
    id: cluster.Id ?? '',
    ...(cluster.ClusterArn ? {arn: cluster.ClusterArn} : {}),
    name: cluster.Name ?? '',
    region,
    state: cluster.Status?.State ?? 'UNKNOWN',
    ...(cluster.ReleaseLabel ? {releaseLabel: cluster.ReleaseLabel} : {}),
    applications: (cluster.Applications ?? []).map((application) => application.Name ?? '').filter(Boolean),
    ...(cluster.ServiceRole ? {serviceRole: cluster.ServiceRole} : {}),
    ...(cluster.AutoScalingRole ? {autoScalingRole: cluster.AutoScalingRole} : {}),
    ...(cluster.SecurityConfiguration ? {securityConfiguration: cluster.SecurityConfiguration} : {}),
    ...(cluster.InstanceCollectionType ? {instanceCollectionType: cluster.InstanceCollectionType} : {}),
    ...(ec2.IamInstanceProfile ? {instanceProfile: ec2.IamInstanceProfile} : {}),
    ...(ec2.Ec2SubnetId ? {subnetId: ec2.Ec2SubnetId} : {}),
    requestedSubnetIds: ec2.RequestedEc2SubnetIds ?? [],
    ...(ec2.Ec2KeyName ? {keyName: ec2.Ec2KeyName} : {}),
    ...(ec2.EmrManagedMasterSecurityGroup ? {emrManagedMasterSecurityGroup: ec2.EmrManagedMasterSecurityGroup} : {}),
    ...(ec2.EmrManagedSlaveSecurityGroup ? {emrManagedSlaveSecurityGroup: ec2.EmrManagedSlaveSecurityGroup} : {}),
    ...(ec2.ServiceAccessSecurityGroup ? {serviceAccessSecurityGroup: ec2.ServiceAccessSecurityGroup} : {}),
    additionalMasterSecurityGroups: ec2.AdditionalMasterSecurityGroups ?? [],
    additionalSlaveSecurityGroups: ec2.AdditionalSlaveSecurityGroups ?? [],
    tags: toTags(cluster.Tags),
  }
}

function listActiveClusterIds(ctx: ScanContext, emr: EMRClient, region: string): Promise<string[]> {
  return collectPages(
    (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListClusters', () => emr.send(new ListClustersCommand({ClusterStates: ACTIVE_CLUSTER_STATES, Marker: marker}))),
    byMarker,
    (page) => (page.Clusters ?? []).flatMap((summary) => (summary.Id ? [summary.Id] : [])),
  )
}

function listInstanceGroups(ctx: ScanContext, emr: EMRClient, region: string, clusterId: string): Promise<InstanceGroup[]> {
  return collectPages(
    (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListInstanceGroups', () => emr.send(new ListInstanceGroupsCommand({ClusterId: clusterId, Marker: marker}))),
    byMarker,
    (page) =>
      (page.InstanceGroups ?? []).map((group) => ({
        id: group.Id ?? '',
        type: group.InstanceGroupType ?? '',
        ...(group.Market ? {market: group.Market} : {}),
        ...(group.RequestedInstanceCount === undefined ? {} : {requestedInstanceCount: group.RequestedInstanceCount}),
        hasAutoScalingPolicy: group.AutoScalingPolicy !== undefined && group.AutoScalingPolicy !== null,
      })),
  )
}

function listInstanceFleets(ctx: ScanContext, emr: EMRClient, region: string, clusterId: string): Promise<InstanceFleet[]> {
  return collectPages(
    (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListInstanceFleets', () => emr.send(new ListInstanceFleetsCommand({ClusterId: clusterId, Marker: marker}))),
    byMarker,
    (page) =>
      (page.InstanceFleets ?? []).map((fleet) => ({
        id: fleet.Id ?? '',
        type: fleet.InstanceFleetType ?? '',
        ...(fleet.TargetOnDemandCapacity === undefined ? {} : {targetOnDemandCapacity: fleet.TargetOnDemandCapacity}),
        ...(fleet.TargetSpotCapacity === undefined ? {} : {targetSpotCapacity: fleet.TargetSpotCapacity}),
      })),
  )
}

/** The primary node(s): their public address decides EMR-CLUSTER-004 (Security Hub EMR.1). */
function listPrimaryInstances(ctx: ScanContext, emr: EMRClient, region: string, cluster: Cluster): Promise<NonNullable<Cluster['primaryInstances']>> {
  const filter = cluster.instanceCollectionType === 'INSTANCE_FLEET' ? {InstanceFleetType: 'MASTER' as const} : {InstanceGroupTypes: ['MASTER' as const]}
  return collectPages(
    (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListInstances', () => emr.send(new ListInstancesCommand({ClusterId: cluster.id, ...filter, Marker: marker}))),
    byMarker,
    (page) =>
      (page.Instances ?? []).map((instance) => ({
        id: instance.Ec2InstanceId ?? instance.Id ?? '',
        ...(instance.PublicIpAddress ? {publicIpAddress: instance.PublicIpAddress} : {}),
        ...(instance.PrivateIpAddress ? {privateIpAddress: instance.PrivateIpAddress} : {}),
      })),
  )
}

/**
 * Runtime roles actually used: ListSteps omits ExecutionRoleArn, so each step is described. Only the first
 * page (the 50 most recent steps) is read, and only for clusters with runtime roles enabled.
 */
export async function scanSteps(ctx: ScanContext, region: string, clusters: Cluster[]): Promise<void> {
  const emr = ctx.clients.emr(region)
  const results = await Promise.all(
    clusters.map((cluster) =>
      settle(async () => {
        const page = await call(ctx, 'emr', region, 'elasticmapreduce:ListSteps', () => emr.send(new ListStepsCommand({ClusterId: cluster.id})))
        cluster.steps = await Promise.all(
          (page.Steps ?? []).flatMap((summary) => (summary.Id ? [summary.Id] : [])).map(async (stepId) => {
            const {Step: step} = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeStep', () => emr.send(new DescribeStepCommand({ClusterId: cluster.id, StepId: stepId})))
            return {id: stepId, ...(step?.Name ? {name: step.Name} : {}), ...(step?.Status?.State ? {state: step.Status.State} : {}), ...(step?.ExecutionRoleArn ? {executionRoleArn: step.ExecutionRoleArn} : {})}
          }),
        )
      }),
    ),
  )
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length === 0) ctx.record({source: 'emr.steps', region, status: 'ok'})
  else recordFailure(ctx, 'emr.steps', region, failures[0], `steps of ${failures.length} of ${clusters.length} clusters could not be read`)
}

/** Active clusters with details and capacity. Capacity failures are recorded apart (emr.instanceCapacity). */
export async function scanClusters(ctx: ScanContext, region: string): Promise<Cluster[] | undefined> {
  const emr = ctx.clients.emr(region)
  const clusters = await runSource(ctx, 'emr.clusters', region, async () => {
    const ids = await listActiveClusterIds(ctx, emr, region)
    return Promise.all(
      ids.map(async (id) => {
        const {Cluster: cluster} = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeCluster', () => emr.send(new DescribeClusterCommand({ClusterId: id})))
        return toCluster(cluster ?? {Id: id}, region)
      }),
    )
  })
  if (!clusters) return undefined
  // Capacity and primary instances both need only the cluster: read them side by side.
  const [capacity, primaries] = await Promise.all([
    Promise.all(
      clusters.map((cluster) =>
        settle(async () => {
          if (cluster.instanceCollectionType === 'INSTANCE_FLEET') cluster.instanceFleets = await listInstanceFleets(ctx, emr, region, cluster.id)
          else cluster.instanceGroups = await listInstanceGroups(ctx, emr, region, cluster.id)
        }),
      ),
    ),
    Promise.all(clusters.map((cluster) => settle(async () => (cluster.primaryInstances = await listPrimaryInstances(ctx, emr, region, cluster))))),
  ])
  const failed = capacity.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failed.length === 0) ctx.record({source: 'emr.instanceCapacity', region, status: 'ok'})
  else recordFailure(ctx, 'emr.instanceCapacity', region, failed[0], `capacity of ${failed.length} of ${clusters.length} clusters could not be read`)
  const primaryFailures = primaries.flatMap((result) => (result.ok ? [] : [result.error]))
  if (primaryFailures.length === 0) ctx.record({source: 'emr.instances', region, status: 'ok'})
  else recordFailure(ctx, 'emr.instances', region, primaryFailures[0], `primary instances of ${primaryFailures.length} of ${clusters.length} clusters could not be listed`)
  return clusters.sort((a, b) => a.id.localeCompare(b.id))
}

function listSecurityConfigurationNames(ctx: ScanContext, emr: EMRClient, region: string): Promise<string[]> {
  return collectPages(
    (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListSecurityConfigurations', () => emr.send(new ListSecurityConfigurationsCommand({Marker: marker}))),
    byMarker,
    (page) => (page.SecurityConfigurations ?? []).flatMap((summary) => (summary.Name ? [summary.Name] : [])),
  )
}

async function describeSecurityConfiguration(ctx: ScanContext, emr: EMRClient, region: string, name: string): Promise<Omit<SecurityConfiguration, 'origins'>> {
  try {
    const output = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeSecurityConfiguration', () =>
      emr.send(new DescribeSecurityConfigurationCommand({Name: name})),
    )
    // The settings come back as a JSON document inside a string.
    const parsed = output.SecurityConfiguration === undefined ? {document: null, error: 'no SecurityConfiguration returned'} : parsePolicyJson(output.SecurityConfiguration)
    return {
      name,
      region,
      found: true,
      ...(output.CreationDateTime ? {createdAt: output.CreationDateTime.toISOString()} : {}),
      configuration: parsed.document,
      ...(parsed.error ? {parseError: parsed.error.replace('policy document', 'security configuration')} : {}),
    }
  } catch (error) {
    if (error instanceof ActionError && isNotFound(error.original)) return {name, region, found: false}
    throw error
  }
}

/**
 * Lists security configurations and describes each. The names clusters and the config reference are
 * described too, so a missing list API (or a denied one) still leaves the referenced ones analysed.
 */
export async function scanSecurityConfigurations(
  ctx: ScanContext,
  region: string,
  listed: Promise<string[] | undefined>,
  clusters: Promise<Cluster[] | undefined>,
): Promise<SecurityConfiguration[] | undefined> {
  const emr = ctx.clients.emr(region)
  const [listedNames, clusterList] = await Promise.all([listed, clusters])
  const origins = new Map<string, Set<SecurityConfiguration['origins'][number]>>()
  const add = (name: string, origin: SecurityConfiguration['origins'][number]): void => {
    const set = origins.get(name) ?? new Set()
    set.add(origin)
    origins.set(name, set)
  }
  for (const name of listedNames ?? []) add(name, 'listed')
  for (const cluster of clusterList ?? []) if (cluster.securityConfiguration) add(cluster.securityConfiguration, 'cluster')
  for (const name of ctx.scope.config.securityConfigurations ?? []) add(name, 'config')

  const results = await Promise.all([...origins.keys()].map((name) => settle(() => describeSecurityConfiguration(ctx, emr, region, name))))
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length > 0) {
    recordFailure(ctx, 'emr.securityConfigurations', region, failures[0], `${failures.length} security configurations could not be described`)
  }
  return results
    .flatMap((result) => (result.ok ? [{...result.value, origins: [...(origins.get(result.value.name) ?? [])].sort()}] : []))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Starts the list call; its own outcome is recorded under emr.securityConfigurations. */
export function listSecurityConfigurations(ctx: ScanContext, region: string): Promise<string[] | undefined> {
  return runSource(ctx, 'emr.securityConfigurations', region, () => listSecurityConfigurationNames(ctx, ctx.clients.emr(region), region))
}

export async function scanBlockPublicAccess(ctx: ScanContext, region: string): Promise<BlockPublicAccess | undefined> {
  const emr = ctx.clients.emr(region)
  return runSource(ctx, 'emr.blockPublicAccess', region, async () => {
    const output = await call(ctx, 'emr', region, 'elasticmapreduce:GetBlockPublicAccessConfiguration', () =>
      emr.send(new GetBlockPublicAccessConfigurationCommand({})),
    )
    const configuration: BlockPublicAccessConfiguration = output.BlockPublicAccessConfiguration ?? {BlockPublicSecurityGroupRules: undefined}
    const metadata: Partial<BlockPublicAccessConfigurationMetadata> = output.BlockPublicAccessConfigurationMetadata ?? {}
    return {
      region,
      ...(configuration.BlockPublicSecurityGroupRules === undefined ? {} : {blockPublicSecurityGroupRules: configuration.BlockPublicSecurityGroupRules}),
      permittedRanges: (configuration.PermittedPublicSecurityGroupRuleRanges ?? []).map((range) => ({
        min: range.MinRange ?? 0,
        ...(range.MaxRange === undefined ? {} : {max: range.MaxRange}),
      })),
      ...(metadata.CreatedByArn ? {createdByArn: metadata.CreatedByArn} : {}),
      ...(metadata.CreationDateTime ? {createdAt: metadata.CreationDateTime.toISOString()} : {}),
    }
  })
}

function studioFromConfig(studio: StudioConfig): Studio {
  return {
    id: studio.id,
    region: studio.region,
    origin: 'config',
    ...(studio.authMode ? {authMode: studio.authMode} : {}),
    ...(studio.vpcId ? {vpcId: studio.vpcId} : {}),
    subnetIds: studio.subnetIds ?? [],
    ...(studio.serviceRole ? {serviceRole: studio.serviceRole} : {}),
    ...(studio.userRole ? {userRole: studio.userRole} : {}),
    ...(studio.workspaceSecurityGroupId ? {workspaceSecurityGroupId: studio.workspaceSecurityGroupId} : {}),
    ...(studio.engineSecurityGroupId ? {engineSecurityGroupId: studio.engineSecurityGroupId} : {}),
    ...(studio.defaultS3Location ? {defaultS3Location: studio.defaultS3Location} : {}),
    gitSecrets: studio.gitSecrets ?? [],
  }
}

async function listStudios(ctx: ScanContext, emr: EMRClient, region: string): Promise<Studio[]> {
  const ids = await collectPages(
    (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListStudios', () => emr.send(new ListStudiosCommand({Marker: marker}))),
    byMarker,
    (page) => (page.Studios ?? []).flatMap((summary) => (summary.StudioId ? [summary.StudioId] : [])),
  )
  return Promise.all(
    ids.map(async (id): Promise<Studio> => {
      const {Studio: studio} = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeStudio', () => emr.send(new DescribeStudioCommand({StudioId: id})))
      return {
        id,
        ...(studio?.StudioArn ? {arn: studio.StudioArn} : {}),
        ...(studio?.Name ? {name: studio.Name} : {}),
        region,
        origin: 'api',
        ...(studio?.AuthMode ? {authMode: studio.AuthMode} : {}),
        ...(studio?.VpcId ? {vpcId: studio.VpcId} : {}),
        subnetIds: studio?.SubnetIds ?? [],
        ...(studio?.ServiceRole ? {serviceRole: studio.ServiceRole} : {}),
        ...(studio?.UserRole ? {userRole: studio.UserRole} : {}),
        ...(studio?.WorkspaceSecurityGroupId ? {workspaceSecurityGroupId: studio.WorkspaceSecurityGroupId} : {}),
        ...(studio?.EngineSecurityGroupId ? {engineSecurityGroupId: studio.EngineSecurityGroupId} : {}),
        ...(studio?.DefaultS3Location ? {defaultS3Location: studio.DefaultS3Location} : {}),
        ...(studio?.EncryptionKeyArn ? {encryptionKeyArn: studio.EncryptionKeyArn} : {}),
        gitSecrets: [],
      }
    }),
  )
}

async function addSessionMappings(ctx: ScanContext, emr: EMRClient, region: string, studios: Studio[]): Promise<void> {
  const results = await Promise.all(
    studios.map((studio) =>
      settle(async () => {
        studio.sessionMappings = await collectPages(
          (marker) => call(ctx, 'emr', region, 'elasticmapreduce:ListStudioSessionMappings', () => emr.send(new ListStudioSessionMappingsCommand({StudioId: studio.id, Marker: marker}))),
          byMarker,
          (page) =>
            (page.SessionMappings ?? []).map((mapping) => ({
              ...(mapping.IdentityName ? {identityName: mapping.IdentityName} : {}),
              ...(mapping.IdentityType ? {identityType: mapping.IdentityType} : {}),
              ...(mapping.SessionPolicyArn ? {sessionPolicyArn: mapping.SessionPolicyArn} : {}),
            })),
        )
      }),
    ),
  )
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length === 0) ctx.record({source: 'emr.studioSessionMappings', region, status: 'ok'})
  else recordFailure(ctx, 'emr.studioSessionMappings', region, failures[0], `session mappings of ${failures.length} of ${studios.length} Studios could not be listed`)
}

/** Studios from the API, supplemented (and, where the API is missing, replaced) by the config's studios. */
export async function scanStudios(ctx: ScanContext, region: string): Promise<Studio[]> {
  const emr = ctx.clients.emr(region)
  const listed = await runSource(ctx, 'emr.studios', region, () => listStudios(ctx, emr, region))
  if (listed) await addSessionMappings(ctx, emr, region, listed)
  const fromApi = listed ?? []
  const byId = new Map(fromApi.map((studio) => [studio.id, studio]))
  for (const configured of ctx.scope.config.studios ?? []) {
    if (configured.region !== region) continue
    const existing = byId.get(configured.id)
    if (existing) existing.gitSecrets = [...new Set([...existing.gitSecrets, ...(configured.gitSecrets ?? [])])]
    else byId.set(configured.id, studioFromConfig(configured))
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
}
