/** Matching of the names a policy uses: actions (case-insensitive globs) and ARNs (case-sensitive globs). */
import type {Tristate} from './conditions.js'
import type {Statement} from './document.js'
import {compileGlob, compileGlobParts, globParts, type GlobPart} from './glob.js'
import {hasVariables, type LoweredContext, substituteVariables, type Substituted} from './variables.js'

/** `iam:Pass*`, `IAM:passrole`, `*` all match `iam:PassRole`: action names are case-insensitive globs. */
export function actionMatches(pattern: string, action: string): boolean {
  return compileGlob(pattern, true).test(action)
}

/** ARN patterns in `Resource` are case-sensitive globs. */
export function arnMatches(pattern: string, arn: string): boolean {
  return compileGlob(pattern, false).test(arn)
}

/** String values of `StringLike` conditions: case-sensitive globs. */
export function stringLike(pattern: string, value: string): boolean {
  return compileGlob(pattern, false).test(value)
}

function anyActionPattern(patterns: readonly string[], action: string): boolean {
  const service = serviceOf(action)
  // `s3:GetObject` cannot match `iam:*`: skip patterns naming another service without a wildcard before the colon.
  return patterns.some((pattern) => {
    const patternService = serviceOf(pattern)
    return (patternService === undefined || service === undefined || patternService === service) && actionMatches(pattern, action)
  })
}

/** The lower-cased service prefix of an action or action pattern; undefined when it has a wildcard or none. */
export function serviceOf(action: string): string | undefined {
  const colon = action.indexOf(':')
  if (colon <= 0) return undefined
  const prefix = action.slice(0, colon)
  return prefix.includes('*') || prefix.includes('?') ? undefined : prefix.toLowerCase()
}

// AWS managed policies list thousands of actions and are attached to many roles: each statement answers
// each action once (statements of an indexed document are shared, so the answers are too).
const actionAnswers = new WeakMap<Statement, Map<string, boolean>>()

export function statementCoversAction(statement: Statement, action: string): boolean {
  let answers = actionAnswers.get(statement)
  const known = answers?.get(action)
  if (known !== undefined) return known
  let covers = false
  if (statement.actions) covers = anyActionPattern(statement.actions, action)
  else if (statement.notActions) covers = !anyActionPattern(statement.notActions, action)
  if (!answers) actionAnswers.set(statement, (answers = new Map()))
  answers.set(action, covers)
  return covers
}

/** A statement with neither Resource nor NotResource (a trust policy) applies to its own resource. */
export function statementCoversResource(statement: Statement, resource: string): boolean {
  if (statement.resources) return statement.resources.some((pattern) => arnMatches(pattern, resource))
  if (statement.notResources) return !statement.notResources.some((pattern) => arnMatches(pattern, resource))
  return true
}

/** A pattern with its variables substituted, matched case-sensitively; unresolved variables are unknown. */
export function globMatchesSubstituted(pattern: Substituted, value: string): Tristate {
  if ('unresolved' in pattern) return 'unknown'
  return pattern.parts ? compileGlobParts(pattern.parts, false).test(value) : compileGlob(pattern.text, false).test(value)
}

function anyPatternCovers(patterns: readonly string[], resource: string, context: LoweredContext | undefined): Tristate {
  let result: Tristate = false
  for (const pattern of patterns) {
    const covers = context && hasVariables(pattern) ? globMatchesSubstituted(substituteVariables(pattern, context), resource) : arnMatches(pattern, resource)
    if (covers === true) return true
    if (covers === 'unknown') result = 'unknown'
  }
  return result
}

/**
 * Like statementCoversResource, with policy variables substituted from the request context (in 2012-10-17
 * documents): a variable the context cannot resolve makes the answer unknown, never a literal match.
 */
export function statementCoversResourceIn(statement: Statement, resource: string, context: LoweredContext): Tristate {
  const variables = statement.variables ? context : undefined
  if (statement.resources) return anyPatternCovers(statement.resources, resource, variables)
  if (statement.notResources) {
    const excluded = anyPatternCovers(statement.notResources, resource, variables)
    return excluded === 'unknown' ? 'unknown' : !excluded
  }
  return true
}

/** The six colon-separated fields of an ARN; the last (the resource) may itself hold colons. */
function arnFields<T>(items: T[], isColon: (item: T) => boolean): T[][] | undefined {
  const fields: T[][] = [[]]
  for (const item of items) {
    if (fields.length < 6 && isColon(item)) fields.push([])
    else fields[fields.length - 1]!.push(item)
  }
  return fields.length === 6 ? fields : undefined
}

function globPartsSplitOnColons(parts: GlobPart[]): GlobPart[] {
  return parts.flatMap<GlobPart>((part) =>
    part.kind === 'text'
      ? part.text
          .split(/(:)/)
          .filter(Boolean)
          .map((text) => ({kind: 'text' as const, text}))
      : [part],
  )
}

/**
 * ArnLike (and ArnEquals, which IAM documents as behaving the same): wildcards match within each of the six
 * ARN fields, so `*` in the region field does not reach into the account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnLikeMatches(pattern: Substituted, value: string): Tristate {
  if ('unresolved' in pattern) return 'unknown'
  const parts = globPartsSplitOnColons(pattern.parts ?? globParts(pattern.text))
  const patternFields = arnFields(parts, (part) => part.kind === 'text' && part.text === ':')
  // A pattern that is not shaped like an ARN (a bare `*`) is matched as one glob.
  if (!patternFields) return globMatchesSubstituted(pattern, value)
  const valueFields = arnFields([...value], (char) => char === ':')
  if (!valueFields) return false
  return patternFields.every((field, index) => compileGlobParts(field, false).test(valueFields[index]!.join('')))
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
