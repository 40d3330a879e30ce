/** Small pieces the rules share: resource references, coverage questions, outcome builders. */
import type {ResourceRef, RoleClass, ScopeReason, Severity} from '../findings/types.js'
import type {Cluster, Inventory, Role, SourceId} from '../inventory/schema.js'
import {actionCoverage, isOpenEnded, type LocatedStatement, locatedStatements, resourceCoverage} from '../policy/coverage.js'
import {hasCondition} from '../policy/document.js'
import {statementCoversAction} from '../policy/match.js'
import type {PolicySource, StatementRef} from '../policy/evaluate.js'
import type {InventoryIndex} from './inventory-index.js'
import {severityForScope, type ScopedRole, strongestVia} from './scope.js'

/** The policies behind some statements or grants, each named once, in the order first met: for messages. */
export function policyNames(entries: ReadonlyArray<{policy: string}>): string {
  return [...new Set(entries.map((entry) => entry.policy))].join(', ')
}

export function roleResource(role: Role): ResourceRef {
  return {type: 'iam-role', id: role.name, arn: role.arn, name: role.name}
}

export function clusterResource(cluster: Cluster): ResourceRef {
  return {type: 'emr-cluster', id: cluster.id, name: cluster.name, region: cluster.region, ...(cluster.arn ? {arn: cluster.arn} : {})}
}

export function accountResource(inventory: Inventory, region?: string): ResourceRef {
  return {type: 'account', id: inventory.account.id, ...(region ? {region} : {})}
}

/** Where the identity policies of principals come from: customer managed and inline (the snapshot), AWS managed. */
export const IDENTITY_POLICY_SOURCES: readonly SourceId[] = ['iam.authorizationDetails', 'iam.awsManagedPolicies']

export const IAM_SNAPSHOT_MISSING = 'the IAM snapshot (iam:GetAccountAuthorizationDetails) was not collected'

export function iamCollected(index: InventoryIndex): boolean {
  return index.collected('iam.authorizationDetails', 'global')
}

/** Regions whose active clusters could not be listed: rules about clusters answer unknown there. */
/** Existing in-scope roles of some classes, each once, with all the reasons it is in scope. */
export function existingRolesOf(scope: {rolesOf(roleClass: RoleClass): ScopedRole[]}, classes: RoleClass[]): Array<ScopedRole & {role: Role}> {
  const seen = new Map<string, ScopedRole & {role: Role}>()
  for (const roleClass of classes) {
    for (const entry of scope.rolesOf(roleClass)) if (entry.role && !seen.has(entry.name)) seen.set(entry.name, entry as ScopedRole & {role: Role})
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** Severity for a role finding: the rule's, or info when every class that brought the role in is heuristic. */
export function roleSeverity(reasons: ScopeReason[], classes: RoleClass[], severity: Severity): Severity {
  const relevant = classes.filter((roleClass) => strongestVia(reasons, roleClass) !== undefined)
  if (relevant.length === 0) return severity
  return relevant.every((roleClass) => severityForScope(reasons, roleClass, severity) === 'info') ? 'info' : severity
}

export function scopeFor(reasons: ScopeReason[], classes: RoleClass[]): ScopeReason[] {
  return reasons.filter((reason) => classes.includes(reason.class))
}

export function clusterArn(inventory: Inventory, cluster: Cluster): string {
  return cluster.arn ?? `arn:${inventory.account.partition}:elasticmapreduce:${cluster.region}:${inventory.account.id}:cluster/${cluster.id}`
}

/** The EC2 (instance-profile) roles of a cluster, through its instance profile. */
export function ec2RolesOf(cluster: Cluster, index: InventoryIndex): Role[] {
  if (!cluster.instanceProfile) return []
  const profile = index.resolveInstanceProfile(cluster.instanceProfile)
  return profile.status === 'found' ? profile.roleNames.flatMap((name) => index.roleByName(name) ?? []) : []
}

/** Release labels compare numerically: emr-6.10.0 is newer than emr-6.7.0. */
export function releaseAtLeast(label: string | undefined, minimum: string): boolean | undefined {
  const parse = (value: string) => /^emr-(\d+)\.(\d+)\.(\d+)/.exec(value)?.slice(1).map(Number)
  const have = label ? parse(label) : undefined
  const want = parse(minimum)
  if (!have || !want) return undefined
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0)
  return true
}

/**
 * The allowing statements (from an evaluator answer about one sample resource) that reach every resource
 * of the kind — by their patterns, so `role/emr-*` matching the sample by accident does not count.
 */
export function openEndedAllows(
  refs: readonly StatementRef[],
  sources: readonly PolicySource[],
  resourceUniverses: readonly string[],
  actionUniverse?: string,
): StatementRef[] {
  const statements = locatedStatements(sources)
  return refs.filter((ref) => {
    const located = statements.find((entry) => entry.policy === ref.policy && entry.statement.index === ref.statementIndex)
    if (!located) return false
    const actionsOpen = actionUniverse === undefined || isOpenEnded(actionCoverage(located.statement, actionUniverse))
    return actionsOpen && isOpenEnded(resourceCoverage(located.statement, resourceUniverses))
  })
}

/**
 * Unconditioned Allow statements that reach every resource of the kind by their patterns, while no Deny
 * (identity or boundary) reaches all of it and the boundary, if any, does: the sample an evaluator answer was
 * asked about may be denied or excluded by a narrower pattern (`Deny s3:* on emr-*`, `NotResource emr-audit*`)
 * that leaves every other resource granted. An unread document leaves the question to the evaluator ([]).
 */
export function openEndedByPattern(
  sources: readonly PolicySource[],
  boundary: PolicySource | undefined,
  action: string,
  resourceUniverses: readonly string[],
  actionUniverse?: string,
): StatementRef[] {
  if ([...sources, ...(boundary ? [boundary] : [])].some((source) => !source.document)) return []
  const reachesAll = ({statement}: LocatedStatement) =>
    (actionUniverse === undefined ? statementCoversAction(statement, action) : isOpenEnded(actionCoverage(statement, actionUniverse))) &&
    isOpenEnded(resourceCoverage(statement, resourceUniverses))
  const identity = locatedStatements(sources)
  const limit = boundary ? locatedStatements([boundary]) : []
  if ([...identity, ...limit].some((entry) => entry.statement.effect === 'Deny' && reachesAll(entry))) return []
  const unconditionedAllow = (entry: LocatedStatement) => entry.statement.effect === 'Allow' && !hasCondition(entry.statement) && reachesAll(entry)
  if (boundary && !limit.some(unconditionedAllow)) return []
  return identity
    .filter(unconditionedAllow)
    .map(({policy, statement}) => ({policy, statementIndex: statement.index, ...(statement.sid ? {sid: statement.sid} : {}), conditional: false}))
}
