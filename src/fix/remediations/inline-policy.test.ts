import {describe, expect, it} from 'vitest'
import {doc, role, roleArn} from '../../../test/fixtures/inventory.js'
import type {PolicyDocument, Role} from '../../inventory/schema.js'
import {foreignGrantStatement, type Grant, inlinePolicyProposal, type InlinePolicyRequest, isGrantStatement, mergeGrants} from './inline-policy.js'

const TO_EC2 = {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}
const GRANT: Grant = {sid: 'Pass', actions: ['iam:PassRole'], resources: [roleArn('b'), roleArn('a'), roleArn('a')], condition: TO_EC2}
const statement = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Sid: 'Pass',
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: roleArn('old'),
  Condition: TO_EC2,
  ...extra,
})

describe('merging grants into an inline policy', () => {
  it('writes a new policy with one statement per grant, its resources sorted and once each', () => {
    expect(mergeGrants(null, [GRANT, {sid: 'Assume', actions: ['sts:AssumeRole'], resources: [roleArn('r')]}])).toEqual({
      Version: '2012-10-17',
      Statement: [
        {Sid: 'Pass', Effect: 'Allow', Action: ['iam:PassRole'], Resource: [roleArn('a'), roleArn('b')], Condition: TO_EC2},
        // No condition asked, none written.
        {Sid: 'Assume', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [roleArn('r')]},
      ],
    })
  })

  it('grows the statement with the Sid, keeping the rest of the policy as it was', () => {
    const existing = {Version: '2008-10-17', Id: 'kept', Statement: [{Sid: 'Other', Effect: 'Deny', Action: '*', Resource: '*'}, statement()]}
    expect(mergeGrants(existing, [GRANT])).toEqual({
      Version: '2008-10-17',
      Id: 'kept',
      Statement: [
        {Sid: 'Other', Effect: 'Deny', Action: '*', Resource: '*'},
        {...statement(), Resource: [roleArn('a'), roleArn('b'), roleArn('old')]},
      ],
    })
    // The document handed in is left untouched.
    expect(existing.Statement[1]).toEqual(statement())
  })

  it('takes a policy without a Version as the current policy language', () => {
    expect(mergeGrants({Statement: []}, [])).toEqual({Version: '2012-10-17', Statement: []})
  })
})

describe('the statement a grant writes', () => {
  it('is an Allow of exactly its actions (in any order, repeated or not) with exactly its condition', () => {
    expect(isGrantStatement(statement(), GRANT)).toBe(true)
    expect(
      isGrantStatement(statement({Action: ['sts:TagSession', 'sts:AssumeRole', 'sts:AssumeRole']}), {
        sid: 'Pass',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
      }),
    ).toBe(false)
    expect(
      isGrantStatement(statement({Action: ['sts:TagSession', 'sts:AssumeRole', 'sts:AssumeRole'], Condition: undefined}), {
        sid: 'Pass',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
      }),
    ).toBe(true)
  })

  it('is not one with another effect, a wider action, another condition, or a key the grant never writes', () => {
    expect(isGrantStatement(statement({Effect: 'Deny'}), GRANT)).toBe(false)
    expect(isGrantStatement(statement({Action: 'iam:*'}), GRANT)).toBe(false)
    expect(isGrantStatement(statement({Action: ['iam:PassRole', 'iam:GetRole']}), GRANT)).toBe(false)
    expect(isGrantStatement(statement({Condition: undefined}), GRANT)).toBe(false)
    expect(isGrantStatement(statement({Condition: {StringEquals: {'iam:PassedToService': 'lambda.amazonaws.com'}}}), GRANT)).toBe(false)
    expect(isGrantStatement(statement({NotResource: '*'}), GRANT)).toBe(false)
    expect(isGrantStatement(statement({Principal: '*'}), GRANT)).toBe(false)
  })

  it('is named when a policy holds the Sid on another statement, and only then', () => {
    const other = {sid: 'Other', actions: ['sts:AssumeRole']}
    expect(foreignGrantStatement(null, [GRANT])).toBeUndefined()
    expect(foreignGrantStatement({Statement: [statement()]}, [GRANT, other])).toBeUndefined()
    expect(foreignGrantStatement({Statement: [statement({Action: 'iam:*'})]}, [other, GRANT])).toBe('Pass')
    expect(foreignGrantStatement({Statement: ['not a statement', statement({Sid: 'Other'})]}, [GRANT, other])).toBe('Other')
  })
})

describe('the inline policy change', () => {
  const request = (target: Role, extra: Partial<InlinePolicyRequest> = {}): InlinePolicyRequest => ({
    role: target,
    policyName: 'emr-audit-passrole',
    grants: [GRANT],
    ruleIds: ['EMR-PASSROLE-001'],
    findings: ['f'],
    summary: 'Pass',
    guards: [],
    sizeLimit: 10_240,
    ...extra,
  })
  const merged = mergeGrants(null, [GRANT])

  it('creates the policy on the role by name, globally', () => {
    expect(inlinePolicyProposal(request(role({name: 'svc'})))).toEqual({
      kind: 'put-role-policy',
      region: 'global',
      target: {type: 'iam-role', id: 'svc', name: 'svc', arn: roleArn('svc')},
      policyName: 'emr-audit-passrole',
      ruleIds: ['EMR-PASSROLE-001'],
      findings: ['f'],
      summary: 'Pass',
      guards: [],
      before: {kind: 'policy-document', document: null},
      after: {kind: 'policy-document', document: merged},
    })
  })

  it('proposes nothing when the policy already grants everything asked', () => {
    expect(inlinePolicyProposal(request(role({name: 'svc', inline: {'emr-audit-passrole': merged as PolicyDocument}})))).toBeUndefined()
  })

  it('never overwrites an inline policy it could not read', () => {
    const unread = role({name: 'svc'})
    unread.inlinePolicies.push({name: 'emr-audit-passrole', document: null, parseError: 'bad JSON'})
    expect(inlinePolicyProposal(request(unread))).toMatchObject({
      before: {kind: 'policy-document', document: null},
      after: {kind: 'policy-document', document: null},
      refusal: 'the existing inline policy emr-audit-passrole could not be read (bad JSON); it is not overwritten',
    })
    unread.inlinePolicies[0] = {name: 'emr-audit-passrole', document: null}
    expect(inlinePolicyProposal(request(unread))?.refusal).toBe(
      'the existing inline policy emr-audit-passrole could not be read (not collected); it is not overwritten',
    )
  })

  it('never grows a statement with its Sid that is not its own', () => {
    const foreign = doc(statement({Action: 'iam:*'}))
    const proposal = inlinePolicyProposal(request(role({name: 'svc', inline: {'emr-audit-passrole': foreign}})))
    expect(proposal?.after).toEqual({kind: 'policy-document', document: foreign})
    expect(proposal?.refusal).toBe(
      'statement Pass of emr-audit-passrole is not the one emr-audit writes (its Effect, Action or Condition differ); it is not grown: correct or rename it by hand',
    )
  })

  it('never edits a service-linked role', () => {
    expect(inlinePolicyProposal(request(role({name: 'slr', path: '/aws-service-role/elasticmapreduce.amazonaws.com/'})))?.refusal).toBe(
      "slr is a service-linked role; its policies are AWS's and are never edited",
    )
  })

  // RolePolicySizeQuota counts every inline policy of the role together, without white space:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  it("refuses only when the role's inline policies together would pass IAM's limit", () => {
    const size = JSON.stringify(merged).length
    const other = doc({Effect: 'Allow', Action: 's3:GetObject', Resource: '*'})
    const otherSize = JSON.stringify(other).length
    const withOther = role({name: 'svc', inline: {other}})
    expect(inlinePolicyProposal(request(withOther, {sizeLimit: size + otherSize}))?.refusal).toBeUndefined()
    expect(inlinePolicyProposal(request(withOther, {sizeLimit: size + otherSize - 1}))?.refusal).toBe(
      `the role's inline policies would total ${size + otherSize} characters, over IAM's ${size + otherSize - 1}`,
    )
    // The policy being replaced is not counted twice.
    const replacing = role({name: 'svc', inline: {'emr-audit-passrole': doc()}})
    expect(inlinePolicyProposal(request(replacing, {sizeLimit: size}))?.refusal).toBeUndefined()
  })
})
