import {describe, expect, it} from 'vitest'
import type {Change, TargetState} from './types.js'
import {leftByChange, undoCalls} from './undo.js'

const V2 = 'for-use-with-amazon-emr-managed-policies'

function change(kind: Change['kind'], extra: Partial<Change> = {}): Change {
  return {
    id: 'abcdefabcdef',
    kind,
    account: '123456789012',
    region: 'us-east-1',
    target: {type: 'iam-role', id: 'svc', name: 'svc'},
    ruleIds: [],
    findings: [],
    summary: '',
    calls: [],
    before: {kind: 'tags', tags: []},
    after: {kind: 'tags', tags: []},
    autoApply: 'yes',
    guards: [],
    disposition: 'apply',
    ...extra,
  }
}

/** The undo of a change whose before is `before`, from the target read as `current`. */
const undo = (kind: Change['kind'], before: TargetState, current: TargetState, extra: Partial<Change> = {}) =>
  undoCalls(change(kind, {...extra, before}), current)

describe('undo calls', () => {
  it('never sends a write the change kind does not declare as its inverse', () => {
    // Recreating a deleted profile is no undo of a change that only creates one.
    expect(
      undo(
        'instance-profile',
        {kind: 'instance-profile', exists: true, roles: ['old']},
        {kind: 'instance-profile', exists: false, roles: []},
        {target: {type: 'iam-instance-profile', id: 'ec2-role', name: 'ec2-role'}},
      ),
    ).toBe('undoing it would send iam:CreateInstanceProfile, which no remediation declares as an inverse for instance-profile changes')
  })

  it('removes an added EC2 tag (only while it has our value) and puts back a changed one', () => {
    const calls = undo(
      'tag-ec2-resource',
      {
        kind: 'tags',
        tags: [
          {key: 'a', value: '1'},
          {key: V2, value: 'True'},
        ],
      },
      {
        kind: 'tags',
        tags: [
          {key: 'a', value: '1'},
          {key: V2, value: 'true'},
          {key: 'new', value: 'x'},
        ],
      },
      {target: {type: 'ec2-subnet', id: 'subnet-1'}},
    )
    expect(calls).toEqual([
      {operation: 'ec2:DeleteTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: 'new', Value: 'x'}]}},
      {operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: V2, Value: 'True'}]}},
    ])
  })

  it('untags a secret by its ARN', () => {
    expect(
      undo(
        'tag-secret',
        {kind: 'tags', tags: []},
        {kind: 'tags', tags: [{key: V2, value: 'true'}]},
        {target: {type: 'secret', id: 'emr-studio-git', arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr-studio-git-AbCdEf'}},
      ),
    ).toEqual([
      {
        operation: 'secretsmanager:UntagResource',
        parameters: {SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr-studio-git-AbCdEf', TagKeys: [V2]},
      },
    ])
  })

  it('deletes an inline policy it created, restores one it grew', () => {
    const grown = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'iam:PassRole', Resource: 'a'}]}
    expect(
      undo('put-role-policy', {kind: 'policy-document', document: null}, {kind: 'policy-document', document: grown}, {policyName: 'emr-audit-passrole'}),
    ).toEqual([{operation: 'iam:DeleteRolePolicy', parameters: {RoleName: 'svc', PolicyName: 'emr-audit-passrole'}}])
    expect(
      undo(
        'put-role-policy',
        {kind: 'policy-document', document: grown},
        {kind: 'policy-document', document: {...grown, Statement: []}},
        {policyName: 'emr-audit-passrole'},
      ),
    ).toEqual([{operation: 'iam:PutRolePolicy', parameters: {RoleName: 'svc', PolicyName: 'emr-audit-passrole', PolicyDocument: JSON.stringify(grown)}}])
  })

  it('puts the old trust policy back', () => {
    const trust = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}]}
    expect(undo('update-trust-policy', {kind: 'policy-document', document: trust}, {kind: 'policy-document', document: {}})).toEqual([
      {operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 'svc', PolicyDocument: JSON.stringify(trust)}},
    ])
  })

  it('empties and deletes a profile it created; puts back a role it replaced', () => {
    const target = {type: 'iam-instance-profile' as const, id: 'ec2-role'}
    expect(
      undo('instance-profile', {kind: 'instance-profile', exists: false, roles: []}, {kind: 'instance-profile', exists: true, roles: ['ec2-role']}, {target}),
    ).toEqual([
      {operation: 'iam:RemoveRoleFromInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'ec2-role'}},
      {operation: 'iam:DeleteInstanceProfile', parameters: {InstanceProfileName: 'ec2-role'}},
    ])
    expect(
      undo(
        'instance-profile',
        {kind: 'instance-profile', exists: true, roles: ['old']},
        {kind: 'instance-profile', exists: true, roles: ['ec2-role']},
        {target},
      ),
    ).toEqual([
      {operation: 'iam:RemoveRoleFromInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'ec2-role'}},
      {operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'old'}},
    ])
  })

  it('deletes the service-linked role AWS named when it was created', () => {
    expect(
      undo('create-service-linked-role', {kind: 'service-linked-role', roles: []}, {kind: 'service-linked-role', roles: ['AWSServiceRoleForEC2Spot']}),
    ).toEqual([{operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: 'AWSServiceRoleForEC2Spot'}}])
  })

  it('sends the whole old block public access configuration back, and refuses when there was none', () => {
    expect(
      undo(
        'put-block-public-access',
        {kind: 'block-public-access', blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}, {min: 8443}]},
        {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}, {min: 8443}]},
      ),
    ).toEqual([
      {
        operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
        parameters: {
          BlockPublicAccessConfiguration: {
            BlockPublicSecurityGroupRules: false,
            PermittedPublicSecurityGroupRuleRanges: [{MinRange: 22, MaxRange: 22}, {MinRange: 8443}],
          },
        },
      },
    ])
    expect(
      undo(
        'put-block-public-access',
        {kind: 'block-public-access', blockPublicSecurityGroupRules: null, permittedRanges: []},
        {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: []},
      ),
    ).toMatch(/cannot be sent/)
  })
})

describe('a state the change left', () => {
  const linked = (roles: string[]): TargetState => ({kind: 'service-linked-role', roles})
  const profile = (exists: boolean, roles: string[]): TargetState => ({kind: 'instance-profile', exists, roles})

  it('is one new service-linked role, whatever AWS named it; none or two are not', () => {
    const created = change('create-service-linked-role', {before: linked([]), after: linked(['AWSServiceRoleForEC2Spot'])})
    expect(leftByChange(created, linked(['AWSServiceRoleForEC2Spot']))).toBe(true)
    expect(leftByChange(created, linked(['AWSServiceRoleForEC2Spot_1']))).toBe(true)
    expect(leftByChange(created, linked([]))).toBe(false)
    expect(leftByChange(created, linked(['AWSServiceRoleForEC2Spot', 'AWSServiceRoleForEC2Spot_1']))).toBe(false)
    const beside = change('create-service-linked-role', {before: linked(['old']), after: linked(['old', 'AWSServiceRoleForEC2Spot'])})
    expect(leftByChange(beside, linked(['old', 'new']))).toBe(true)
    expect(leftByChange(beside, linked(['old']))).toBe(false)
  })

  it('is a created profile still empty (the role never went in) or holding the role, never another role', () => {
    const created = change('instance-profile', {before: profile(false, []), after: profile(true, ['ec2-role'])})
    expect(leftByChange(created, profile(true, ['ec2-role']))).toBe(true)
    expect(leftByChange(created, profile(true, []))).toBe(true)
    expect(leftByChange(created, profile(true, ['other']))).toBe(false)
    expect(leftByChange(created, profile(false, []))).toBe(false)
    // A profile that existed before and is empty now was not left so by adding a role to it.
    const filled = change('instance-profile', {before: profile(true, []), after: profile(true, ['ec2-role'])})
    expect(leftByChange(filled, profile(true, []))).toBe(false)
  })

  it('is decided, not a crash, for a change whose before was no service-linked role', () => {
    // Such a change fails the journal's checks; a TypeError here would instead stop the rollback of every other entry.
    const odd = change('create-service-linked-role', {before: {kind: 'tags', tags: []}, after: linked(['AWSServiceRoleForEC2Spot'])})
    expect(() => leftByChange(odd, linked(['AWSServiceRoleForEC2Spot']))).not.toThrow()
  })

  it('is no empty profile for a change whose before was not a profile (rollback refuses rather than guess)', () => {
    const odd = change('instance-profile', {before: {kind: 'tags', tags: []}, after: profile(true, ['ec2-role'])})
    expect(leftByChange(odd, profile(true, []))).toBe(false)
    expect(leftByChange(odd, profile(true, ['ec2-role']))).toBe(true)
  })

  it("is otherwise exactly the change's after", () => {
    const tagged = change('tag-ec2-resource', {before: {kind: 'tags', tags: []}, after: {kind: 'tags', tags: [{key: V2, value: 'true'}]}})
    expect(leftByChange(tagged, {kind: 'tags', tags: [{key: V2, value: 'true'}]})).toBe(true)
    expect(leftByChange(tagged, {kind: 'tags', tags: []})).toBe(false)
    expect(leftByChange(tagged, {kind: 'tags', tags: [{key: V2, value: 'false'}]})).toBe(false)
  })
})
