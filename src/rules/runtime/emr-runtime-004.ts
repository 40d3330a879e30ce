import {statementsOf} from '../../policy/document.js'
import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {roleNameFromReference, statementCoversAction} from '../../policy/match.js'
import {awsPrincipalsOf} from '../../policy/trust.js'
import {roleResource, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {applicationScopedConfiguration, isAccountRoot, runtimePairs} from './pairing.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

export default defineRule({
  id: 'EMR-RUNTIME-004',
  group: 'RUNTIME',
  title: 'Source identity propagation is wired end to end',
  severity: 'medium',
  rationale:
    'With PropagateSourceIdentity on, the EC2 role needs sts:SetSourceIdentity and the runtime role must trust it for that; otherwise source identity is missing from CloudTrail or AssumeRole fails.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html'],
  remediation: {
    summary: 'iam:PutRolePolicy on the EC2 role allowing sts:SetSourceIdentity on the runtime roles (guarded like RUNTIME-002); the trust change is advisory.',
    autoApply: 'guarded',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'source identity propagation',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    const outcomes: RuleOutcome[] = []
    for (const pair of runtimePairs(inventory, index, scope).pairs) {
      if (!pair.runtime || !pair.clusters.some((entry) => applicationScopedConfiguration(entry.body).propagateSourceIdentity)) continue
      const runtime = pair.runtime
      const base = {resource: roleResource(pair.ec2Role), subKey: runtime.name}
      const identity = evaluateIdentityAccess(
        index.identityPolicies(pair.ec2Role),
        {action: 'sts:SetSourceIdentity', resource: runtime.arn, context: {'sts:SourceIdentity': ['emr-audit-probe-user']}},
        index.permissionsBoundary(pair.ec2Role),
      ).decision
      const trusted = statementsOf(runtime.trustPolicy).some(
        (statement) =>
          statement.effect === 'Allow' &&
          statementCoversAction(statement, 'sts:SetSourceIdentity') &&
          awsPrincipalsOf(statement).some((principal) => principal === pair.ec2Role.arn || isAccountRoot(principal, inventory.account.id)),
      )
      const problems = [
        ...(identity === 'implicit-deny' || identity === 'explicit-deny' ? [`EC2 role ${pair.ec2Role.name} may not sts:SetSourceIdentity on it`] : []),
        ...(trusted ? [] : [`its trust does not allow sts:SetSourceIdentity for ${pair.ec2Role.name}`]),
      ]
      const evidence = {runtimeRole: runtime.arn, identityDecision: identity, trustAllowsSetSourceIdentity: trusted}
      if (problems.length > 0)
        outcomes.push({
          ...base,
          status: 'fail',
          message: `Source identity cannot propagate to runtime role ${roleNameFromReference(runtime.arn)}: ${problems.join('; ')}.`,
          evidence,
        })
      else if (identity === 'unknown')
        outcomes.push({
          ...base,
          status: 'unknown',
          message: `Could not decide whether ${pair.ec2Role.name} may set the source identity on ${runtime.name}.`,
          evidence,
        })
      else outcomes.push({...base, status: 'pass', message: `Source identity propagates from ${pair.ec2Role.name} to ${runtime.name}.`, evidence})
    }
    return outcomes
  },
})
