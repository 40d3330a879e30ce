import {describe, expect, it} from 'vitest'
import {ACCOUNT, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
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
})
