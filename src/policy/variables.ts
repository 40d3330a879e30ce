/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${aws:userid, 'none'}`), substituted
 * in Resource, NotResource and condition values of policies with `"Version": "2012-10-17"`; in other
 * versions they are literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type {GlobPart} from './glob.js'
import {globParts} from './glob.js'
import {ownValue} from '../shared/lookup.js'

/** Condition keys lower-cased → values; `[]` is a key known absent, a missing key is unknown. */
export type LoweredContext = ReadonlyMap<string, readonly string[]>

/**
 * A value with its variables substituted. `text` is the plain string (for exact comparisons); `parts` says
 * which characters are wildcards for glob comparisons, undefined when the value had no variables (then the
 * text is the glob as written).
 */
export type Substituted = {text: string; parts?: GlobPart[]} | {unresolved: string}

const ESCAPES: Record<string, string> = {'*': '*', '?': '?', $: '$'}
const VARIABLE = /^\s*([^\s,'}]+)\s*(?:,\s*'([^']*)'\s*)?$/

function resolve(inner: string, context: LoweredContext): string | {unresolved: string} {
  // Variable names are policy text: `${constructor}` must not reach Object.prototype.
  const escaped = ownValue(ESCAPES, inner)
  if (escaped !== undefined) return escaped
  const variable = VARIABLE.exec(inner)
  if (!variable) return {unresolved: inner}
  const [, key = '', fallback] = variable
  const values = context.get(key.toLowerCase())
  // Only a single-valued key can be a variable; a key known absent takes the default when one is given.
  if (values?.length === 1) return values[0]!
  if (values?.length === 0 && fallback !== undefined) return fallback
  return {unresolved: key}
}

export function hasVariables(value: string): boolean {
  return value.includes('${')
}

/** Substitutes every `${…}`; the first variable the context cannot resolve makes the value unresolved. */
export function substituteVariables(value: string, context: LoweredContext): Substituted {
  if (!hasVariables(value)) return {text: value}
  const parts: GlobPart[] = []
  let text = ''
  let position = 0
  while (position < value.length) {
    const start = value.indexOf('${', position)
    const end = start < 0 ? -1 : value.indexOf('}', start + 2)
    if (start < 0 || end < 0) break
    const literal = value.slice(position, start)
    parts.push(...globParts(literal))
    text += literal
    const resolved = resolve(value.slice(start + 2, end), context)
    if (typeof resolved !== 'string') return resolved
    // A substituted value is literal text: a `*` in a tag value (or from `${*}`) is not a wildcard.
    parts.push({kind: 'text', text: resolved})
    text += resolved
    position = end + 1
  }
  const rest = value.slice(position)
  parts.push(...globParts(rest))
  return {text: text + rest, parts}
}

export function lowerContext(context: Readonly<Record<string, readonly string[]>>): Map<string, readonly string[]> {
  return new Map(Object.entries(context).map(([key, values]) => [key.toLowerCase(), values]))
}

export interface PrincipalFacts {
  kind: 'role' | 'user'
  arn: string
  name: string
  /** The unique id (AROA… / AIDA…). */
  id?: string
  account: string
  tags?: ReadonlyArray<{key: string; value: string}>
}

/**
 * The request-context keys an inventory knows about the principal making a request, for policy variables
 * and conditions. A role acts through sessions: its aws:userid (`AROA…:session-name`) depends on the session
 * name and is left unknown; it has no aws:username. Principal tags not on the role may still come as
 * session tags, so they are left unknown too.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-infotouse
 */
export function principalContext(principal: PrincipalFacts): Record<string, string[]> {
  const context: Record<string, string[]> = {
    'aws:PrincipalAccount': [principal.account],
    'aws:PrincipalArn': [principal.arn],
    'aws:PrincipalType': [principal.kind === 'role' ? 'AssumedRole' : 'User'],
    'aws:username': principal.kind === 'user' ? [principal.name] : [],
  }
  if (principal.kind === 'user' && principal.id) context['aws:userid'] = [principal.id]
  for (const tag of principal.tags ?? []) context[`aws:PrincipalTag/${tag.key}`] = [tag.value]
  return context
}
