/**
 * EMR-TRUST-002 and EMR-TRUST-004 (its conditions): add aws:SourceAccount and aws:SourceArn to the trust
 * statements that let EMR, or Application Auto Scaling on an Auto Scaling role, assume a role. These only
 * narrow a trust. Guarded: the service must be the statement's only principal — conditions on a statement
 * shared with another service would lock that service out, so such a statement is shown split, and left to
 * a person. A missing principal (EMR-TRUST-004's other failure) would widen the trust: declined.
 */
import type {Finding} from '../../findings/types.js'
import {iamQuota} from '../../inventory/quotas.js'
import type {Role} from '../../inventory/schema.js'
import {isPlainObject, rawStatements, statementsOf, stringList} from '../../policy/document.js'
import {statementCoversAction} from '../../policy/match.js'
import {APPLICATION_AUTOSCALING_PRINCIPAL, emrPrincipals, servicePrincipalsOf} from '../../policy/trust.js'
import {roleResource} from '../../rules/helpers.js'
import {checkConfusedDeputy} from '../../rules/trust/confused-deputy.js'
import {policySize} from '../state.js'
import type {Guard} from '../types.js'
import {byResource} from './evidence.js'
import {type Declined, defineRemediation, type PlanContext, type Proposal, SERVICE_LINKED_PATH_PREFIX} from './types.js'

/** A service whose trust statements get the confused-deputy conditions, as AWS documents them for it. */
export interface DeputyService {
  /** Its service principals in a partition. */
  principals: (partition: string) => string[]
  /** The service part of its source ARNs. */
  arnService: string
  /** The resource part its source ARNs start with (none: any). */
  resourcePrefix?: string
  /** How a summary names it. */
  label: string
}

export const EMR_DEPUTY: DeputyService = {principals: emrPrincipals, arnService: 'elasticmapreduce', label: 'EMR'}
/** https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html */
export const AUTOSCALING_DEPUTY: DeputyService = {
  principals: () => [APPLICATION_AUTOSCALING_PRINCIPAL],
  arnService: 'application-autoscaling',
  resourcePrefix: 'scalable-target/',
  label: 'Application Auto Scaling',
}

function withConditions(statement: Record<string, unknown>, account: string, partition: string, deputy: DeputyService): Record<string, unknown> {
  const existing = isPlainObject(statement['Condition']) ? statement['Condition'] : {}
  const operator = (name: string) => (isPlainObject(existing[name]) ? existing[name] : {})
  return {
    ...statement,
    Condition: {
      ...existing,
      StringEquals: {...operator('StringEquals'), 'aws:SourceAccount': account},
      ArnLike: {...operator('ArnLike'), 'aws:SourceArn': `arn:${partition}:${deputy.arnService}:*:${account}:${deputy.resourcePrefix ?? ''}*`},
    },
  }
}

/**
 * The trust policy with the confused-deputy conditions on each statement that lets the service assume the
 * role without them; statements shared with other principals are split (`shared` > 0: shown, never
 * applied). undefined when no statement needs them. Also re-derives a journaled change's after from its before.
 */
export function conditionedTrust(
  trustPolicy: Record<string, unknown>,
  account: string,
  partition: string,
  deputy: DeputyService = EMR_DEPUTY,
): {document: Record<string, unknown>; shared: number} | undefined {
  const principals = deputy.principals(partition)
  const raw = rawStatements(trustPolicy)
  const candidates = statementsOf(trustPolicy).filter((statement) => {
    if (statement.effect !== 'Allow' || !statementCoversAction(statement, 'sts:AssumeRole')) return false
    if (!servicePrincipalsOf(statement).some((service) => principals.includes(service))) return false
    const check = checkConfusedDeputy(statement, {
      account,
      partition,
      service: deputy.arnService,
      ...(deputy.resourcePrefix ? {resourcePrefix: deputy.resourcePrefix} : {}),
    })
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
      statements[candidate.index] = withConditions(original, account, partition, deputy)
      continue
    }
    // Shown only (the guard fails): the service moves to a statement of its own that carries the conditions.
    const principal = isPlainObject(original['Principal']) ? original['Principal'] : {}
    const others = stringList(principal['Service']).filter((service) => !principals.includes(service))
    const own = stringList(principal['Service']).filter((service) => principals.includes(service))
    const {Service: _services, ...otherPrincipals} = principal
    statements[candidate.index] = {
      ...original,
      Principal: others.length > 0 ? {...otherPrincipals, Service: others.length === 1 ? others[0] : others} : otherPrincipals,
    }
    // Same keys in the same order as the original, without its Sid (a Sid must stay unique).
    const moved = Object.fromEntries(
      Object.entries(original)
        .filter(([key]) => key !== 'Sid')
        .map(([key, value]) => [key, key === 'Principal' ? {Service: own.length === 1 ? own[0] : own} : value]),
    )
    split.push(withConditions(moved, account, partition, deputy))
  }
  return {document: {...trustPolicy, Statement: [...statements, ...split]}, shared: shared.length}
}

/** The service a finding asks conditions for; undefined for EMR-TRUST-004's missing principals, which this module never adds. */
function deputyOf(finding: Finding): DeputyService | undefined {
  if (finding.ruleId === 'EMR-TRUST-002') return EMR_DEPUTY
  return finding.ruleId === 'EMR-TRUST-004' && finding.subKey === 'conditions' ? AUTOSCALING_DEPUTY : undefined
}

/** The orders in which the services' conditions are added (EMR first): verify.ts accepts exactly these. */
export const DEPUTY_SEQUENCES: readonly DeputyService[][] = [[EMR_DEPUTY], [AUTOSCALING_DEPUTY], [EMR_DEPUTY, AUTOSCALING_DEPUTY]]

interface Conditioned {
  document: Record<string, unknown>
  shared: number
  /** The services whose conditions changed the document. */
  added: DeputyService[]
}

/** Each service's conditions in turn, in DEPUTY_SEQUENCES order; undefined when none of them changes anything. */
export function conditionedFor(
  trustPolicy: Record<string, unknown>,
  deputies: readonly DeputyService[],
  account: string,
  partition: string,
): Conditioned | undefined {
  let result: Conditioned | undefined
  for (const deputy of [EMR_DEPUTY, AUTOSCALING_DEPUTY].filter((entry) => deputies.includes(entry))) {
    const next = conditionedTrust(result?.document ?? trustPolicy, account, partition, deputy)
    if (next) result = {document: next.document, shared: (result?.shared ?? 0) + next.shared, added: [...(result?.added ?? []), deputy]}
  }
  return result
}

function soleServiceGuard(shared: number, labels: string, deputies: DeputyService[]): Guard {
  return {
    // The EMR-only name is the one earlier plans carry.
    name: deputies.length === 1 && deputies[0] === EMR_DEPUTY ? 'emrSolePrincipal' : 'serviceSolePrincipal',
    held: shared === 0,
    detail:
      shared === 0
        ? `${labels} is the only principal of the statements changed`
        : `a statement trusts ${labels} together with other principals; the plan shows it split, for a person to check`,
  }
}

const ALREADY_CONDITIONED = 'the trust already names other accounts or ARNs in aws:SourceAccount/aws:SourceArn; correct them by hand'

function proposalFor(
  role: Role & {trustPolicy: Record<string, unknown>},
  wanted: Finding[],
  {inventory}: PlanContext,
): {proposal?: Proposal; declined: Declined[]} {
  const {id: account, partition} = inventory.account
  const deputies = [EMR_DEPUTY, AUTOSCALING_DEPUTY].filter((deputy) => wanted.some((finding) => deputyOf(finding) === deputy))
  const conditioned = conditionedFor(role.trustPolicy, deputies, account, partition)
  const findings = wanted.filter((finding) => conditioned?.added.includes(deputyOf(finding) as DeputyService))
  const declined = wanted.filter((finding) => !findings.includes(finding)).map((finding) => ({fingerprint: finding.fingerprint, why: ALREADY_CONDITIONED}))
  if (!conditioned) return {declined}
  const {document, shared, added} = conditioned
  const limit = iamQuota(inventory, 'AssumeRolePolicySizeQuota')
  const size = policySize(document)
  const refusal = role.path.startsWith(SERVICE_LINKED_PATH_PREFIX)
    ? `${role.name} is a service-linked role; its trust is AWS's and is never edited`
    : size > limit
      ? `the trust policy would be ${size} characters, over the account's AssumeRolePolicySizeQuota of ${limit}`
      : undefined
  const labels = added.map((deputy) => deputy.label).join(' and ')
  const proposal: Proposal = {
    kind: 'update-trust-policy',
    region: 'global',
    target: roleResource(role),
    ruleIds: [...new Set(findings.map((finding) => finding.ruleId))].sort(),
    findings: findings.map((finding) => finding.fingerprint),
    summary: `Limit ${labels}'s use of ${role.name} to account ${account} (aws:SourceAccount, aws:SourceArn)`,
    before: {kind: 'policy-document', document: role.trustPolicy},
    after: {kind: 'policy-document', document},
    guards: [soleServiceGuard(shared, labels, added)],
    ...(refusal ? {refusal} : {}),
  }
  return {proposal, declined}
}

export default defineRemediation({
  ruleIds: ['EMR-TRUST-002', 'EMR-TRUST-004'],
  changes: [{kind: 'update-trust-policy', writes: ['iam:UpdateAssumeRolePolicy'], inverse: ['iam:UpdateAssumeRolePolicy']}],
  plan(findings, context) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    // One change per role: both rules' conditions on one trust policy, so neither change makes the other's before stale.
    for (const group of byResource(findings).values()) {
      const role = context.index.roleByReference(group[0]?.resource.arn ?? group[0]?.resource.id ?? '')
      const wanted = group.filter((finding) => deputyOf(finding) !== undefined)
      for (const finding of group.filter((entry) => !wanted.includes(entry))) {
        declined.push({fingerprint: finding.fingerprint, why: 'adding a principal to a trust widens who may assume the role; it is left to a person'})
      }
      if (wanted.length === 0) continue
      const trustPolicy = role?.trustPolicy
      if (!role || !trustPolicy) {
        for (const finding of wanted) declined.push({fingerprint: finding.fingerprint, why: 'the role or its trust policy is not in the inventory'})
        continue
      }
      const result = proposalFor({...role, trustPolicy}, wanted, context)
      declined.push(...result.declined)
      if (result.proposal) proposals.push(result.proposal)
    }
    return {proposals, declined}
  },
})
