/**
 * The confused-deputy conditions: aws:SourceAccount equal to the account and aws:SourceArn like the
 * service's ARNs in it, as AWS documents them for the EMR service role
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html) and for the automatic scaling
 * role (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html).
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT} from '../../../test/fixtures/inventory.js'
import {AUTOSCALING_DEPUTY, conditionedFor, conditionedTrust, EMR_DEPUTY} from './trust-conditions.js'

const EMR = 'elasticmapreduce.amazonaws.com'
const AAS = 'application-autoscaling.amazonaws.com'
const trusting = (principal: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...extra,
})
const policy = (...statements: object[]) => ({Version: '2012-10-17', Statement: statements})
const EMR_CONDITIONS = {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}
const AAS_CONDITIONS = {
  StringEquals: {'aws:SourceAccount': ACCOUNT},
  ArnLike: {'aws:SourceArn': `arn:aws:application-autoscaling:*:${ACCOUNT}:scalable-target/*`},
}

describe('the confused-deputy conditions on a trust policy', () => {
  it("are added to the statement EMR alone is trusted by, beside conditions it already has, and the policy's other keys", () => {
    const trust = {
      ...policy(trusting({Service: EMR}, {Sid: 'Emr', Condition: {StringEquals: {'sts:ExternalId': 'x'}, Bool: {'aws:SecureTransport': 'true'}}})),
      Id: 'kept',
    }
    expect(conditionedTrust(trust, ACCOUNT, 'aws')).toEqual({
      document: {
        Version: '2012-10-17',
        Id: 'kept',
        Statement: [
          trusting(
            {Service: EMR},
            {
              Sid: 'Emr',
              Condition: {
                StringEquals: {'sts:ExternalId': 'x', 'aws:SourceAccount': ACCOUNT},
                Bool: {'aws:SecureTransport': 'true'},
                ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`},
              },
            },
          ),
        ],
      },
      shared: 0,
    })
  })

  it('name the partition in the source ARN', () => {
    expect(conditionedTrust(policy(trusting({Service: EMR})), ACCOUNT, 'aws-cn')?.document['Statement']).toEqual([
      trusting(
        {Service: EMR},
        {Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws-cn:elasticmapreduce:*:${ACCOUNT}:*`}}},
      ),
    ])
  })

  it('for Application Auto Scaling, name its scalable targets', () => {
    expect(conditionedTrust(policy(trusting({Service: AAS})), ACCOUNT, 'aws', AUTOSCALING_DEPUTY)).toEqual({
      document: policy(trusting({Service: AAS}, {Condition: AAS_CONDITIONS})),
      shared: 0,
    })
  })

  it('are not needed where no Allow of sts:AssumeRole trusts the service, or the conditions are there', () => {
    expect(conditionedTrust(policy(trusting({Service: 'ec2.amazonaws.com'})), ACCOUNT, 'aws')).toBeUndefined()
    expect(conditionedTrust(policy({...trusting({Service: EMR}), Effect: 'Deny'}), ACCOUNT, 'aws')).toBeUndefined()
    expect(conditionedTrust(policy(trusting({Service: EMR}, {Action: 'sts:TagSession'})), ACCOUNT, 'aws')).toBeUndefined()
    expect(conditionedTrust(policy(trusting({Service: EMR}, {Condition: EMR_CONDITIONS})), ACCOUNT, 'aws')).toBeUndefined()
    // One of the two keys already there (naming this account) is not "missing": nothing is added.
    expect(conditionedTrust(policy(trusting({Service: EMR}, {Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}}})), ACCOUNT, 'aws')).toBeUndefined()
  })

  it('move the service out of a statement it shares with another service, into one of its own without the Sid', () => {
    const trust = policy(trusting({Service: ['ec2.amazonaws.com', EMR]}, {Sid: 'Both'}))
    expect(conditionedTrust(trust, ACCOUNT, 'aws')).toEqual({
      document: policy(trusting({Service: 'ec2.amazonaws.com'}, {Sid: 'Both'}), trusting({Service: EMR}, {Condition: EMR_CONDITIONS})),
      shared: 1,
    })
    const three = policy(trusting({Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com', EMR]}))
    expect(conditionedTrust(three, ACCOUNT, 'aws')?.document['Statement']).toEqual([
      trusting({Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com']}),
      trusting({Service: EMR}, {Condition: EMR_CONDITIONS}),
    ])
  })

  it('move the service out of a statement it shares with an account, leaving the account alone there', () => {
    const trust = policy(trusting({Service: EMR, AWS: `arn:aws:iam::${ACCOUNT}:root`}))
    expect(conditionedTrust(trust, ACCOUNT, 'aws')).toEqual({
      document: policy(trusting({AWS: `arn:aws:iam::${ACCOUNT}:root`}), trusting({Service: EMR}, {Condition: EMR_CONDITIONS})),
      shared: 1,
    })
  })

  it('keep both EMR principals of aws-cn together in the statement split off', () => {
    const trust = policy(trusting({Service: [`${EMR}.cn`, EMR, 'ec2.amazonaws.com.cn']}))
    expect(conditionedTrust(trust, ACCOUNT, 'aws-cn')?.document['Statement']).toEqual([
      trusting({Service: 'ec2.amazonaws.com.cn'}),
      trusting(
        {Service: [`${EMR}.cn`, EMR]},
        {Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws-cn:elasticmapreduce:*:${ACCOUNT}:*`}}},
      ),
    ])
  })
})

describe('conditions for several services in turn', () => {
  const both = policy(trusting({Service: EMR}), trusting({Service: AAS}))

  it('add EMR first, then Application Auto Scaling, and name the services that changed something', () => {
    expect(conditionedFor(both, [AUTOSCALING_DEPUTY, EMR_DEPUTY], ACCOUNT, 'aws')).toEqual({
      document: policy(trusting({Service: EMR}, {Condition: EMR_CONDITIONS}), trusting({Service: AAS}, {Condition: AAS_CONDITIONS})),
      shared: 0,
      added: [EMR_DEPUTY, AUTOSCALING_DEPUTY],
    })
  })

  it('add only the services asked for, and name only those that changed something', () => {
    expect(conditionedFor(both, [AUTOSCALING_DEPUTY], ACCOUNT, 'aws')?.added).toEqual([AUTOSCALING_DEPUTY])
    const emrDone = policy(trusting({Service: EMR}, {Condition: EMR_CONDITIONS}), trusting({Service: AAS}))
    expect(conditionedFor(emrDone, [EMR_DEPUTY, AUTOSCALING_DEPUTY], ACCOUNT, 'aws')?.added).toEqual([AUTOSCALING_DEPUTY])
    expect(conditionedFor(emrDone, [EMR_DEPUTY], ACCOUNT, 'aws')).toBeUndefined()
  })

  it('count the statements split for every service', () => {
    const sharing = policy(trusting({Service: [EMR, 'ec2.amazonaws.com']}), trusting({Service: [AAS, 'ec2.amazonaws.com']}))
    expect(conditionedFor(sharing, [EMR_DEPUTY, AUTOSCALING_DEPUTY], ACCOUNT, 'aws')?.shared).toBe(2)
  })
})
