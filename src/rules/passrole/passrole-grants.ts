/**
 * Who may pass which roles: the `iam:PassRole` grants of a principal, compared by pattern with "every role
 * of the account", and narrowed (REQUIREMENTS EMR-PASSROLE-002) by explicit Denies and the permissions boundary.
 */
import {type Coverage, isOpenEnded, type LocatedStatement, locatedStatementsCovering, resourceCoverage, restrictsKey} from '../../policy/coverage.js'
import {hasCondition} from '../../policy/document.js'
import type {PolicySource} from '../../policy/evaluate.js'

const PASS_ROLE = 'iam:PassRole'
const PASSED_TO_SERVICE = 'iam:PassedToService'
/** Every service principal; a `iam:PassedToService` condition that lets all of them through restricts nothing. */
const ANY_SERVICE = '?*.amazonaws.com'

export interface PassRoleGrant {
  policy: string
  statementIndex: number
  sid?: string
  coverage: Coverage
}

export interface Narrowing {
  policy: string
  statementIndex?: number
  /** Role patterns the effective permission is limited to; empty when nothing is left. */
  limitedTo: string[]
}

export interface PassRoleAnalysis {
  /** Unconditioned grants that reach every role (or every role but a few). */
  openEnded: PassRoleGrant[]
  /** Unconditioned grants limited to some role patterns. */
  scoped: PassRoleGrant[]
  /** Explicit Denies and boundaries that cut the effective permission down to named roles. */
  narrowedBy: Narrowing[]
}

/** A role name has at least one character, so `role/?*` reaches every role as surely as `role/*`. */
export function everyRole(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/?*`
}

function grantOf(entry: LocatedStatement, universe: string): PassRoleGrant {
  const {statement} = entry
  return {
    policy: entry.policy,
    statementIndex: statement.index,
    ...(statement.sid ? {sid: statement.sid} : {}),
    coverage: resourceCoverage(statement, [universe]),
  }
}

/** An unconditioned Deny of every role but some patterns (NotResource), or of every role, narrows to those patterns. */
function denyNarrowing(entry: LocatedStatement, universe: string): Narrowing | undefined {
  const coverage = resourceCoverage(entry.statement, [universe])
  if (coverage.kind === 'all') return {policy: entry.policy, statementIndex: entry.statement.index, limitedTo: []}
  if (coverage.kind === 'all-but') return {policy: entry.policy, statementIndex: entry.statement.index, limitedTo: coverage.except}
  return undefined
}

/** A boundary allows only what its own Allow statements reach: when none is open-ended, it narrows to their patterns. */
function boundaryNarrowing(boundary: PolicySource, universe: string): Narrowing | undefined {
  if (!boundary.document) return undefined
  const allows = locatedStatementsCovering([boundary], PASS_ROLE).filter((entry) => entry.statement.effect === 'Allow')
  const coverages = allows.map((entry) => resourceCoverage(entry.statement, [universe]))
  if (coverages.some(isOpenEnded)) return undefined
  return {policy: boundary.label, limitedTo: coverages.flatMap((coverage) => (coverage.kind === 'scoped' ? coverage.patterns : []))}
}

export function analysePassRole(policies: readonly PolicySource[], boundary: PolicySource | undefined, partition: string, account: string): PassRoleAnalysis {
  const universe = everyRole(partition, account)
  const statements = locatedStatementsCovering(policies, PASS_ROLE)
  const grants = statements
    .filter((entry) => entry.statement.effect === 'Allow' && !restrictsKey(entry.statement, PASSED_TO_SERVICE, ANY_SERVICE))
    .map((entry) => grantOf(entry, universe))
  const denies = [...statements, ...(boundary ? locatedStatementsCovering([boundary], PASS_ROLE) : [])].filter(
    (entry) => entry.statement.effect === 'Deny' && !hasCondition(entry.statement),
  )
  const narrowedBy = [
    ...denies.flatMap((entry) => denyNarrowing(entry, universe) ?? []),
    ...(boundary ? [boundaryNarrowing(boundary, universe)].flatMap((entry) => entry ?? []) : []),
  ]
  return {
    openEnded: grants.filter((grant) => isOpenEnded(grant.coverage)),
    scoped: grants.filter((grant) => grant.coverage.kind === 'scoped'),
    narrowedBy,
  }
}

/** `role/emr-*`, or `every role except role/admin` — what a grant reaches, in words for a message. */
export function describeCoverage(coverage: Coverage): string {
  switch (coverage.kind) {
    case 'all':
      return 'every role'
    case 'all-but':
      return `every role except ${coverage.except.join(', ')}`
    case 'scoped':
      return coverage.patterns.join(', ')
    case 'none':
      return 'no role'
  }
}
