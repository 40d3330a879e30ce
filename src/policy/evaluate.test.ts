import {describe, expect, it} from 'vitest'
import type {PolicyDocument} from '../inventory/schema.js'
import {evaluateConditions, type RequestContext} from './conditions.js'
import {evaluateIdentityAccess, type Decision} from './evaluate.js'
import {actionMatches, arnMatches, roleNameFromReference} from './match.js'

const doc = (...statements: object[]): PolicyDocument => ({Version: '2012-10-17', Statement: statements})

describe('matching', () => {
  it.each([
    ['iam:PassRole', 'iam:PassRole', true],
    ['IAM:passrole', 'iam:PassRole', true],
    ['iam:Pass*', 'iam:PassRole', true],
    ['iam:*', 'iam:PassRole', true],
    ['*', 'iam:PassRole', true],
    ['iam:P?ssRole', 'iam:PassRole', true],
    ['iam:Pass', 'iam:PassRole', false],
    ['elasticmapreduce:Describe*', 'elasticmapreduce:DescribeCluster', true],
    ['elasticmapreduce:Describe*', 'elasticmapreduce:ListClusters', false],
  ])('action %s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected)
  })

  it('ARNs are case-sensitive globs and special characters are literal', () => {
    expect(arnMatches('arn:aws:iam::1:role/*', 'arn:aws:iam::1:role/a/b')).toBe(true)
    expect(arnMatches('arn:aws:iam::1:role/EMR_*', 'arn:aws:iam::1:role/emr_x')).toBe(false)
    expect(arnMatches('arn:aws:s3:::b.c', 'arn:aws:s3:::bxc')).toBe(false)
  })

  it('role references: names and ARNs with paths', () => {
    expect(roleNameFromReference('arn:aws:iam::1:role/a/b/Name')).toBe('Name')
    expect(roleNameFromReference('Name')).toBe('Name')
  })
})

describe('conditions (three-valued)', () => {
  const cases: Array<[string, object, RequestContext, boolean | 'unknown']> = [
    ['StringEquals hit', {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}, {'iam:PassedToService': ['ec2.amazonaws.com']}, true],
    ['StringEquals is case-sensitive in values', {StringEquals: {'aws:RequestTag/x': 'true'}}, {'aws:RequestTag/x': ['True']}, false],
    ['key names are case-insensitive', {StringEquals: {'IAM:PASSEDTOSERVICE': 'ec2.amazonaws.com'}}, {'iam:PassedToService': ['ec2.amazonaws.com']}, true],
    ['values of one key are OR-ed', {StringEquals: {k: ['a', 'b']}}, {k: ['b']}, true],
    ['keys of one operator are AND-ed', {StringEquals: {k: 'a', j: 'b'}}, {k: ['a'], j: ['c']}, false],
    ['StringLike glob', {StringLike: {'iam:PassedToService': 'ec2.amazonaws.com*'}}, {'iam:PassedToService': ['ec2.amazonaws.com.cn']}, true],
    ['StringNotEquals', {StringNotEquals: {k: 'a'}}, {k: ['b']}, true],
    ['ArnLike', {ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:1:*'}}, {'aws:SourceArn': ['arn:aws:elasticmapreduce:us-east-1:1:cluster/j-1']}, true],
    ['Bool with string "true"', {Bool: {'aws:SecureTransport': 'true'}}, {'aws:SecureTransport': ['true']}, true],
    ['missing key is unknown', {StringEquals: {k: 'a'}}, {}, 'unknown'],
    ['absent key fails a positive operator', {StringEquals: {k: 'a'}}, {k: []}, false],
    ['absent key holds for IfExists', {StringEqualsIfExists: {k: 'a'}}, {k: []}, true],
    ['absent key holds for a negated operator', {StringNotEquals: {k: 'a'}}, {k: []}, true],
    ['Null true on an absent key', {Null: {k: 'true'}}, {k: []}, true],
    ['Null false on a present key', {Null: {k: 'false'}}, {k: ['x']}, true],
    ['ForAllValues: every request value allowed', {'ForAllValues:StringEquals': {'aws:TagKeys': ['a', 'b']}}, {'aws:TagKeys': ['a', 'c']}, false],
    ['ForAllValues holds on an empty set', {'ForAllValues:StringEquals': {'aws:TagKeys': ['a']}}, {'aws:TagKeys': []}, true],
    ['ForAnyValue: one match is enough', {'ForAnyValue:StringEquals': {'aws:TagKeys': ['a']}}, {'aws:TagKeys': ['z', 'a']}, true],
    ['an operator it does not know is unknown', {StringMatchesSomehow: {'aws:SourceIp': '10.0.0.0/8'}}, {'aws:SourceIp': ['10.1.1.1']}, 'unknown'],
  ]
  it.each(cases)('%s', (_label, block, context, expected) => {
    const normalised = Object.fromEntries(
      Object.entries(block).map(([operator, keys]) => [
        operator,
        Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([key, value]) => [key, (Array.isArray(value) ? value : [value]).map(String)])),
      ]),
    )
    expect(evaluateConditions(normalised, context)).toBe(expected)
  })
})

describe('evaluateIdentityAccess follows AWS policy evaluation logic', () => {
  const cases: Array<[string, PolicyDocument[], {action: string; resource: string; context?: RequestContext}, Decision]> = [
    ['no statement: implicit deny', [doc()], {action: 's3:GetObject', resource: '*'}, 'implicit-deny'],
    ['allow', [doc({Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*'})], {action: 's3:GetObject', resource: 'arn:aws:s3:::b/k'}, 'allow'],
    [
      'resource outside the allow',
      [doc({Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*'})],
      {action: 's3:GetObject', resource: 'arn:aws:s3:::c/k'},
      'implicit-deny',
    ],
    [
      'explicit deny in another policy wins',
      [doc({Effect: 'Allow', Action: '*', Resource: '*'}), doc({Effect: 'Deny', Action: 'iam:*', Resource: '*'})],
      {action: 'iam:PassRole', resource: 'arn:aws:iam::1:role/x'},
      'explicit-deny',
    ],
    ['NotAction allow covers other actions', [doc({Effect: 'Allow', NotAction: 'iam:*', Resource: '*'})], {action: 'ec2:RunInstances', resource: '*'}, 'allow'],
    [
      'NotAction allow excludes its actions',
      [doc({Effect: 'Allow', NotAction: 'iam:*', Resource: '*'})],
      {action: 'iam:PassRole', resource: '*'},
      'implicit-deny',
    ],
    [
      'NotResource allow',
      [doc({Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*'})],
      {action: 's3:GetObject', resource: 'arn:aws:s3:::secret/k'},
      'implicit-deny',
    ],
    [
      'conditional allow with the key supplied',
      [doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}})],
      {action: 'iam:PassRole', resource: 'arn:aws:iam::1:role/x', context: {'iam:PassedToService': ['ec2.amazonaws.com']}},
      'allow',
    ],
    [
      'conditional allow with another value',
      [doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}})],
      {action: 'iam:PassRole', resource: 'arn:aws:iam::1:role/x', context: {'iam:PassedToService': ['lambda.amazonaws.com']}},
      'implicit-deny',
    ],
    [
      'conditional allow without the key is unknown',
      [doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}})],
      {action: 'iam:PassRole', resource: 'arn:aws:iam::1:role/x'},
      'unknown',
    ],
    [
      'a conditional deny next to an allow is unknown without the key',
      [
        doc(
          {Effect: 'Allow', Action: '*', Resource: '*'},
          {Effect: 'Deny', Action: '*', Resource: '*', Condition: {Bool: {'aws:MultiFactorAuthPresent': 'false'}}},
        ),
      ],
      {action: 's3:GetObject', resource: '*'},
      'unknown',
    ],
  ]
  it.each(cases)('%s', (_label, documents, request, expected) => {
    const sources = documents.map((document, index) => ({label: `p${index}`, document}))
    expect(evaluateIdentityAccess(sources, request).decision).toBe(expected)
  })

  it('a policy that was not collected makes a denial unknown, but not a proven allow', () => {
    const unread = {label: 'arn:aws:iam::aws:policy/X', document: null}
    expect(evaluateIdentityAccess([unread], {action: 's3:GetObject', resource: '*'}).decision).toBe('unknown')
    const allow = {label: 'inline', document: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'})}
    // An unread policy could hold a Deny, so even a clear allow is not proven.
    expect(evaluateIdentityAccess([allow, unread], {action: 's3:GetObject', resource: '*'}).decision).toBe('unknown')
  })

  it('a permissions boundary limits the allow', () => {
    const allow = {label: 'inline', document: doc({Effect: 'Allow', Action: '*', Resource: '*'})}
    const boundary = {label: 'boundary', document: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'})}
    expect(evaluateIdentityAccess([allow], {action: 's3:GetObject', resource: '*'}, boundary).decision).toBe('allow')
    expect(evaluateIdentityAccess([allow], {action: 'iam:PassRole', resource: '*'}, boundary).decision).toBe('implicit-deny')
    expect(evaluateIdentityAccess([allow], {action: 'iam:PassRole', resource: '*'}, {label: 'boundary', document: null}).decision).toBe('unknown')
  })

  it('names the statements that decided', () => {
    const result = evaluateIdentityAccess([{label: 'inline:x', document: doc({Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'})}], {
      action: 'iam:PassRole',
      resource: 'arn:aws:iam::1:role/r',
    })
    expect(result.allowedBy).toEqual([{policy: 'inline:x', statementIndex: 0, sid: 'Pass', conditional: false}])
  })
})
