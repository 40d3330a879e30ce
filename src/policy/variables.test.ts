/**
 * Policy variables, from https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html:
 * substituted in Resource/NotResource and in string and ARN condition values of 2012-10-17 documents (literal
 * text in 2008-10-17 or without a Version); `${*}`, `${?}`, `${$}` are the literal characters; `${key, 'd'}`
 * gives a default when the key is absent. A variable the request context cannot resolve makes the answer
 * unknown here (never a literal match).
 */
import {describe, expect, it} from 'vitest'
import {type AccessCase, type ConditionCase, checkAccessCases, checkConditionCases} from '../../test/fixtures/policy-cases.js'
import type {PolicyDocument} from '../inventory/schema.js'
import {hasVariables, lowerContext, principalContext, substituteVariables} from './variables.js'

const v12 = (...statements: object[]): PolicyDocument => ({Version: '2012-10-17', Statement: statements})
const allow = (resource: string | string[], extra: object = {}) => ({Effect: 'Allow', Action: 's3:GetObject', Resource: resource, ...extra})
const get = (resource: string, context: Record<string, string[]> = {}) => ({action: 's3:GetObject', resource, context})
const alice = {'aws:username': ['alice']}

describe('variables in Resource and NotResource', () => {
  const home = 'arn:aws:s3:::b/home/${aws:username}/*'
  const teamDeny = v12({Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*'}, {Effect: 'Allow', Action: '*', Resource: '*'})
  const cases: AccessCase[] = [
    {name: 'issue 13 repro: alice reads her home prefix', policies: [v12(allow(home))], request: get('arn:aws:s3:::b/home/alice/x', alice), expected: 'allow'},
    {name: "alice does not read bob's home prefix", policies: [v12(allow(home))], request: get('arn:aws:s3:::b/home/bob/x', alice), expected: 'implicit-deny'},
    {
      name: 'the literal variable text is not a match',
      policies: [v12(allow(home))],
      request: get('arn:aws:s3:::b/home/${aws:username}/x', alice),
      expected: 'implicit-deny',
    },
    {name: 'user name not known: unknown, not a literal match', policies: [v12(allow(home))], request: get('arn:aws:s3:::b/home/alice/x'), expected: 'unknown'},
    {
      name: "issue 13 repro: Deny on the principal's team prefix beside Allow *",
      policies: [teamDeny],
      request: get('arn:aws:s3:::b/red/x', {'aws:PrincipalTag/team': ['red']}),
      expected: 'explicit-deny',
      deniedBy: ['p0'],
    },
    {
      name: "the team Deny does not reach another team's prefix",
      policies: [teamDeny],
      request: get('arn:aws:s3:::b/blue/x', {'aws:PrincipalTag/team': ['red']}),
      expected: 'allow',
    },
    {name: 'issue 13 repro: team tag not known: unknown', policies: [teamDeny], request: get('arn:aws:s3:::b/red/x'), expected: 'unknown'},
    {
      name: 'a tag known absent without a default: unknown',
      policies: [teamDeny],
      request: get('arn:aws:s3:::b/red/x', {'aws:PrincipalTag/team': []}),
      expected: 'unknown',
    },
    {
      name: 'keys are case-insensitive',
      policies: [v12(allow('arn:aws:s3:::b/${AWS:UserName}/*'))],
      request: get('arn:aws:s3:::b/alice/x', {'aws:USERNAME': ['alice']}),
      expected: 'allow',
    },
    {
      name: 'NotResource with a variable: own prefix excluded',
      policies: [v12({Effect: 'Allow', Action: 's3:GetObject', NotResource: home})],
      request: get('arn:aws:s3:::b/home/alice/x', alice),
      expected: 'implicit-deny',
    },
    {
      name: 'NotResource with a variable: other prefixes granted',
      policies: [v12({Effect: 'Allow', Action: 's3:GetObject', NotResource: home})],
      request: get('arn:aws:s3:::b/home/bob/x', alice),
      expected: 'allow',
    },
    {
      name: 'NotResource with an unknown variable: unknown',
      policies: [v12({Effect: 'Allow', Action: 's3:GetObject', NotResource: home})],
      request: get('arn:aws:s3:::b/home/bob/x'),
      expected: 'unknown',
    },
    {
      name: 'Version 2008-10-17: variables are literal text',
      policies: [{Version: '2008-10-17', Statement: [allow(home)]}],
      request: get('arn:aws:s3:::b/home/alice/x', alice),
      expected: 'implicit-deny',
    },
    {
      name: 'Version 2008-10-17: the literal text matches',
      policies: [{Version: '2008-10-17', Statement: [allow(home)]}],
      request: get('arn:aws:s3:::b/home/${aws:username}/x', alice),
      expected: 'allow',
    },
    {
      name: 'no Version: variables are literal text',
      policies: [{Statement: [allow(home)]}],
      request: get('arn:aws:s3:::b/home/alice/x', alice),
      expected: 'implicit-deny',
    },
    {name: '${*} is a literal star', policies: [v12(allow('arn:aws:s3:::b/${*}/x'))], request: get('arn:aws:s3:::b/*/x'), expected: 'allow'},
    {name: '${*} is not a wildcard', policies: [v12(allow('arn:aws:s3:::b/${*}/x'))], request: get('arn:aws:s3:::b/any/x'), expected: 'implicit-deny'},
    {name: '${?} is a literal question mark', policies: [v12(allow('arn:aws:s3:::b/${?}'))], request: get('arn:aws:s3:::b/a'), expected: 'implicit-deny'},
    {name: '${$} is a literal dollar', policies: [v12(allow('arn:aws:s3:::b/${$}x'))], request: get('arn:aws:s3:::b/$x'), expected: 'allow'},
    {
      name: 'a substituted value is literal, not a glob',
      policies: [v12(allow('arn:aws:s3:::b/${aws:PrincipalTag/p}/x'))],
      request: get('arn:aws:s3:::b/anything/x', {'aws:PrincipalTag/p': ['*']}),
      expected: 'implicit-deny',
    },
    {
      name: 'a default applies when the key is known absent',
      policies: [v12(allow("arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*"))],
      request: get('arn:aws:s3:::b/none/x', {'aws:PrincipalTag/team': []}),
      expected: 'allow',
    },
    {
      name: 'a default does not apply when the key is present',
      policies: [v12(allow("arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*"))],
      request: get('arn:aws:s3:::b/none/x', {'aws:PrincipalTag/team': ['red']}),
      expected: 'implicit-deny',
    },
    {
      name: 'a default does not decide a key that is not known',
      policies: [v12(allow("arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*"))],
      request: get('arn:aws:s3:::b/none/x'),
      expected: 'unknown',
    },
    {
      name: 'principal facts: aws:PrincipalAccount and aws:userid',
      policies: [v12(allow('arn:aws:s3:::b/${aws:PrincipalAccount}/${aws:userid}/*'))],
      request: get('arn:aws:s3:::b/123456789012/AIDAEXAMPLE/x', {'aws:PrincipalAccount': ['123456789012'], 'aws:userid': ['AIDAEXAMPLE']}),
      expected: 'allow',
    },
    {
      name: 'a multivalued key is no variable',
      policies: [v12(allow('arn:aws:s3:::b/${aws:TagKeys}/*'))],
      request: get('arn:aws:s3:::b/a/x', {'aws:TagKeys': ['a', 'b']}),
      expected: 'unknown',
    },
    {
      name: 'a second pattern that matches decides despite an unknown first',
      policies: [v12(allow(['arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/public/*']))],
      request: get('arn:aws:s3:::b/public/x'),
      expected: 'allow',
    },
  ]
  checkAccessCases(cases)
})

describe('variables in condition values', () => {
  const cases: ConditionCase[] = [
    {
      name: "StringEquals against the principal's own name",
      condition: {StringEquals: {'aws:ResourceTag/owner': '${aws:username}'}},
      context: {'aws:ResourceTag/owner': ['alice'], 'aws:username': ['alice']},
      expected: true,
    },
    {
      name: 'StringEquals against another name',
      condition: {StringEquals: {'aws:ResourceTag/owner': '${aws:username}'}},
      context: {'aws:ResourceTag/owner': ['bob'], 'aws:username': ['alice']},
      expected: false,
    },
    {
      name: 'StringLike with a variable and a wildcard',
      condition: {StringLike: {'s3:prefix': 'home/${aws:username}/*'}},
      context: {'s3:prefix': ['home/alice/docs'], 'aws:username': ['alice']},
      expected: true,
    },
    {
      name: 'an unresolvable variable is unknown',
      condition: {StringLike: {'s3:prefix': 'home/${aws:username}/*'}},
      context: {'s3:prefix': ['home/alice/docs']},
      expected: 'unknown',
    },
    {
      name: 'an unresolvable variable is unknown for a negated operator',
      condition: {StringNotEquals: {'aws:ResourceTag/owner': '${aws:PrincipalTag/owner}'}},
      context: {'aws:ResourceTag/owner': ['x']},
      expected: 'unknown',
    },
    {
      name: 'another listed value can still decide',
      condition: {StringEquals: {'aws:ResourceTag/owner': ['${aws:username}', 'shared']}},
      context: {'aws:ResourceTag/owner': ['shared']},
      expected: true,
    },
    {
      name: 'ArnLike with aws:PrincipalAccount',
      condition: {ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:${aws:PrincipalAccount}:*'}},
      context: {'aws:SourceArn': ['arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1'], 'aws:PrincipalAccount': ['123456789012']},
      expected: true,
    },
    {
      name: 'Version 2008-10-17: literal in conditions',
      condition: {StringEquals: {'aws:ResourceTag/owner': '${aws:username}'}},
      context: {'aws:ResourceTag/owner': ['${aws:username}'], 'aws:username': ['alice']},
      expected: true,
      version: '2008-10-17',
    },
    {name: 'StringEquals with ${*} compares a star', condition: {StringEquals: {'s3:prefix': 'a${*}'}}, context: {'s3:prefix': ['a*']}, expected: true},
  ]
  checkConditionCases(cases)
})

describe('substituteVariables', () => {
  const context = lowerContext(alice)

  it('a value without `${` is the pattern as written', () => {
    expect(hasVariables('arn:aws:s3:::b/home/*')).toBe(false)
    expect(hasVariables('arn:aws:s3:::b/home/${aws:username}')).toBe(true)
    expect(substituteVariables('arn:aws:s3:::b/home/*', context)).toEqual({text: 'arn:aws:s3:::b/home/*'})
  })

  it('a `${` never closed is text, not a variable', () => {
    expect(substituteVariables('home/${aws:username', context)).toMatchObject({text: 'home/${aws:username'})
    expect(substituteVariables('home/${aws:username}/${aws:username', context)).toMatchObject({text: 'home/alice/${aws:username'})
  })

  it('text between `${` and `}` that is not a variable name leaves the value unresolved', () => {
    expect(substituteVariables("home/${aws:username, 'a', 'b'}/*", context)).toEqual({unresolved: "aws:username, 'a', 'b'"})
  })
})

describe('principalContext: what the inventory knows of a principal', () => {
  const team = v12({Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*'}, {Effect: 'Allow', Action: '*', Resource: '*'})
  const roleFacts = principalContext({
    kind: 'role',
    arn: 'arn:aws:iam::123456789012:role/etl',
    name: 'etl',
    id: 'AROAEXAMPLE',
    account: '123456789012',
    tags: [{key: 'team', value: 'red'}],
  })
  const userFacts = principalContext({kind: 'user', arn: 'arn:aws:iam::123456789012:user/alice', name: 'alice', id: 'AIDAEXAMPLE', account: '123456789012'})
  const cases: AccessCase[] = [
    {name: "a role's tag resolves ${aws:PrincipalTag/team}", policies: [team], request: get('arn:aws:s3:::b/red/x', roleFacts), expected: 'explicit-deny'},
    {
      name: 'a tag the role does not carry stays unknown (it may come as a session tag)',
      policies: [v12(allow('arn:aws:s3:::b/${aws:PrincipalTag/cost}/*'))],
      request: get('arn:aws:s3:::b/x/y', roleFacts),
      expected: 'unknown',
    },
    {
      name: 'a role has no aws:username',
      policies: [v12(allow('arn:aws:s3:::b/home/${aws:username}/*'))],
      request: get('arn:aws:s3:::b/home/etl/x', roleFacts),
      expected: 'unknown',
    },
    {
      name: "a role session's aws:userid depends on the session name",
      policies: [v12(allow('arn:aws:s3:::b/${aws:userid}/*'))],
      request: get('arn:aws:s3:::b/AROAEXAMPLE:s/x', roleFacts),
      expected: 'unknown',
    },
    {
      name: "a user's name and id",
      policies: [v12(allow('arn:aws:s3:::b/${aws:username}/${aws:userid}/*'))],
      request: get('arn:aws:s3:::b/alice/AIDAEXAMPLE/x', userFacts),
      expected: 'allow',
    },
    {
      name: "the principal's account and type",
      policies: [v12(allow('arn:aws:s3:::b/${aws:PrincipalAccount}/*', {Condition: {StringEquals: {'aws:PrincipalType': 'AssumedRole'}}}))],
      request: get('arn:aws:s3:::b/123456789012/x', roleFacts),
      expected: 'allow',
    },
  ]
  checkAccessCases(cases)
})
