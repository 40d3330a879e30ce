/**
 * Pattern coverage. Wildcards in Resource: `*` any run of characters, `?` one character, within and across ARN
 * segments (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html);
 * NotResource matches everything but the listed resources
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html).
 */
import {describe, expect, it} from 'vitest'
import {doc} from '../../test/fixtures/inventory.js'
import {statementsOf} from './document.js'
import {actionCoverage, globCovers, globsIntersect, isOpenEnded, locatedStatementsCovering, resourceCoverage, restrictsKey} from './coverage.js'

const EVERY_ROLE = 'arn:aws:iam::123456789012:role/*'
const statement = (body: object) => statementsOf(doc({Effect: 'Allow', Action: 'iam:PassRole', ...body}))[0]!

describe('globCovers: does a pattern reach every role?', () => {
  it.each([
    ['*', true],
    ['arn:aws:iam::*:role/*', true],
    ['arn:aws:iam::123456789012:role/*', true],
    ['arn:*:iam::*:*', true],
    ['arn:aws:iam::123456789012:*', true],
    ['arn:aws:iam::123456789012:role*', true],
    ['arn:aws:iam::123456789012:role/emr-*', false],
    ['e*', false],
    ['*-role', false],
    ['arn:aws:iam::123456789012:role/?*', false],
    ['arn:aws:iam::123456789012:role/*/*', false],
    ['arn:aws:iam::999999999999:role/*', false],
    ['arn:aws:iam::123456789012:role/${aws:username}*', false],
    ['arn:aws:iam::123456789012:ROLE/*', false],
  ])('%s → %s', (pattern, expected) => {
    expect(globCovers(pattern, EVERY_ROLE)).toBe(expected)
  })
  it('the order of adjacent wildcards does not matter: `*?` and `?*` are the same set', () => {
    expect(globCovers('arn:aws:iam::123456789012:role/*?', 'arn:aws:iam::123456789012:role/?*')).toBe(true)
    expect(globCovers('a*?*?b', 'a??*b')).toBe(true)
    expect(globCovers('a??*', 'a?*')).toBe(false)
  })
  it('a pattern must match to the end: a prefix of the universe does not cover it', () => {
    expect(globCovers('arn:aws:iam::123456789012:role/emr', 'arn:aws:iam::123456789012:role/emr-*')).toBe(false)
    expect(globCovers('arn:aws:iam::123456789012:role/emr-*', 'arn:aws:iam::123456789012:role/emr-*')).toBe(true)
  })
  it('a run of stars is one star; a run of `?` keeps its length', () => {
    expect(globCovers('arn:aws:iam::123456789012:role/**', EVERY_ROLE)).toBe(true)
    expect(globCovers('arn:aws:s3:::log-??', 'arn:aws:s3:::log-???')).toBe(false)
    expect(globCovers('arn:aws:s3:::log-??', 'arn:aws:s3:::log-??')).toBe(true)
    expect(globCovers('arn:aws:s3:::log-??', 'arn:aws:s3:::log-ab')).toBe(true)
  })
  it('every bucket and object: arn:aws:s3:::* but not a bucket prefix', () => {
    expect(globCovers('arn:aws:s3:::*', 'arn:aws:s3:::*')).toBe(true)
    expect(globCovers('arn:aws:s3:::emr-*', 'arn:aws:s3:::*')).toBe(false)
  })
  it('stays fast on a long hostile pattern', () => {
    const started = Date.now()
    expect(globCovers(`${'*a'.repeat(3000)}`, EVERY_ROLE)).toBe(false)
    expect(globsIntersect(`${'*a'.repeat(3000)}`, `${'?*'.repeat(50)}`)).toBe(true)
    // Under `npm run mutate` the code is instrumented and several times slower; there Stryker's own timeout
    // catches a mutant that makes matching slow, so the wall-clock bound only has to rule out a hang.
    expect(Date.now() - started).toBeLessThan(process.env['STRYKER_MUTATOR_WORKER'] === undefined ? 2000 : 30_000)
  })
})

describe('globsIntersect', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/emr-*', EVERY_ROLE, true],
    ['arn:aws:iam::123456789012:role/emr-*', 'arn:aws:iam::123456789012:role/*-admin', true],
    ['arn:aws:iam::123456789012:user/*', EVERY_ROLE, false],
    ['arn:aws:s3:::b/*', EVERY_ROLE, false],
    ['a?c', 'ab*', true],
    ['a?c', 'abd', false],
    // Each glob must be used up: a name cannot end inside one of them.
    ['arn:aws:iam::123456789012:role/emr', 'arn:aws:iam::123456789012:role/emr-?*', false],
    ['arn:aws:iam::123456789012:role/emr-?*', 'arn:aws:iam::123456789012:role/emr', false],
    ['arn:aws:iam::123456789012:role/emr-?*', 'arn:aws:iam::123456789012:role/emr-a', true],
  ])('%s ∩ %s → %s', (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected)
  })
  it('is case-sensitive unless asked otherwise (ARNs are, action names are not)', () => {
    expect(globsIntersect('arn:aws:iam::123456789012:role/EMR-*', 'arn:aws:iam::123456789012:role/emr-*')).toBe(false)
    expect(globsIntersect('IAM:Pass*', 'iam:passrole', true)).toBe(true)
  })
})

describe('resourceCoverage and actionCoverage', () => {
  it('Resource: all, scoped (with the patterns), none', () => {
    expect(resourceCoverage(statement({Resource: ['arn:aws:s3:::b', '*']}), [EVERY_ROLE])).toEqual({kind: 'all'})
    expect(resourceCoverage(statement({Resource: ['arn:aws:iam::123456789012:role/emr-*', 'arn:aws:s3:::b']}), [EVERY_ROLE])).toEqual({
      kind: 'scoped',
      patterns: ['arn:aws:iam::123456789012:role/emr-*'],
    })
    expect(resourceCoverage(statement({Resource: 'arn:aws:s3:::b'}), [EVERY_ROLE])).toEqual({kind: 'none'})
  })
  it('NotResource: every role but the listed ones; nothing when it excludes every role', () => {
    expect(resourceCoverage(statement({NotResource: 'arn:aws:s3:::b'}), [EVERY_ROLE])).toEqual({kind: 'all'})
    expect(resourceCoverage(statement({NotResource: 'arn:aws:iam::123456789012:role/admin'}), [EVERY_ROLE])).toEqual({
      kind: 'all-but',
      except: ['arn:aws:iam::123456789012:role/admin'],
    })
    expect(resourceCoverage(statement({NotResource: 'arn:aws:iam::*:role/*'}), [EVERY_ROLE])).toEqual({kind: 'none'})
  })
  it('a statement with neither Resource nor NotResource (a trust policy) covers all of it', () => {
    expect(resourceCoverage(statementsOf(doc({Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole'}))[0]!, [EVERY_ROLE])).toEqual({kind: 'all'})
  })
  it('resource ARNs are case-sensitive', () => {
    expect(resourceCoverage(statement({Resource: 'arn:aws:iam::123456789012:ROLE/*'}), [EVERY_ROLE])).toEqual({kind: 'none'})
  })
  it('several universes: reaching any one of them counts', () => {
    const universes = [EVERY_ROLE, 'arn:aws:s3:::*']
    expect(resourceCoverage(statement({Resource: 'arn:aws:s3:::*'}), universes)).toEqual({kind: 'all'})
    expect(resourceCoverage(statement({Resource: 'arn:aws:s3:::emr-*'}), universes)).toEqual({kind: 'scoped', patterns: ['arn:aws:s3:::emr-*']})
    // Excluding every bucket leaves every role.
    expect(resourceCoverage(statement({NotResource: 'arn:aws:s3:::*'}), universes)).toEqual({kind: 'all-but', except: ['arn:aws:s3:::*']})
  })
  it('NotResource: one pattern excluding all of it is enough', () => {
    expect(resourceCoverage(statement({NotResource: ['arn:aws:s3:::b', EVERY_ROLE]}), [EVERY_ROLE])).toEqual({kind: 'none'})
  })
  it('a statement asked about another universe, or another question, gets its own answer', () => {
    const shared = statement({Resource: 'arn:aws:s3:::*'})
    expect(resourceCoverage(shared, [EVERY_ROLE])).toEqual({kind: 'none'})
    expect(resourceCoverage(shared, ['arn:aws:s3:::*'])).toEqual({kind: 'all'})
    const actions = statementsOf(doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}))[0]!
    expect(actionCoverage(actions, 's3:*')).toEqual({kind: 'all'})
    expect(actionCoverage(actions, 'iam:*')).toEqual({kind: 'none'})
  })
  it('open-ended: all and all-but reach a resource created tomorrow; scoped and none do not', () => {
    expect(isOpenEnded({kind: 'all'})).toBe(true)
    expect(isOpenEnded({kind: 'all-but', except: ['arn:aws:iam::123456789012:role/admin']})).toBe(true)
    expect(isOpenEnded({kind: 'scoped', patterns: ['arn:aws:iam::123456789012:role/emr-*']})).toBe(false)
    expect(isOpenEnded({kind: 'none'})).toBe(false)
  })
  it('actions are case-insensitive; s3:E* is not s3:*', () => {
    const of = (body: object) => actionCoverage(statementsOf(doc({Effect: 'Allow', Resource: '*', ...body}))[0]!, 's3:*').kind
    expect(of({Action: 'S3:*'})).toBe('all')
    expect(of({Action: '*'})).toBe('all')
    expect(of({Action: 's3:E*'})).toBe('scoped')
    expect(of({NotAction: 'iam:*'})).toBe('all')
    expect(of({NotAction: 's3:DeleteObject'})).toBe('all-but')
  })
})

/**
 * iam:PassedToService is present on every PassRole request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService);
 * StringLike compares with wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */
describe('restrictsKey: a condition in name only is no condition', () => {
  const restricts = (condition: object) => restrictsKey(statement({Resource: '*', Condition: condition}), 'iam:PassedToService', '?*.amazonaws.com')
  it.each([
    [{StringLike: {'iam:PassedToService': '*'}}, false],
    [{StringLike: {'iam:PassedToService': ['ec2.amazonaws.com', '*.amazonaws.com']}}, false],
    [{StringNotLike: {'iam:PassedToService': 'nothing'}}, false],
    [{StringEquals: {'iam:PassedToService': '*'}}, true],
    [{StringEquals: {'iam:passedtoservice': 'ec2.amazonaws.com'}}, true],
    [{StringLike: {'iam:PassedToService': 'ec2.amazonaws.com*'}}, true],
    [{StringNotEquals: {'iam:PassedToService': 'lambda.amazonaws.com'}}, true],
    [{StringEquals: {'aws:RequestedRegion': 'us-east-1'}}, false],
    // Null false only asks that the key be present, and it always is; `?*` matches every non-empty name
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null).
    [{Null: {'iam:PassedToService': 'false'}}, false],
    [{Null: {'iam:PassedToService': 'true'}}, true],
    [{StringLike: {'iam:PassedToService': '?*'}}, false],
    [{StringLike: {'iam:PassedToService': '*?'}}, false],
    // The values of one key are ORed, those of a negated operator NORed
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html):
    // Null "absent or present" is every request; one negated value a service name can match narrows.
    [{Null: {'iam:PassedToService': ['true', 'false']}}, false],
    [{StringNotLike: {'iam:PassedToService': ['nothing', 'lambda.*']}}, true],
    [{StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com', 'aws:RequestedRegion': 'us-east-1'}}, true],
    [{Bool: {'aws:SecureTransport': 'true'}, StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}, true],
  ])('%j → %s', (condition, expected) => {
    expect(restricts(condition)).toBe(expected)
  })
})

describe('locatedStatementsCovering', () => {
  it('the statements that cover an action (Action globs case-insensitive, NotAction honoured), in policy and document order', () => {
    const sources = [
      {
        label: 'inline:a',
        document: {
          Statement: [
            {Effect: 'Allow', Action: 's3:*', Resource: '*'},
            {Effect: 'Allow', Action: 'IAM:Pass*', Resource: '*'},
          ],
        },
      },
      {label: 'unread', document: null},
      {
        label: 'arn:aws:iam::1:policy/b',
        document: {
          Statement: [
            {Effect: 'Deny', NotAction: 'iam:Get*', Resource: '*'},
            {Effect: 'Deny', NotAction: 'iam:*', Resource: '*'},
          ],
        },
      },
    ]
    expect(locatedStatementsCovering(sources, 'iam:PassRole').map(({policy, statement}) => [policy, statement.index])).toEqual([
      ['inline:a', 1],
      ['arn:aws:iam::1:policy/b', 0],
    ])
  })
})

describe('restrictsKey answers are per key and universe', () => {
  it('the same statement asked about another key gets its own answer', () => {
    const conditioned = statement({Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}})
    expect(restrictsKey(conditioned, 'iam:PassedToService', '?*.amazonaws.com')).toBe(true)
    expect(restrictsKey(conditioned, 'iam:AssociatedResourceArn', '?*')).toBe(false)
  })
})

describe('resourceCoverage answers are shared, so they are frozen', () => {
  it('the same statement and universe give the same answer object, which cannot be changed', () => {
    const scoped = statement({Resource: ['arn:aws:iam::123456789012:role/emr-*']})
    const coverage = resourceCoverage(scoped, [EVERY_ROLE])
    expect(resourceCoverage(scoped, [EVERY_ROLE])).toBe(coverage)
    expect(coverage).toEqual({kind: 'scoped', patterns: ['arn:aws:iam::123456789012:role/emr-*']})
    expect(() => (coverage as {patterns: string[]}).patterns.push('x')).toThrow(TypeError)
    const allBut = resourceCoverage(statement({NotResource: 'arn:aws:iam::123456789012:role/admin'}), [EVERY_ROLE])
    expect(() => (allBut as {except: string[]}).except.push('x')).toThrow(TypeError)
  })
})
