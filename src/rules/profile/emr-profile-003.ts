import type {Role} from '../../inventory/schema.js'
import {evaluateIdentityAccess, type StatementRef} from '../../policy/evaluate.js'
import type {InventoryIndex} from '../inventory-index.js'
import {existingRolesOf, openEndedAllows, openEndedByPattern, policyNames, roleResource, roleSeverity, scopeFor, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

type Target = 'role' | 'user' | 'group' | 'policy' | 'any'

/**
 * Concrete requests that make an instance role a privilege-escalation path. The evaluator answers each for
 * a sample resource (Denies, boundary, conditions); a grant then counts only when its patterns reach every
 * resource of that type (`Resource: "*"`, `role/*`), not a prefix the sample happens to match.
 */
const ESCALATION_REQUESTS: ReadonlyArray<{action: string; target: Target; label?: string}> = [
  {action: 'iam:CreateRole', target: 'role'},
  {action: 'iam:CreateUser', target: 'user'},
  {action: 'iam:CreateAccessKey', target: 'user'},
  {action: 'iam:CreateLoginProfile', target: 'user'},
  {action: 'iam:CreatePolicy', target: 'policy'},
  {action: 'iam:CreatePolicyVersion', target: 'policy'},
  {action: 'iam:PutRolePolicy', target: 'role'},
  {action: 'iam:PutUserPolicy', target: 'user'},
  {action: 'iam:PutGroupPolicy', target: 'group'},
  {action: 'iam:PutRolePermissionsBoundary', target: 'role'},
  {action: 'iam:AttachRolePolicy', target: 'role'},
  {action: 'iam:AttachUserPolicy', target: 'user'},
  {action: 'iam:AttachGroupPolicy', target: 'group'},
  {action: 'iam:UpdateAssumeRolePolicy', target: 'role'},
  {action: 'iam:UpdateLoginProfile', target: 'user'},
  {action: 'iam:PassRole', target: 'role'},
  {action: 'sts:AssumeRole', target: 'role'},
  // An action no service has, asked with every action as the universe: only `"Action": "*"` (or an open NotAction) counts.
  {action: 'emrauditsample:AnyAction', target: 'any', label: '*:*'},
]

function sampleResource(target: Target, partition: string, account: string): string {
  if (target === 'any') return '*'
  return `arn:${partition}:iam::${account}:${target}/emr-audit-sample/any-${target}`
}

function universeOf(target: Target, partition: string, account: string): string {
  // Role, user and group names have at least one character: `role/?*` reaches every role.
  return target === 'any' ? '?*' : `arn:${partition}:iam::${account}:${target}/?*`
}

export default defineRule({
  id: 'EMR-PROFILE-003',
  group: 'PROFILE',
  title: 'The EC2 role is not a privilege-escalation path',
  severity: 'high',
  rationale:
    'Every process on every node (and, without runtime roles, every job) can use the instance role; IAM write, unscoped PassRole or AssumeRole lets them become anyone.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-for-ec2.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html',
  ],
  remediation: {
    summary:
      'Replace the offending grants with a least-privilege customer managed policy (iam:CreatePolicyVersion for managed policies, iam:PutRolePolicy for inline).',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'EC2 role permissions',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    const {partition, id: account} = inventory.account
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, ['EC2'])) {
      outcomes.push(
        checkRole(role, index, partition, account, {
          resource: roleResource(role),
          scope: scopeFor(reasons, ['EC2']),
          severity: roleSeverity(reasons, ['EC2'], 'high'),
        }),
      )
    }
    return outcomes
  },
})

function checkRole(
  role: Role,
  index: InventoryIndex,
  partition: string,
  account: string,
  base: Pick<RuleOutcome, 'resource' | 'scope' | 'severity'>,
): RuleOutcome {
  const policies = index.identityPolicies(role)
  const boundary = index.permissionsBoundary(role)
  const granted: Array<{action: string; conditional: boolean; statements: StatementRef[]}> = []
  const unknown: string[] = []
  for (const probe of ESCALATION_REQUESTS) {
    const result = evaluateIdentityAccess(policies, {action: probe.action, resource: sampleResource(probe.target, partition, account)}, boundary)
    const action = probe.label ?? probe.action
    const universes = [universeOf(probe.target, partition, account)]
    const actionUniverse = probe.target === 'any' ? '?*' : undefined
    const open = openEndedAllows(result.allowedBy, policies, universes, actionUniverse)
    const byPattern = openEndedByPattern(policies, boundary, probe.action, universes, actionUniverse)
    if (byPattern.length > 0) granted.push({action, conditional: false, statements: byPattern})
    // Allowed for the sample and open-ended in the identity policies, yet not by pattern past the boundary and
    // the Denies: they cap it to names the sample happens to match, which the scan cannot enumerate.
    else if (result.decision === 'allow' && open.some((ref) => !ref.conditional))
      unknown.push(`${action} on every resource (${policyNames(open)}) is limited by a permissions boundary or a Deny to names the scan cannot list`)
    else if ((result.decision === 'allow' || result.decision === 'unknown') && open.length > 0) granted.push({action, conditional: true, statements: open})
    else if (result.decision === 'unknown' && result.allowedBy.length === 0) unknown.push(...result.unknownBecause)
  }
  if (granted.length > 0) {
    const actions = granted.map((entry) => (entry.conditional ? `${entry.action} (under conditions)` : entry.action))
    const sources = [...new Set(granted.flatMap((entry) => entry.statements.map((statement) => statement.policy)))]
    return {
      ...base,
      status: 'fail',
      message: `EC2 role ${role.name} allows ${actions.join(', ')} via ${sources.join(', ')}; every process on the cluster can use these, so scope them down.`,
      evidence: {grants: granted},
    }
  }
  if (unknown.length > 0) {
    return {...base, status: 'unknown', message: `Could not fully evaluate EC2 role ${role.name}: ${[...new Set(unknown)].join('; ')}.`}
  }
  return {...base, status: 'pass', message: `EC2 role ${role.name} grants no IAM write, unscoped PassRole or AssumeRole, and no *:*.`}
}
