/** Resource policies (KMS key policies): does the policy itself grant a principal, or delegate to IAM? */
import type {PolicyDocument} from '../inventory/schema.js'
import {hasCondition, statementsOf} from './document.js'
import {statementCoversAction, statementCoversResource} from './match.js'
import {accountOfAwsPrincipal, awsPrincipalsOf} from './trust.js'

export type ResourceGrant = 'direct' | 'delegates-to-iam' | 'denied' | 'none' | 'conditional'

/**
 * How a key policy answers `action` by `principalArn`: it grants the principal itself, it grants the
 * account (so IAM policies decide), it denies, or it grants nothing. Conditional grants are reported as such.
 */
export function resourcePolicyGrant(document: PolicyDocument, principalArn: string, account: string, action: string, resource: string): ResourceGrant {
  const matching = statementsOf(document).filter((statement) => statementCoversAction(statement, action) && statementCoversResource(statement, resource))
  const isAccount = (principal: string) => accountOfAwsPrincipal(principal) === account && (/^\d{12}$/.test(principal) || principal.endsWith(':root'))
  const names = (statement: ReturnType<typeof statementsOf>[number]): 'principal' | 'account' | undefined => {
    const principals = awsPrincipalsOf(statement)
    if (principals.includes(principalArn) || principals.includes('*')) return 'principal'
    if (principals.some(isAccount)) return 'account'
    return undefined
  }
  // A Deny with NotPrincipal reaches every principal it does not list; it spares a role only when it lists
  // both the role and its account, and with either alone it "might deny access"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
  const spares = (statement: ReturnType<typeof statementsOf>[number]): 'yes' | 'maybe' | 'no' => {
    const listed = statement.notPrincipal?.['AWS'] ?? []
    const role = listed.includes(principalArn)
    const itsAccount = listed.some(isAccount)
    return role && itsAccount ? 'yes' : role || itsAccount ? 'maybe' : 'no'
  }
  const denies = matching.filter((statement) => statement.effect === 'Deny' && (statement.notPrincipal ? spares(statement) !== 'yes' : names(statement)))
  const certain = (statement: ReturnType<typeof statementsOf>[number]) => !hasCondition(statement) && !(statement.notPrincipal && spares(statement) === 'maybe')
  if (denies.some(certain)) return 'denied'
  const allows = matching.filter((statement) => statement.effect === 'Allow' && names(statement))
  const grant = (kind: 'principal' | 'account') => allows.some((statement) => names(statement) === kind && !hasCondition(statement))
  // A Deny under conditions not known here, or that might reach the principal, may still apply: a grant beside it is only conditional.
  if (denies.length > 0 && allows.length > 0) return 'conditional'
  if (grant('principal')) return 'direct'
  if (grant('account')) return 'delegates-to-iam'
  return allows.length > 0 ? 'conditional' : 'none'
}
