/**
 * EMR-TRUST-002: add aws:SourceAccount and aws:SourceArn to the trust statements that let EMR assume a
 * role. Guarded: EMR must be the statement's only principal — conditions on a statement shared with
 * another service would lock that service out, so such a statement is shown split, and left to a person.
 */
import {iamQuota} from '../../inventory/quotas.js'
import {isPlainObject, rawStatements, statementsOf, stringList} from '../../policy/document.js'
import {statementCoversAction} from '../../policy/match.js'
import {emrPrincipals, servicePrincipalsOf} from '../../policy/trust.js'
import {roleResource} from '../../rules/helpers.js'
import {checkConfusedDeputy} from '../../rules/trust/confused-deputy.js'
import {policySize} from '../state.js'
import {type Declined, defineRemediation, type Proposal, SERVICE_LINKED_PATH_PREFIX} from './types.js'

function withConditions(statement: Record<string, unknown>, account: string, partition: string): Record<string, unknown> {
  const existing = isPlainObject(statement['Condition']) ? statement['Condition'] : {}
  const operator = (name: string) => (isPlainObject(existing[name]) ? existing[name] : {})
  return {
    ...statement,
    Condition: {
      ...existing,
      StringEquals: {...operator('StringEquals'), 'aws:SourceAccount': account},
      ArnLike: {...operator('ArnLike'), 'aws:SourceArn': `arn:${partition}:elasticmapreduce:*:${account}:*`},
    },
  }
}

/**
 * The trust policy with the confused-deputy conditions on each statement that lets EMR assume the role
 * without them; statements shared with other principals are split (`shared` > 0: shown, never applied).
 * undefined when no statement needs them. Also re-derives a journaled change's after from its before.
 */
export function conditionedTrust(trustPolicy: Record<string, unknown>, account: string, partition: string): {document: Record<string, unknown>; shared: number} | undefined {
  const principals = emrPrincipals(partition)
  const raw = rawStatements(trustPolicy)
  const candidates = statementsOf(trustPolicy).filter((statement) => {
    if (statement.effect !== 'Allow' || !statementCoversAction(statement, 'sts:AssumeRole')) return false
    if (!servicePrincipalsOf(statement).some((service) => principals.includes(service))) return false
    const check = checkConfusedDeputy(statement, {account, partition, service: 'elasticmapreduce'})
    return check.sourceAccount === 'missing' && check.sourceArn === 'missing'
  })
  if (candidates.length === 0) return undefined
  const shared = candidates.filter((statement) => Object.keys(statement.principal ?? {}).length !== 1 || servicePrincipalsOf(statement).length !== 1)
  const statements = raw.map((entry) => (isPlainObject(entry) ? {...entry} : entry))
  const split: Record<string, unknown>[] = []
  for (const candidate of candidates) {
    const original = statements[candidate.index]
    if (!isPlainObject(original)) continue
    if (!shared.includes(candidate)) {
      statements[candidate.index] = withConditions(original, account, partition)
      continue
    }
    // Shown only (the guard fails): EMR moves to a statement of its own that carries the conditions.
    const principal = isPlainObject(original['Principal']) ? original['Principal'] : {}
    const others = stringList(principal['Service']).filter((service) => !principals.includes(service))
    const emr = stringList(principal['Service']).filter((service) => principals.includes(service))
    const {Service: _services, ...otherPrincipals} = principal
    statements[candidate.index] = {...original, Principal: others.length > 0 ? {...otherPrincipals, Service: others.length === 1 ? others[0] : others} : otherPrincipals}
    // Same keys in the same order as the original, without its Sid (a Sid must stay unique).
    const own = Object.fromEntries(Object.entries(original).filter(([key]) => key !== 'Sid').map(([key, value]) => [key, key === 'Principal' ? {Service: emr.length === 1 ? emr[0] : emr} : value]))
    split.push(withConditions(own, account, partition))
  }
  return {document: {...trustPolicy, Statement: [...statements, ...split]}, shared: shared.length}
}

export default defineRemediation({
  ruleIds: ['EMR-TRUST-002'],
  changes: [{kind: 'update-trust-policy', writes: ['iam:UpdateAssumeRolePolicy'], inverse: ['iam:UpdateAssumeRolePolicy']}],
  plan(findings, {inventory, index}) {
    const {id: account, partition} = inventory.account
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const finding of findings) {
      const role = index.roleByReference(finding.resource.arn ?? finding.resource.id)
      if (!role?.trustPolicy) {
        declined.push({fingerprint: finding.fingerprint, why: 'the role or its trust policy is not in the inventory'})
        continue
      }
      const conditioned = conditionedTrust(role.trustPolicy, account, partition)
      if (!conditioned) {
        declined.push({fingerprint: finding.fingerprint, why: 'the trust already names other accounts or ARNs in aws:SourceAccount/aws:SourceArn; correct them by hand'})
        continue
      }
      const {document, shared} = conditioned
      const limit = iamQuota(inventory, 'AssumeRolePolicySizeQuota')
      const size = policySize(document)
      const refusal = role.path.startsWith(SERVICE_LINKED_PATH_PREFIX)
        ? `${role.name} is a service-linked role; its trust is AWS's and is never edited`
        : size > limit
          ? `the trust policy would be ${size} characters, over the account's AssumeRolePolicySizeQuota of ${limit}`
          : undefined
      proposals.push({
        kind: 'update-trust-policy',
        region: 'global',
        target: roleResource(role),
        ruleIds: ['EMR-TRUST-002'],
        findings: [finding.fingerprint],
        summary: `Limit EMR's use of ${role.name} to account ${account} (aws:SourceAccount, aws:SourceArn)`,
        before: {kind: 'policy-document', document: role.trustPolicy},
        after: {kind: 'policy-document', document},
        guards: [
          {
            name: 'emrSolePrincipal',
            held: shared === 0,
            detail: shared === 0 ? 'EMR is the only principal of the statements changed' : 'a statement trusts EMR together with other principals; the plan shows it split, for a person to check',
          },
        ],
        ...(refusal ? {refusal} : {}),
      })
    }
    return {proposals, declined}
  },
})
