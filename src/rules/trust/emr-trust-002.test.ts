import {describe, expect, it} from 'vitest'
import {ACCOUNT, allowService, awsPolicyArn, doc, emptyInventory, emrConditions, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-trust-002.js'

const config = {serviceRoles: ['svc']}
const run = (statement: object) => runRule(rule, withRoles(emptyInventory(), role({name: 'svc', trust: doc(statement)})), config)
const EMR = 'elasticmapreduce.amazonaws.com'

describe('EMR-TRUST-002 confused-deputy conditions on EMR trust', () => {
  it('passes with both conditions (region wildcard or a region)', () => {
    expect(summarise(run(allowService(EMR, {Condition: emrConditions})))).toEqual(['pass svc'])
    const regional = {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnEquals: {'aws:SourceArn': `arn:aws:elasticmapreduce:us-east-1:${ACCOUNT}:cluster/*`}}
    expect(summarise(run(allowService(EMR, {Condition: regional})))).toEqual(['pass svc'])
  })

  it('passes with a note when only one condition is present (partial)', () => {
    const [outcome] = run(allowService(EMR, {Condition: {StringEquals: {'AWS:SOURCEACCOUNT': ACCOUNT}}}))
    expect(outcome).toMatchObject({status: 'pass', evidence: {partial: true}})
  })

  it('fails without conditions, and when they name another account', () => {
    expect(summarise(run(allowService(EMR)))).toEqual(['fail svc'])
    const [foreign] = run(allowService(EMR, {Condition: {StringEquals: {'aws:SourceAccount': '999999999999'}}}))
    expect(foreign?.status).toBe('fail')
    expect(foreign?.message).toContain('not this account')
  })

  /**
   * An explicit Deny overrides the Allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
   * so a Deny unless aws:SourceAccount/aws:SourceArn is this account's is the same confused-deputy protection
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
   */
  describe('protection written as a Deny', () => {
    const deny = (condition: object) => ({Effect: 'Deny', Principal: {Service: EMR}, Action: 'sts:AssumeRole', Condition: condition})
    const runTrust = (...statements: object[]) => runRule(rule, withRoles(emptyInventory(), role({name: 'svc', trust: doc(...statements)})), config)
    it('StringNotEquals aws:SourceAccount on a Deny protects an unconditioned Allow (partial: account only)', () => {
      const [outcome] = runTrust(allowService(EMR), deny({StringNotEquals: {'aws:SourceAccount': ACCOUNT}}))
      expect(outcome).toMatchObject({status: 'pass', evidence: {partial: true}})
      expect(outcome?.evidence?.['protectingDenies']).toHaveLength(1)
    })
    it('both keys on the Deny pass in full', () => {
      const [outcome] = runTrust(
        allowService(EMR),
        deny({StringNotEquals: {'aws:SourceAccount': ACCOUNT}, ArnNotLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}),
      )
      expect(outcome?.status).toBe('pass')
      expect(outcome?.evidence?.['partial']).toBeUndefined()
    })
    it('a Deny naming another account, or also conditioned on an unrelated key, does not protect', () => {
      expect(summarise(runTrust(allowService(EMR), deny({StringNotEquals: {'aws:SourceAccount': '999999999999'}})))).toEqual(['fail svc'])
      expect(summarise(runTrust(allowService(EMR), deny({StringNotEquals: {'aws:SourceAccount': ACCOUNT}, Bool: {'aws:SecureTransport': 'false'}})))).toEqual([
        'fail svc',
      ])
    })
  })

  it('records whether EMR is the sole principal of the statement (the apply guard)', () => {
    const [outcome] = run({Effect: 'Allow', Principal: {Service: [EMR, 'datapipeline.amazonaws.com']}, Action: 'sts:AssumeRole'})
    expect(outcome?.evidence?.['guard']).toEqual({emrSolePrincipal: false})
  })

  it('applies to Studio service roles and the notebooks role, not to roles that do not trust EMR', () => {
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'EMR_Notebooks_DefaultRole', trust: doc(allowService(EMR))}),
      role({name: 'EMR_EC2_DefaultRole', trust: doc(allowService('ec2.amazonaws.com'))}),
    )
    expect(summarise(runRule(rule, inventory))).toEqual(['fail EMR_Notebooks_DefaultRole'])
  })
  describe('each key on its own', () => {
    const arnOnly = {ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}
    it('aws:SourceArn alone is partial, and the statement records which key is there', () => {
      const [outcome] = run(allowService(EMR, {Condition: arnOnly}))
      expect(outcome).toMatchObject({status: 'pass', evidence: {partial: true}})
      expect(outcome?.message).toContain('svc')
      expect(outcome?.evidence?.['statements']).toEqual([expect.objectContaining({index: 0, sourceAccount: 'missing', sourceArn: 'present'})])
    })
    it('an aws:SourceArn of another account fails', () => {
      const [outcome] = run(allowService(EMR, {Condition: {ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:999999999999:*'}}}))
      expect(outcome?.status).toBe('fail')
      expect(outcome?.message).toContain(ACCOUNT)
    })
    it('with both, names the account and records no Deny and no partial note', () => {
      const [outcome] = run(allowService(EMR, {Condition: emrConditions}))
      expect(outcome?.message).toContain(`account ${ACCOUNT}`)
      expect(outcome?.evidence).toEqual({
        statements: [
          expect.objectContaining({
            index: 0,
            effect: 'Allow',
            condition: {StringEquals: {'aws:SourceAccount': [ACCOUNT]}, ArnLike: {'aws:SourceArn': [`arn:aws:elasticmapreduce:*:${ACCOUNT}:*`]}},
            sourceAccount: 'present',
            sourceArn: 'present',
          }),
        ],
        guard: {emrSolePrincipal: true},
      })
    })
    it('without either, the message names the account to put in them', () => {
      expect(run(allowService(EMR))[0]?.message).toContain(`account ${ACCOUNT}`)
    })
  })

  describe('Deny protection evidence', () => {
    const deny = (condition: object) => ({Effect: 'Deny', Principal: {Service: EMR}, Action: 'sts:AssumeRole', Condition: condition})
    const runTrust = (...statements: object[]) => runRule(rule, withRoles(emptyInventory(), role({name: 'svc', trust: doc(...statements)})), config)
    it('ArnNotLike aws:SourceArn alone on a Deny protects (partial: ARN only), and the Deny is listed', () => {
      const [outcome] = runTrust(allowService(EMR), deny({ArnNotLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}))
      expect(outcome).toMatchObject({status: 'pass', evidence: {partial: true, protectingDenies: [expect.objectContaining({index: 1, effect: 'Deny'})]}})
    })
    it('a Deny that does not protect is not listed as protecting', () => {
      const [outcome] = runTrust(allowService(EMR), deny({StringNotEquals: {'aws:SourceAccount': '999999999999'}}))
      expect(outcome?.status).toBe('fail')
      expect(outcome?.evidence).not.toHaveProperty('protectingDenies')
    })
  })

  describe('the sole-principal guard', () => {
    it('is true for a statement naming only EMR', () => {
      expect(run(allowService(EMR))[0]?.evidence?.['guard']).toEqual({emrSolePrincipal: true})
    })
    it('is false when the statement also names an AWS principal', () => {
      const [outcome] = run({Effect: 'Allow', Principal: {Service: EMR, AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'sts:AssumeRole'})
      expect(outcome?.evidence?.['guard']).toEqual({emrSolePrincipal: false})
    })
    it('is false when any one of the EMR statements shares it', () => {
      const trust = doc(allowService(EMR), {Effect: 'Allow', Principal: {Service: [EMR, 'datapipeline.amazonaws.com']}, Action: 'sts:AssumeRole'})
      const [outcome] = runRule(rule, withRoles(emptyInventory(), role({name: 'svc', trust})), config)
      expect(outcome?.evidence?.['guard']).toEqual({emrSolePrincipal: false})
    })
  })

  it('reports nothing for a configured service role EMR cannot assume (EMR-TRUST-001 does)', () => {
    expect(runRule(rule, withRoles(emptyInventory(), role({name: 'svc', trust: doc(allowService('ec2.amazonaws.com'))})), config)).toEqual([])
  })

  // "Roles matched only by heuristic are reported with info severity" (REQUIREMENTS.md, role scope).
  it('is medium for a configured role, scoped to its class, and info for a role found only by heuristic', () => {
    const [configured] = run(allowService(EMR))
    expect(configured).toMatchObject({severity: 'medium', scope: [expect.objectContaining({class: 'SVC', via: 'config'})]})
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'notebooks', trust: doc(allowService(EMR)), managed: [awsPolicyArn('AmazonElasticMapReduceEditorsRole')]}),
    )
    expect(runRule(rule, inventory)[0]).toMatchObject({severity: 'info', scope: [expect.objectContaining({class: 'NB', via: 'heuristic'})]})
  })
})
