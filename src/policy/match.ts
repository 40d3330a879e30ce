/** Matching of the names a policy uses: actions (case-insensitive globs) and ARNs (case-sensitive globs). */
import type {Statement} from './document.js'

const globCache = new Map<string, RegExp>()

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}:${pattern}`
  let regexp = globCache.get(cacheKey)
  if (!regexp) {
    const body = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('')
    regexp = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's')
    globCache.set(cacheKey, regexp)
  }
  return regexp
}

/** `iam:Pass*`, `IAM:passrole`, `*` all match `iam:PassRole`: action names are case-insensitive globs. */
export function actionMatches(pattern: string, action: string): boolean {
  return globToRegExp(pattern, true).test(action)
}

/** ARN patterns in `Resource` are case-sensitive globs. */
export function arnMatches(pattern: string, arn: string): boolean {
  return globToRegExp(pattern, false).test(arn)
}

/** String values of `StringLike` conditions: case-sensitive globs. */
export function stringLike(pattern: string, value: string): boolean {
  return globToRegExp(pattern, false).test(value)
}

export function statementCoversAction(statement: Statement, action: string): boolean {
  if (statement.actions) return statement.actions.some((pattern) => actionMatches(pattern, action))
  if (statement.notActions) return !statement.notActions.some((pattern) => actionMatches(pattern, action))
  return false
}

/** A statement with neither Resource nor NotResource (a trust policy) applies to its own resource. */
export function statementCoversResource(statement: Statement, resource: string): boolean {
  if (statement.resources) return statement.resources.some((pattern) => arnMatches(pattern, resource))
  if (statement.notResources) return !statement.notResources.some((pattern) => arnMatches(pattern, resource))
  return true
}

export interface ParsedArn {
  partition: string
  service: string
  region: string
  account: string
  resource: string
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':')
  if (parts.length < 6 || parts[0] !== 'arn') return undefined
  const [, partition = '', service = '', region = '', account = ''] = parts
  return {partition, service, region, account, resource: parts.slice(5).join(':')}
}

/** `arn:aws:iam::123:role/path/Name` or `Name` → `Name`. EMR APIs return either form. */
export function roleNameFromReference(reference: string): string {
  const arn = parseArn(reference)
  const resource = arn ? arn.resource : reference
  const slash = resource.lastIndexOf('/')
  return slash >= 0 ? resource.slice(slash + 1) : resource
}

/** An instance profile reference (name or ARN) → its name. */
export const instanceProfileNameFromReference = roleNameFromReference
