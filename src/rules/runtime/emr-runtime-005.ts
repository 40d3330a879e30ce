import type {Role} from '../../inventory/schema.js'
import {type Caller, evaluateAssume, statementsFor} from '../../policy/assume.js'
import {conditionKeys} from '../../policy/document.js'
import {describeStatement} from '../../policy/trust.js'
import {roleResource} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {applicationScopedConfiguration, runtimePairs, type RuntimePair} from './pairing.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

const EXTERNAL_ID = 'sts:externalid'

function callerOf(ec2Role: Role, account: string, partition: string): Caller {
  return {arn: ec2Role.arn, account, partition}
}

/** The EC2 role assumes the runtime role with the ExternalId its cluster's security configuration holds, as EMR does. */
function verdict(pair: RuntimePair & {runtime: Role}, account: string, partition: string): RuleOutcome {
  const {runtime, ec2Role} = pair
  const caller = callerOf(ec2Role, account, partition)
  const expected = [...new Set(pair.clusters.flatMap((entry) => applicationScopedConfiguration(entry.body).externalId ?? []))]
  const context = (externalId: string[]) => ({'sts:ExternalId': externalId, 'aws:PrincipalArn': [ec2Role.arn], 'aws:PrincipalAccount': [account]})
  const conditioned = statementsFor(runtime.trustPolicy, caller).filter((statement) => conditionKeys(statement).includes(EXTERNAL_ID))
  const base = {resource: roleResource(runtime), subKey: ec2Role.name}
  const evidence = {
    configurationExternalIds: expected,
    clusters: pair.clusters.map((entry) => entry.cluster.id),
    trustStatements: conditioned.map(describeStatement),
  }
  // Assumable with no ExternalId at all (the key known absent): the condition isolates nothing for this caller.
  if (conditioned.length === 0 || evaluateAssume(runtime.trustPolicy, caller, context([])).decision === 'allow') {
    return {
      ...base,
      status: 'pass',
      severity: 'info',
      message: `Runtime role ${runtime.name} lets ${ec2Role.name} assume it without an sts:ExternalId condition (optional per-tenant isolation).`,
      evidence,
    }
  }
  if (expected.length === 0)
    return {
      ...base,
      status: 'unknown',
      message: `Runtime role ${runtime.name} expects an sts:ExternalId from ${ec2Role.name}, but the security configuration's ExternalId is not in the scan.`,
      evidence,
    }
  const answers = expected.map((externalId) => ({externalId, decision: evaluateAssume(runtime.trustPolicy, caller, context([externalId])).decision}))
  const refused = answers.filter((answer) => answer.decision === 'implicit-deny' || answer.decision === 'explicit-deny').map((answer) => answer.externalId)
  if (refused.length > 0) {
    return {
      ...base,
      status: 'fail',
      message: `The trust of ${runtime.name} does not let ${ec2Role.name} assume it with sts:ExternalId ${refused.join(', ')}, which its clusters' security configuration uses; steps cannot assume it.`,
      evidence,
    }
  }
  if (answers.some((answer) => answer.decision === 'unknown')) {
    return {
      ...base,
      status: 'unknown',
      message: `Could not decide whether ${ec2Role.name} may assume ${runtime.name} with the configured sts:ExternalId: other conditions of its trust depend on the request.`,
      evidence,
    }
  }
  return {
    ...base,
    status: 'pass',
    message: `The trust of ${runtime.name} lets ${ec2Role.name} assume it with the security configuration's sts:ExternalId.`,
    evidence,
  }
}

export default defineRule({
  id: 'EMR-RUNTIME-005',
  group: 'RUNTIME',
  title: 'sts:ExternalId conditions match the security configuration',
  severity: 'high',
  rationale:
    'EMR generates an ExternalId per runtime-role security configuration; a runtime role whose trust expects another value cannot be assumed on that cluster.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html'],
  remediation: {summary: 'iam:UpdateAssumeRolePolicy with the ExternalId that DescribeSecurityConfiguration shows.', autoApply: 'no'},
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'runtime role ExternalId conditions',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {index, scope}) {
    const {id: account, partition} = inventory.account
    return runtimePairs(inventory, index, scope).pairs.flatMap((pair) => (pair.runtime ? [verdict({...pair, runtime: pair.runtime}, account, partition)] : []))
  },
})
