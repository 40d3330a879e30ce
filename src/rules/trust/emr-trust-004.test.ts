import {describe, expect, it} from 'vitest'
import {ACCOUNT, awsPolicyArn, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-trust-004.js'

const both = {Effect: 'Allow', Principal: {Service: ['elasticmapreduce.amazonaws.com', 'application-autoscaling.amazonaws.com']}, Action: 'sts:AssumeRole'}
const run = (...statements: object[]) => runRule(rule, withRoles(emptyInventory(), role({name: 'EMR_AutoScaling_DefaultRole', trust: doc(...statements)})))

describe('EMR-TRUST-004 auto scaling role trusts EMR and Application Auto Scaling', () => {
  it('fails high when a principal is missing', () => {
    const [outcome] = run({Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'})
    expect(outcome).toMatchObject({
      status: 'fail',
      severity: 'high',
      subKey: 'principals',
      evidence: {missingPrincipals: ['application-autoscaling.amazonaws.com']},
    })
  })

  it('fails medium when both are trusted but Application Auto Scaling has no conditions (as create-default-roles makes it)', () => {
    const [outcome] = run(both)
    expect(outcome).toMatchObject({status: 'fail', severity: 'medium', subKey: 'conditions'})
  })

  it('passes with the conditions, and with a partial note for one of them', () => {
    const conditions = {
      StringEquals: {'aws:SourceAccount': ACCOUNT},
      ArnLike: {'aws:SourceArn': `arn:aws:application-autoscaling:*:${ACCOUNT}:scalable-target/*`},
    }
    expect(
      summarise(run(both, {Effect: 'Allow', Principal: {Service: 'application-autoscaling.amazonaws.com'}, Action: 'sts:AssumeRole', Condition: conditions})),
    ).toEqual(['fail EMR_AutoScaling_DefaultRole#conditions'])
    const split = [
      {Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'},
      {Effect: 'Allow', Principal: {Service: 'application-autoscaling.amazonaws.com'}, Action: 'sts:AssumeRole', Condition: conditions},
    ]
    expect(summarise(run(...split))).toEqual(['pass EMR_AutoScaling_DefaultRole#conditions'])
    const [partial] = run(split[0]!, {...split[1], Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}}})
    expect(partial).toMatchObject({status: 'pass', evidence: {partial: true}})
  })
  it('names every missing principal', () => {
    const [outcome] = run({Effect: 'Allow', Principal: {Service: 'application-autoscaling.amazonaws.com'}, Action: 'sts:AssumeRole'})
    expect(outcome?.evidence).toEqual({missingPrincipals: ['elasticmapreduce.amazonaws.com']})
    const [neither] = run({Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'})
    expect(neither?.message).toContain('does not trust elasticmapreduce.amazonaws.com and application-autoscaling.amazonaws.com')
  })

  /**
   * Application Auto Scaling assumes the role with aws:SourceAccount the account and aws:SourceArn a scalable target,
   * arn:aws:application-autoscaling:<region>:<account>:scalable-target/<id>
   * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html).
   */
  describe('conditions on the Application Auto Scaling statement', () => {
    const emr = {Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}
    const autoscaling = (condition: object) => ({
      Effect: 'Allow',
      Principal: {Service: 'application-autoscaling.amazonaws.com'},
      Action: 'sts:AssumeRole',
      Condition: condition,
    })
    const account = {StringEquals: {'aws:SourceAccount': ACCOUNT}}
    const target = {ArnLike: {'aws:SourceArn': `arn:aws:application-autoscaling:*:${ACCOUNT}:scalable-target/*`}}

    it('both: a pass without a partial note, recording each key', () => {
      const [outcome] = run(emr, autoscaling({...account, ...target}))
      expect(outcome?.message).toBe('Auto Scaling role EMR_AutoScaling_DefaultRole trusts both services, with confused-deputy conditions.')
      expect(outcome?.evidence).toEqual({statements: [expect.objectContaining({index: 1, sourceAccount: 'present', sourceArn: 'present'})]})
    })

    it('a scalable-target aws:SourceArn alone is partial', () => {
      const [outcome] = run(emr, autoscaling(target))
      expect(outcome).toMatchObject({
        status: 'pass',
        evidence: {partial: true, statements: [expect.objectContaining({sourceAccount: 'missing', sourceArn: 'present'})]},
      })
      expect(outcome?.message).toContain('only one of aws:SourceAccount / aws:SourceArn')
    })

    it('an aws:SourceArn of another resource type does not count', () => {
      const [outcome] = run(emr, autoscaling({...account, ArnLike: {'aws:SourceArn': `arn:aws:application-autoscaling:*:${ACCOUNT}:other/*`}}))
      expect(outcome).toMatchObject({status: 'pass', evidence: {partial: true, statements: [expect.objectContaining({sourceArn: 'wrong'})]}})
    })

    it('one partial statement among full ones is partial', () => {
      const [outcome] = run(emr, autoscaling({...account, ...target}), autoscaling(account))
      expect(outcome).toMatchObject({status: 'pass', evidence: {partial: true}})
    })

    it('without them, the failure names the account', () => {
      expect(run(both)[0]?.message).toContain(`without aws:SourceAccount ${ACCOUNT}`)
    })
  })

  it('is scoped to the ASG class, and info for a role found only by heuristic', () => {
    expect(run(both)[0]?.scope).toEqual([expect.objectContaining({class: 'ASG', via: 'default-name'})])
    const heuristic = (...statements: object[]) =>
      runRule(
        rule,
        withRoles(emptyInventory(), role({name: 'scaler', trust: doc(...statements), managed: [awsPolicyArn('AmazonElasticMapReduceforAutoScalingRole')]})),
      )
    expect(heuristic(both)[0]).toMatchObject({status: 'fail', subKey: 'conditions', severity: 'info'})
    const autoscalingOnly = {Effect: 'Allow', Principal: {Service: 'application-autoscaling.amazonaws.com'}, Action: 'sts:AssumeRole'}
    expect(heuristic(autoscalingOnly)[0]).toMatchObject({status: 'fail', subKey: 'principals', severity: 'info'})
  })
})
