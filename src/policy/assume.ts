/**
 * May this principal assume the role, with this request context? The trust policy evaluated for one
 * caller: statements naming other principals do not count, an explicit Deny wins, conditions on keys the
 * caller did not supply leave the answer `unknown`.
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 */
import type {PolicyDocument} from '../inventory/schema.js'
import {evaluateConditions, type RequestContext, type Tristate} from './conditions.js'
import {type PrincipalMap, type Statement, statementsOf} from './document.js'
import type {Decision} from './evaluate.js'
import {statementCoversAction} from './match.js'

export type Caller = {service: string} | {arn: string; account: string; partition: string}

export interface AssumeAnswer {
  decision: Decision
  allowedBy: Statement[]
  deniedBy: Statement[]
  /** Statements that name the caller and whose conditions could not be decided. */
  undecided: Statement[]
}

function namesCaller(map: PrincipalMap, caller: Caller): boolean {
  if ((map['AWS'] ?? []).includes('*')) return true
  if ('service' in caller) return (map['Service'] ?? []).some((service) => service.toLowerCase() === caller.service.toLowerCase())
  const root = `arn:${caller.partition}:iam::${caller.account}:root`
  return (map['AWS'] ?? []).some((principal) => principal === caller.arn || principal === caller.account || principal === root)
}

function appliesTo(statement: Statement, caller: Caller): boolean {
  if (statement.notPrincipal) return !namesCaller(statement.notPrincipal, caller)
  return statement.principal !== undefined && namesCaller(statement.principal, caller)
}

/** The statements of a trust policy that speak about this caller and action. */
export function statementsFor(document: PolicyDocument | null, caller: Caller, action = 'sts:AssumeRole'): Statement[] {
  return statementsOf(document).filter((statement) => statementCoversAction(statement, action) && appliesTo(statement, caller))
}

export function evaluateAssume(document: PolicyDocument | null, caller: Caller, context: RequestContext, action = 'sts:AssumeRole'): AssumeAnswer {
  const relevant = statementsFor(document, caller, action)
  const holding = relevant.map((statement) => ({statement, holds: evaluateConditions(statement.condition, context, {variables: statement.variables === true})}))
  const pick = (effect: 'Allow' | 'Deny', holds: Tristate) =>
    holding.filter((entry) => entry.statement.effect === effect && entry.holds === holds).map((entry) => entry.statement)
  const answer = {
    allowedBy: pick('Allow', true),
    deniedBy: pick('Deny', true),
    undecided: holding.filter((entry) => entry.holds === 'unknown').map((entry) => entry.statement),
  }
  if (answer.deniedBy.length > 0) return {decision: 'explicit-deny', ...answer}
  const possibleDeny = pick('Deny', 'unknown').length > 0
  if (answer.allowedBy.length > 0 && !possibleDeny) return {decision: 'allow', ...answer}
  if (answer.allowedBy.length > 0 || pick('Allow', 'unknown').length > 0) return {decision: 'unknown', ...answer}
  return {decision: 'implicit-deny', ...answer}
}
