/**
 * The confused-deputy conditions: aws:SourceAccount equal to the account and aws:SourceArn like the
 * service's ARNs in it, as AWS documents them for the EMR service role
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html) and for the automatic scaling
 * role (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html).
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT, emptyInventory, role, roleArn, withRoles} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory, PolicyDocument} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import {policySize} from '../state.js'
import trustConditions, {AUTOSCALING_DEPUTY, conditionedFor, conditionedTrust, EMR_DEPUTY} from './trust-conditions.js'

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
    // Nor the other key alone: an aws:SourceArn already there is never rewritten.
    const arnOnly = {ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:us-east-1:${ACCOUNT}:cluster/*`}}
    expect(conditionedTrust(policy(trusting({Service: EMR}, {Condition: arnOnly})), ACCOUNT, 'aws')).toBeUndefined()
  })

  it('keep the ArnLike keys a statement already has beside aws:SourceArn', () => {
    const principalArn = {'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/deployer`}
    expect(conditionedTrust(policy(trusting({Service: EMR}, {Condition: {ArnLike: principalArn}})), ACCOUNT, 'aws')?.document['Statement']).toEqual([
      trusting(
        {Service: EMR},
        {Condition: {ArnLike: {...principalArn, 'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}, StringEquals: EMR_CONDITIONS.StringEquals}},
      ),
    ])
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

describe('the trust change for a role', () => {
  const account = (trust: object, path = '/') => withRoles(emptyInventory(), role({name: 'svc', path, trust: trust as PolicyDocument}))
  const plan = (inventory: Inventory, findings: Finding[]) => trustConditions.plan(findings, {inventory, index: buildIndex(inventory), config: {}})
  const emrFinding = failing('EMR-TRUST-002', 'medium', 'fail', 'svc', {fingerprint: '2'.repeat(32)})
  const scalingFinding = failing('EMR-TRUST-004', 'medium', 'fail', 'svc', {fingerprint: '4'.repeat(32), subKey: 'conditions'})

  it('adds EMR’s conditions to the statement EMR alone is trusted by', () => {
    const {proposals, declined} = plan(account(policy(trusting({Service: EMR}))), [emrFinding])
    expect(declined).toEqual([])
    expect(proposals).toEqual([
      {
        kind: 'update-trust-policy',
        region: 'global',
        target: {type: 'iam-role', id: 'svc', name: 'svc', arn: roleArn('svc')},
        ruleIds: ['EMR-TRUST-002'],
        findings: [emrFinding.fingerprint],
        summary: `Limit EMR's use of svc to account ${ACCOUNT} (aws:SourceAccount, aws:SourceArn)`,
        before: {kind: 'policy-document', document: policy(trusting({Service: EMR}))},
        after: {kind: 'policy-document', document: policy(trusting({Service: EMR}, {Condition: EMR_CONDITIONS}))},
        guards: [{name: 'emrSolePrincipal', held: true, detail: 'EMR is the only principal of the statements changed'}],
      },
    ])
  })

  it('adds both services’ conditions in one change, for both rules', () => {
    const [proposal] = plan(account(policy(trusting({Service: EMR}), trusting({Service: AAS}))), [scalingFinding, emrFinding]).proposals
    expect(proposal).toMatchObject({
      ruleIds: ['EMR-TRUST-002', 'EMR-TRUST-004'],
      findings: [scalingFinding.fingerprint, emrFinding.fingerprint],
      summary: `Limit EMR and Application Auto Scaling's use of svc to account ${ACCOUNT} (aws:SourceAccount, aws:SourceArn)`,
      guards: [{name: 'serviceSolePrincipal', held: true, detail: 'EMR and Application Auto Scaling is the only principal of the statements changed'}],
    })
  })

  it('shows a statement shared with another principal split, with its guard failing', () => {
    const [proposal] = plan(account(policy(trusting({Service: [EMR, 'ec2.amazonaws.com']}))), [emrFinding]).proposals
    expect(proposal?.guards).toEqual([
      {
        name: 'emrSolePrincipal',
        held: false,
        detail: 'a statement trusts EMR together with other principals; the plan shows it split, for a person to check',
      },
    ])
  })

  it('declines what it will not change: a trust naming other sources, a missing principal, an unknown role', () => {
    const otherAccount = {StringEquals: {'aws:SourceAccount': '210987654321'}, ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:210987654321:*'}}
    expect(plan(account(policy(trusting({Service: EMR}, {Condition: otherAccount}))), [emrFinding])).toEqual({
      proposals: [],
      declined: [
        {
          fingerprint: emrFinding.fingerprint,
          why: 'the trust already names other accounts or ARNs in aws:SourceAccount/aws:SourceArn; correct them by hand',
        },
      ],
    })
    const missingPrincipal = failing('EMR-TRUST-004', 'medium', 'fail', 'svc', {fingerprint: '5'.repeat(32), subKey: 'principal'})
    expect(plan(account(policy(trusting({Service: EMR}))), [missingPrincipal, emrFinding])).toMatchObject({
      proposals: [{ruleIds: ['EMR-TRUST-002']}],
      declined: [{fingerprint: missingPrincipal.fingerprint, why: 'adding a principal to a trust widens who may assume the role; it is left to a person'}],
    })
    const elsewhere = failing('EMR-TRUST-002', 'medium', 'fail', 'gone', {fingerprint: '6'.repeat(32)})
    expect(plan(account(policy(trusting({Service: EMR}))), [elsewhere])).toEqual({
      proposals: [],
      declined: [{fingerprint: elsewhere.fingerprint, why: 'the role or its trust policy is not in the inventory'}],
    })
    expect(plan(account(null as unknown as object), [emrFinding]).declined).toEqual([
      {fingerprint: emrFinding.fingerprint, why: 'the role or its trust policy is not in the inventory'},
    ])
  })

  // A role trust policy may be as long as the account's AssumeRolePolicySizeQuota, not longer:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  it("refuses a trust over the account's AssumeRolePolicySizeQuota, and takes one exactly at it", () => {
    const after = policy(trusting({Service: EMR}, {Condition: EMR_CONDITIONS}))
    const sized = (quota: number) => {
      const inventory = account(policy(trusting({Service: EMR})))
      inventory.account.iamQuotas = {AssumeRolePolicySizeQuota: quota}
      return plan(inventory, [emrFinding]).proposals[0]
    }
    const size = policySize(after)
    expect(sized(size)).toMatchObject({after: {kind: 'policy-document', document: after}})
    expect(sized(size)?.refusal).toBeUndefined()
    expect(sized(size - 1)?.refusal).toBe(`the trust policy would be ${size} characters, over the account's AssumeRolePolicySizeQuota of ${size - 1}`)
  })

  it('refuses a service-linked role', () => {
    const [proposal] = plan(account(policy(trusting({Service: EMR})), '/aws-service-role/elasticmapreduce.amazonaws.com/'), [emrFinding]).proposals
    expect(proposal?.refusal).toBe("svc is a service-linked role; its trust is AWS's and is never edited")
  })
})
