import {describe, expect, it} from 'vitest'
import {conditionKeys, decodePolicyDocument, hasCondition, rawStatements, statementsCovering, statementsForAction, statementsOf} from './document.js'

describe('decodePolicyDocument', () => {
  const plain =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:x:*:1:a b"}}}]}'

  it('decodes the URL-encoded form IAM returns, exactly once', () => {
    const encoded = encodeURIComponent(plain)
    expect(decodePolicyDocument(encoded).document).toEqual(JSON.parse(plain))
    // A literal "%41" inside a value must survive: decoding twice would turn it into "A".
    const withPercent = encodeURIComponent('{"Statement":[{"Sid":"a%41b","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}')
    expect(statementsOf(decodePolicyDocument(withPercent).document)[0]?.sid).toBe('a%41b')
  })

  it('accepts documents that are already plain JSON (emulators, saved inventories)', () => {
    expect(decodePolicyDocument(plain).document).toEqual(JSON.parse(plain))
  })

  it('decides by the first character that a document is plain JSON, so a `%` in it is left as written', () => {
    const withPercent = '\n  {"Statement":[{"Sid":"a%41b","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
    expect(statementsOf(decodePolicyDocument(withPercent).document)[0]?.sid).toBe('a%41b')
  })

  it.each([
    [undefined, 'empty policy document'],
    ['', 'empty policy document'],
    ['%E0%A4%A', 'not valid URL-encoded'],
    ['%7Bnot json', 'not valid JSON'],
    [encodeURIComponent('[1,2]'), 'not a JSON object'],
  ])('reports %s as unreadable instead of throwing', (raw, message) => {
    const result = decodePolicyDocument(raw)
    expect(result.document).toBeNull()
    expect(result.error).toContain(message)
  })
})

describe('statementsOf normalises every valid shape', () => {
  it('Statement as an object, string-or-array fields, Principal "*"', () => {
    const [statement] = statementsOf({Statement: {Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: {Bool: {'aws:SecureTransport': true}}}})
    expect(statement).toMatchObject({
      effect: 'Allow',
      principal: {AWS: ['*']},
      actions: ['sts:AssumeRole'],
      condition: {Bool: {'aws:SecureTransport': ['true']}},
    })
  })

  it('NotAction, NotResource and NotPrincipal are kept apart from their positive forms', () => {
    const [statement] = statementsOf({
      Statement: [{Effect: 'Deny', NotAction: ['iam:*'], NotResource: 'arn:aws:s3:::b/*', NotPrincipal: {AWS: ['arn:aws:iam::1:root']}}],
    })
    expect(statement).toMatchObject({notActions: ['iam:*'], notResources: ['arn:aws:s3:::b/*'], notPrincipal: {AWS: ['arn:aws:iam::1:root']}})
    expect(statement?.actions).toBeUndefined()
  })

  it('an identity statement has exactly the elements written, and no principal', () => {
    const [statement] = statementsOf({Statement: [{Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*'}]})
    expect(statement).toStrictEqual({sid: 'Read', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], condition: {}, index: 0})
  })

  // Policy text is hostile: values of the wrong JSON type are dropped, never passed on as if they were names.
  it('keeps only strings in name lists, and strings, numbers and booleans in condition values', () => {
    const [statement] = statementsOf({
      Statement: {
        Sid: 7,
        Effect: 'Allow',
        Action: ['s3:ListBucket', 7, null],
        Resource: 7,
        Principal: 'arn:aws:iam::111122223333:root',
        Condition: {NumericLessThanEquals: {'s3:max-keys': [10, null, {}, 'x']}, Bool: {'aws:SecureTransport': false}},
      },
    })
    expect(statement?.sid).toBeUndefined()
    expect(statement?.actions).toEqual(['s3:ListBucket'])
    expect(statement?.resources).toEqual([])
    // Only "*" may stand alone; any other principal must be written {"AWS": …}
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
    expect(statement?.principal).toEqual({})
    expect(statement?.condition).toEqual({NumericLessThanEquals: {'s3:max-keys': ['10', 'x']}, Bool: {'aws:SecureTransport': ['false']}})
  })

  it('drops malformed statements and keeps their original index on the rest', () => {
    const statements = statementsOf({Statement: ['junk', {Effect: 'Maybe'}, {Effect: 'Allow', Action: 's3:*', Resource: '*'}]})
    expect(statements.map((statement) => statement.index)).toEqual([2])
  })
})

describe('each document is normalised once', () => {
  it('asking again returns the same statements, frozen so that no caller can change what the next one sees', () => {
    const document = {Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: {Bool: {'aws:SecureTransport': 'true'}}}]}
    const first = statementsOf(document)
    expect(statementsOf(document)).toBe(first)
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true)
    expect(first[0]).toMatchObject({actions: ['s3:GetObject'], condition: {Bool: {'aws:SecureTransport': ['true']}}})
    expect(() => ((first[0] as {effect: string}).effect = 'Deny')).toThrow(TypeError)
    expect(() => (first[0]?.actions as string[]).push('iam:PassRole')).toThrow(TypeError)
    expect(() => (first[0]?.condition['Bool']?.['aws:SecureTransport'] as string[]).push('false')).toThrow(TypeError)
  })

  it('a document without statements, or no document, has none', () => {
    expect(statementsOf(null)).toEqual([])
    expect(statementsOf({Version: '2012-10-17'})).toEqual([])
    expect(rawStatements({Version: '2012-10-17'})).toEqual([])
    expect(rawStatements(null)).toEqual([])
  })

  it('statements first met through a question about one action are the ones statementsOf gives later', () => {
    const document = {Statement: [{Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}]}
    const [early] = statementsForAction(document, 'iam:PassRole')
    expect(statementsOf(document)[0]).toBe(early)
  })
})

describe('statementsForAction', () => {
  const document = {
    Version: '2012-10-17',
    Statement: [
      {Sid: 's3', Effect: 'Allow', Action: 's3:*', Resource: '*'},
      {Sid: 'iam', Effect: 'Allow', Action: ['IAM:PassRole', 's3:GetObject'], Resource: '*'},
      {Sid: 'not', Effect: 'Deny', NotAction: 'ec2:*', Resource: '*'},
      {Sid: 'wild', Effect: 'Allow', Action: '*:Describe*', Resource: '*'},
      {Sid: 'all', Effect: 'Allow', Action: '*', Resource: '*'},
    ],
  }

  it('a question about iam:PassRole never examines s3 statements; NotAction and wildcard prefixes always are', () => {
    expect(statementsForAction(document, 'iam:PassRole').map((statement) => statement.sid)).toEqual(['iam', 'not', 'wild', 'all'])
    expect(statementsForAction(document, 's3:GetObject').map((statement) => statement.sid)).toEqual(['s3', 'iam', 'not', 'wild', 'all'])
  })

  it('an action without a service prefix examines every statement', () => {
    expect(statementsForAction(document, 'weird')).toHaveLength(5)
  })

  it('the statements are those statementsOf gives (the same objects, so answers cached on them are shared)', () => {
    const all = statementsOf(document)
    expect(statementsForAction(document, 'iam:PassRole')).toEqual([all[1], all[2], all[3], all[4]])
    expect(statementsForAction(document, 'iam:PassRole')[0]).toBe(all[1])
  })

  it('statementsCovering keeps those whose Action or NotAction covers the action itself', () => {
    expect(statementsCovering(document, 'iam:PassRole').map((statement) => statement.sid)).toEqual(['iam', 'not', 'all'])
    expect(statementsCovering(document, 'ec2:DescribeVpcs').map((statement) => statement.sid)).toEqual(['wild', 'all'])
  })

  it('a service no statement can name gets none', () => {
    expect(statementsForAction({Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]}, 'iam:PassRole')).toEqual([])
  })
})

describe('conditions of a statement', () => {
  const [none, empty, two] = statementsOf({
    Statement: [
      {Effect: 'Allow', Action: 's3:*', Resource: '*'},
      {Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: {}},
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Condition: {StringEquals: {'AWS:SourceAccount': '111122223333'}, ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:111122223333:*'}},
      },
    ],
  })

  // Condition key names are case-insensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
  it('conditionKeys: every key, lower-cased', () => {
    expect(conditionKeys(two!)).toEqual(['aws:sourceaccount', 'aws:sourcearn'])
    expect(conditionKeys(none!)).toEqual([])
  })

  it('hasCondition: an empty Condition element is none', () => {
    expect(hasCondition(two!)).toBe(true)
    expect(hasCondition(empty!)).toBe(false)
    expect(hasCondition(none!)).toBe(false)
  })
})
