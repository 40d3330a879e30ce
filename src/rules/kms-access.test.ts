/**
 * canUseKey, table-driven from the KMS Developer Guide:
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html (the key policy is the
 * primary control; the account root principal delegates to IAM)
 * https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html (a key
 * in another account needs both its key policy and the caller's IAM policies to allow)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html (explicit deny wins;
 * a resource-based grant to a role ARN is limited by an implicit deny in the permissions boundary)
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT, doc, emptyInventory, managedPolicy, REGION, role, roleArn, withRoles} from '../../test/fixtures/inventory.js'
import type {KmsKey, PolicyDocument} from '../inventory/schema.js'
import {buildIndex} from './inventory-index.js'
import {canUseKey, keyInRegion, type KeyUse} from './kms-access.js'

const OTHER = '999988887777'
const ACTION = 'kms:GenerateDataKey'
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundary`
const keyIn = (account: string) => `arn:aws:kms:${REGION}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`

const grantTo = (principal: string, extra: object = {}) => ({Effect: 'Allow', Principal: {AWS: principal}, Action: 'kms:*', Resource: '*', ...extra})
const rootOf = (account: string) => `arn:aws:iam::${account}:root`
const iamAllow = doc({Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '*'})
const iamDeny = doc({Effect: 'Deny', Action: 'kms:*', Resource: '*'})
const iamNothing = doc({Effect: 'Allow', Action: 's3:GetObject', Resource: '*'})

interface KeyCase {
  name: string
  keyAccount: string
  keyPolicy: PolicyDocument
  inline?: PolicyDocument
  boundary?: PolicyDocument
  tags?: Array<{key: string; value: string}>
  /** The key as configured, when not by its ARN (the inventory then may or may not know the ARN). */
  key?: Pick<KmsKey, 'reference' | 'arn'>
  expected: KeyUse
}

function decide(testCase: KeyCase): KeyUse {
  const subject = role({name: 'EMR_EC2_Role', inline: testCase.inline ? {app: testCase.inline} : {}, ...(testCase.boundary ? {boundary: BOUNDARY} : {})})
  subject.tags = testCase.tags ?? []
  const inventory = withRoles(emptyInventory(), subject)
  if (testCase.boundary) inventory.iam.policies.push(managedPolicy(BOUNDARY, testCase.boundary))
  const key: KmsKey = {
    ...(testCase.key ?? {reference: keyIn(testCase.keyAccount), arn: keyIn(testCase.keyAccount)}),
    region: REGION,
    found: true,
    policy: testCase.keyPolicy,
  }
  return canUseKey(subject, key, ACTION, ACCOUNT, buildIndex(inventory))
}

const me = roleArn('EMR_EC2_Role')
const cases: KeyCase[] = [
  {name: 'same account: a key-policy grant to the role suffices', keyAccount: ACCOUNT, keyPolicy: doc(grantTo(me)), inline: iamNothing, expected: 'allow'},
  {
    name: 'same account: an identity explicit deny overrides a direct grant',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    inline: iamDeny,
    expected: 'deny',
  },
  {
    name: 'same account: a boundary explicit deny overrides a direct grant',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    boundary: doc({Effect: 'Allow', Action: '*', Resource: '*'}, {Effect: 'Deny', Action: 'kms:*', Resource: '*'}),
    expected: 'deny',
  },
  {
    name: 'same account: a boundary without kms limits a grant to the role ARN',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    boundary: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}),
    expected: 'deny',
  },
  {
    name: 'same account: a boundary allowing kms leaves the direct grant',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    boundary: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*'}),
    expected: 'allow',
  },
  {
    name: 'same account: a conditional identity deny makes a direct grant unknown',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    inline: doc({Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}}),
    expected: 'unknown',
  },
  {
    name: 'same account: the root principal delegates to IAM, which allows',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(rootOf(ACCOUNT))),
    inline: iamAllow,
    expected: 'allow',
  },
  {
    name: 'same account: the root principal delegates to IAM, which does not allow',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(rootOf(ACCOUNT))),
    inline: iamNothing,
    expected: 'deny',
  },
  {
    name: 'same account: the key policy grants neither role nor account',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(roleArn('someone-else'))),
    inline: iamAllow,
    expected: 'deny',
  },
  {
    name: 'same account: the key policy denies the role',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(rootOf(ACCOUNT)), {Effect: 'Deny', Principal: {AWS: me}, Action: 'kms:*', Resource: '*'}),
    inline: iamAllow,
    expected: 'deny',
  },
  {
    name: 'issue 13 item 5: another account grants the role, but its IAM policies do not allow',
    keyAccount: OTHER,
    keyPolicy: doc(grantTo(me)),
    inline: iamNothing,
    expected: 'deny',
  },
  {name: 'another account grants the role and its IAM policies allow', keyAccount: OTHER, keyPolicy: doc(grantTo(me)), inline: iamAllow, expected: 'allow'},
  {
    name: "another account grants the role's account, and its IAM policies allow",
    keyAccount: OTHER,
    keyPolicy: doc(grantTo(rootOf(ACCOUNT))),
    inline: iamAllow,
    expected: 'allow',
  },
  {
    name: 'another account grants only its own root: the role gets nothing',
    keyAccount: OTHER,
    keyPolicy: doc(grantTo(rootOf(OTHER))),
    inline: iamAllow,
    expected: 'deny',
  },
  {
    name: 'another account grants the role; an identity explicit deny wins',
    keyAccount: OTHER,
    keyPolicy: doc(grantTo(me)),
    inline: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*'}, {Effect: 'Deny', Action: 'kms:GenerateDataKey', Resource: '*'}),
    expected: 'deny',
  },
  {
    name: 'another account grants the role; the boundary does not allow kms',
    keyAccount: OTHER,
    keyPolicy: doc(grantTo(me)),
    inline: iamAllow,
    boundary: doc({Effect: 'Allow', Action: 's3:*', Resource: '*'}),
    expected: 'deny',
  },
  {
    name: 'a conditional key-policy grant is unknown',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me, {Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}})),
    inline: iamAllow,
    expected: 'unknown',
  },
  {
    name: 'a conditional key-policy grant with an identity explicit deny is denied',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me, {Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}})),
    inline: iamDeny,
    expected: 'deny',
  },
  // A Deny with NotPrincipal denies every principal it does not list
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
  {
    name: 'the key policy denies everyone but an admin role (NotPrincipal): the role is denied',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me), {Effect: 'Deny', NotPrincipal: {AWS: roleArn('key-admin')}, Action: 'kms:*', Resource: '*'}),
    inline: iamAllow,
    expected: 'deny',
  },
  {
    name: 'same account: a conditional boundary deny makes a direct grant unknown',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    boundary: doc(
      {Effect: 'Allow', Action: 'kms:*', Resource: '*'},
      {Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}},
    ),
    expected: 'unknown',
  },
  {
    name: 'same account: a boundary allowing kms only under a condition makes a direct grant unknown',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    boundary: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}}),
    expected: 'unknown',
  },
  {
    name: 'another account grants the role; a conditional identity Allow is unknown',
    keyAccount: OTHER,
    keyPolicy: doc(grantTo(me)),
    inline: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}}),
    expected: 'unknown',
  },
  {
    name: 'a conditional key-policy grant with a boundary explicit deny is denied',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me, {Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}}})),
    boundary: doc({Effect: 'Allow', Action: '*', Resource: '*'}, {Effect: 'Deny', Action: 'kms:*', Resource: '*'}),
    expected: 'deny',
  },
  {
    name: 'another account, the key known by alias: its ARN still says whose it is, and IAM must allow',
    keyAccount: OTHER,
    key: {reference: 'alias/emr', arn: keyIn(OTHER)},
    keyPolicy: doc(grantTo(me)),
    inline: iamNothing,
    expected: 'deny',
  },
  {
    name: 'a key known only by alias is in the scanned account: a grant to the role suffices',
    keyAccount: ACCOUNT,
    key: {reference: 'alias/emr'},
    keyPolicy: doc(grantTo(me)),
    inline: iamNothing,
    expected: 'allow',
  },
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag:
  // aws:PrincipalTag is the tag on the calling role, which the inventory knows.
  {
    name: "an identity Deny conditioned on the role's own tag applies",
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me)),
    inline: doc({Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: {StringEquals: {'aws:PrincipalTag/team': 'data'}}}),
    tags: [{key: 'team', value: 'data'}],
    expected: 'deny',
  },
  // A Deny whose conditions are not known here may apply: the answer is not known either.
  {
    name: 'a conditional key-policy Deny naming the role makes a direct grant unknown',
    keyAccount: ACCOUNT,
    keyPolicy: doc(grantTo(me), {
      Effect: 'Deny',
      Principal: {AWS: me},
      Action: 'kms:*',
      Resource: '*',
      Condition: {StringNotEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}},
    }),
    inline: iamAllow,
    expected: 'unknown',
  },
]

describe('canUseKey', () => {
  it.each(cases)('$name', (testCase) => {
    expect(decide(testCase)).toBe(testCase.expected)
  })

  it('an unread key policy is unknown', () => {
    const subject = role({name: 'EMR_EC2_Role'})
    const key: KmsKey = {reference: keyIn(ACCOUNT), region: REGION, found: true, arn: keyIn(ACCOUNT)}
    expect(canUseKey(subject, key, ACTION, ACCOUNT, buildIndex(withRoles(emptyInventory(), subject)))).toBe('unknown')
  })
})

// https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html and
// https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html: an alias (or key id) is resolved in
// the region of the caller; an ARN names one key in one region.
describe('keyInRegion', () => {
  const key = (reference: string, region: string, arn?: string): KmsKey => ({reference, region, found: true, ...(arn ? {arn} : {})})
  const east = key('alias/emr', 'us-east-1', 'arn:aws:kms:us-east-1:123456789012:key/east')
  const west = key('alias/emr', 'eu-west-1', 'arn:aws:kms:eu-west-1:123456789012:key/west')
  const byArn = key('arn:aws:kms:eu-west-1:123456789012:alias/shared', 'eu-west-1')

  it('resolves an alias or key id in the region where it is used', () => {
    expect(keyInRegion([east, west], 'alias/emr', 'eu-west-1')).toBe(west)
    expect(keyInRegion([east, west], 'alias/emr', 'us-east-1')).toBe(east)
    expect(keyInRegion([east], 'alias/emr', 'ap-south-1')).toBeUndefined()
    expect(keyInRegion([east, west], 'alias/other', 'us-east-1')).toBeUndefined()
  })

  it('finds an ARN in any region, by the reference or by the key ARN', () => {
    expect(keyInRegion([east, west, byArn], 'arn:aws:kms:eu-west-1:123456789012:alias/shared', 'us-east-1')).toBe(byArn)
    expect(keyInRegion([east, west], 'arn:aws:kms:eu-west-1:123456789012:key/west', 'us-east-1')).toBe(west)
  })
})
