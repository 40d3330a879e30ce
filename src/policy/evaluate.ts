/**
 * A focused, offline evaluator for identity-based policies: explicit deny wins, then an allow is needed
 * from the identity policies and (when one is set) from the permissions boundary.
 * Conditions whose keys the caller did not supply make the answer `unknown`, never allow or deny.
 */
import type {PolicyDocument} from '../inventory/schema.js'
import {evaluateConditionsIn, type RequestContext} from './conditions.js'
import {type Statement, statementsCovering} from './document.js'
import {statementCoversResourceIn} from './match.js'
import {lowerContext} from './variables.js'

export interface PolicySource {
  /** Where the document came from, for evidence: `inline:Name`, or a managed policy ARN. */
  label: string
  /** null when the document was not collected: every question it could answer becomes unknown. */
  document: PolicyDocument | null
}

export interface AccessRequest {
  action: string
  resource: string
  context?: RequestContext
}

export interface StatementRef {
  policy: string
  statementIndex: number
  sid?: string
  conditional: boolean
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown'

export interface EvaluationResult {
  decision: Decision
  allowedBy: StatementRef[]
  deniedBy: StatementRef[]
  /** Why the decision is unknown: unread documents, conditions on keys the check did not supply. */
  unknownBecause: string[]
}

interface Matches {
  allows: StatementRef[]
  possibleAllows: StatementRef[]
  denies: StatementRef[]
  possibleDenies: StatementRef[]
  unreadable: string[]
}

function refOf(label: string, statement: Statement, conditional: boolean): StatementRef {
  return {policy: label, statementIndex: statement.index, ...(statement.sid ? {sid: statement.sid} : {}), conditional}
}

function collectMatches(sources: readonly PolicySource[], request: AccessRequest): Matches {
  const matches: Matches = {allows: [], possibleAllows: [], denies: [], possibleDenies: [], unreadable: []}
  const context = lowerContext(request.context ?? {})
  for (const source of sources) {
    if (!source.document) {
      matches.unreadable.push(source.label)
      continue
    }
    for (const statement of statementsCovering(source.document, request.action)) {
      const covers = statementCoversResourceIn(statement, request.resource, context)
      if (covers === false) continue
      const conditionsHold = evaluateConditionsIn(statement.condition, context, {variables: statement.variables === true})
      if (conditionsHold === false) continue
      const certain = covers === true && conditionsHold === true
      // A resource pattern whose policy variable is not known here is as conditional as a Condition element.
      const conditional = Object.keys(statement.condition).length > 0 || covers === 'unknown'
      const ref = refOf(source.label, statement, conditional)
      if (statement.effect === 'Deny') (certain ? matches.denies : matches.possibleDenies).push(ref)
      else (certain ? matches.allows : matches.possibleAllows).push(ref)
    }
  }
  return matches
}

function decide(matches: Matches): EvaluationResult {
  const unknownBecause = matches.unreadable.map((label) => `policy ${label} was not collected`)
  const base = {allowedBy: [...matches.allows, ...matches.possibleAllows], deniedBy: [...matches.denies, ...matches.possibleDenies]}
  if (matches.denies.length > 0) return {decision: 'explicit-deny', ...base, unknownBecause: []}
  for (const ref of matches.possibleDenies) unknownBecause.push(`deny in ${ref.policy} depends on conditions not known here`)
  if (matches.allows.length > 0 && matches.possibleDenies.length === 0 && matches.unreadable.length === 0) {
    return {decision: 'allow', ...base, unknownBecause: []}
  }
  if (matches.allows.length === 0) {
    for (const ref of matches.possibleAllows) unknownBecause.push(`allow in ${ref.policy} depends on conditions not known here`)
  }
  const couldAllow = matches.allows.length > 0 || matches.possibleAllows.length > 0 || matches.unreadable.length > 0
  if (!couldAllow) return {decision: 'implicit-deny', ...base, unknownBecause: []}
  return {decision: 'unknown', ...base, unknownBecause}
}

/**
 * Does a principal with these identity policies (and optional permissions boundary) get `request`?
 * `boundary` undefined means no boundary is set; a boundary source with a null document is unknown.
 */
export function evaluateIdentityAccess(policies: readonly PolicySource[], request: AccessRequest, boundary?: PolicySource): EvaluationResult {
  const identity = decide(collectMatches(policies, request))
  if (!boundary || identity.decision === 'explicit-deny') return identity
  const limit = decide(collectMatches([boundary], request))
  // An explicit deny in the boundary wins over everything, and is reported as what it is.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  if (limit.decision === 'explicit-deny') {
    return {...identity, decision: 'explicit-deny', deniedBy: [...identity.deniedBy, ...limit.deniedBy], unknownBecause: []}
  }
  if (identity.decision === 'implicit-deny' || limit.decision === 'allow') return identity
  if (limit.decision === 'unknown') {
    return {...identity, decision: 'unknown', unknownBecause: [...identity.unknownBecause, ...limit.unknownBecause]}
  }
  return {...identity, decision: 'implicit-deny', deniedBy: [...identity.deniedBy, ...limit.deniedBy]}
}

export interface BatchResult {
  /** Labels of the requests that are implicitly or explicitly denied. */
  denied: string[]
  /** Labels of the requests that could not be decided, and why. */
  undecided: string[]
  unknownBecause: string[]
  decisions: Record<string, Decision>
}

/** Asks several requests of one principal; labels default to the action. */
export function evaluateAll(policies: readonly PolicySource[], requests: Array<AccessRequest & {label?: string}>, boundary?: PolicySource): BatchResult {
  const result: BatchResult = {denied: [], undecided: [], unknownBecause: [], decisions: {}}
  for (const request of requests) {
    const label = request.label ?? request.action
    const evaluation = evaluateIdentityAccess(policies, request, boundary)
    result.decisions[label] = evaluation.decision
    if (evaluation.decision === 'implicit-deny' || evaluation.decision === 'explicit-deny') result.denied.push(label)
    if (evaluation.decision === 'unknown') {
      result.undecided.push(label)
      for (const reason of evaluation.unknownBecause) if (!result.unknownBecause.includes(reason)) result.unknownBecause.push(reason)
    }
  }
  return result
}
