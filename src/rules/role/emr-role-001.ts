import {roleNameFromReference} from '../../policy/match.js'
import {accountResource, clusterResource} from '../helpers.js'
import {DEFAULT_ROLE_NAMES} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'

const DEFAULT_CLUSTER_ROLES = Object.entries(DEFAULT_ROLE_NAMES)
  .filter(([, roleClass]) => roleClass === 'SVC' || roleClass === 'EC2' || roleClass === 'ASG')
  .map(([name]) => name)

export default defineRule({
  id: 'EMR-ROLE-001',
  group: 'ROLE',
  title: 'Every role referenced by a live cluster exists',
  severity: 'critical',
  rationale: 'A running cluster whose service or auto scaling role is gone cannot be scaled, cleaned up or managed by EMR.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html',
  ],
  remediation: {
    summary: 'Recreate the role with the documented trust (TRUST-001/004) and permissions (iam:CreateRole, iam:AttachRolePolicy).',
    autoApply: 'no',
  },
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'the roles of active clusters',
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const references = [
        ['ServiceRole', cluster.serviceRole],
        ['AutoScalingRole', cluster.autoScalingRole],
      ] as const
      for (const [field, reference] of references) {
        if (!reference) continue
        const role = index.roleByReference(reference)
        const roleName = roleNameFromReference(reference)
        outcomes.push(
          role
            ? {
                status: 'pass',
                resource: clusterResource(cluster),
                subKey: field,
                message: `${field} ${roleName} of cluster ${cluster.id} exists.`,
                evidence: {field, reference, roleArn: role.arn},
              }
            : {
                status: 'fail',
                resource: clusterResource(cluster),
                subKey: field,
                message: `Cluster ${cluster.id} (${cluster.region}) uses ${field} ${roleName}, which does not exist; recreate it with the documented trust and policy.`,
                evidence: {field, reference},
              },
        )
      }
    }
    // "No active cluster" only where clusters were listed in every region (elsewhere the engine says unknown).
    const listedEverywhere = inventory.regions.every((region) => index.collected('emr.clusters', region))
    if (inventory.emr.clusters.length === 0 && listedEverywhere) {
      const present = DEFAULT_CLUSTER_ROLES.filter((name) => index.roleByName(name))
      outcomes.push({
        status: 'pass',
        resource: accountResource(inventory),
        message: `No active cluster in the scanned regions; default roles present: ${present.join(', ') || 'none'}.`,
        evidence: {defaultRolesPresent: present, defaultRolesAbsent: DEFAULT_CLUSTER_ROLES.filter((name) => !present.includes(name))},
        severity: 'info',
      })
    }
    return outcomes
  },
})
