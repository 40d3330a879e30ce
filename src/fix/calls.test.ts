import {describe, expect, it} from 'vitest'
import {changeCalls, transitionCalls} from './calls.js'
import type {CallSubject} from './calls.js'

const profile = (arn?: string): CallSubject => ({
  kind: 'instance-profile',
  target: {type: 'iam-instance-profile', id: 'ec2-role', name: 'ec2-role', ...(arn ? {arn} : {})},
})
const absent = {kind: 'instance-profile' as const, exists: false, roles: []}
const holding = {kind: 'instance-profile' as const, exists: true, roles: ['ec2-role']}

describe('the calls between two states', () => {
  it('create an instance profile on the path its ARN names, then put the role in', () => {
    expect(transitionCalls(profile('arn:aws:iam::123456789012:instance-profile/emr/ec2-role'), absent, holding)).toEqual([
      {operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', Path: '/emr/'}},
      {operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'ec2-role'}},
    ])
    // An ARN that does not end in the profile's own name gives no path from it.
    expect(transitionCalls(profile('arn:aws:iam::123456789012:instance-profile/emr/other'), absent, holding)).toContainEqual({
      operation: 'iam:CreateInstanceProfile',
      parameters: {InstanceProfileName: 'ec2-role', Path: '/'},
    })
  })

  it('are none between equal states, and none at all between states of another kind', () => {
    expect(transitionCalls(profile(), holding, {...holding, roles: ['ec2-role']})).toEqual([])
    expect(transitionCalls(profile(), {kind: 'tags', tags: []}, holding)).toMatch(/works on instance-profile states, not tags → instance-profile/)
    // Nothing to send, not a rewrite of the same document.
    const policy = {kind: 'policy-document' as const, document: {Version: '2012-10-17', Statement: []}}
    expect(transitionCalls({kind: 'put-role-policy', target: {type: 'iam-role', id: 'svc'}, policyName: 'p'}, policy, {...policy})).toEqual([])
    // Only the target side of another kind: a secret's tags never turn into an inline policy.
    const secret: CallSubject = {kind: 'tag-secret', target: {type: 'secret', id: 's'}}
    expect(transitionCalls(secret, {kind: 'tags', tags: []}, policy)).toMatch(/works on tags states, not tags → policy-document/)
  })

  it('create only the service-linked roles emr-audit knows, by their service', () => {
    const linked = (name: string): CallSubject => ({kind: 'create-service-linked-role', target: {type: 'iam-role', id: name, name}})
    expect(
      transitionCalls(
        linked('AWSServiceRoleForEC2Spot'),
        {kind: 'service-linked-role', roles: []},
        {kind: 'service-linked-role', roles: ['AWSServiceRoleForEC2Spot']},
      ),
    ).toEqual([{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'spot.amazonaws.com'}}])
    expect(
      transitionCalls(linked('AWSServiceRoleForRDS'), {kind: 'service-linked-role', roles: []}, {kind: 'service-linked-role', roles: ['AWSServiceRoleForRDS']}),
    ).toBe('emr-audit creates no service-linked role named "AWSServiceRoleForRDS"')
  })

  it('never leave a role without a trust policy', () => {
    const trust: CallSubject = {kind: 'update-trust-policy', target: {type: 'iam-role', id: 'svc', name: 'svc'}}
    expect(transitionCalls(trust, {kind: 'policy-document', document: {Statement: []}}, {kind: 'policy-document', document: null})).toBe(
      'a role cannot be left without a trust policy',
    )
  })
})

describe('tag calls', () => {
  const V2 = 'for-use-with-amazon-emr-managed-policies'
  const subnet: CallSubject = {kind: 'tag-ec2-resource', target: {type: 'ec2-subnet', id: 'subnet-1'}}
  const tags = (...pairs: Array<[string, string]>) => ({kind: 'tags' as const, tags: pairs.map(([key, value]) => ({key, value}))})

  // CreateTags overwrites a key's value; DeleteTags with a value deletes the tag only while it has that value:
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
  it('send EC2 only the tags that are new or changed, and delete removed ones by key and value first', () => {
    expect(transitionCalls(subnet, tags(['Name', 'a'], [V2, 'false']), tags(['Name', 'a'], [V2, 'true']))).toEqual([
      {operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: V2, Value: 'true'}]}},
    ])
    expect(transitionCalls(subnet, tags(['Name', 'a'], [V2, 'true']), tags(['Name', 'a']))).toEqual([
      {operation: 'ec2:DeleteTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: V2, Value: 'true'}]}},
    ])
    expect(transitionCalls(subnet, tags(['Old', 'x']), tags(['New', 'y']))).toEqual([
      {operation: 'ec2:DeleteTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: 'Old', Value: 'x'}]}},
      {operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-1'], Tags: [{Key: 'New', Value: 'y'}]}},
    ])
  })

  // TagResource and UntagResource name the secret by ARN or name (SecretId), and untag by key alone:
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UntagResource.html
  it('tag and untag a secret by its ARN, else its id', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'
    const secret: CallSubject = {kind: 'tag-secret', target: {type: 'secret', id: 'db', arn}}
    expect(transitionCalls(secret, tags(['Old', 'x'], [V2, 'false']), tags([V2, 'true']))).toEqual([
      {operation: 'secretsmanager:UntagResource', parameters: {SecretId: arn, TagKeys: ['Old']}},
      {operation: 'secretsmanager:TagResource', parameters: {SecretId: arn, Tags: [{Key: V2, Value: 'true'}]}},
    ])
    expect(transitionCalls({kind: 'tag-secret', target: {type: 'secret', id: 'db'}}, tags([V2, 'true']), tags())).toEqual([
      {operation: 'secretsmanager:UntagResource', parameters: {SecretId: 'db', TagKeys: [V2]}},
    ])
  })
})

describe('instance profile calls', () => {
  const subject = (arn?: string): CallSubject => ({
    kind: 'instance-profile',
    target: {type: 'iam-instance-profile', id: 'ec2-role', name: 'ec2-role', ...(arn ? {arn} : {})},
  })

  it('take the role out before another goes in, and out before the profile is deleted', () => {
    expect(transitionCalls(subject(), {kind: 'instance-profile', exists: true, roles: ['old']}, holding)).toEqual([
      {operation: 'iam:RemoveRoleFromInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'old'}},
      {operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'ec2-role'}},
    ])
    expect(transitionCalls(subject(), holding, absent)).toEqual([
      {operation: 'iam:RemoveRoleFromInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', RoleName: 'ec2-role'}},
      {operation: 'iam:DeleteInstanceProfile', parameters: {InstanceProfileName: 'ec2-role'}},
    ])
    expect(transitionCalls(subject(), {kind: 'instance-profile', exists: true, roles: []}, absent)).toEqual([
      {operation: 'iam:DeleteInstanceProfile', parameters: {InstanceProfileName: 'ec2-role'}},
    ])
  })

  it('create a profile on the root path when its ARN names none, or is not an instance profile ARN', () => {
    for (const arn of [undefined, 'arn:aws:iam::123456789012:instance-profile/ec2-role', 'arn:aws:iam::123456789012:role/emr/ec2-role'])
      expect(transitionCalls(subject(arn), absent, {...absent, exists: true}), String(arn)).toEqual([
        {operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2-role', Path: '/'}},
      ])
  })
})

describe('policy calls', () => {
  const document = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/r'}]}
  const inline: CallSubject = {kind: 'put-role-policy', target: {type: 'iam-role', id: 'AROAEXAMPLE', name: 'svc'}, policyName: 'emr-audit-passrole'}

  // PutRolePolicy and DeleteRolePolicy name the role and the policy; the document is a JSON string:
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePolicy.html
  it('put an inline policy as JSON text, or delete it, on the role by name', () => {
    expect(transitionCalls(inline, {kind: 'policy-document', document: null}, {kind: 'policy-document', document})).toEqual([
      {operation: 'iam:PutRolePolicy', parameters: {RoleName: 'svc', PolicyName: 'emr-audit-passrole', PolicyDocument: JSON.stringify(document)}},
    ])
    expect(transitionCalls(inline, {kind: 'policy-document', document}, {kind: 'policy-document', document: null})).toEqual([
      {operation: 'iam:DeleteRolePolicy', parameters: {RoleName: 'svc', PolicyName: 'emr-audit-passrole'}},
    ])
  })

  it('name a role without a name by its id', () => {
    const unnamed: CallSubject = {kind: 'update-trust-policy', target: {type: 'iam-role', id: 'svc'}}
    expect(transitionCalls(unnamed, {kind: 'policy-document', document: {Statement: []}}, {kind: 'policy-document', document})).toEqual([
      {operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 'svc', PolicyDocument: JSON.stringify(document)}},
    ])
  })
})

describe('service-linked role and block public access calls', () => {
  it('delete the roles that went away, and create none when no role is added', () => {
    const linked: CallSubject = {kind: 'create-service-linked-role', target: {type: 'iam-role', id: 'AWSServiceRoleForEMRCleanup'}}
    expect(transitionCalls(linked, {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']}, {kind: 'service-linked-role', roles: []})).toEqual([
      {operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: 'AWSServiceRoleForEMRCleanup'}},
    ])
    // Undoing a role created beside another deletes the new one only.
    expect(
      transitionCalls(linked, {kind: 'service-linked-role', roles: ['old', 'AWSServiceRoleForEMRCleanup']}, {kind: 'service-linked-role', roles: ['old']}),
    ).toEqual([{operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: 'AWSServiceRoleForEMRCleanup'}}])
    expect(transitionCalls(linked, {kind: 'service-linked-role', roles: ['a']}, {kind: 'service-linked-role', roles: ['b']})).toEqual([
      {operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: 'a'}},
    ])
  })

  // The configuration is sent whole; a range without MaxRange is one port:
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_PutBlockPublicAccessConfiguration.html
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_PortRange.html
  it('send the whole block public access configuration, and never an empty one', () => {
    const bpa: CallSubject = {kind: 'put-block-public-access', target: {type: 'account', id: '123456789012'}}
    const before = {kind: 'block-public-access' as const, blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}, {min: 8443}]}
    expect(transitionCalls(bpa, before, {...before, blockPublicSecurityGroupRules: true})).toEqual([
      {
        operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
        parameters: {
          BlockPublicAccessConfiguration: {
            BlockPublicSecurityGroupRules: true,
            PermittedPublicSecurityGroupRuleRanges: [{MinRange: 22, MaxRange: 22}, {MinRange: 8443}],
          },
        },
      },
    ])
    expect(transitionCalls(bpa, before, {...before, blockPublicSecurityGroupRules: null})).toBe('an empty block public access configuration cannot be sent')
  })
})

describe('a change’s own calls', () => {
  it('are its before-to-after calls, and none when there is no way there', () => {
    const trust: CallSubject = {kind: 'update-trust-policy', target: {type: 'iam-role', id: 'svc'}}
    const document = {Statement: []}
    expect(changeCalls({...trust, before: {kind: 'policy-document', document: null}, after: {kind: 'policy-document', document}})).toEqual([
      {operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 'svc', PolicyDocument: '{"Statement":[]}'}},
    ])
    expect(changeCalls({...trust, before: {kind: 'policy-document', document}, after: {kind: 'policy-document', document: null}})).toEqual([])
  })
})
