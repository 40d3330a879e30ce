/**
 * Trust policies of service roles. Expected answers:
 * - a service is trusted when an Allow names its service principal for sts:AssumeRole, and an explicit Deny that
 *   reaches it (by naming it, by `"*"`, or by a NotPrincipal that does not list it) wins
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 * - an account principal is written as the 12-digit id or `arn:<partition>:iam::<id>:root`, and IAM shows the
 *   unique id (`AROA…`, `AIDA…`) of a role or user that was deleted after the policy named it
 *   (same principal page; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
 */
import {describe, expect, it} from 'vitest'
import {allowAws, allowService, doc} from '../../test/fixtures/inventory.js'
import {statementsOf} from './document.js'
import {
  accountOfAwsPrincipal,
  awsPrincipalsOf,
  describeStatement,
  ec2Principals,
  emrPrincipals,
  isUniqueIdPrincipal,
  servicePrincipalsOf,
  serviceTrust,
} from './trust.js'

const EMR = 'elasticmapreduce.amazonaws.com'
const EC2 = 'ec2.amazonaws.com'
const ACCOUNT = '111122223333'
const CONDITION = {Condition: {StringNotEquals: {'aws:SourceAccount': ACCOUNT}}}
const denyService = (service: string, extra: object = {}) => ({Effect: 'Deny', Principal: {Service: service}, Action: 'sts:AssumeRole', ...extra})

describe('service principals of a partition', () => {
  // REQUIREMENTS.md's glossary: the China partition's EMR principal ends in `.cn`; EC2's `.cn` form is accepted.
  it('EMR: the .cn form only in aws-cn', () => {
    expect(emrPrincipals('aws')).toEqual([EMR])
    expect(emrPrincipals('aws-us-gov')).toEqual([EMR])
    expect(emrPrincipals('aws-cn')).toEqual([`${EMR}.cn`, EMR])
  })

  it('EC2: both forms', () => {
    expect(ec2Principals()).toEqual([EC2, `${EC2}.cn`])
  })
})

describe('principals of a statement', () => {
  const [services, accounts, everyone, notPrincipal] = statementsOf(
    doc(
      allowService([EMR, EC2]),
      allowAws([ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/a`]),
      {Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole'},
      {Effect: 'Deny', NotPrincipal: {AWS: ACCOUNT}, Action: 'sts:AssumeRole'},
    ),
  )

  it('Service and AWS entries, each empty when the statement has none', () => {
    expect(servicePrincipalsOf(services!)).toEqual([EMR, EC2])
    expect(awsPrincipalsOf(services!)).toEqual([])
    expect(awsPrincipalsOf(accounts!)).toEqual([ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/a`])
    expect(servicePrincipalsOf(accounts!)).toEqual([])
  })

  it('"*" is the AWS principal "*"; NotPrincipal is not a principal', () => {
    expect(awsPrincipalsOf(everyone!)).toEqual(['*'])
    expect(awsPrincipalsOf(notPrincipal!)).toEqual([])
    expect(servicePrincipalsOf(notPrincipal!)).toEqual([])
  })
})

describe('serviceTrust', () => {
  it('an Allow naming the service trusts it', () => {
    const trust = serviceTrust(doc(allowService(EMR)), [EMR])
    expect(trust.trusted).toBe(true)
    expect(trust.allowing.map((statement) => statement.index)).toEqual([0])
    expect(trust.cancelling).toEqual([])
    expect(trust.conditionalDenies).toEqual([])
  })

  it.each<[string, object[], boolean]>([
    ['one of several services in the Allow', [allowService([EC2, EMR])], true],
    ['any of the principals asked for (the .cn form)', [allowService(`${EMR}.cn`)], true],
    ['another service only', [allowService(EC2)], false],
    ['another action only', [allowService(EMR, {Action: 'sts:TagSession'})], false],
    ['an AWS principal only', [allowAws(`arn:aws:iam::${ACCOUNT}:root`)], false],
    ['a Deny naming the service and no Allow', [denyService(EMR)], false],
    ['no statement', [], false],
  ])('%s → trusted: %s', (_label, statements, trusted) => {
    expect(serviceTrust(doc(...statements), [EMR, `${EMR}.cn`]).trusted).toBe(trusted)
  })

  it('an unreadable trust policy trusts no one', () => {
    expect(serviceTrust(null, [EMR]).trusted).toBe(false)
  })

  it('asks about the action given', () => {
    const trust = doc(allowService(EMR, {Action: ['sts:AssumeRole', 'sts:SetSourceIdentity']}))
    expect(serviceTrust(trust, [EMR], 'sts:SetSourceIdentity').trusted).toBe(true)
    expect(serviceTrust(trust, [EMR], 'sts:TagSession').trusted).toBe(false)
  })

  it('only Allows that name the service are listed as allowing', () => {
    const trust = serviceTrust(
      doc(
        allowService(EC2),
        {Effect: 'Allow', NotPrincipal: {AWS: `arn:aws:iam::${ACCOUNT}:role/a`}, Action: 'sts:AssumeRole'},
        allowService(EMR),
        denyService(EMR, CONDITION),
      ),
      [EMR],
    )
    expect(trust.allowing.map((statement) => statement.index)).toEqual([2])
  })

  it.each<[string, object, boolean]>([
    ['an unconditional Deny naming the service', denyService(EMR), true],
    ['a Deny to every principal ("*")', {Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole'}, true],
    ['a Deny with NotPrincipal listing only an AWS account', {Effect: 'Deny', NotPrincipal: {AWS: ACCOUNT}, Action: 'sts:AssumeRole'}, true],
    ['a Deny with NotPrincipal listing the service', {Effect: 'Deny', NotPrincipal: {Service: EMR}, Action: 'sts:AssumeRole'}, false],
    ['a Deny naming another service', denyService(EC2), false],
    ['a Deny naming an AWS principal', {Effect: 'Deny', Principal: {AWS: `arn:aws:iam::${ACCOUNT}:role/a`}, Action: 'sts:AssumeRole'}, false],
    ['a Deny of another action', denyService(EMR, {Action: 'sts:TagSession'}), false],
  ])('%s cancels the trust: %s', (_label, denyStatement, cancels) => {
    const trust = serviceTrust(doc(allowService(EMR), denyStatement), [EMR])
    expect(trust.trusted).toBe(!cancels)
    expect(trust.cancelling.map((statement) => statement.index)).toEqual(cancels ? [1] : [])
    expect(trust.allowing.map((statement) => statement.index)).toEqual([0])
  })

  it('a Deny under a condition does not cancel the trust, and is reported apart', () => {
    const trust = serviceTrust(doc(allowService(EMR), denyService(EMR, CONDITION), denyService(EMR)), [EMR])
    expect(trust.trusted).toBe(false)
    expect(trust.cancelling.map((statement) => statement.index)).toEqual([2])
    expect(trust.conditionalDenies.map((statement) => statement.index)).toEqual([1])
    const conditionalOnly = serviceTrust(doc(allowService(EMR), denyService(EMR, CONDITION)), [EMR])
    expect(conditionalOnly.trusted).toBe(true)
    expect(conditionalOnly.cancelling).toEqual([])
    expect(conditionalOnly.conditionalDenies.map((statement) => statement.index)).toEqual([1])
  })
})

describe('accountOfAwsPrincipal', () => {
  it.each<[string, string | undefined]>([
    [ACCOUNT, ACCOUNT],
    [`arn:aws:iam::${ACCOUNT}:root`, ACCOUNT],
    [`arn:aws-cn:iam::${ACCOUNT}:root`, ACCOUNT],
    [`arn:aws:iam::${ACCOUNT}:role/service-role/EMR_DefaultRole`, ACCOUNT],
    [`arn:aws:sts::${ACCOUNT}:assumed-role/EMR_EC2_DefaultRole/i-0abc123`, ACCOUNT],
    // An account id is exactly twelve digits.
    ['1111222233334', undefined],
    ['*', undefined],
    ['AROADBQP57FF2AEXAMPLE', undefined],
    // A unique id may end in digits: it names no account.
    ['AROAJ7D5ZL111122223333', undefined],
    // The CloudFront origin access identity principal: an ARN whose account field is not an account.
    ['arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E15MNIMTCFKK4C', undefined],
  ])('%s → %s', (principal, account) => {
    expect(accountOfAwsPrincipal(principal)).toBe(account)
  })
})

describe('isUniqueIdPrincipal', () => {
  it.each<[string, boolean]>([
    ['AROADBQP57FF2AEXAMPLE', true],
    ['AIDACKCEVSQ6C2EXAMPLE', true],
    [ACCOUNT, false],
    ['*', false],
    // A role may be named like an id; its ARN still names the role.
    [`arn:aws:iam::${ACCOUNT}:role/AROADBQP57FF2AEXAMPLE`, false],
    // A role session's user id (aws:userid) is not what IAM writes in place of a deleted role.
    ['AROADBQP57FF2AEXAMPLE:i-0abc123', false],
  ])('%s → %s', (principal, expected) => {
    expect(isUniqueIdPrincipal(principal)).toBe(expected)
  })
})

describe('describeStatement', () => {
  it('names every element the statement has, and no other', () => {
    const [full, bare] = statementsOf(
      doc(
        {
          Sid: 'DenyOthers',
          Effect: 'Deny',
          NotPrincipal: {AWS: ACCOUNT},
          NotAction: 'sts:TagSession',
          NotResource: `arn:aws:iam::${ACCOUNT}:role/a`,
          Condition: {Bool: {'aws:SecureTransport': 'false'}},
        },
        {Effect: 'Allow', Principal: {Service: EMR}, Action: 'sts:AssumeRole', Resource: '*'},
      ),
    )
    expect(describeStatement(full!)).toStrictEqual({
      index: 0,
      sid: 'DenyOthers',
      effect: 'Deny',
      notPrincipal: {AWS: [ACCOUNT]},
      notAction: ['sts:TagSession'],
      notResource: [`arn:aws:iam::${ACCOUNT}:role/a`],
      condition: {Bool: {'aws:SecureTransport': ['false']}},
    })
    expect(describeStatement(bare!)).toStrictEqual({index: 1, effect: 'Allow', principal: {Service: [EMR]}, action: ['sts:AssumeRole'], resource: ['*']})
  })
})
