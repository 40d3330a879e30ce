import type {Principal} from '../principals.js'
import {principalsOf} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {analysePassRole, describeCoverage, type Narrowing, type PassRoleAnalysis} from './passrole-grants.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'
import {IDENTITY_POLICY_SOURCES, policyNames} from '../helpers.js'

function describeNarrowing(narrowing: Narrowing): string {
  return narrowing.limitedTo.length > 0 ? `${narrowing.policy} limits it to ${narrowing.limitedTo.join(', ')}` : `${narrowing.policy} leaves no role`
}

function verdict(principal: Principal, analysis: PassRoleAnalysis): RuleOutcome | undefined {
  const {openEnded, scoped, narrowedBy} = analysis
  const who = `${principal.kind} ${principal.name}`
  const evidence = {grants: [...openEnded, ...scoped], ...(narrowedBy.length > 0 ? {narrowedBy} : {})}
  if (openEnded.length > 0 && narrowedBy.length === 0) {
    const reach = openEnded.map((grant) => describeCoverage(grant.coverage)).join('; ')
    // The effective permission is what both the identity policies and the boundary allow: an unread boundary
    // may narrow the grant, so the verdict is not ours to give.
    if (principal.boundary && !principal.boundary.document)
      return {
        status: 'unknown',
        resource: principal.resource,
        message: `${who} may pass ${reach} via ${policyNames(openEnded)} unless its permissions boundary ${principal.boundary.label.replace(/^boundary:/, '')} (not read) limits it.`,
        evidence,
      }
    return {
      status: 'fail',
      resource: principal.resource,
      message: `${who} may pass ${reach} (iam:PassRole with no iam:PassedToService condition) via ${policyNames(openEnded)}; limit it to the EMR roles.`,
      evidence,
    }
  }
  if (openEnded.length > 0) {
    return {
      status: 'pass',
      resource: principal.resource,
      message: `${who}'s iam:PassRole on every role (${policyNames(openEnded)}) is narrowed: ${narrowedBy.map(describeNarrowing).join('; ')}.`,
      evidence,
    }
  }
  if (scoped.length > 0) {
    return {
      status: 'pass',
      resource: principal.resource,
      message: `${who} may pass only roles matching ${scoped.map((grant) => describeCoverage(grant.coverage)).join(', ')} (${policyNames(scoped)}).`,
      evidence,
    }
  }
  return undefined
}

export default defineRule({
  id: 'EMR-PASSROLE-002',
  group: 'PASSROLE',
  title: 'Unscoped iam:PassRole among EMR operators',
  severity: 'high',
  rationale: 'A principal that can pass any role (including admin roles) to EMR or EC2 can run code under that role.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html',
  ],
  remediation: {
    summary:
      'Replace the statement with one limited to the EMR role ARNs and an iam:PassedToService condition (iam:CreatePolicyVersion, or iam:PutRolePolicy/PutUserPolicy/PutGroupPolicy for inline policies).',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'PassRole grants of EMR operators',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    const {partition, id: account} = inventory.account
    return principalsOf(inventory, index, scope).flatMap(
      (principal) => verdict(principal, analysePassRole(principal.policies, principal.boundary, partition, account)) ?? [],
    )
  },
})
