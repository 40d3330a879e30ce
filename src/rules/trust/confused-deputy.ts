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

/**
 * Every value must point at the caller's own account: a SourceArn of
 * `arn:<partition>:<service>:<region or *>:<account>:<resource>` whose resource matches `resourcePrefix`.
 */
export function checkConfusedDeputy(statement: Statement, expected: {account: string; partition: string; service: string; resourcePrefix?: string}): ConfusedDeputyCheck {
  const sourceAccount = conditionValuesFor(statement.condition, ACCOUNT_OPERATORS, 'aws:SourceAccount')
  const sourceArn = conditionValuesFor(statement.condition, ARN_OPERATORS, 'aws:SourceArn')
  return {
    sourceAccount: state(sourceAccount, (value) => value === expected.account),
    sourceArn: state(sourceArn, (value) => {
      const arn = parseArn(value)
      return (
        arn !== undefined &&
        arn.partition === expected.partition &&
        arn.service === expected.service &&
        arn.account === expected.account &&
        (expected.resourcePrefix === undefined || arn.resource === '*' || arn.resource.startsWith(expected.resourcePrefix))
      )
    }),
    values: {sourceAccount, sourceArn},
  }
}
