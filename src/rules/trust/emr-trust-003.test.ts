import {describe, expect, it} from 'vitest'
import {allowService, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-trust-003.js'

describe('EMR-TRUST-003 EC2 role trusts the EC2 principal', () => {
  it('passes for the EC2 principal and fails without it', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_EC2_DefaultRole', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'EMR_EC2_DefaultRole'}]}),
      role({name: 'broken-ec2', trust: doc(allowService('elasticmapreduce.amazonaws.com'))}),
    )
    const outcomes = runRule(rule, inventory, {ec2Roles: ['broken-ec2']})
    expect(summarise(outcomes)).toEqual(['fail broken-ec2', 'pass EMR_EC2_DefaultRole'])
    expect(outcomes[0]?.message).toBe(
      'EC2 role broken-ec2 does not trust the EC2 service principal; add an Allow sts:AssumeRole statement for ec2.amazonaws.com.',
    )
    // EC2 is not asked per cluster region: the pass names none.
    expect(outcomes[1]?.message).toBe('EMR_EC2_DefaultRole trusts the EC2 service principal.')
    expect(outcomes[1]?.evidence).not.toHaveProperty('assumableIn')
  })

  // Service principals per partition: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
  it.each([
    ['aws', 'ec2.amazonaws.com.cn', 'fail'],
    ['aws-cn', 'ec2.amazonaws.com.cn', 'pass'],
    ['aws-cn', 'ec2.amazonaws.com', 'pass'],
    ['aws-us-gov', 'ec2.amazonaws.com', 'pass'],
  ])('in partition %s a trust naming only %s → %s', (partition, principal, expected) => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2', trust: doc(allowService(principal))}))
    inventory.account.partition = partition
    expect(summarise(runRule(rule, inventory, {ec2Roles: ['ec2']}))).toEqual([`${expected} ec2`])
  })
})
