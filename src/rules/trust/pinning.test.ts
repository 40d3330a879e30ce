import {describe, expect, it} from 'vitest'
import {statementsOf} from '../../policy/document.js'
import {ACCOUNT, allowAws, doc} from '../../../test/fixtures/inventory.js'
import {pinning} from './pinning.js'

const accounts = new Set([ACCOUNT])
const pinningOf = (condition: object, crossAccount = false) => pinning(statementsOf(doc(allowAws('*', {Condition: condition})))[0]!, accounts, crossAccount)

/**
 * Global condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) and
 * sts:ExternalId (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html): a key pins
 * only when each of its values (ORed) names one account or organisation.
 */
describe('pinning', () => {
  it.each([
    ['an empty aws:PrincipalOrgID', {StringEquals: {'aws:PrincipalOrgID': ''}}],
    ['aws:PrincipalAccount with no values', {StringEquals: {'aws:PrincipalAccount': []}}],
  ])('%s does not pin', (_label, condition) => {
    expect(pinningOf(condition).pinned).toBe(false)
  })

  it('an organisation id pins', () => {
    expect(pinningOf({StringEquals: {'aws:PrincipalOrgID': 'o-abc'}})).toEqual({pinned: true, loose: []})
  })

  // StringLike's `*` crosses colons only where it stands: one after the account field stays within this account's ARNs.
  it('a StringLike aws:PrincipalArn with a wildcard only in the role name pins', () => {
    expect(pinningOf({StringLike: {'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/emr-*`}}).pinned).toBe(true)
  })

  it.each([
    ['"*"', '*'],
    ['a wildcard pattern', 'abc-?'],
    ['an empty value', ''],
  ])('sts:ExternalId of %s does not pin a named other account', (_label, value) => {
    expect(pinningOf({StringEquals: {'sts:ExternalId': value}}, true).pinned).toBe(false)
  })

  it('a fixed sts:ExternalId pins a named other account, and means nothing otherwise', () => {
    expect(pinningOf({StringEquals: {'sts:ExternalId': 'shared-secret'}}, true).pinned).toBe(true)
    expect(pinningOf({StringEquals: {'sts:ExternalId': 'shared-secret'}}, false)).toEqual({pinned: false, loose: []})
  })

  it('lists every value of a key that does not pin', () => {
    expect(pinningOf({StringEquals: {'aws:PrincipalAccount': [ACCOUNT, '999999999999']}})).toEqual({
      pinned: false,
      loose: [`StringEquals aws:PrincipalAccount ${ACCOUNT}, 999999999999`],
    })
  })
})
