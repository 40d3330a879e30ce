import {evaluateAll} from '../../policy/evaluate.js'
import {roleNameFromReference} from '../../policy/match.js'
import {clusterArn, clusterResource, iamCollected, IAM_SNAPSHOT_MISSING, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'

/** The content of AmazonElasticMapReduceforAutoScalingRole: what automatic scaling needs. */
const SCALING_ACTIONS = ['cloudwatch:DescribeAlarms', 'elasticmapreduce:ListInstanceGroups', 'elasticmapreduce:ModifyInstanceGroups'] as const

export default defineRule({
  id: 'EMR-ROLE-002',
  group: 'ROLE',
  title: 'Clusters with automatic scaling policies have a usable Auto Scaling role',
  severity: 'high',
  rationale: 'Without a usable Auto Scaling role, scaling actions fail silently and cluster cost or capacity drifts.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html',
  ],
  remediation: {
    summary: 'Attach arn:<partition>:iam::aws:policy/service-role/AmazonElasticMapReduceforAutoScalingRole to the Auto Scaling role (trust per EMR-TRUST-004).',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['emr.clusters'],
  reads: ['emr.instanceCapacity', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const resource = clusterResource(cluster)
      if (cluster.instanceCollectionType === 'INSTANCE_FLEET') continue
      if (!cluster.instanceGroups) {
        outcomes.push({
          status: 'unknown',
          resource,
          message: `Could not tell whether cluster ${cluster.id} uses automatic scaling: its instance groups could not be read.`,
        })
        continue
      }
      const scaled = cluster.instanceGroups.filter((group) => group.hasAutoScalingPolicy).map((group) => group.id)
      if (scaled.length === 0) continue
      if (!cluster.autoScalingRole) {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Cluster ${cluster.id} has automatic scaling policies on ${scaled.join(', ')} but no AutoScalingRole; relaunch it with one.`,
          evidence: {scaledInstanceGroups: scaled},
        })
        continue
      }
      if (!iamCollected(index)) {
        outcomes.push({status: 'unknown', resource, message: `Could not check the Auto Scaling role of cluster ${cluster.id}: ${IAM_SNAPSHOT_MISSING}.`})
        continue
      }
      const role = index.roleByReference(cluster.autoScalingRole)
      const roleName = roleNameFromReference(cluster.autoScalingRole)
      if (!role) {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Cluster ${cluster.id} scales automatically with role ${roleName}, which does not exist.`,
          evidence: {autoScalingRole: cluster.autoScalingRole, scaledInstanceGroups: scaled},
        })
        continue
      }
      const batch = evaluateAll(
        index.identityPolicies(role),
        SCALING_ACTIONS.map((action) => ({action, resource: action.startsWith('cloudwatch:') ? '*' : clusterArn(inventory, cluster)})),
        index.permissionsBoundary(role),
      )
      const missing = batch.denied
      const evidence = {autoScalingRole: role.arn, scaledInstanceGroups: scaled, decisions: batch.decisions}
      if (missing.length > 0) {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Auto Scaling role ${roleName} of cluster ${cluster.id} is not allowed ${missing.join(', ')}; attach AmazonElasticMapReduceforAutoScalingRole.`,
          evidence,
        })
      } else if (batch.undecided.length > 0) {
        outcomes.push({
          status: 'unknown',
          resource,
          message: `Could not decide whether role ${roleName} may ${batch.undecided.join(', ')}: ${batch.unknownBecause.join('; ')}.`,
          evidence,
        })
      } else {
        outcomes.push({
          status: 'pass',
          resource,
          message: `Auto Scaling role ${roleName} of cluster ${cluster.id} has the permissions automatic scaling needs.`,
          evidence,
        })
      }
    }
    return outcomes
  },
})
