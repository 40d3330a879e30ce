/**
 * Trust evaluated for one caller. Expected answers: an explicit Deny wins and statements for other principals do
 * not apply (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); an account
 * principal (id or :root) stands for every principal of that account, NotPrincipal for everyone not listed
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 */
import {describe, expect, it} from 'vitest'
import {allowAws, allowService, doc} from '../../test/fixtures/inventory.js'
import {evaluateAssume, statementsFor} from './assume.js'

const HOST = {arn: 'arn:aws:iam::123456789012:role/host-a', account: '123456789012', partition: 'aws'}
const EMR = {service: 'elasticmapreduce.amazonaws.com'}

describe('evaluateAssume', () => {
  it.each([
    ['the role ARN', doc(allowAws(HOST.arn)), 'allow'],
    ['the account id', doc(allowAws('123456789012')), 'allow'],
    ['the account root', doc(allowAws('arn:aws:iam::123456789012:root')), 'allow'],
    ['another role only', doc(allowAws('arn:aws:iam::123456789012:role/host-b')), 'implicit-deny'],
    ['a Deny to everyone', doc(allowAws(HOST.arn), {Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole'}), 'explicit-deny'],
    [
      'an Allow with NotPrincipal naming someone else',
      doc({Effect: 'Allow', NotPrincipal: {AWS: 'arn:aws:iam::123456789012:role/host-b'}, Action: 'sts:AssumeRole'}),
      'allow',
    ],
    ['a condition on a key not supplied', doc(allowAws(HOST.arn, {Condition: {StringEquals: {'aws:RequestTag/team': 'x'}}})), 'unknown'],
  ])('an AWS caller, trust naming %s → %s', (_label, trust, decision) => {
    expect(evaluateAssume(trust, HOST, {}).decision).toBe(decision)
  })

  // Policy variables are substituted in condition values of 2012-10-17 documents, trust policies included
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
  it('a trust condition with a policy variable compares the substituted value', () => {
    const trust = doc(allowAws('123456789012', {Condition: {ArnLike: {'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/host-*'}}}))
    const context = {'aws:PrincipalArn': [HOST.arn], 'aws:PrincipalAccount': [HOST.account]}
    expect(evaluateAssume(trust, HOST, context).decision).toBe('allow')
    expect(evaluateAssume(trust, HOST, {...context, 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/other']}).decision).toBe('implicit-deny')
  })

  it('a principal list naming the caller among others', () => {
    expect(evaluateAssume(doc(allowAws(['arn:aws:iam::123456789012:role/host-b', HOST.arn])), HOST, {}).decision).toBe('allow')
    expect(evaluateAssume(doc(allowService(['ec2.amazonaws.com', EMR.service])), EMR, {}).decision).toBe('allow')
  })

  it('a Deny that may apply under conditions not known leaves an allowed caller unknown, and says which statements', () => {
    const trust = doc(allowAws(HOST.arn), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Condition: {StringNotEquals: {'aws:PrincipalTag/team': 'emr'}},
    })
    const answer = evaluateAssume(trust, HOST, {})
    expect(answer.decision).toBe('unknown')
    expect(answer.allowedBy.map((statement) => statement.index)).toEqual([0])
    expect(answer.undecided.map((statement) => statement.index)).toEqual([1])
    expect(answer.deniedBy).toEqual([])
    expect(evaluateAssume(trust, HOST, {'aws:PrincipalTag/team': ['emr']}).decision).toBe('allow')
  })

  // Before 2012-10-17, `${…}` is literal text (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
  it('a trust condition in a 2008-10-17 document compares the variable as written', () => {
    const trust = {
      Version: '2008-10-17',
      Statement: [allowAws('123456789012', {Condition: {ArnLike: {'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/host-*'}}})],
    }
    expect(evaluateAssume(trust, HOST, {'aws:PrincipalArn': [HOST.arn], 'aws:PrincipalAccount': [HOST.account]}).decision).toBe('implicit-deny')
  })

  it('statementsFor asks about sts:AssumeRole unless told otherwise', () => {
    const trust = doc(allowAws(HOST.arn), allowAws(HOST.arn, {Action: 'sts:TagSession'}))
    expect(statementsFor(trust, HOST).map((statement) => statement.index)).toEqual([0])
    expect(statementsFor(trust, HOST, 'sts:TagSession').map((statement) => statement.index)).toEqual([1])
  })

  it('a service caller, with the request context the service sends', () => {
    const trust = doc(allowService('elasticmapreduce.amazonaws.com'), {
      Effect: 'Deny',
      Principal: {Service: 'elasticmapreduce.amazonaws.com'},
      Action: 'sts:AssumeRole',
      Condition: {StringNotEquals: {'aws:SourceAccount': '123456789012'}},
    })
    expect(evaluateAssume(trust, EMR, {'aws:SourceAccount': ['123456789012']}).decision).toBe('allow')
    expect(evaluateAssume(trust, EMR, {'aws:SourceAccount': ['999999999999']}).decision).toBe('explicit-deny')
    expect(evaluateAssume(trust, {service: 'ec2.amazonaws.com'}, {}).decision).toBe('implicit-deny')
  })
})
