import {describe, expect, it} from 'vitest'
import {allowAws, allowService, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
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

  it('skips service-linked roles', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'AWSServiceRoleForEMRCleanup', path: '/aws-service-role/elasticmapreduce.amazonaws.com/', trust: doc(allowAws('*'))}))
    expect(runRule(rule, inventory)).toEqual([])
  })
})
