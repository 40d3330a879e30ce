import type {RoleClass} from '../../findings/types.js'
import {conditionKeys, type Statement, statementsOf} from '../../policy/document.js'
import {accountOfAwsPrincipal, awsPrincipalsOf, describeStatement} from '../../policy/trust.js'
import {existingRolesOf, iamCollected, iamSnapshotUnknown, roleResource, roleSeverity} from '../helpers.js'
import {EMR_SLR_PATH} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'

const CLASSES: RoleClass[] = ['SVC', 'EC2', 'ASG', 'STUDIO_SVC', 'STUDIO_USER', 'NB', 'RUNTIME', 'EMRFS']

/** Conditions that tie an otherwise open trust to known parties. */
const RESTRICTING_KEYS = ['aws:principalorgid', 'aws:sourceaccount', 'sts:externalid', 'aws:principalarn']

function openings(statement: Statement, account: string): string[] {
  if (statement.effect !== 'Allow') return []
  if (statement.notPrincipal) return ['NotPrincipal with Allow (trusts everyone not listed)']
  const found: string[] = []
  for (const principal of awsPrincipalsOf(statement)) {
    if (principal === '*') found.push('any AWS principal ("*")')
    else {
      const owner = accountOfAwsPrincipal(principal)
      if (owner && owner !== account) found.push(`${principal} (account ${owner})`)
    }
  }
  for (const provider of statement.principal?.['Federated'] ?? []) found.push(`federated ${provider}`)
  if (found.length === 0) return []
  const restricted = conditionKeys(statement).some((key) => RESTRICTING_KEYS.includes(key))
  return restricted ? [] : found
}

export default defineRule({
  id: 'EMR-TRUST-005',
  group: 'TRUST',
  title: 'No wildcard or foreign principals in EMR role trust',
  severity: 'critical',
  rationale: 'A wildcard, foreign-account or federated principal without a restricting condition lets outside parties obtain EMR cluster, Studio or data credentials.',
  sources: ['seed 001', 'seed 003', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  remediation: {summary: 'iam:UpdateAssumeRolePolicy removing the statement, or restricting it with aws:PrincipalOrgID / sts:ExternalId.', autoApply: 'no'},
  evaluate(inventory, {index, scope}) {
    if (!iamCollected(index)) return iamSnapshotUnknown(inventory, 'trust principals of EMR roles')
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, CLASSES)) {
      if (role.path === EMR_SLR_PATH || role.path.startsWith('/aws-service-role/')) continue
      const base = {resource: roleResource(role), scope: reasons.filter((reason) => CLASSES.includes(reason.class)), severity: roleSeverity(reasons, CLASSES, 'critical')}
      if (!role.trustPolicy) {
        outcomes.push({...base, status: 'unknown', message: `Could not read the trust policy of ${role.name}: ${role.trustPolicyParseError ?? 'not collected'}.`})
        continue
      }
      const offending = statementsOf(role.trustPolicy)
        .map((statement) => ({statement, principals: openings(statement, inventory.account.id)}))
        .filter((entry) => entry.principals.length > 0)
      if (offending.length === 0) {
        outcomes.push({...base, status: 'pass', message: `Trust of ${role.name} names no wildcard, foreign or federated principal without a restricting condition.`})
        continue
      }
      const principals = offending.flatMap((entry) => entry.principals)
      outcomes.push({
        ...base,
        status: 'fail',
        message: `Trust of ${role.name} lets ${principals.join(', ')} assume it with no restricting condition; remove the statement or restrict it.`,
        evidence: {statements: offending.map((entry) => ({...describeStatement(entry.statement), openTo: entry.principals}))},
      })
    }
    return outcomes
  },
})
