import {describe, expect, it} from 'vitest'
import {statementsOf} from '../../policy/document.js'
import {ACCOUNT, allowService, doc} from '../../../test/fixtures/inventory.js'
import {checkConfusedDeputy, checkDenyProtection, combine, type ConfusedDeputyCheck} from './confused-deputy.js'

const statement = (raw: object) => statementsOf(doc(raw))[0]!
const emr = {account: ACCOUNT, partition: 'aws', service: 'elasticmapreduce'}
const autoscaling = {...emr, service: 'application-autoscaling', resourcePrefix: 'scalable-target/'}
const allow = (condition: object) => statement(allowService('elasticmapreduce.amazonaws.com', {Condition: condition}))
const deny = (condition: object) =>
  statement({Effect: 'Deny', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole', Condition: condition})
const sourceArn = (value: string | string[], expected: Parameters<typeof checkConfusedDeputy>[1] = emr) =>
  checkConfusedDeputy(allow({ArnLike: {'aws:SourceArn': value}}), expected).sourceArn

/**
 * The confused-deputy conditions (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html): aws:SourceAccount
 * is the account id, aws:SourceArn the ARN of the calling resource, arn:partition:service:region:account-id:resource
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). Values of one key are ORed
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html),
 * so one foreign value lets that account in.
 */
describe('checkConfusedDeputy', () => {
  it('reads aws:SourceAccount and aws:SourceArn, keeping their values', () => {
    const check = checkConfusedDeputy(
      allow({StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}),
      emr,
    )
    expect(check).toEqual({
      sourceAccount: 'present',
      sourceArn: 'present',
      values: {sourceAccount: [ACCOUNT], sourceArn: [`arn:aws:elasticmapreduce:*:${ACCOUNT}:*`]},
    })
  })

  it('is wrong when one of several aws:SourceAccount values is another account', () => {
    expect(checkConfusedDeputy(allow({StringEquals: {'aws:SourceAccount': [ACCOUNT, '999999999999']}}), emr).sourceAccount).toBe('wrong')
  })

  it.each([
    ['this account, any region', `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`, 'present'],
    ['another partition', `arn:aws-cn:elasticmapreduce:*:${ACCOUNT}:*`, 'wrong'],
    ['another service', `arn:aws:ec2:*:${ACCOUNT}:*`, 'wrong'],
    ['another account', 'arn:aws:elasticmapreduce:*:999999999999:*', 'wrong'],
    ['not an ARN', '*', 'wrong'],
  ])('aws:SourceArn of %s → %s', (_label, value, expected) => {
    expect(sourceArn(value)).toBe(expected)
  })

  it('is wrong when one of several aws:SourceArn values is another account', () => {
    expect(sourceArn([`arn:aws:elasticmapreduce:*:${ACCOUNT}:*`, 'arn:aws:elasticmapreduce:*:999999999999:*'])).toBe('wrong')
  })

  // Application Auto Scaling's aws:SourceArn names a scalable target
  // (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html).
  it.each([
    ['a scalable target', `arn:aws:application-autoscaling:*:${ACCOUNT}:scalable-target/*`, 'present'],
    ['any resource of the account', `arn:aws:application-autoscaling:*:${ACCOUNT}:*`, 'present'],
    ['another resource type', `arn:aws:application-autoscaling:*:${ACCOUNT}:other/scalable-target/`, 'wrong'],
  ])('with a resource prefix, aws:SourceArn naming %s → %s', (_label, value, expected) => {
    expect(sourceArn(value, autoscaling)).toBe(expected)
  })

  it('is missing when neither key is present', () => {
    expect(checkConfusedDeputy(allow({}), emr)).toEqual({sourceAccount: 'missing', sourceArn: 'missing', values: {sourceAccount: [], sourceArn: []}})
  })
})

describe('checkDenyProtection', () => {
  it('reads the negated operators, keeping their values', () => {
    const check = checkDenyProtection(
      deny({StringNotEquals: {'aws:SourceAccount': ACCOUNT}, ArnNotLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}),
      emr,
    )
    expect(check).toEqual({
      sourceAccount: 'present',
      sourceArn: 'present',
      values: {sourceAccount: [ACCOUNT], sourceArn: [`arn:aws:elasticmapreduce:*:${ACCOUNT}:*`]},
    })
  })

  // Conditions of a statement are ANDed: a Deny that also needs another key to match may never apply.
  it('gives nothing when the Deny is also conditioned on another key', () => {
    const check = checkDenyProtection(
      deny({
        StringNotEquals: {'aws:SourceAccount': ACCOUNT},
        ArnNotLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`},
        Bool: {'aws:SecureTransport': 'false'},
      }),
      emr,
    )
    expect(check).toEqual({sourceAccount: 'missing', sourceArn: 'missing', values: {sourceAccount: [], sourceArn: []}})
  })
})

describe('combine', () => {
  const check = (sourceAccount: ConfusedDeputyCheck['sourceAccount'], values: string[] = []): ConfusedDeputyCheck => ({
    sourceAccount,
    sourceArn: sourceAccount,
    values: {sourceAccount: values, sourceArn: values.map((value) => `arn:${value}`)},
  })

  it.each([
    ['missing', [], 'missing'],
    ['missing', ['missing'], 'missing'],
    ['missing', ['present'], 'present'],
    ['present', [], 'present'],
    ['wrong', [], 'wrong'],
    // A wrong value on the Allow still lets that other account in, whatever a Deny adds.
    ['wrong', ['present'], 'wrong'],
  ] as const)('own %s with denies %j → %s', (own, denies, expected) => {
    const combined = combine(
      check(own),
      denies.map((state) => check(state)),
    )
    expect(combined.sourceAccount).toBe(expected)
    expect(combined.sourceArn).toBe(expected)
  })

  it('keeps the values of the Allow and of every Deny', () => {
    const combined = combine(check('missing', ['a']), [check('present', ['b']), check('present', ['c'])])
    expect(combined.values).toEqual({sourceAccount: ['a', 'b', 'c'], sourceArn: ['arn:a', 'arn:b', 'arn:c']})
  })
})
