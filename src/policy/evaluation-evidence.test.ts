/**
 * What a decision rests on, as findings show it: which statements allowed or denied, whether they were
 * conditional, and why an answer is unknown. Expected decisions follow AWS's evaluation logic (an explicit
 * Deny in any policy, the boundary included, wins; an allow is needed from the identity policies and from
 * the boundary) and its policy-variable rules (variables are substituted only in Version 2012-10-17).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import {describe, expect, it} from 'vitest'
import type {PolicyDocument} from '../inventory/schema.js'
import {evaluateAll, evaluateIdentityAccess, type PolicySource} from './evaluate.js'

const ROLE = 'arn:aws:iam::123456789012:role/etl'
const doc = (...statements: object[]): PolicyDocument => ({Version: '2012-10-17', Statement: statements})
const source = (label: string, ...statements: object[]): PolicySource => ({label, document: doc(...statements)})
const unread = (label: string): PolicySource => ({label, document: null})
const passRole = (context: Record<string, string[]> = {}) => ({action: 'iam:PassRole', resource: ROLE, context})
const allowPass = {Effect: 'Allow', Action: 'iam:PassRole', Resource: ROLE}
/** A condition on a key no check supplies: the statement may or may not apply. */
const unknownCondition = {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}

describe('policy variables are substituted only in 2012-10-17 documents', () => {
  const prefixCondition = {StringLike: {'s3:prefix': 'home/${aws:username}/*'}}
  const request = {action: 's3:ListBucket', resource: 'arn:aws:s3:::data', context: {'s3:prefix': ['home/alice/reports'], 'aws:username': ['alice']}}
  const statement = {Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::data', Condition: prefixCondition}

  it('2012-10-17: ${aws:username} is the caller name', () => {
    expect(evaluateIdentityAccess([{label: 'p', document: {Version: '2012-10-17', Statement: [statement]}}], request).decision).toBe('allow')
  })
  it('2008-10-17: the same text is literal, so it does not match', () => {
    expect(evaluateIdentityAccess([{label: 'p', document: {Version: '2008-10-17', Statement: [statement]}}], request).decision).toBe('implicit-deny')
  })
})

describe('the statements named in a decision', () => {
  it('an allow under a Condition is marked conditional', () => {
    const result = evaluateIdentityAccess(
      [source('inline:p', {...allowPass, Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}})],
      passRole({'iam:PassedToService': ['ec2.amazonaws.com']}),
    )
    expect(result).toEqual({decision: 'allow', allowedBy: [{policy: 'inline:p', statementIndex: 0, conditional: true}], deniedBy: [], unknownBecause: []})
  })
  it('an allow whose resource names a variable the scan cannot resolve is conditional and unknown', () => {
    const result = evaluateIdentityAccess(
      [source('inline:p', {Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/${aws:PrincipalTag/team}-*'})],
      passRole(),
    )
    expect(result).toEqual({
      decision: 'unknown',
      allowedBy: [{policy: 'inline:p', statementIndex: 0, conditional: true}],
      deniedBy: [],
      unknownBecause: ['allow in inline:p depends on conditions not known here'],
    })
  })
  it('an explicit deny is the whole answer: no open questions are reported beside it', () => {
    const result = evaluateIdentityAccess(
      [source('inline:p', allowPass, {Effect: 'Deny', Action: 'iam:*', Resource: '*'}), unread('arn:aws:iam::aws:policy/Unread')],
      passRole(),
    )
    expect(result).toEqual({
      decision: 'explicit-deny',
      allowedBy: [{policy: 'inline:p', statementIndex: 0, conditional: false}],
      deniedBy: [{policy: 'inline:p', statementIndex: 1, conditional: false}],
      unknownBecause: [],
    })
  })
  it('no matching statement: an implicit deny with nothing to explain', () => {
    expect(evaluateIdentityAccess([source('inline:p', {Effect: 'Allow', Action: 's3:*', Resource: '*'})], passRole())).toEqual({
      decision: 'implicit-deny',
      allowedBy: [],
      deniedBy: [],
      unknownBecause: [],
    })
  })
})

describe('why an answer is unknown', () => {
  it('an unread policy and a deny that may apply are both named', () => {
    const result = evaluateIdentityAccess(
      [
        source('inline:p', allowPass, {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: unknownCondition}),
        unread('arn:aws:iam::aws:policy/Unread'),
      ],
      passRole(),
    )
    expect(result.decision).toBe('unknown')
    expect(result.unknownBecause).toEqual(['policy arn:aws:iam::aws:policy/Unread was not collected', 'deny in inline:p depends on conditions not known here'])
    expect(result.deniedBy).toEqual([{policy: 'inline:p', statementIndex: 1, conditional: true}])
  })
  it('a conditional allow is not an open question when another statement allows for certain', () => {
    const result = evaluateIdentityAccess([source('inline:p', allowPass, {...allowPass, Condition: unknownCondition}), unread('managed:Unread')], passRole())
    expect(result.decision).toBe('unknown')
    expect(result.unknownBecause).toEqual(['policy managed:Unread was not collected'])
  })
  it('only a conditional allow: the allow is the open question', () => {
    expect(evaluateIdentityAccess([source('inline:p', {...allowPass, Condition: unknownCondition})], passRole()).unknownBecause).toEqual([
      'allow in inline:p depends on conditions not known here',
    ])
  })
})

describe('a permissions boundary', () => {
  const allowAll = source('inline:admin', {Effect: 'Allow', Action: '*', Resource: '*'})

  it('an explicit deny in the identity policies stands even when the boundary was not read', () => {
    expect(evaluateIdentityAccess([source('inline:p', {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*'})], passRole(), unread('boundary')).decision).toBe(
      'explicit-deny',
    )
  })
  it('an explicit deny in the boundary wins over an undecided identity answer, with nothing left open', () => {
    const result = evaluateIdentityAccess(
      [source('inline:p', {...allowPass, Condition: unknownCondition})],
      passRole(),
      source('boundary', {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*'}),
    )
    expect(result).toMatchObject({decision: 'explicit-deny', unknownBecause: [], deniedBy: [{policy: 'boundary', statementIndex: 0, conditional: false}]})
  })
  it('nothing allowed by the identity policies stays an implicit deny whatever the boundary says', () => {
    expect(evaluateIdentityAccess([source('inline:p', {Effect: 'Allow', Action: 's3:*', Resource: '*'})], passRole(), unread('boundary')).decision).toBe(
      'implicit-deny',
    )
  })
  it('an unread boundary leaves an identity allow undecided, and says why', () => {
    const result = evaluateIdentityAccess([allowAll], passRole(), unread('boundary'))
    expect(result).toMatchObject({decision: 'unknown', unknownBecause: ['policy boundary was not collected']})
  })
  it('both open questions are kept when identity and boundary are undecided', () => {
    const result = evaluateIdentityAccess([source('inline:p', {...allowPass, Condition: unknownCondition})], passRole(), unread('boundary'))
    expect(result.unknownBecause).toEqual(['allow in inline:p depends on conditions not known here', 'policy boundary was not collected'])
  })
  it('a boundary that does not allow the action denies it, naming the boundary statement that might have', () => {
    const boundary = source(
      'boundary',
      {Effect: 'Allow', Action: 's3:*', Resource: '*'},
      {Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: unknownCondition},
    )
    const result = evaluateIdentityAccess([allowAll], passRole(), boundary)
    expect(result).toMatchObject({decision: 'implicit-deny', deniedBy: [{policy: 'boundary', statementIndex: 1, conditional: true}]})
  })
})

describe('several questions of one principal', () => {
  it('sorts each request into denied or undecided by its label (the action when unlabelled), reasons once', () => {
    const policies = [
      source(
        'inline:p',
        {Effect: 'Allow', Action: ['s3:GetObject', 'iam:PassRole'], Resource: '*', Condition: unknownCondition},
        {Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*'},
        {Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*'},
      ),
    ]
    const result = evaluateAll(policies, [
      {action: 's3:GetObject', resource: '*'},
      {action: 'iam:PassRole', resource: ROLE, label: 'pass the EC2 role'},
      {action: 'ec2:DescribeVpcs', resource: '*'},
      {action: 'kms:Decrypt', resource: '*'},
      {action: 'sqs:SendMessage', resource: '*'},
    ])
    expect(result).toEqual({
      denied: ['kms:Decrypt', 'sqs:SendMessage'],
      undecided: ['s3:GetObject', 'pass the EC2 role'],
      unknownBecause: ['allow in inline:p depends on conditions not known here'],
      decisions: {
        's3:GetObject': 'unknown',
        'pass the EC2 role': 'unknown',
        'ec2:DescribeVpcs': 'allow',
        'kms:Decrypt': 'explicit-deny',
        'sqs:SendMessage': 'implicit-deny',
      },
    })
  })
})
