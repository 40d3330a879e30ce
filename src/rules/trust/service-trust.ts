/** TRUST-001 and TRUST-003 ask one question of different roles: does the trust let this service assume it? */
import type {RoleClass} from '../../findings/types.js'
import type {Cluster, Inventory, Role} from '../../inventory/schema.js'
import {evaluateAssume} from '../../policy/assume.js'
import type {RequestContext} from '../../policy/conditions.js'
import {statementsOf} from '../../policy/document.js'
import {describeStatement, serviceTrust} from '../../policy/trust.js'
import {clusterArn, existingRolesOf, roleResource, roleSeverity, scopeFor} from '../helpers.js'
import type {InventoryIndex} from '../inventory-index.js'
import type {RuleContext, RuleOutcome} from '../types.js'

export interface ServiceTrustCheck {
  roleClass: RoleClass
  roleLabel: string
  serviceLabel: string
  principals(partition: string): string[]
  /** The active clusters that make the service assume the role, each with the request context the service sends. */
  usesOf?(role: Role, inventory: Inventory, index: InventoryIndex): ServiceUse[]
}

export interface ServiceUse {
  cluster: Cluster
  context: RequestContext
}

/** The active clusters naming the role as their service role: EMR assumes it with the cluster as aws:SourceArn. */
export function serviceRoleUses(role: Role, inventory: Inventory, index: InventoryIndex): ServiceUse[] {
  return inventory.emr.clusters
    .filter((cluster) => cluster.serviceRole !== undefined && index.roleByReference(cluster.serviceRole)?.name === role.name)
    .map((cluster) => ({cluster, context: {'aws:SourceAccount': [inventory.account.id], 'aws:SourceArn': [clusterArn(inventory, cluster)]}}))
}

type RegionVerdict = {region: string; clusters: string[]; decision: 'allow' | 'deny' | 'unknown'}

/** Per region of use: may the service assume the role with what each cluster sends? */
function regionalVerdicts(role: Role, principals: string[], uses: ServiceUse[]): RegionVerdict[] {
  const byRegion = new Map<string, RegionVerdict>()
  for (const use of uses) {
    const decisions = principals.map((service) => evaluateAssume(role.trustPolicy, {service}, use.context).decision)
    const decision = decisions.includes('allow') ? 'allow' : decisions.includes('unknown') ? 'unknown' : 'deny'
    const entry = byRegion.get(use.cluster.region) ?? {region: use.cluster.region, clusters: [], decision: 'allow'}
    entry.clusters.push(use.cluster.id)
    if (decision === 'deny' || (decision === 'unknown' && entry.decision === 'allow')) entry.decision = decision
    byRegion.set(use.cluster.region, entry)
  }
  return [...byRegion.values()]
}

function regionList(verdicts: RegionVerdict[]): string {
  return verdicts.map((verdict) => `${verdict.region} (${verdict.clusters.join(', ')})`).join(', ')
}

export function evaluateServiceTrust(check: ServiceTrustCheck, inventory: Inventory, {index, scope}: RuleContext): RuleOutcome[] {
  const activeRoleNames = new Set(
    inventory.emr.clusters.flatMap((cluster) =>
      [cluster.serviceRole, cluster.autoScalingRole].filter((name): name is string => Boolean(name)).map((reference) => index.roleByReference(reference)?.name),
    ),
  )
  const outcomes: RuleOutcome[] = []
  for (const {role, reasons} of existingRolesOf(scope, [check.roleClass])) {
    const base = {resource: roleResource(role), scope: scopeFor(reasons, [check.roleClass]), severity: roleSeverity(reasons, [check.roleClass], 'critical')}
    if (!role.trustPolicy) {
      outcomes.push({...base, status: 'unknown', message: `Could not read the trust policy of ${role.name}: ${role.trustPolicyParseError ?? 'not collected'}.`})
      continue
    }
    const principals = check.principals(inventory.account.partition)
    const trust = serviceTrust(role.trustPolicy, principals)
    const hasAllowStatements = statementsOf(role.trustPolicy).some((statement) => statement.effect === 'Allow')
    const evidence = {
      expectedPrincipal: principals,
      allowing: trust.allowing.map(describeStatement),
      cancelledBy: trust.cancelling.map(describeStatement),
      ...(trust.conditionalDenies.length ? {conditionalDenies: trust.conditionalDenies.map(describeStatement)} : {}),
      guard: {usedByActiveCluster: activeRoleNames.has(role.name), hasAllowStatements},
    }
    const regional = trust.trusted && check.usesOf ? regionalVerdicts(role, principals, check.usesOf(role, inventory, index)) : []
    const refused = regional.filter((verdict) => verdict.decision === 'deny')
    const undecided = regional.filter((verdict) => verdict.decision === 'unknown')
    if (refused.length > 0) {
      outcomes.push({
        ...base,
        status: 'fail',
        message: `${check.roleLabel} ${role.name} trusts ${check.serviceLabel}, but its conditions refuse it for clusters in ${regionList(refused)}; let aws:SourceArn match arn:${inventory.account.partition}:elasticmapreduce:*:${inventory.account.id}:* and aws:SourceAccount be ${inventory.account.id}.`,
        evidence: {...evidence, refusedIn: refused},
      })
    } else if (undecided.length > 0) {
      outcomes.push({
        ...base,
        status: 'unknown',
        message: `Could not decide whether ${check.serviceLabel} may assume ${role.name} for clusters in ${regionList(undecided)}: its trust has conditions on keys the service's request is not known to carry.`,
        evidence: {...evidence, undecidedIn: undecided},
      })
    } else if (trust.trusted) {
      const note = trust.conditionalDenies.length ? ' (a conditional Deny may still block it)' : ''
      const where = regional.length > 0 ? ` for its clusters in ${regional.map((verdict) => verdict.region).join(', ')}` : ''
      outcomes.push({
        ...base,
        status: 'pass',
        message: `${role.name} trusts ${check.serviceLabel}${where}${note}.`,
        evidence: regional.length > 0 ? {...evidence, assumableIn: regional.map((verdict) => verdict.region)} : evidence,
      })
    } else if (trust.cancelling.length > 0) {
      outcomes.push({
        ...base,
        status: 'fail',
        message: `${check.roleLabel} ${role.name} allows ${check.serviceLabel} but a Deny statement cancels it; remove the Deny for ${principals[0]}.`,
        evidence,
      })
    } else {
      outcomes.push({
        ...base,
        status: 'fail',
        message: `${check.roleLabel} ${role.name} does not trust ${check.serviceLabel}; add an Allow sts:AssumeRole statement for ${principals[0]}.`,
        evidence,
      })
    }
  }
  return outcomes
}
