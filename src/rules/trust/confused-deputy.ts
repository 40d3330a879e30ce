/** The confused-deputy conditions AWS documents for service trust: aws:SourceAccount and aws:SourceArn. */
import {conditionValuesFor} from '../../policy/conditions.js'
import type {Statement} from '../../policy/document.js'
import {parseArn} from '../../policy/match.js'

export type ConditionState = 'present' | 'missing' | 'wrong'

export interface ConfusedDeputyCheck {
  sourceAccount: ConditionState
  sourceArn: ConditionState
  values: {sourceAccount: string[]; sourceArn: string[]}
}

const ACCOUNT_OPERATORS = ['StringEquals', 'StringLike', 'StringEqualsIfExists', 'StringLikeIfExists']
const ARN_OPERATORS = ['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals', 'ArnLikeIfExists', 'ArnEqualsIfExists']

function state(values: string[], acceptable: (value: string) => boolean): ConditionState {
  if (values.length === 0) return 'missing'
  return values.every(acceptable) ? 'present' : 'wrong'
}

const NEGATED_ACCOUNT_OPERATORS = ['StringNotEquals', 'StringNotEqualsIfExists', 'StringNotLike', 'StringNotLikeIfExists']
const NEGATED_ARN_OPERATORS = [
  'ArnNotLike',
  'ArnNotEquals',
  'StringNotLike',
  'StringNotEquals',
  'ArnNotLikeIfExists',
  'ArnNotEqualsIfExists',
  'StringNotLikeIfExists',
  'StringNotEqualsIfExists',
]

interface Expected {
  account: string
  partition: string
  service: string
  resourcePrefix?: string
}

function acceptableArn(value: string, expected: Expected): boolean {
  const arn = parseArn(value)
  return (
    arn !== undefined &&
    arn.partition === expected.partition &&
    arn.service === expected.service &&
    arn.account === expected.account &&
    (expected.resourcePrefix === undefined || arn.resource === '*' || arn.resource.startsWith(expected.resourcePrefix))
  )
}

/**
 * The same protection written as a Deny: `Deny sts:AssumeRole` to the service unless aws:SourceAccount (or
 * aws:SourceArn) is this account's (StringNotEquals / ArnNotLike). Only an otherwise unconditioned Deny counts.
 */
export function checkDenyProtection(deny: Statement, expected: Expected): ConfusedDeputyCheck {
  const keys = Object.values(deny.condition).flatMap((entries) => Object.keys(entries).map((key) => key.toLowerCase()))
  const onlyDeputyKeys = keys.every((key) => key === 'aws:sourceaccount' || key === 'aws:sourcearn')
  const sourceAccount = onlyDeputyKeys ? conditionValuesFor(deny.condition, NEGATED_ACCOUNT_OPERATORS, 'aws:SourceAccount') : []
  const sourceArn = onlyDeputyKeys ? conditionValuesFor(deny.condition, NEGATED_ARN_OPERATORS, 'aws:SourceArn') : []
  return {
    sourceAccount: state(sourceAccount, (value) => value === expected.account),
    sourceArn: state(sourceArn, (value) => acceptableArn(value, expected)),
    values: {sourceAccount, sourceArn},
  }
}

/**
 * Every value must point at the caller's own account: a SourceArn of
 * `arn:<partition>:<service>:<region or *>:<account>:<resource>` whose resource matches `resourcePrefix`.
 */
export function checkConfusedDeputy(statement: Statement, expected: Expected): ConfusedDeputyCheck {
  const sourceAccount = conditionValuesFor(statement.condition, ACCOUNT_OPERATORS, 'aws:SourceAccount')
  const sourceArn = conditionValuesFor(statement.condition, ARN_OPERATORS, 'aws:SourceArn')
  return {
    sourceAccount: state(sourceAccount, (value) => value === expected.account),
    sourceArn: state(sourceArn, (value) => acceptableArn(value, expected)),
    values: {sourceAccount, sourceArn},
  }
}

/** An Allow's own conditions, or a Deny's that protects it: the better state of each key wins. */
export function combine(allow: ConfusedDeputyCheck, denies: readonly ConfusedDeputyCheck[]): ConfusedDeputyCheck {
  const best = (own: ConditionState, fromDenies: ConditionState[]): ConditionState => (fromDenies.includes('present') && own !== 'wrong' ? 'present' : own)
  return {
    sourceAccount: best(
      allow.sourceAccount,
      denies.map((deny) => deny.sourceAccount),
    ),
    sourceArn: best(
      allow.sourceArn,
      denies.map((deny) => deny.sourceArn),
    ),
    values: {
      sourceAccount: [...allow.values.sourceAccount, ...denies.flatMap((deny) => deny.values.sourceAccount)],
      sourceArn: [...allow.values.sourceArn, ...denies.flatMap((deny) => deny.values.sourceArn)],
    },
  }
}
