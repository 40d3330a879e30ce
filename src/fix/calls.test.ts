import {describe, expect, it} from 'vitest'
import {transitionCalls} from './calls.js'
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
