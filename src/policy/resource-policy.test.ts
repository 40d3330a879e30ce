/**
 * What a KMS key policy says about one role, before IAM policies are consulted. Expected answers:
 * - the default key policy's `arn:aws:iam::<account>:root` statement (or the bare account id) gives the key to
 *   the account and lets IAM policies decide; a statement naming the role itself grants it directly
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 * - a principal of another account needs the key policy to name its own account or itself
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html);
 * - an explicit Deny wins over any Allow, and a Deny with NotPrincipal reaches every principal it does not list
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 */
import {describe, expect, it} from 'vitest'
import {doc} from '../../test/fixtures/inventory.js'
import {type ResourceGrant, resourcePolicyGrant} from './resource-policy.js'

const ACCOUNT = '111122223333'
const OTHER_ACCOUNT = '444455556666'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/EMR_EC2_DefaultRole`
const ROOT = `arn:aws:iam::${ACCOUNT}:root`
const OTHER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
const CONDITION = {Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}}

const allow = (principal: unknown, extra: object = {}) => ({Effect: 'Allow', Principal: principal, Action: 'kms:*', Resource: '*', ...extra})
const deny = (principal: unknown, extra: object = {}) => ({Effect: 'Deny', Principal: principal, Action: 'kms:*', Resource: '*', ...extra})

function grantOf(...statements: object[]): ResourceGrant {
  return resourcePolicyGrant(doc(...statements), ROLE, ACCOUNT, 'kms:Decrypt', KEY)
}

describe('resourcePolicyGrant: whom an Allow names', () => {
  it.each<[string, object[], ResourceGrant]>([
    ['the default key policy (account root): IAM policies decide', [allow({AWS: ROOT})], 'delegates-to-iam'],
    ['the bare account id, which IAM reads as the account root', [allow({AWS: ACCOUNT})], 'delegates-to-iam'],
    ['the role itself', [allow({AWS: ROLE})], 'direct'],
    ['every principal ("*")', [allow('*')], 'direct'],
    ['another role of the account only', [allow({AWS: `arn:aws:iam::${ACCOUNT}:role/analytics`})], 'none'],
    // A role name may end in digits: it still names that role, never the account.
    ['another role whose name ends in twelve digits', [allow({AWS: `arn:aws:iam::${ACCOUNT}:role/backup-${ACCOUNT}`})], 'none'],
    ['another account, as root or id', [allow({AWS: [OTHER_ROOT, OTHER_ACCOUNT]})], 'none'],
    ['another account beside the role’s own', [allow({AWS: [OTHER_ROOT, ROOT]})], 'delegates-to-iam'],
    ['a service principal only', [allow({Service: 'elasticmapreduce.amazonaws.com'})], 'none'],
    ['no statement at all', [], 'none'],
  ])('%s → %s', (_label, statements, expected) => {
    expect(grantOf(...statements)).toBe(expected)
  })

  it('a key policy in another account that names the role’s account delegates to that account’s IAM policies', () => {
    const foreignKey = `arn:aws:kms:us-east-1:${OTHER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
    const policy = doc(allow({AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root`}), allow({AWS: ROOT}, {Action: ['kms:Decrypt', 'kms:GenerateDataKey*']}))
    expect(resourcePolicyGrant(policy, ROLE, ACCOUNT, 'kms:Decrypt', foreignKey)).toBe('delegates-to-iam')
  })
})

describe('resourcePolicyGrant: which statements apply', () => {
  it.each<[string, object[], ResourceGrant]>([
    ['an Allow for other actions', [allow({AWS: ROLE}, {Action: 'kms:Encrypt'})], 'none'],
    ['an Allow for the action by pattern', [allow({AWS: ROLE}, {Action: 'kms:De*'})], 'direct'],
    ['an Allow on another key only', [allow({AWS: ROLE}, {Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`})], 'none'],
    ['an Allow on this key by ARN', [allow({AWS: ROLE}, {Resource: KEY})], 'direct'],
    ['a Deny for other actions beside the grant', [allow({AWS: ROLE}), deny('*', {Action: 'kms:ScheduleKeyDeletion'})], 'direct'],
    ['a Deny on another key beside the grant', [allow({AWS: ROLE}), deny('*', {Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`})], 'direct'],
  ])('%s → %s', (_label, statements, expected) => {
    expect(grantOf(...statements)).toBe(expected)
  })
})

describe('resourcePolicyGrant: explicit deny and conditions', () => {
  it.each<[string, object[], ResourceGrant]>([
    ['a Deny to everyone overrides a grant to the role', [allow({AWS: ROLE}), deny('*')], 'denied'],
    ['a Deny naming the role overrides the account grant', [allow({AWS: ROOT}), deny({AWS: ROLE})], 'denied'],
    ['a Deny naming the account reaches its roles', [allow({AWS: ROLE}), deny({AWS: ROOT})], 'denied'],
    ['a Deny naming another role leaves the grant', [allow({AWS: ROLE}), deny({AWS: `arn:aws:iam::${ACCOUNT}:role/analytics`})], 'direct'],
    ['a Deny naming another account leaves the grant', [allow({AWS: ROOT}), deny({AWS: OTHER_ROOT})], 'delegates-to-iam'],
    ['a Deny alone grants nothing', [deny('*')], 'denied'],
    ['a conditional Deny beside a grant', [allow({AWS: ROLE}), deny('*', CONDITION)], 'conditional'],
    ['a conditional Deny with no grant', [deny('*', CONDITION)], 'none'],
    ['a conditional Deny beside an unconditional one', [allow({AWS: ROLE}), deny('*', CONDITION), deny({AWS: ROLE})], 'denied'],
    ['a conditional grant to the role', [allow({AWS: ROLE}, CONDITION)], 'conditional'],
    ['a conditional grant to the account', [allow({AWS: ROOT}, CONDITION)], 'conditional'],
    ['a conditional grant to the role beside an unconditional one to the account', [allow({AWS: ROLE}, CONDITION), allow({AWS: ROOT})], 'delegates-to-iam'],
    ['an unconditional grant to the role beside a conditional one to the account', [allow({AWS: ROOT}, CONDITION), allow({AWS: ROLE})], 'direct'],
    // A direct grant needs no IAM policy, so it is the answer when the account is named too.
    ['grants to the account and to the role', [allow({AWS: ROOT}), allow({AWS: ROLE})], 'direct'],
  ])('%s → %s', (_label, statements, expected) => {
    expect(grantOf(...statements)).toBe(expected)
  })
})

describe('resourcePolicyGrant: Deny with NotPrincipal', () => {
  const denyAllBut = (...principals: string[]) => ({Effect: 'Deny', NotPrincipal: {AWS: principals}, Action: 'kms:*', Resource: '*'})

  it.each<[string, object[], ResourceGrant]>([
    // The page's own example: the excepted role is listed with its account.
    ['listing the role and its account spares the role', [allow({AWS: ROLE}), denyAllBut(ROLE, ROOT)], 'direct'],
    ['listing another account denies the role', [allow({AWS: ROLE}), denyAllBut(OTHER_ROOT)], 'denied'],
    [
      'listing another role and the other account denies the role',
      [allow({AWS: ROOT}), denyAllBut(`arn:aws:iam::${OTHER_ACCOUNT}:role/x`, OTHER_ROOT)],
      'denied',
    ],
    ['listing only a service denies every AWS principal', [allow({AWS: ROLE}), {...denyAllBut(), NotPrincipal: {Service: 'kms.amazonaws.com'}}], 'denied'],
    // Without both the role and its account the page says the Deny "might deny access": never a clean grant.
    ['listing the role without its account: the grant is only conditional', [allow({AWS: ROLE}), denyAllBut(ROLE)], 'conditional'],
    ['listing the account without the role: the grant is only conditional', [allow({AWS: ROLE}), denyAllBut(ROOT)], 'conditional'],
    ['listing the bare account id without the role: the grant is only conditional', [allow({AWS: ROOT}), denyAllBut(ACCOUNT)], 'conditional'],
  ])('%s → %s', (_label, statements, expected) => {
    expect(grantOf(...statements)).toBe(expected)
  })
})
