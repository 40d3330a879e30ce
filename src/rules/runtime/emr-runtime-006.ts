import {conditionKeys, statementsOf} from '../../policy/document.js'
import {arnMatches, statementCoversAction} from '../../policy/match.js'
import {clusterArn, iamCollected, iamSnapshotUnknown} from '../helpers.js'
import {principalsOf} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {runtimeClusters} from './pairing.js'

const STEP_ACTIONS = ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:GetClusterSessionCredentials']

export default defineRule({
  id: 'EMR-RUNTIME-006',
  group: 'RUNTIME',
  title: 'Step submitters are restricted by elasticmapreduce:ExecutionRoleArn',
  severity: 'medium',
  rationale: 'Without an ExecutionRoleArn condition, anyone who may submit steps can run them as any runtime role the cluster may assume.',
  sources: ['seed 003', 'seed 004'],
  remediation: {summary: 'Add a condition on elasticmapreduce:ExecutionRoleArn (StringEquals/StringLike/ArnLike) to the statements that allow AddJobFlowSteps or GetClusterSessionCredentials.', autoApply: 'no'},
  evaluate(inventory, {index, scope}) {
    const clusters = runtimeClusters(inventory, index)
    if (clusters.length === 0) return []
    if (!iamCollected(index)) return iamSnapshotUnknown(inventory, 'step submitters')
    const arns = clusters.map((entry) => clusterArn(inventory, entry.cluster))
    const outcomes: RuleOutcome[] = []
    for (const principal of principalsOf(inventory, index, scope)) {
      const open = principal.policies.flatMap((source) =>
        statementsOf(source.document)
          .filter((statement) => statement.effect === 'Allow' && STEP_ACTIONS.some((action) => statementCoversAction(statement, action)))
          .filter((statement) => (statement.resources ?? ['*']).some((pattern) => arns.some((arn) => arnMatches(pattern, arn))) || (statement.notResources !== undefined && arns.some((arn) => !statement.notResources?.some((pattern) => arnMatches(pattern, arn)))))
          .filter((statement) => !conditionKeys(statement).includes('elasticmapreduce:executionrolearn'))
          .map((statement) => ({policy: source.label, statementIndex: statement.index})),
      )
      if (open.length === 0) continue
      outcomes.push({
        status: 'fail',
        resource: principal.resource,
        message: `${principal.kind} ${principal.name} may submit steps to runtime-role clusters with any runtime role (no elasticmapreduce:ExecutionRoleArn condition) via ${[...new Set(open.map((entry) => entry.policy))].join(', ')}.`,
        evidence: {statements: open, clusters: clusters.map((entry) => entry.cluster.id)},
      })
    }
    return outcomes
  },
})
