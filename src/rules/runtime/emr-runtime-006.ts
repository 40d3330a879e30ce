import {unconditionedGrants} from '../../policy/grants.js'
import {clusterArn, IDENTITY_POLICY_SOURCES, policyNames} from '../helpers.js'
import {principalsOf} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {runtimeClusters} from './pairing.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

const STEP_ACTIONS = ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:GetClusterSessionCredentials']

export default defineRule({
  id: 'EMR-RUNTIME-006',
  group: 'RUNTIME',
  title: 'Step submitters are restricted by elasticmapreduce:ExecutionRoleArn',
  severity: 'medium',
  rationale: 'Without an ExecutionRoleArn condition, anyone who may submit steps can run them as any runtime role the cluster may assume.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/security_iam_service-with-iam.html',
  ],
  remediation: {
    summary:
      'Add a condition on elasticmapreduce:ExecutionRoleArn (StringEquals/StringLike/ArnLike) to the statements that allow AddJobFlowSteps or GetClusterSessionCredentials.',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'step submitters',
  needsGlobalSourcesWhen: (inventory, {index}) => runtimeClusters(inventory, index).length > 0,
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    const clusters = runtimeClusters(inventory, index)
    if (clusters.length === 0) return []
    const arns = clusters.map((entry) => clusterArn(inventory, entry.cluster))
    const outcomes: RuleOutcome[] = []
    for (const principal of principalsOf(inventory, index, scope)) {
      const open = unconditionedGrants(principal.policies, STEP_ACTIONS, arns, 'elasticmapreduce:ExecutionRoleArn')
      if (open.length === 0) continue
      outcomes.push({
        status: 'fail',
        resource: principal.resource,
        message: `${principal.kind} ${principal.name} may submit steps to runtime-role clusters with any runtime role (no elasticmapreduce:ExecutionRoleArn condition) via ${policyNames(open)}.`,
        evidence: {statements: open, clusters: clusters.map((entry) => entry.cluster.id)},
      })
    }
    return outcomes
  },
})
