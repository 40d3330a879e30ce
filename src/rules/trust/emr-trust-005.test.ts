import {describe, expect, it} from 'vitest'
import {ACCOUNT, allowAws, allowService, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-trust-005.js'

const config = {runtimeRoles: ['runtime']}
const run = (...statements: object[]) => runRule(rule, withRoles(emptyInventory(), role({name: 'runtime', trust: doc(...statements)})), config)

describe('EMR-TRUST-005 no wildcard or foreign principals', () => {
  it.each([
    ['Principal "*"', {Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole'}],
    ['{"AWS": "*"}', allowAws('*')],
    ['a foreign account id', allowAws('999999999999')],
    ['a foreign role ARN in a list', allowAws(['arn:aws:iam::123456789012:role/ok', 'arn:aws:iam::999999999999:role/x'])],
    ['a federated principal', {Effect: 'Allow', Principal: {Federated: 'cognito-identity.amazonaws.com'}, Action: 'sts:AssumeRoleWithWebIdentity'}],
    ['NotPrincipal with Allow', {Effect: 'Allow', NotPrincipal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'sts:AssumeRole'}],
  ])('fails for %s', (_label, statement) => {
    expect(summarise(run(statement))).toEqual(['fail runtime'])
  })

  it.each([
    ['own-account principals', allowAws(['arn:aws:iam::123456789012:role/ec2', '123456789012'])],
    ['a service principal', allowService('elasticmapreduce.amazonaws.com')],
    ['a foreign account restricted by sts:ExternalId', allowAws('999999999999', {Condition: {StringEquals: {'sts:ExternalId': 'x'}}})],
    ['a wildcard restricted by aws:PrincipalOrgID', allowAws('*', {Condition: {StringEquals: {'aws:PrincipalOrgID': 'o-abc'}}})],
    ['a Deny naming anyone', {Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole'}],
  ])('passes for %s', (_label, statement) => {
    expect(summarise(run(statement))).toEqual(['pass runtime'])
  })

  /**
   * Global condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
   * aws:PrincipalAccount / aws:PrincipalOrgID / aws:PrincipalArn describe the caller; a wildcard in the account field of
   * aws:PrincipalArn matches a role of that name in any account. ...IfExists lets a request without the key through
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
   */
  describe('a restricting condition must pin the account or organisation', () => {
    it.each([
      ['aws:PrincipalArn with a wildcard account', allowAws('*', {Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:role/emr-*'}}}), 'fail'],
      ['aws:PrincipalArn "*"', allowAws('*', {Condition: {StringLike: {'aws:PrincipalArn': '*'}}}), 'fail'],
      ['aws:PrincipalAccount of another account', allowAws('*', {Condition: {StringEquals: {'aws:PrincipalAccount': '999999999999'}}}), 'fail'],
      [
        'aws:PrincipalAccount in a list with another account',
        allowAws('*', {Condition: {StringEquals: {'aws:PrincipalAccount': ['123456789012', '999999999999']}}}),
        'fail',
      ],
      ['StringEqualsIfExists aws:PrincipalAccount', allowAws('*', {Condition: {StringEqualsIfExists: {'aws:PrincipalAccount': '123456789012'}}}), 'fail'],
      ['StringNotEquals aws:PrincipalAccount', allowAws('*', {Condition: {StringNotEquals: {'aws:PrincipalAccount': '999999999999'}}}), 'fail'],
      ['sts:ExternalId on "*" (anyone may present it)', allowAws('*', {Condition: {StringEquals: {'sts:ExternalId': 'x'}}}), 'fail'],
      ['aws:PrincipalOrgID with a wildcard', allowAws('*', {Condition: {StringLike: {'aws:PrincipalOrgID': 'o-*'}}}), 'fail'],
      ['aws:PrincipalAccount equal to this account', allowAws('*', {Condition: {StringEquals: {'aws:PrincipalAccount': '123456789012'}}}), 'pass'],
      ['aws:SourceAccount equal to this account', allowAws('*', {Condition: {StringEquals: {'aws:SourceAccount': '123456789012'}}}), 'pass'],
      ['aws:PrincipalArn pinned to this account', allowAws('*', {Condition: {ArnLike: {'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/emr-*'}}}), 'pass'],
      // StringLike's `*` crosses colons, and a role path may hold them (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html):
      // role path /x:123456789012:/ of account 999999999999 matches arn:aws:iam:*:123456789012:*. ArnLike matches field by field.
      [
        'StringLike aws:PrincipalArn with a wildcard before the account',
        allowAws('*', {Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam:*:123456789012:role/*'}}}),
        'fail',
      ],
      [
        'StringLike aws:PrincipalArn with a wildcard partition',
        allowAws('*', {Condition: {StringLike: {'aws:PrincipalArn': 'arn:*:iam::123456789012:role/*'}}}),
        'fail',
      ],
      [
        'ArnLike aws:PrincipalArn with a wildcard region',
        allowAws('*', {Condition: {ArnLike: {'aws:PrincipalArn': 'arn:aws:iam:*:123456789012:role/*'}}}),
        'pass',
      ],
      // Account ids are digits: compared ignoring case they pin as well.
      [
        'StringEqualsIgnoreCase aws:PrincipalAccount equal to this account',
        allowAws('*', {Condition: {StringEqualsIgnoreCase: {'aws:PrincipalAccount': '123456789012'}}}),
        'pass',
      ],
    ])('%s → %s', (_label, statement, expected) => {
      expect(summarise(run(statement))).toEqual([`${expected} runtime`])
    })

    it('names the condition that does not pin', () => {
      const [outcome] = run(allowAws('*', {Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:role/emr-*'}}}))
      expect(outcome?.evidence?.['statements']).toEqual([
        expect.objectContaining({conditionsThatDoNotPin: ['StringLike aws:PrincipalArn arn:aws:iam::*:role/emr-*']}),
      ])
    })

    it('accepts an account listed in trustedAccounts', () => {
      const inventory = withRoles(
        emptyInventory(),
        role({name: 'runtime', trust: doc(allowAws('*', {Condition: {StringEquals: {'aws:PrincipalAccount': '999999999999'}}}))}),
      )
      expect(summarise(runRule(rule, inventory, {...config, trustedAccounts: ['999999999999']}))).toEqual(['pass runtime'])
    })
  })

  it('skips service-linked roles', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'AWSServiceRoleForEMRCleanup', path: '/aws-service-role/elasticmapreduce.amazonaws.com/', trust: doc(allowAws('*'))}),
    )
    expect(runRule(rule, inventory)).toEqual([])
  })
  // Principal element forms: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  it('names each open principal, with its account, in the message and the evidence', () => {
    const [outcome] = run(
      allowAws(['*', 'arn:aws:iam::999999999999:role/x']),
      {Effect: 'Allow', Principal: {Federated: 'cognito-identity.amazonaws.com'}, Action: 'sts:AssumeRoleWithWebIdentity'},
      {Effect: 'Allow', NotPrincipal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'sts:AssumeRole'},
    )
    expect(outcome?.message).toContain(
      'lets any AWS principal ("*"), arn:aws:iam::999999999999:role/x (account 999999999999), federated cognito-identity.amazonaws.com, NotPrincipal with Allow (trusts everyone not listed) assume it',
    )
    expect(outcome?.evidence?.['statements']).toEqual([
      expect.objectContaining({index: 0, openTo: ['any AWS principal ("*")', 'arn:aws:iam::999999999999:role/x (account 999999999999)']}),
      expect.objectContaining({index: 1, openTo: ['federated cognito-identity.amazonaws.com']}),
      expect.objectContaining({index: 2, openTo: ['NotPrincipal with Allow (trusts everyone not listed)']}),
    ])
    const statements = outcome?.evidence?.['statements'] as Array<Record<string, unknown>>
    for (const statement of statements) expect(statement).not.toHaveProperty('conditionsThatDoNotPin')
  })

  it('says so on a pass', () => {
    expect(run(allowService('elasticmapreduce.amazonaws.com'))[0]?.message).toBe(
      'Trust of runtime names no wildcard, foreign or federated principal without a restricting condition.',
    )
  })

  // An ExternalId is for a named third-party account (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html):
  // a web identity provider's callers do not present one.
  it('does not take sts:ExternalId as pinning a federated principal', () => {
    const federated = {
      Effect: 'Allow',
      Principal: {Federated: 'cognito-identity.amazonaws.com'},
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {StringEquals: {'sts:ExternalId': 'x'}},
    }
    expect(summarise(run(federated))).toEqual(['fail runtime'])
  })

  it('is unknown when the trust document was not collected or could not be parsed', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'runtime', trust: null}))
    expect(runRule(rule, inventory, config)[0]).toMatchObject({status: 'unknown', message: 'Could not read the trust policy of runtime: not collected.'})
    inventory.iam.roles[0]!.trustPolicyParseError = 'policy document is not valid JSON'
    expect(runRule(rule, inventory, config)[0]?.message).toBe('Could not read the trust policy of runtime: policy document is not valid JSON.')
  })

  it('skips any service-linked role path, also when the role is named in the config', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'runtime', path: '/aws-service-role/other.amazonaws.com/', trust: doc(allowAws('*'))}))
    expect(runRule(rule, inventory, config)).toEqual([])
  })

  it('is critical for a configured role, scoped to its class', () => {
    expect(run(allowAws('*'))[0]).toMatchObject({severity: 'critical', scope: [expect.objectContaining({class: 'RUNTIME', via: 'config'})]})
  })
})
