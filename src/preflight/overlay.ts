/**
 * The account as it will be once the request (and what its plan or template creates) exists: planned
 * IAM and network resources added beside the scanned ones, and each requested cluster added as a
 * cluster that is starting, so the catalog's rules judge it as if it ran. Pure: the inventory is copied.
 */
import type {Cluster, InstanceGroup, Inventory} from '../inventory/schema.js'
import type {LaunchRequest, RequestedCluster} from './request.js'

export interface PlannedCluster {
  /** The id the overlaid inventory gives the cluster (`planned:<address>`): findings on it name it. */
  id: string
  requested: RequestedCluster
}

export const plannedClusterId = (cluster: RequestedCluster): string => `planned:${cluster.address}`

function capacityOf(cluster: RequestedCluster): InstanceGroup[] {
  return [
    ...(cluster.primaryNodes !== undefined
      ? [{id: 'planned-primary', type: 'MASTER', requestedInstanceCount: cluster.primaryNodes, hasAutoScalingPolicy: false}]
      : []),
    ...(cluster.usesSpot ? [{id: 'planned-spot', type: 'TASK', market: 'SPOT', hasAutoScalingPolicy: false}] : []),
  ]
}

function asCluster(cluster: RequestedCluster, region: string): Cluster {
  return {
    id: plannedClusterId(cluster),
    name: cluster.name,
    region,
    state: 'STARTING',
    ...(cluster.releaseLabel ? {releaseLabel: cluster.releaseLabel} : {}),
    applications: cluster.applications,
    ...(cluster.serviceRole ? {serviceRole: cluster.serviceRole} : {}),
    ...(cluster.autoScalingRole ? {autoScalingRole: cluster.autoScalingRole} : {}),
    ...(cluster.securityConfiguration ? {securityConfiguration: cluster.securityConfiguration} : {}),
    ...(cluster.jobFlowRole ? {instanceProfile: cluster.jobFlowRole} : {}),
    ...(cluster.subnetIds[0] ? {subnetId: cluster.subnetIds[0]} : {}),
    requestedSubnetIds: cluster.subnetIds,
    ...(cluster.masterSecurityGroup ? {emrManagedMasterSecurityGroup: cluster.masterSecurityGroup} : {}),
    ...(cluster.slaveSecurityGroup ? {emrManagedSlaveSecurityGroup: cluster.slaveSecurityGroup} : {}),
    ...(cluster.serviceAccessSecurityGroup ? {serviceAccessSecurityGroup: cluster.serviceAccessSecurityGroup} : {}),
    additionalMasterSecurityGroups: cluster.additionalMasterSecurityGroups,
    additionalSlaveSecurityGroups: cluster.additionalSlaveSecurityGroups,
    tags: cluster.tags,
    instanceGroups: capacityOf(cluster),
    // A cluster not yet started has run no step and has no instances: nothing to read, not "could not read".
    primaryInstances: [],
    steps: [],
  }
}

/** Planned resources replace scanned ones of the same name or id (a plan that updates a role in place). */
function merged<T>(existing: readonly T[], planned: readonly T[], key: (item: T) => string): T[] {
  const replaced = new Set(planned.map(key))
  return [...existing.filter((item) => !replaced.has(key(item))), ...planned]
}

export function overlay(inventory: Inventory, request: LaunchRequest, region: string): {inventory: Inventory; clusters: PlannedCluster[]} {
  const {planned} = request
  const deletedProfiles = new Set(planned.deleted?.instanceProfiles)
  const deletedRoles = new Set(planned.deleted?.roles)
  const profiles = merged(
    inventory.iam.instanceProfiles.filter((profile) => !deletedProfiles.has(profile.name)),
    planned.instanceProfiles,
    (profile) => profile.name,
  )
  // A role lists the profiles it is in (as GetAccountAuthorizationDetails does): planned profiles are added to their roles.
  const profilesOfRole = (roleName: string) =>
    profiles
      .filter((profile) => profile.roles.some((role) => role.name === roleName))
      .map((profile) => ({name: profile.name, arn: profile.arn, roleNames: profile.roles.map((role) => role.name)}))
  const roles = merged(
    inventory.iam.roles.filter((role) => !deletedRoles.has(role.name)),
    planned.roles,
    (role) => role.name,
  ).map((role) => ({...role, instanceProfiles: profilesOfRole(role.name)}))
  const clusters = request.clusters.map((requested) => ({id: plannedClusterId(requested), requested}))
  return {
    clusters,
    inventory: {
      ...inventory,
      iam: {...inventory.iam, roles, instanceProfiles: profiles, policies: merged(inventory.iam.policies, planned.policies, (policy) => policy.arn)},
      emr: {
        ...inventory.emr,
        clusters: [
          ...inventory.emr.clusters.filter((cluster) => !clusters.some((entry) => entry.id === cluster.id)),
          ...request.clusters.map((cluster) => asCluster(cluster, region)),
        ],
      },
      ec2: {
        ...inventory.ec2,
        subnets: merged(
          inventory.ec2.subnets,
          planned.subnets.map((subnet) => ({...subnet, region})),
          (subnet) => subnet.id,
        ),
        securityGroups: merged(
          inventory.ec2.securityGroups,
          planned.securityGroups.map((group) => ({...group, region})),
          (group) => group.id,
        ),
      },
    },
  }
}
