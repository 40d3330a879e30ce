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
})
