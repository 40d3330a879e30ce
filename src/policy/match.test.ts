/**
 * Names in policies. Expected answers: action names are case-insensitive and made of a service prefix and an
 * action name (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html); a
 * statement with no Resource element (a trust policy) applies to the resource it is attached to, NotResource to
 * everything it does not list (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html); ARNs have six
 * colon-separated fields, the last of which may itself hold colons
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html); ArnLike checks each of the six fields
 * separately, and StringLike is case-sensitive
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
 * a policy variable the request cannot resolve leaves the answer open
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
import {describe, expect, it} from 'vitest'
import {doc} from '../../test/fixtures/inventory.js'
import {statementsOf} from './document.js'
import {
  arnLikeMatches,
  globMatchesSubstituted,
  parseArn,
  serviceOf,
  statementCoversAction,
  statementCoversResource,
  statementCoversResourceIn,
  stringLike,
} from './match.js'
import {lowerContext, substituteVariables} from './variables.js'

const ROLE = 'arn:aws:iam::111122223333:role/EMR_DefaultRole'
const LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/emr/j-1'
const first = (statement: object) => statementsOf(doc(statement))[0]!
const literal = (text: string) => substituteVariables(text, lowerContext({}))

describe('serviceOf', () => {
  it.each<[string, string | undefined]>([
    ['IAM:PassRole', 'iam'],
    ['elasticmapreduce:*', 'elasticmapreduce'],
    ['*', undefined],
    ['iam*:PassRole', undefined],
    ['i?m:PassRole', undefined],
    [':PassRole', undefined],
  ])('%s → %s', (action, service) => {
    expect(serviceOf(action)).toBe(service)
  })
})

describe('statementCoversAction', () => {
  it('Action and NotAction; a statement with neither covers nothing', () => {
    expect(statementCoversAction(first({Effect: 'Allow', Action: 'IAM:Pass*', Resource: '*'}), 'iam:PassRole')).toBe(true)
    expect(statementCoversAction(first({Effect: 'Allow', NotAction: 'iam:*', Resource: '*'}), 'iam:PassRole')).toBe(false)
    expect(statementCoversAction(first({Effect: 'Allow', NotAction: 'iam:*', Resource: '*'}), 's3:GetObject')).toBe(true)
    expect(statementCoversAction(first({Effect: 'Allow', Resource: '*'}), 'iam:PassRole')).toBe(false)
  })
})

describe('statementCoversResource', () => {
  it.each<[string, object, boolean]>([
    ['no Resource element (a trust policy)', {}, true],
    ['one of several Resource patterns', {Resource: ['arn:aws:s3:::b', 'arn:aws:iam::111122223333:role/EMR_*']}, true],
    ['no Resource pattern', {Resource: ['arn:aws:s3:::b', 'arn:aws:iam::111122223333:role/other']}, false],
    ['NotResource listing another resource', {NotResource: ['arn:aws:s3:::b', 'arn:aws:iam::111122223333:role/other']}, true],
    ['NotResource listing it among others', {NotResource: ['arn:aws:s3:::b', 'arn:aws:iam::111122223333:role/EMR_*']}, false],
  ])('%s → %s', (_label, body, expected) => {
    const statement = first({Effect: 'Allow', Action: 'iam:PassRole', ...body})
    expect(statementCoversResource(statement, ROLE)).toBe(expected)
    expect(statementCoversResourceIn(statement, ROLE, lowerContext({}))).toBe(expected)
  })

  it('NotResource with a variable the request cannot resolve is unknown, and resolved it decides', () => {
    const statement = first({Effect: 'Allow', Action: 'iam:PassRole', NotResource: 'arn:aws:iam::111122223333:role/${aws:PrincipalTag/team}_*'})
    expect(statementCoversResourceIn(statement, ROLE, lowerContext({}))).toBe('unknown')
    expect(statementCoversResourceIn(statement, ROLE, lowerContext({'aws:PrincipalTag/team': ['EMR']}))).toBe(false)
    expect(statementCoversResourceIn(statement, ROLE, lowerContext({'aws:PrincipalTag/team': ['analytics']}))).toBe(true)
  })
})

describe('globMatchesSubstituted and stringLike are case-sensitive', () => {
  it('a substituted pattern', () => {
    const pattern = substituteVariables('arn:aws:iam::111122223333:role/${aws:PrincipalTag/team}_*', lowerContext({'aws:PrincipalTag/team': ['EMR']}))
    expect(globMatchesSubstituted(pattern, ROLE)).toBe(true)
    expect(globMatchesSubstituted(pattern, 'arn:aws:iam::111122223333:role/emr_DefaultRole')).toBe(false)
  })

  it('a plain pattern', () => {
    expect(stringLike('EMR-*', 'EMR-AUDIT-001')).toBe(true)
    expect(stringLike('EMR-*', 'emr-audit-001')).toBe(false)
  })
})

describe('arnLikeMatches', () => {
  it.each<[string, string, boolean]>([
    ['arn:aws:logs:*:111122223333:log-group:*', LOG_GROUP, true],
    // A wildcard stays within its field: `*` in the region does not stand for the account too.
    ['arn:aws:logs:*:log-group:/aws/emr/j-1', LOG_GROUP, false],
    ['arn:aws:logs:*:log-group:/aws/emr/j-1:log-stream:*', `${LOG_GROUP}:log-stream:s-1`, false],
    ['arn:aws:logs:*:111122223333:log-group:/aws/emr/j-1:log-stream:*', `${LOG_GROUP}:log-stream:s-1`, true],
    ['arn:aws:logs:*:*:log-group:/aws/emr/*', LOG_GROUP, true],
    ['*', LOG_GROUP, true],
    // Fewer than six fields: one glob over the whole value, which must match to its end.
    ['arn:aws:logs', LOG_GROUP, false],
    ['arn:aws:logs*', LOG_GROUP, true],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(arnLikeMatches(literal(pattern), value)).toBe(expected)
  })

  it('a pattern with a variable the request cannot resolve is unknown', () => {
    expect(arnLikeMatches(substituteVariables('arn:aws:iam::${aws:PrincipalAccount}:role/*', lowerContext({})), ROLE)).toBe('unknown')
  })
})

describe('parseArn', () => {
  it('six fields; the resource keeps its colons', () => {
    expect(parseArn(LOG_GROUP)).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      account: '111122223333',
      resource: 'log-group:/aws/emr/j-1',
    })
  })

  it.each(['arn:aws:iam::111122223333', 'urn:aws:iam::111122223333:root', 'EMR_DefaultRole'])('%s is not an ARN', (value) => {
    expect(parseArn(value)).toBeUndefined()
  })
})
