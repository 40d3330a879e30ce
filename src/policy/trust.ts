/** Questions about trust (assume-role) policies: who may assume a role, and under which conditions. */
import type {PolicyDocument} from '../inventory/schema.js'
import {hasCondition, type Statement, statementsOf} from './document.js'
import {parseArn, statementCoversAction} from './match.js'

export const EMR_SERVICE_PRINCIPAL = 'elasticmapreduce.amazonaws.com'
export const EC2_SERVICE_PRINCIPAL = 'ec2.amazonaws.com'
export const APPLICATION_AUTOSCALING_PRINCIPAL = 'application-autoscaling.amazonaws.com'

/** The EMR principal of a partition; China uses the `.cn` suffix and may show either. */
export function emrPrincipals(partition: string): string[] {
  return partition === 'aws-cn' ? [`${EMR_SERVICE_PRINCIPAL}.cn`, EMR_SERVICE_PRINCIPAL] : [EMR_SERVICE_PRINCIPAL]
}

export function ec2Principals(): string[] {
  return [EC2_SERVICE_PRINCIPAL, `${EC2_SERVICE_PRINCIPAL}.cn`]
}

export function servicePrincipalsOf(statement: Statement): string[] {
  return statement.principal?.['Service'] ?? []
}

export function awsPrincipalsOf(statement: Statement): string[] {
  return statement.principal?.['AWS'] ?? []
}

function namesService(values: string[], services: readonly string[]): boolean {
  const wanted = new Set(services.map((service) => service.toLowerCase()))
  return values.some((value) => wanted.has(value.toLowerCase()))
}

/** Does a Deny statement's principal element reach one of these services? */
function denyReachesService(statement: Statement, services: readonly string[]): boolean {
  if (statement.notPrincipal) return !namesService(statement.notPrincipal['Service'] ?? [], services)
  if (!statement.principal) return false
  if (awsPrincipalsOf(statement).includes('*')) return true
  return namesService(servicePrincipalsOf(statement), services)
}

export interface ServiceTrust {
  /** An Allow names the service for the action and no unconditional Deny cancels it. */
  trusted: boolean
  allowing: Statement[]
  cancelling: Statement[]
  /** Denies that would cancel the trust under some conditions. */
  conditionalDenies: Statement[]
}

export function serviceTrust(document: PolicyDocument | null, services: readonly string[], action = 'sts:AssumeRole'): ServiceTrust {
  const statements = statementsOf(document)
  const allowing = statements.filter(
    (statement) => statement.effect === 'Allow' && statementCoversAction(statement, action) && namesService(servicePrincipalsOf(statement), services),
  )
  const denies = statements.filter(
    (statement) => statement.effect === 'Deny' && statementCoversAction(statement, action) && denyReachesService(statement, services),
  )
  const cancelling = denies.filter((statement) => !hasCondition(statement))
  const conditionalDenies = denies.filter((statement) => hasCondition(statement))
  return {trusted: allowing.length > 0 && cancelling.length === 0, allowing, cancelling, conditionalDenies}
}

/** `123456789012`, `arn:aws:iam::123456789012:root` and role/user ARNs → the account; unique ids → undefined. */
export function accountOfAwsPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal
  const arn = parseArn(principal)
  if (arn && /^\d{12}$/.test(arn.account)) return arn.account
  return undefined
}

/** IAM rewrites a role or user ARN principal to its unique id when that entity is deleted. */
export function isUniqueIdPrincipal(principal: string): boolean {
  return /^(AROA|AIDA|AGPA|ANPA|ANVA|AIPA|ASIA|AKIA)[A-Z0-9]{12,}$/.test(principal)
}

/** A short, readable rendering of a statement for evidence. */
export function describeStatement(statement: Statement): Record<string, unknown> {
  return {
    index: statement.index,
    ...(statement.sid ? {sid: statement.sid} : {}),
    effect: statement.effect,
    ...(statement.principal ? {principal: statement.principal} : {}),
    ...(statement.notPrincipal ? {notPrincipal: statement.notPrincipal} : {}),
    ...(statement.actions ? {action: statement.actions} : {}),
    ...(statement.notActions ? {notAction: statement.notActions} : {}),
    ...(statement.resources ? {resource: statement.resources} : {}),
    ...(statement.notResources ? {notResource: statement.notResources} : {}),
    ...(hasCondition(statement) ? {condition: statement.condition} : {}),
  }
}
