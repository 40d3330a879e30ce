import type {RoleClass} from '../../findings/types.js'
import {type Statement, statementsOf} from '../../policy/document.js'
import {accountOfAwsPrincipal, awsPrincipalsOf, describeStatement} from '../../policy/trust.js'
import {existingRolesOf, roleResource, roleSeverity} from '../helpers.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {pinning} from './pinning.js'

const CLASSES: RoleClass[] = ['SVC', 'EC2', 'ASG', 'STUDIO_SVC', 'STUDIO_USER', 'NB', 'RUNTIME', 'EMRFS']

interface Opening {
  principals: string[]
  /** Restricting keys present whose values leave the account open. */
  loose: string[]
}

function openings(statement: Statement, account: string, accounts: ReadonlySet<string>): Opening {
  if (statement.effect !== 'Allow') return {principals: [], loose: []}
  if (statement.notPrincipal) return {principals: ['NotPrincipal with Allow (trusts everyone not listed)'], loose: []}
  const found: string[] = []
  let anyone = false
  for (const principal of awsPrincipalsOf(statement)) {
    if (principal === '*') {
      anyone = true
      found.push('any AWS principal ("*")')
    } else {
      const owner = accountOfAwsPrincipal(principal)
      if (owner && owner !== account) found.push(`${principal} (account ${owner})`)
    }
  }
  const federated = statement.principal?.['Federated'] ?? []
  for (const provider of federated) found.push(`federated ${provider}`)
  if (found.length === 0) return {principals: [], loose: []}
  const {pinned, loose} = pinning(statement, accounts, !anyone && federated.length === 0)
  return pinned ? {principals: [], loose: []} : {principals: found, loose}
}

export default defineRule({
  id: 'EMR-TRUST-005',
  group: 'TRUST',
  title: 'No wildcard or foreign principals in EMR role trust',
  severity: 'critical',
  rationale:
    'A wildcard, foreign-account or federated principal without a restricting condition lets outside parties obtain EMR cluster, Studio or data credentials.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  ],
  remediation: {
    summary:
      'iam:UpdateAssumeRolePolicy removing the statement, or restricting it with aws:PrincipalOrgID, aws:PrincipalAccount or (for a named other account) sts:ExternalId.',
    autoApply: 'no',
  },
  dependsOn: ['iam.authorizationDetails'],
  checks: 'trust principals of EMR roles',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {scope, config}) {
    const outcomes: RuleOutcome[] = []
    const accounts = new Set([inventory.account.id, ...(config.trustedAccounts ?? [])])
    for (const {role, reasons} of existingRolesOf(scope, CLASSES)) {
      // Every service-linked role (EMR's included): AWS owns their trust.
      if (role.path.startsWith('/aws-service-role/')) continue
      const base = {
        resource: roleResource(role),
        scope: reasons.filter((reason) => CLASSES.includes(reason.class)),
        severity: roleSeverity(reasons, CLASSES, 'critical'),
      }
      if (!role.trustPolicy) {
        outcomes.push({
          ...base,
          status: 'unknown',
          message: `Could not read the trust policy of ${role.name}: ${role.trustPolicyParseError ?? 'not collected'}.`,
        })
        continue
      }
      const offending = statementsOf(role.trustPolicy)
        .map((statement) => ({statement, ...openings(statement, inventory.account.id, accounts)}))
        .filter((entry) => entry.principals.length > 0)
      if (offending.length === 0) {
        outcomes.push({
          ...base,
          status: 'pass',
          message: `Trust of ${role.name} names no wildcard, foreign or federated principal without a restricting condition.`,
        })
        continue
      }
      const principals = offending.flatMap((entry) => entry.principals)
      outcomes.push({
        ...base,
        status: 'fail',
        message: `Trust of ${role.name} lets ${principals.join(', ')} assume it with no condition that pins the account or organisation; remove the statement or restrict it.`,
        evidence: {
          statements: offending.map((entry) => ({
            ...describeStatement(entry.statement),
            openTo: entry.principals,
            ...(entry.loose.length > 0 ? {conditionsThatDoNotPin: entry.loose} : {}),
          })),
        },
      })
    }
    return outcomes
  },
})
