import {describe, expect, it} from 'vitest'
import {allowAws, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-trust-006.js'

describe('EMR-TRUST-006 trust pointing to deleted roles', () => {
  it('fails for a unique id that matches no role, passes for ARNs and ids of existing roles', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', id: 'AROAEXISTINGROLE0001'}),
      role({name: 'orphaned', trust: doc(allowAws('AROADELETEDROLE00001'))}),
      role({name: 'healthy', trust: doc(allowAws('arn:aws:iam::123456789012:role/ec2'))}),
      role({name: 'by-id', trust: doc(allowAws(['AROAEXISTINGROLE0001']))}),
    )
    const outcomes = runRule(rule, inventory, {runtimeRoles: ['orphaned', 'healthy', 'by-id']})
    // ec2 is in scope too: a configured runtime role trusts it, so it is an EC2 role candidate.
    expect(summarise(outcomes)).toEqual(['pass by-id', 'pass ec2', 'pass healthy', 'fail orphaned'])
    expect(outcomes[3]?.evidence).toEqual({orphanedPrincipals: ['AROADELETEDROLE00001']})
  })
  // IAM shows a deleted principal's unique id in place of its ARN
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
  it('names every orphaned id, and records the ids that still resolve', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', id: 'AROAEXISTINGROLE0001'}),
      role({name: 'mixed', trust: doc(allowAws(['AROAEXISTINGROLE0001', 'AROADELETEDROLE00001', 'AROADELETEDROLE00002']))}),
    )
    const [outcome] = runRule(rule, inventory, {runtimeRoles: ['mixed']}).filter((entry) => entry.resource.id === 'mixed')
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('names AROADELETEDROLE00001, AROADELETEDROLE00002, the unique id')
    expect(outcome?.evidence).toEqual({
      orphanedPrincipals: ['AROADELETEDROLE00001', 'AROADELETEDROLE00002'],
      resolvedPrincipals: [{id: 'AROAEXISTINGROLE0001', role: 'arn:aws:iam::123456789012:role/ec2'}],
    })
  })

  it('passes naming the role, with the resolved ids, at high severity scoped to its classes', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'ec2', id: 'AROAEXISTINGROLE0001'}),
      // Also a default Auto Scaling role name: that class is not this rule's.
      role({name: 'EMR_AutoScaling_DefaultRole', trust: doc(allowAws('AROAEXISTINGROLE0001'))}),
    )
    const outcome = runRule(rule, inventory, {runtimeRoles: ['EMR_AutoScaling_DefaultRole']}).find(
      (entry) => entry.resource.id === 'EMR_AutoScaling_DefaultRole',
    )
    expect(outcome).toMatchObject({
      status: 'pass',
      severity: 'high',
      message: 'Trust of EMR_AutoScaling_DefaultRole names no deleted principal.',
      evidence: {resolvedPrincipals: [{id: 'AROAEXISTINGROLE0001', role: 'arn:aws:iam::123456789012:role/ec2'}]},
    })
    expect(outcome?.scope).toEqual([expect.objectContaining({class: 'RUNTIME', via: 'config'})])
  })

  it('does not pass a role whose trust could not be read', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'runtime', trust: null}))
    expect(runRule(rule, inventory, {runtimeRoles: ['runtime']}).filter((outcome) => outcome.status === 'pass')).toEqual([])
  })
})
