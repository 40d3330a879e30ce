/**
 * Which findings concern the requested cluster, which request field each comes from, and the verdict:
 * a failure of a check EMR enforces when it creates the cluster means it will not launch; other failures
 * at or above --fail-on mean it launches with findings.
 */
import {atLeast, type Finding, type Severity} from '../findings/types.js'
import type {Cluster, Inventory} from '../inventory/schema.js'
import {roleNameFromReference} from '../policy/match.js'
import {clusterSecurityGroupIds, clusterSubnetIds} from '../rules/network.js'
import type {PlannedCluster} from './overlay.js'
import type {ClusterField} from './request.js'

/**
 * Catalog rules whose failure on the cluster's own resources stops the launch (REQUIREMENTS: referenced
 * roles missing, profile missing or misnamed, trust not naming the service, the service role unable to
 * pass the EC2 role, untagged network with the v2 policies, missing security configuration, unusable KMS
 * key, runtime roles on a release or topology that does not support them), and the launch-only checks.
 */
export const LAUNCH_BLOCKING = new Set([
  'EMR-ROLE-001',
  'EMR-PROFILE-001',
  'EMR-PROFILE-002',
  'EMR-TRUST-001',
  'EMR-TRUST-003',
  'EMR-PASSROLE-001',
  'EMR-TAG-001',
  'EMR-TAG-002',
  'EMR-SECCFG-001',
  'EMR-SECCFG-004',
  'EMR-RUNTIME-001',
  'EMR-LAUNCH-001',
  'EMR-LAUNCH-002',
  'EMR-LAUNCH-003',
  'EMR-LAUNCH-004',
])

export const VERDICTS = ['will launch', 'launches with findings', 'cannot tell', 'will fail to launch'] as const
export type Verdict = (typeof VERDICTS)[number]

/** The names and ids a finding may carry when it concerns this cluster, each with the request field it came from. */
function referencedResources(cluster: Cluster, planned: PlannedCluster, inventory: Inventory): Map<string, string> {
  const fields = planned.requested.fields
  const field = (name: ClusterField) => fields[name] ?? name
  const references = new Map<string, string>([[cluster.id, planned.requested.address]])
  const add = (id: string | undefined, name: ClusterField) => {
    if (id) references.set(id, field(name))
  }
  if (cluster.serviceRole) add(roleNameFromReference(cluster.serviceRole), 'serviceRole')
  if (cluster.autoScalingRole) add(roleNameFromReference(cluster.autoScalingRole), 'autoScalingRole')
  if (cluster.instanceProfile) {
    const profileName = roleNameFromReference(cluster.instanceProfile)
    add(profileName, 'jobFlowRole')
    for (const profile of inventory.iam.instanceProfiles.filter((entry) => entry.name === profileName))
      for (const role of profile.roles) add(role.name, 'jobFlowRole')
  }
  add(cluster.securityConfiguration, 'securityConfiguration')
  for (const id of clusterSubnetIds(cluster)) add(id, 'subnet')
  for (const id of clusterSecurityGroupIds(cluster)) add(id, 'securityGroups')
  return references
}

/** A catalog rule's finding on the cluster itself is about one of its fields. */
const FIELD_OF_CLUSTER_RULE: Record<string, ClusterField> = {
  'EMR-ROLE-002': 'autoScalingRole',
  'EMR-PROFILE-001': 'jobFlowRole',
  'EMR-PROFILE-002': 'jobFlowRole',
  'EMR-TRUST-001': 'serviceRole',
  'EMR-TRUST-003': 'jobFlowRole',
  'EMR-TRUST-004': 'autoScalingRole',
  'EMR-PASSROLE-001': 'serviceRole',
  'EMR-TAG-001': 'subnet',
  'EMR-TAG-002': 'securityGroups',
  'EMR-CLUSTER-002': 'securityGroups',
  'EMR-CLUSTER-003': 'securityGroups',
  'EMR-CLUSTER-004': 'subnet',
  'EMR-RUNTIME-001': 'securityConfiguration',
}

function clusterField(finding: Finding): ClusterField | undefined {
  // EMR-ROLE-001 says which reference is missing in its sub-key (ServiceRole / AutoScalingRole).
  if (finding.ruleId === 'EMR-ROLE-001') return finding.subKey === 'AutoScalingRole' ? 'autoScalingRole' : 'serviceRole'
  if (finding.ruleId.startsWith('EMR-SECCFG-')) return 'securityConfiguration'
  return FIELD_OF_CLUSTER_RULE[finding.ruleId]
}

/** The findings on this cluster or on what it references, each with `evidence.requestField` set. */
export function findingsForLaunch(
  findings: readonly Finding[],
  clusters: ReadonlyArray<{cluster: Cluster; planned: PlannedCluster}>,
  inventory: Inventory,
): Finding[] {
  const references = new Map<string, string>()
  const onCluster = new Map(clusters.map(({cluster, planned}) => [cluster.id, planned]))
  for (const {cluster, planned} of clusters)
    for (const [id, field] of referencedResources(cluster, planned, inventory)) if (!references.has(id)) references.set(id, field)
  const fieldOnCluster = (finding: Finding): string | undefined => {
    const planned = onCluster.get(finding.resource.id)
    const field = planned ? clusterField(finding) : undefined
    return planned && field ? (planned.requested.fields[field] ?? field) : undefined
  }
  return findings.flatMap((finding) => {
    const field = fieldOnCluster(finding) ?? references.get(finding.resource.id) ?? (finding.resource.name ? references.get(finding.resource.name) : undefined)
    if (field === undefined) return []
    const requestField = typeof finding.evidence['requestField'] === 'string' ? finding.evidence['requestField'] : field
    return [{...finding, evidence: {...finding.evidence, requestField}}]
  })
}

export function verdictOf(findings: readonly Finding[], failOn: Severity): Verdict {
  // A suppression silences a report, not EMR: a suppressed launch blocker still stops the launch.
  if (findings.some((finding) => (finding.status === 'fail' || finding.status === 'suppressed') && LAUNCH_BLOCKING.has(finding.ruleId)))
    return 'will fail to launch'
  if (findings.some((finding) => (finding.status === 'unknown' || finding.status === 'error') && LAUNCH_BLOCKING.has(finding.ruleId))) return 'cannot tell'
  if (findings.some((finding) => finding.status === 'fail' && atLeast(finding.severity, failOn))) return 'launches with findings'
  return 'will launch'
}
