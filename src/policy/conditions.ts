/**
 * Condition evaluation with three outcomes. A check supplies the request context it knows; a key the
 * check did not supply makes the condition `unknown` rather than silently true or false.
 */
import type {ConditionBlock} from './document.js'
import {arnMatches, stringLike} from './match.js'

export type Tristate = true | false | 'unknown'

/**
 * The request context a check supplies. Keys are condition key names (any case). A key mapped to `[]`
 * is known to be absent from the request; a key not listed at all is unknown.
 */
export type RequestContext = Record<string, string[]>

type ValueTest = (conditionValue: string, requestValue: string) => boolean

const positiveTests: Record<string, ValueTest> = {
  stringequals: (c, r) => c === r,
  stringequalsignorecase: (c, r) => c.toLowerCase() === r.toLowerCase(),
  stringlike: (c, r) => stringLike(c, r),
  arnequals: (c, r) => c === r,
  arnlike: (c, r) => arnMatches(c, r),
  bool: (c, r) => c.toLowerCase() === r.toLowerCase(),
}

const negatedOperators: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
}

function lowerKeys(context: RequestContext): Map<string, string[]> {
  return new Map(Object.entries(context).map(([key, values]) => [key.toLowerCase(), values]))
}

function and(results: Tristate[]): Tristate {
  if (results.includes(false)) return false
  if (results.includes('unknown')) return 'unknown'
  return true
}

function evaluateOperator(operatorName: string, keys: Record<string, string[]>, context: Map<string, string[]>): Tristate {
  let operator = operatorName.toLowerCase()
  let setQualifier: 'any' | 'all' | undefined
  if (operator.startsWith('foranyvalue:')) {
    setQualifier = 'any'
    operator = operator.slice('forAnyValue:'.length)
  } else if (operator.startsWith('forallvalues:')) {
    setQualifier = 'all'
    operator = operator.slice('forAllValues:'.length)
  }
  const ifExists = operator.endsWith('ifexists')
  if (ifExists) operator = operator.slice(0, -'ifexists'.length)

  const results: Tristate[] = []
  for (const [key, conditionValues] of Object.entries(keys)) {
    const requestValues = context.get(key.toLowerCase())
    if (requestValues === undefined) {
      results.push('unknown')
      continue
    }
    if (operator === 'null') {
      const wantsAbsent = conditionValues.some((value) => value.toLowerCase() === 'true')
      results.push(wantsAbsent === (requestValues.length === 0))
      continue
    }
    if (requestValues.length === 0) {
      // Absent key: IfExists and ForAllValues hold vacuously; negated operators hold; the rest do not.
      results.push(ifExists || setQualifier === 'all' || operator in negatedOperators)
      continue
    }
    const negatedBase = negatedOperators[operator]
    const test = positiveTests[negatedBase ?? operator]
    if (!test) {
      results.push('unknown')
      continue
    }
    const matchesOne = (requestValue: string): boolean => {
      const matched = conditionValues.some((conditionValue) => test(conditionValue, requestValue))
      return negatedBase ? !matched : matched
    }
    if (setQualifier === 'all') results.push(requestValues.every(matchesOne))
    else if (setQualifier === 'any') results.push(requestValues.some(matchesOne))
    else results.push(negatedBase ? requestValues.every(matchesOne) : requestValues.some(matchesOne))
  }
  return and(results)
}

/** Every operator and every key of a block must hold (AND); the values listed under one key are OR-ed. */
export function evaluateConditions(block: ConditionBlock, context: RequestContext): Tristate {
  const lowered = lowerKeys(context)
  return and(Object.entries(block).map(([operator, keys]) => evaluateOperator(operator, keys, lowered)))
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
