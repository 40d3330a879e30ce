/**
 * Condition evaluation with three outcomes. A check supplies the request context it knows; a key the
 * check did not supply makes the condition `unknown` rather than silently true or false.
 */
import {BlockList, isIP} from 'node:net'
import type {ConditionBlock} from './document.js'
import {arnLikeMatches, globMatchesSubstituted} from './match.js'
import {type LoweredContext, lowerContext, type Substituted, substituteVariables} from './variables.js'
import {ownValue} from '../shared/lookup.js'

export type Tristate = true | false | 'unknown'

/**
 * The request context a check supplies. Keys are condition key names (any case). A key mapped to `[]`
 * is known to be absent from the request; a key not listed at all is unknown.
 */
export type RequestContext = Record<string, string[]>

/** A comparison the condition value or request value is malformed for: it never matches (nor its negation). */
type Comparison = boolean | 'invalid'
type ValueTest = (conditionValue: Resolved, requestValue: string) => Comparison | 'unknown'
type Resolved = Exclude<Substituted, {unresolved: string}>

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/
// W3C profile of ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, then hh:mm, hh:mm:ss or hh:mm:ss.s with a zone.
const W3C_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/
const EPOCH_SECONDS = /^\d{1,12}$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function parseNumber(text: string): number | undefined {
  return NUMBER.test(text.trim()) ? Number(text) : undefined
}

function parseDate(text: string): number | undefined {
  const fields = W3C_DATE.exec(text)
  if (!fields) return EPOCH_SECONDS.test(text) ? Number(text) * 1000 : undefined
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '0', zone = 'Z'] = fields
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, '0').slice(0, 3)}${zone}`)
  // Date.parse rolls 2024-02-30 over to March: a date that does not exist is malformed.
  if (Number.isNaN(time) || new Date(time + zoneOffsetMs(zone)).getUTCDate() !== Number(day)) return undefined
  return time
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000
}

function compareWith(parse: (text: string) => number | undefined, compare: (condition: number, request: number) => boolean): ValueTest {
  return (c, r) => {
    const condition = parse(c.text)
    const request = parse(r)
    return condition === undefined || request === undefined ? 'invalid' : compare(condition, request)
  }
}

const subnets = new Map<string, BlockList | undefined>()

/** `10.0.0.0/8`, `2001:DB8::/32`, or a single address; malformed → undefined. */
function subnetOf(cidr: string): BlockList | undefined {
  if (subnets.has(cidr)) return subnets.get(cidr)
  const [address = '', prefixText, extra] = cidr.split('/')
  const family = isIP(address)
  const maxPrefix = family === 4 ? 32 : 128
  const prefix = prefixText === undefined ? maxPrefix : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1
  let list: BlockList | undefined
  if (family !== 0 && extra === undefined && prefix >= 0 && prefix <= maxPrefix) {
    list = new BlockList()
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
  }
  if (subnets.size > 10_000) subnets.clear()
  subnets.set(cidr, list)
  return list
}

function ipInRange(c: Resolved, r: string): Comparison {
  const subnet = subnetOf(c.text.trim())
  const family = isIP(r)
  if (!subnet || family === 0) return 'invalid'
  return subnet.check(r, family === 4 ? 'ipv4' : 'ipv6')
}

function binaryEquals(c: Resolved, r: string): Comparison {
  if (!BASE64.test(c.text) || !BASE64.test(r)) return 'invalid'
  return Buffer.from(c.text, 'base64').equals(Buffer.from(r, 'base64'))
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
const positiveTests: Record<string, ValueTest> = {
  stringequals: (c, r) => c.text === r,
  stringequalsignorecase: (c, r) => c.text.toLowerCase() === r.toLowerCase(),
  stringlike: (c, r) => globMatchesSubstituted(c, r),
  arnequals: (c, r) => arnLikeMatches(c, r),
  arnlike: (c, r) => arnLikeMatches(c, r),
  bool: (c, r) => c.text.toLowerCase() === r.toLowerCase(),
  numericequals: compareWith(parseNumber, (c, r) => r === c),
  numericlessthan: compareWith(parseNumber, (c, r) => r < c),
  numericlessthanequals: compareWith(parseNumber, (c, r) => r <= c),
  numericgreaterthan: compareWith(parseNumber, (c, r) => r > c),
  numericgreaterthanequals: compareWith(parseNumber, (c, r) => r >= c),
  dateequals: compareWith(parseDate, (c, r) => r === c),
  datelessthan: compareWith(parseDate, (c, r) => r < c),
  datelessthanequals: compareWith(parseDate, (c, r) => r <= c),
  dategreaterthan: compareWith(parseDate, (c, r) => r > c),
  dategreaterthanequals: compareWith(parseDate, (c, r) => r >= c),
  ipaddress: ipInRange,
  binaryequals: binaryEquals,
}

const negatedOperators: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  notipaddress: 'ipaddress',
}

/** Policy variables are substituted in string and ARN comparisons only (the policy variables page). */
const takesVariables = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike'])

function lowerKeys(context: RequestContext): LoweredContext {
  return lowerContext(context)
}

function and(results: Tristate[]): Tristate {
  if (results.includes(false)) return false
  if (results.includes('unknown')) return 'unknown'
  return true
}

function or(results: Tristate[]): Tristate {
  if (results.includes(true)) return true
  if (results.includes('unknown')) return 'unknown'
  return false
}

function not(result: Tristate): Tristate {
  return result === 'unknown' ? 'unknown' : !result
}

interface ParsedOperator {
  base: string
  negated: boolean
  setQualifier: 'any' | 'all' | undefined
  ifExists: boolean
}

function parseOperator(operatorName: string): ParsedOperator {
  let operator = operatorName.toLowerCase()
  let setQualifier: ParsedOperator['setQualifier']
  if (operator.startsWith('foranyvalue:')) {
    setQualifier = 'any'
    operator = operator.slice('forAnyValue:'.length)
  } else if (operator.startsWith('forallvalues:')) {
    setQualifier = 'all'
    operator = operator.slice('forAllValues:'.length)
  }
  const ifExists = operator.endsWith('ifexists')
  if (ifExists) operator = operator.slice(0, -'ifexists'.length)
  // Operator names are policy text: `constructor` or `__proto__` must not reach Object.prototype.
  const negatedBase = ownValue(negatedOperators, operator)
  return {base: negatedBase ?? operator, negated: negatedBase !== undefined, setQualifier, ifExists}
}

/**
 * A key known absent from the request: ForAnyValue is false and ForAllValues true ("Single-valued vs.
 * multivalued context keys"); otherwise IfExists and negated operators hold and the rest do not
 * ("Condition operators": a missing key fails a match and satisfies a negated one).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
function absentKeyResult(operator: ParsedOperator): boolean {
  if (operator.setQualifier === 'any') return false
  if (operator.setQualifier === 'all') return true
  return operator.ifExists || operator.negated
}

/** One request value against the policy's values (OR-ed); an operator's negation never holds on malformed values. */
function matchOne(test: ValueTest, operator: ParsedOperator, conditionValues: readonly Substituted[], requestValue: string): Tristate {
  const comparisons = conditionValues.map((value) => ('unresolved' in value ? 'unknown' : test(value, requestValue)))
  if (operator.negated && comparisons.includes('invalid')) return false
  const matched = or(comparisons.map((comparison) => (comparison === 'invalid' ? false : comparison)))
  return operator.negated ? not(matched) : matched
}

function evaluateKey(
  operator: ParsedOperator,
  conditionValues: string[],
  requestValues: readonly string[] | undefined,
  context: LoweredContext,
  variables: boolean,
): Tristate {
  if (requestValues === undefined) return 'unknown'
  if (operator.base === 'null') {
    // Each value asks "absent?" (true) or "present?" (anything else); like every key's values, they are OR-ed.
    const absent = requestValues.length === 0
    return conditionValues.some((value) => (value.toLowerCase() === 'true') === absent)
  }
  const test = Object.hasOwn(positiveTests, operator.base) ? positiveTests[operator.base] : undefined
  // An operator IAM does not define says nothing, about an absent key either.
  if (!test) return 'unknown'
  if (requestValues.length === 0) return absentKeyResult(operator)
  const substitute = variables && takesVariables.has(operator.base)
  const resolved = conditionValues.map((value): Substituted => (substitute ? substituteVariables(value, context) : {text: value}))
  const results = requestValues.map((requestValue) => matchOne(test, operator, resolved, requestValue))
  if (operator.setQualifier === 'all') return and(results)
  if (operator.setQualifier === 'any') return or(results)
  return operator.negated ? and(results) : or(results)
}

function evaluateOperator(operatorName: string, keys: Record<string, string[]>, context: LoweredContext, variables: boolean): Tristate {
  const operator = parseOperator(operatorName)
  return and(Object.entries(keys).map(([key, conditionValues]) => evaluateKey(operator, conditionValues, context.get(key.toLowerCase()), context, variables)))
}

export interface ConditionOptions {
  /** Substitute `${…}` policy variables (documents with Version 2012-10-17). */
  variables?: boolean
}

/** Every operator and every key of a block must hold (AND); the values listed under one key are OR-ed. */
export function evaluateConditions(block: ConditionBlock, context: RequestContext, options: ConditionOptions = {}): Tristate {
  return evaluateConditionsIn(block, lowerKeys(context), options)
}

/** evaluateConditions with the context already lower-cased, for callers asking many questions of one context. */
export function evaluateConditionsIn(block: ConditionBlock, context: LoweredContext, options: ConditionOptions = {}): Tristate {
  return and(Object.entries(block).map(([operator, keys]) => evaluateOperator(operator, keys, context, options.variables === true)))
}

/** Values of a condition key under any of the given operators (operator names compared case-insensitively). */
export function conditionValuesFor(block: ConditionBlock, operators: readonly string[], key: string): string[] {
  const wantedOperators = new Set(operators.map((operator) => operator.toLowerCase()))
  const values: string[] = []
  for (const [operator, keys] of Object.entries(block)) {
    if (!wantedOperators.has(operator.toLowerCase())) continue
    for (const [conditionKey, conditionValues] of Object.entries(keys)) {
      if (conditionKey.toLowerCase() === key.toLowerCase()) values.push(...conditionValues)
    }
  }
  return values
}
