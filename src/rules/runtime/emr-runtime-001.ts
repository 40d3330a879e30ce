import {clusterResource, releaseAtLeast} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {isRuntimeRoleEnabled} from '../../inventory/security-configuration.js'
import {runtimeClusters} from './pairing.js'

export default defineRule({
  id: 'EMR-RUNTIME-001',
  group: 'RUNTIME',
  title: 'Runtime-role clusters meet the platform preconditions',
  severity: 'high',
  rationale: 'Steps with ExecutionRoleArn are rejected, or the feature is unsupported, below emr-6.7.0, without Spark or Hive, or on multi-primary clusters.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html'],
  remediation: {
    summary: 'Relaunch with a supported release (emr-6.7.0 or later; 6.9.0 for Livy/Presto), Spark and/or Hive, and a single primary node.',
    autoApply: 'no',
  },
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations', 'emr.instanceCapacity'],
  evaluate(inventory, {index}) {
    const clusters = runtimeClusters(inventory, index)
    const used = new Set(clusters.map((entry) => `${entry.cluster.region}|${entry.configurationName}`))
    // Configurations with runtime roles that no active cluster uses yet: say what a launch with them needs.
    const unused = inventory.emr.securityConfigurations
      .filter((entry) => entry.found && isRuntimeRoleEnabled(entry.configuration) && !used.has(`${entry.region}|${entry.name}`))
      .map((entry): RuleOutcome => ({
        status: 'pass',
        severity: 'info',
        resource: {type: 'emr-security-configuration', id: entry.name, name: entry.name, region: entry.region},
        message: `Security configuration ${entry.name} enables runtime roles: clusters launched with it need emr-6.7.0 or later (6.9.0 for Livy/Presto), Spark or Hive, and one primary node.`,
      }))
    return [
      ...unused,
      ...clusters.map(({cluster}): RuleOutcome => {
        const resource = clusterResource(cluster)
        const problems: string[] = []
        const release = releaseAtLeast(cluster.releaseLabel, 'emr-6.7.0')
        if (release === false) problems.push(`release ${cluster.releaseLabel} is older than emr-6.7.0`)
        const apps = cluster.applications.map((name) => name.toLowerCase())
        const sparkOrHive = apps.includes('spark') || apps.includes('hive')
        const livyOrPresto =
          (apps.includes('livy') || apps.includes('presto') || apps.includes('trino')) && releaseAtLeast(cluster.releaseLabel, 'emr-6.9.0') === true
        if (!sparkOrHive && !livyOrPresto) problems.push(`applications ${cluster.applications.join(', ') || 'none'} include neither Spark nor Hive`)
        const primaries = [
          ...(cluster.instanceGroups ?? []).filter((group) => group.type === 'MASTER').map((group) => group.requestedInstanceCount ?? 1),
          ...(cluster.instanceFleets ?? [])
            .filter((fleet) => fleet.type === 'MASTER')
            .map((fleet) => (fleet.targetOnDemandCapacity ?? 0) + (fleet.targetSpotCapacity ?? 0)),
        ]
        if (primaries.some((count) => count > 1)) problems.push('it has more than one primary node')
        const evidence = {releaseLabel: cluster.releaseLabel ?? null, applications: cluster.applications, primaryNodes: primaries}
        if (problems.length > 0)
          return {status: 'fail', resource, message: `Runtime roles will not work on cluster ${cluster.id}: ${problems.join('; ')}.`, evidence}
        if (release === undefined || (!cluster.instanceGroups && !cluster.instanceFleets))
          return {
            status: 'unknown',
            resource,
            message: `Could not fully check runtime-role preconditions of cluster ${cluster.id} (release label or capacity unreadable).`,
            evidence,
          }
        return {status: 'pass', resource, message: `Cluster ${cluster.id} meets the runtime-role preconditions.`, evidence}
      }),
    ]
  },
})
