import {describe, expect, it} from 'vitest'
import {ACCOUNT, allowAws, doc, role, roleArn} from '../../../test/fixtures/inventory.js'
import {applicationScopedConfiguration, isAccountRoot, trustedAwsPrincipals} from './pairing.js'

/**
 * A principal of `"AWS": "123456789012"` or `"arn:aws:iam::123456789012:root"` means the whole account, in whichever
 * partition the ARN names: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
describe('isAccountRoot', () => {
  it.each([
    [ACCOUNT, true],
    [`arn:aws:iam::${ACCOUNT}:root`, true],
    [`arn:aws-cn:iam::${ACCOUNT}:root`, true],
    [`arn:aws-us-gov:iam::${ACCOUNT}:root`, true],
    ['999999999999', false],
    ['arn:aws:iam::999999999999:root', false],
    [roleArn('ec2'), false],
    ['AROAEXAMPLEEXAMPLE1', false],
    ['*', false],
  ])('%s → %s', (principal, expected) => {
    expect(isAccountRoot(principal, ACCOUNT)).toBe(expected)
  })
})

/**
 * The security configuration's ApplicationScopedIAMRoleConfiguration, as DescribeSecurityConfiguration shows it:
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
 */
describe('applicationScopedConfiguration', () => {
  const body = (settings: object) => ({
    AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true, ApplicationScopedIAMRoleConfiguration: settings}},
  })
  it.each([
    ['PropagateSourceIdentity true', {PropagateSourceIdentity: true, ExternalId: 'EXT-1'}, {propagateSourceIdentity: true, externalId: 'EXT-1'}],
    ['PropagateSourceIdentity "true" (a JSON string)', {PropagateSourceIdentity: 'true'}, {propagateSourceIdentity: true}],
    ['PropagateSourceIdentity false', {PropagateSourceIdentity: false}, {propagateSourceIdentity: false}],
    ['PropagateSourceIdentity "false"', {PropagateSourceIdentity: 'false'}, {propagateSourceIdentity: false}],
    ['an ExternalId that is not a string', {ExternalId: 42}, {propagateSourceIdentity: false}],
    ['no settings', {}, {propagateSourceIdentity: false}],
  ])('%s', (_label, settings, expected) => {
    expect(applicationScopedConfiguration(body(settings))).toEqual(expected)
  })
  it('reads nothing from a body without an authorization configuration', () => {
    expect(applicationScopedConfiguration({})).toEqual({propagateSourceIdentity: false})
  })
})

describe('trustedAwsPrincipals', () => {
  it('lists the AWS principals of Allow statements only (a Deny trusts no one)', () => {
    const runtime = role({
      name: 'rt',
      trust: doc(allowAws([roleArn('ec2'), ACCOUNT]), {Effect: 'Deny', Principal: {AWS: roleArn('blocked')}, Action: 'sts:AssumeRole'}),
    })
    expect(trustedAwsPrincipals(runtime)).toEqual([roleArn('ec2'), ACCOUNT])
  })
})
