/**
 * EMR, per region: active clusters with their capacity, security configurations, block public access and
 * Studios. Where the endpoint lacks ListSecurityConfigurations or the Studio APIs, the names clusters and
 * the config reference are used instead and the gap is recorded in coverage.
 */
import type {BlockPublicAccessConfiguration, BlockPublicAccessConfigurationMetadata, Cluster as SdkCluster, ClusterState, EMRClient} from '@aws-sdk/client-emr'
import {sdk} from '../aws/sdk.js'
import {isNotFound} from '../aws/errors.js'
import type {StudioConfig} from '../config/schema.js'
import type {BlockPublicAccess, Cluster, InstanceFleet, InstanceGroup, SecurityConfiguration, Studio} from '../inventory/schema.js'
import {toTags} from '../inventory/tags.js'
import {parsePolicyJson} from '../policy/document.js'
import {ActionError, call, recordFailure, runSource, type ScanContext, settle} from './context.js'
import {byMarker, collectPages} from './pagination.js'
import {defineSource, type SourceContext} from './source.js'
import {isRuntimeRoleEnabled} from '../inventory/security-configuration.js'

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
  const {ListClustersCommand} = sdk.emr()
  return collectPages(
    (marker) =>
      call(ctx, 'emr', region, 'elasticmapreduce:ListClusters', () =>
        emr.send(new ListClustersCommand({ClusterStates: ACTIVE_CLUSTER_STATES, Marker: marker})),
      ),
    byMarker,
    (page) => (page.Clusters ?? []).flatMap((summary) => (summary.Id ? [summary.Id] : [])),
  )
}

function listInstanceGroups(ctx: ScanContext, emr: EMRClient, region: string, clusterId: string): Promise<InstanceGroup[]> {
  const {ListInstanceGroupsCommand} = sdk.emr()
  return collectPages(
    (marker) =>
      call(ctx, 'emr', region, 'elasticmapreduce:ListInstanceGroups', () => emr.send(new ListInstanceGroupsCommand({ClusterId: clusterId, Marker: marker}))),
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
  const {ListInstanceFleetsCommand} = sdk.emr()
  return collectPages(
    (marker) =>
      call(ctx, 'emr', region, 'elasticmapreduce:ListInstanceFleets', () => emr.send(new ListInstanceFleetsCommand({ClusterId: clusterId, Marker: marker}))),
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
  const {ListInstancesCommand} = sdk.emr()
  const filter = cluster.instanceCollectionType === 'INSTANCE_FLEET' ? {InstanceFleetType: 'MASTER' as const} : {InstanceGroupTypes: ['MASTER' as const]}
  return collectPages(
    (marker) =>
      call(ctx, 'emr', region, 'elasticmapreduce:ListInstances', () => emr.send(new ListInstancesCommand({ClusterId: cluster.id, ...filter, Marker: marker}))),
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
async function scanSteps(ctx: ScanContext, region: string, clusters: Cluster[]): Promise<Map<string, NonNullable<Cluster['steps']>>> {
  const {DescribeStepCommand, ListStepsCommand} = sdk.emr()
  const emr = ctx.clients.emr(region)
  const results = await Promise.all(
    clusters.map((cluster) =>
      settle(async () => {
        const page = await call(ctx, 'emr', region, 'elasticmapreduce:ListSteps', () => emr.send(new ListStepsCommand({ClusterId: cluster.id})))
        const steps = await Promise.all(
          (page.Steps ?? [])
            .flatMap((summary) => (summary.Id ? [summary.Id] : []))
            .map(async (stepId) => {
              const {Step: step} = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeStep', () =>
                emr.send(new DescribeStepCommand({ClusterId: cluster.id, StepId: stepId})),
              )
              return {
                id: stepId,
                ...(step?.Name ? {name: step.Name} : {}),
                ...(step?.Status?.State ? {state: step.Status.State} : {}),
                ...(step?.ExecutionRoleArn ? {executionRoleArn: step.ExecutionRoleArn} : {}),
              }
            }),
        )
        return [cluster.id, steps] as const
      }),
    ),
  )
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length === 0) ctx.record({source: 'emr.steps', region, status: 'ok'})
  else recordFailure(ctx, 'emr.steps', region, failures[0], `steps of ${failures.length} of ${clusters.length} clusters could not be read`)
  return new Map(results.flatMap((result) => (result.ok ? [result.value] : [])))
}

/** Active clusters with their details, sorted by id; capacity and primary instances are sources of their own. */
async function scanClusters(ctx: ScanContext, region: string): Promise<Cluster[] | undefined> {
  const {DescribeClusterCommand} = sdk.emr()
  const emr = ctx.clients.emr(region)
  const clusters = await runSource(ctx, 'emr.clusters', region, async () => {
    const ids = await listActiveClusterIds(ctx, emr, region)
    return Promise.all(
      ids.map(async (id) => {
        const {Cluster: cluster} = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeCluster', () =>
          emr.send(new DescribeClusterCommand({ClusterId: id})),
        )
        return toCluster(cluster ?? {Id: id}, region)
      }),
    )
  })
  return clusters?.sort((a, b) => a.id.localeCompare(b.id))
}

/**
 * One read per listed cluster, its failures kept apart: the outcome is `ok` only when every cluster's read
 * worked. Where the clusters could not be listed, nothing is read and nothing recorded.
 */
async function perCluster<T>(
  ctx: SourceContext,
  source: 'emr.instanceCapacity' | 'emr.instances',
  failure: (failed: number, total: number) => string,
  read: (cluster: Cluster) => Promise<T>,
): Promise<Map<string, T>> {
  const clusters = await ctx.input('emr.clusters')
  if (!clusters) return new Map()
  const results = await Promise.all(clusters.map((cluster) => settle(async () => [cluster.id, await read(cluster)] as const)))
  const failed = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failed.length === 0) ctx.record({source, region: ctx.region, status: 'ok'})
  else recordFailure(ctx, source, ctx.region, failed[0], failure(failed.length, clusters.length))
  return new Map(results.flatMap((result) => (result.ok ? [result.value] : [])))
}

function listSecurityConfigurationNames(ctx: ScanContext, emr: EMRClient, region: string): Promise<string[]> {
  const {ListSecurityConfigurationsCommand} = sdk.emr()
  return collectPages(
    (marker) =>
      call(ctx, 'emr', region, 'elasticmapreduce:ListSecurityConfigurations', () => emr.send(new ListSecurityConfigurationsCommand({Marker: marker}))),
    byMarker,
    (page) => (page.SecurityConfigurations ?? []).flatMap((summary) => (summary.Name ? [summary.Name] : [])),
  )
}

async function describeSecurityConfiguration(ctx: ScanContext, emr: EMRClient, region: string, name: string): Promise<Omit<SecurityConfiguration, 'origins'>> {
  const {DescribeSecurityConfigurationCommand} = sdk.emr()
  try {
    const output = await call(ctx, 'emr', region, 'elasticmapreduce:DescribeSecurityConfiguration', () =>
      emr.send(new DescribeSecurityConfigurationCommand({Name: name})),
    )
    // The settings come back as a JSON document inside a string.
    const parsed =
      output.SecurityConfiguration === undefined ? {document: null, error: 'no SecurityConfiguration returned'} : parsePolicyJson(output.SecurityConfiguration)
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
 * described too, so a missing list API (or a denied one) still leaves the referenced ones analysed. The
 * list call starts at once; only the describes wait for the clusters.
 */
async function scanSecurityConfigurations(ctx: SourceContext): Promise<SecurityConfiguration[]> {
  const {region} = ctx
  const emr = ctx.clients.emr(region)
  const listed = runSource(ctx, 'emr.securityConfigurations', region, () => listSecurityConfigurationNames(ctx, emr, region))
  const [listedNames, clusterList] = await Promise.all([listed, ctx.input('emr.clusters')])
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

async function scanBlockPublicAccess(ctx: SourceContext): Promise<BlockPublicAccess | undefined> {
  const {GetBlockPublicAccessConfigurationCommand} = sdk.emr()
  const {region} = ctx
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
  const {DescribeStudioCommand, ListStudiosCommand} = sdk.emr()
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

/** Session mappings of the Studios the API listed; nothing is read (or recorded) where it could not list them. */
async function scanSessionMappings(ctx: SourceContext): Promise<Map<string, NonNullable<Studio['sessionMappings']>>> {
  const {ListStudioSessionMappingsCommand} = sdk.emr()
  const {region} = ctx
  const emr = ctx.clients.emr(region)
  const {studios: all, listed} = await ctx.input('emr.studios')
  if (!listed) return new Map()
  const studios = all.filter((studio) => studio.origin === 'api')
  const results = await Promise.all(
    studios.map((studio) =>
      settle(async () => {
        const mappings = await collectPages(
          (marker) =>
            call(ctx, 'emr', region, 'elasticmapreduce:ListStudioSessionMappings', () =>
              emr.send(new ListStudioSessionMappingsCommand({StudioId: studio.id, Marker: marker})),
            ),
          byMarker,
          (page) =>
            (page.SessionMappings ?? []).map((mapping) => ({
              ...(mapping.IdentityName ? {identityName: mapping.IdentityName} : {}),
              ...(mapping.IdentityType ? {identityType: mapping.IdentityType} : {}),
              ...(mapping.SessionPolicyArn ? {sessionPolicyArn: mapping.SessionPolicyArn} : {}),
            })),
        )
        return [studio.id, mappings] as const
      }),
    ),
  )
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length === 0) ctx.record({source: 'emr.studioSessionMappings', region, status: 'ok'})
  else
    recordFailure(
      ctx,
      'emr.studioSessionMappings',
      region,
      failures[0],
      `session mappings of ${failures.length} of ${studios.length} Studios could not be listed`,
    )
  return new Map(results.flatMap((result) => (result.ok ? [result.value] : [])))
}

/** Studios from the API, supplemented (and, where the API is missing, replaced) by the config's studios. */
async function scanStudios(ctx: SourceContext): Promise<{studios: Studio[]; listed: boolean}> {
  const {region} = ctx
  const emr = ctx.clients.emr(region)
  const listed = await runSource(ctx, 'emr.studios', region, () => listStudios(ctx, emr, region))
  const byId = new Map((listed ?? []).map((studio) => [studio.id, studio]))
  for (const configured of ctx.scope.config.studios ?? []) {
    if (configured.region !== region) continue
    const existing = byId.get(configured.id)
    if (existing) existing.gitSecrets = [...new Set([...existing.gitSecrets, ...(configured.gitSecrets ?? [])])]
    else byId.set(configured.id, studioFromConfig(configured))
  }
  return {studios: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), listed: listed !== undefined}
}

export const clustersSource = defineSource({
  id: 'emr.clusters',
  actions: ['elasticmapreduce:ListClusters', 'elasticmapreduce:DescribeCluster'],
  scope: 'regional',
  dependsOn: [],
  collect: (ctx) => scanClusters(ctx, ctx.region),
})

export const instanceCapacitySource = defineSource({
  id: 'emr.instanceCapacity',
  actions: ['elasticmapreduce:ListInstanceGroups', 'elasticmapreduce:ListInstanceFleets'],
  scope: 'regional',
  dependsOn: ['emr.clusters'],
  collect: (ctx) =>
    perCluster(
      ctx,
      'emr.instanceCapacity',
      (failed, total) => `capacity of ${failed} of ${total} clusters could not be read`,
      async (cluster): Promise<Pick<Cluster, 'instanceGroups' | 'instanceFleets'>> =>
        cluster.instanceCollectionType === 'INSTANCE_FLEET'
          ? {instanceFleets: await listInstanceFleets(ctx, ctx.clients.emr(ctx.region), ctx.region, cluster.id)}
          : {instanceGroups: await listInstanceGroups(ctx, ctx.clients.emr(ctx.region), ctx.region, cluster.id)},
    ),
})

export const instancesSource = defineSource({
  id: 'emr.instances',
  actions: ['elasticmapreduce:ListInstances'],
  scope: 'regional',
  dependsOn: ['emr.clusters'],
  collect: (ctx) =>
    perCluster(
      ctx,
      'emr.instances',
      (failed, total) => `primary instances of ${failed} of ${total} clusters could not be listed`,
      (cluster) => listPrimaryInstances(ctx, ctx.clients.emr(ctx.region), ctx.region, cluster),
    ),
})

export const securityConfigurationsSource = defineSource({
  id: 'emr.securityConfigurations',
  actions: ['elasticmapreduce:ListSecurityConfigurations', 'elasticmapreduce:DescribeSecurityConfiguration'],
  scope: 'regional',
  dependsOn: ['emr.clusters'],
  collect: scanSecurityConfigurations,
})

/** Steps matter only where runtime roles are on, which the cluster's security configuration says. */
export const stepsSource = defineSource({
  id: 'emr.steps',
  actions: ['elasticmapreduce:ListSteps', 'elasticmapreduce:DescribeStep'],
  scope: 'regional',
  dependsOn: ['emr.clusters', 'emr.securityConfigurations'],
  async collect(ctx) {
    const [clusters, configurations] = await Promise.all([ctx.input('emr.clusters'), ctx.input('emr.securityConfigurations')])
    const enabled = new Set(configurations.filter((entry) => isRuntimeRoleEnabled(entry.configuration)).map((entry) => entry.name))
    return scanSteps(
      ctx,
      ctx.region,
      (clusters ?? []).filter((cluster) => cluster.securityConfiguration && enabled.has(cluster.securityConfiguration)),
    )
  },
})

export const blockPublicAccessSource = defineSource({
  id: 'emr.blockPublicAccess',
  actions: ['elasticmapreduce:GetBlockPublicAccessConfiguration'],
  scope: 'regional',
  dependsOn: [],
  collect: scanBlockPublicAccess,
})

export const studiosSource = defineSource({
  id: 'emr.studios',
  actions: ['elasticmapreduce:ListStudios', 'elasticmapreduce:DescribeStudio'],
  scope: 'regional',
  dependsOn: [],
  collect: scanStudios,
})

export const studioSessionMappingsSource = defineSource({
  id: 'emr.studioSessionMappings',
  actions: ['elasticmapreduce:ListStudioSessionMappings'],
  scope: 'regional',
  dependsOn: ['emr.studios'],
  // Read only where Studios exist, so progress does not count it.
  progress: 'uncounted',
  collect: scanSessionMappings,
})
