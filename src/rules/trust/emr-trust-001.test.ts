import {describe, expect, it} from 'vitest'
import {ACCOUNT, allowAws, allowService, awsPolicyArn, cluster, doc, emptyInventory, role, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-trust-001.js'

const config = {serviceRoles: ['svc']}
const inventoryWith = (trust: ReturnType<typeof doc> | null) => withRoles(emptyInventory(), role({name: 'svc', trust}))

describe('EMR-TRUST-001 service role trusts the EMR principal', () => {
  it.each([
    ['string principal', doc(allowService('elasticmapreduce.amazonaws.com'))],
    [
      'principal list and action list',
      doc({Effect: 'Allow', Principal: {Service: ['ec2.amazonaws.com', 'elasticmapreduce.amazonaws.com']}, Action: ['sts:AssumeRole', 'sts:TagSession']}),
    ],
    [
      'Statement as a bare object and a wildcard action',
      {Version: '2012-10-17', Statement: {Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:*'}},
    ],
  ])('passes with %s', (_label, trust) => {
    expect(summarise(runRule(rule, inventoryWith(trust), config))).toEqual(['pass svc'])
  })

  it.each([
    ['no EMR principal', doc(allowService('ec2.amazonaws.com'))],
    ['only an AWS principal', doc(allowAws('arn:aws:iam::123456789012:root'))],
    [
      'an unconditional Deny for EMR',
      doc(allowService('elasticmapreduce.amazonaws.com'), {Effect: 'Deny', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}),
    ],
    ['no statements', doc()],
  ])('fails with %s', (_label, trust) => {
    expect(summarise(runRule(rule, inventoryWith(trust), config))).toEqual(['fail svc'])
  })

  it('records the apply guard: whether an active cluster uses the role and whether any Allow exists', () => {
    const inventory = inventoryWith(doc(allowService('ec2.amazonaws.com')))
    inventory.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc'}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome?.evidence?.['guard']).toEqual({usedByActiveCluster: true, hasAllowStatements: true})
  })

  it('says whether a Deny cancels the trust or there is none, and notes a conditional Deny on a pass', () => {
    const deny = {Effect: 'Deny', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}
    expect(runRule(rule, inventoryWith(doc(allowService('elasticmapreduce.amazonaws.com'), deny)), config)[0]?.message).toBe(
      'Service role svc allows the EMR service principal but a Deny statement cancels it; remove the Deny for elasticmapreduce.amazonaws.com.',
    )
    expect(runRule(rule, inventoryWith(doc()), config)[0]).toMatchObject({
      message: 'Service role svc does not trust the EMR service principal; add an Allow sts:AssumeRole statement for elasticmapreduce.amazonaws.com.',
      evidence: {guard: {usedByActiveCluster: false, hasAllowStatements: false}},
    })
    const conditionalDeny = {...deny, Condition: {StringEquals: {'aws:SourceAccount': '111122223333'}}}
    const [outcome] = runRule(rule, inventoryWith(doc(allowService('elasticmapreduce.amazonaws.com'), conditionalDeny)), config)
    expect(outcome?.status).toBe('pass')
    expect(outcome?.message).toBe('svc trusts the EMR service principal (a conditional Deny may still block it).')
    expect(outcome?.evidence).toHaveProperty('conditionalDenies')
  })

  it('is unknown when the trust document was not collected', () => {
    expect(runRule(rule, inventoryWith(null), config)[0]?.message).toBe('Could not read the trust policy of svc: not collected.')
  })

  it('is unknown when the trust document could not be parsed', () => {
    const inventory = inventoryWith(null)
    inventory.iam.roles[0]!.trustPolicyParseError = 'policy document is not valid JSON'
    expect(summarise(runRule(rule, inventory, config))).toEqual(['unknown svc'])
  })

  /**
   * EMR assumes the service role with the cluster as aws:SourceArn and its account as aws:SourceAccount
   * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html,
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html); ArnLike compares per ARN segment
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
   */
  describe('per region of use', () => {
    function twoRegions(condition: object) {
      const inventory = withRoles(
        emptyInventory(['us-east-1', 'eu-west-1']),
        role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com', {Condition: condition}))}),
      )
      inventory.emr.clusters.push(cluster({id: 'j-us', serviceRole: 'svc'}), cluster({id: 'j-eu', serviceRole: 'svc', region: 'eu-west-1'}))
      return runRule(rule, inventory)
    }
    it('fails, naming the region, when aws:SourceArn pins another region', () => {
      const [outcome] = twoRegions({
        ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:us-east-1:123456789012:*'},
        StringEquals: {'aws:SourceAccount': '123456789012'},
      })
      expect(outcome?.status).toBe('fail')
      expect(outcome?.message).toContain('eu-west-1 (j-eu)')
      expect(outcome?.message).not.toContain('us-east-1 (j-us)')
    })
    it('passes with a region wildcard, listing the regions where EMR may assume it', () => {
      expect(twoRegions({ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:123456789012:*'}})[0]?.status).toBe('pass')
      expect(twoRegions({ArnLike: {'aws:SourceArn': 'arn:aws:elasticmapreduce:*:123456789012:cluster/*'}})[0]?.evidence?.['assumableIn']).toEqual([
        'us-east-1',
        'eu-west-1',
      ])
    })
    it('fails when aws:SourceAccount names another account', () => {
      expect(twoRegions({StringEquals: {'aws:SourceAccount': '999999999999'}})[0]?.status).toBe('fail')
    })
    it('names every refused region with its clusters, and records them as evidence', () => {
      const [outcome] = twoRegions({ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:ap-south-1:${ACCOUNT}:*`}})
      expect(outcome?.message).toContain('us-east-1 (j-us), eu-west-1 (j-eu)')
      expect(outcome?.evidence?.['refusedIn']).toEqual([
        {region: 'us-east-1', clusters: ['j-us'], decision: 'deny'},
        {region: 'eu-west-1', clusters: ['j-eu'], decision: 'deny'},
      ])
    })
    it('says where EMR may assume it on a pass', () => {
      expect(twoRegions({ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}})[0]?.message).toBe(
        'svc trusts the EMR service principal for its clusters in us-east-1, eu-west-1.',
      )
    })
    it('records the undecided regions as evidence', () => {
      const [outcome] = twoRegions({StringEquals: {'aws:SourceOrgID': 'o-abc'}})
      expect(outcome?.message).toContain('for clusters in us-east-1 (j-us), eu-west-1 (j-eu)')
      expect(outcome).toMatchObject({
        evidence: {
          undecidedIn: [
            {region: 'us-east-1', clusters: ['j-us'], decision: 'unknown'},
            {region: 'eu-west-1', clusters: ['j-eu'], decision: 'unknown'},
          ],
        },
      })
    })
    it('is unknown when the trust conditions on a key the request is not known to carry', () => {
      expect(twoRegions({StringEquals: {'aws:SourceOrgID': 'o-abc'}})[0]?.status).toBe('unknown')
    })
  })

  it('accepts the China partition principal', () => {
    const inventory = inventoryWith(doc(allowService('elasticmapreduce.amazonaws.com.cn')))
    inventory.account.partition = 'aws-cn'
    expect(summarise(runRule(rule, inventory, config))).toEqual(['pass svc'])
  })
  /**
   * Within a region, one cluster EMR may not assume the role for is enough to fail: explicit and implicit deny
   * beat an allow, and a request the trust refuses for sure is not made undecided by another
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
   */
  describe('clusters of one region', () => {
    const arnOf = (id: string) => `arn:aws:elasticmapreduce:us-east-1:${ACCOUNT}:cluster/${id}`
    function clusters(condition: object, ...ids: string[]) {
      const inventory = inventoryWith(doc(allowService('elasticmapreduce.amazonaws.com', {Condition: condition})))
      inventory.emr.clusters.push(...ids.map((id) => cluster({id, serviceRole: 'svc'})))
      return runRule(rule, inventory)
    }
    it('a refused cluster before an allowed one fails the region', () => {
      const [outcome] = clusters({ArnEquals: {'aws:SourceArn': arnOf('j-ok')}}, 'j-no', 'j-ok')
      expect(outcome?.status).toBe('fail')
      expect(outcome?.message).toContain('us-east-1 (j-no, j-ok)')
    })
    it('a refused cluster before an undecided one fails the region', () => {
      const [outcome] = clusters({ArnEquals: {'aws:SourceArn': arnOf('j-maybe')}, StringEquals: {'aws:SourceOrgID': 'o-abc'}}, 'j-no', 'j-maybe')
      expect(outcome?.status).toBe('fail')
    })
    it('ignores clusters of other roles, of roles that no longer exist, and without a service role', () => {
      const inventory = withRoles(
        emptyInventory(['us-east-1', 'eu-west-1']),
        role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com', {Condition: {ArnLike: {'aws:SourceArn': arnOf('*')}}}))}),
        role({name: 'other', trust: doc(allowService('elasticmapreduce.amazonaws.com'))}),
      )
      inventory.emr.clusters.push(
        cluster({id: 'j-svc', serviceRole: 'svc'}),
        cluster({id: 'j-other', serviceRole: 'other', region: 'eu-west-1'}),
        cluster({id: 'j-gone', serviceRole: 'gone', region: 'eu-west-1'}),
        cluster({id: 'j-none', region: 'eu-west-1'}),
      )
      const svc = runRule(rule, inventory).find((outcome) => outcome.resource.id === 'svc')
      expect(svc).toMatchObject({status: 'pass', evidence: {assumableIn: ['us-east-1']}})
    })
  })

  it('records an unused role with no regions of use, and a trust of Deny statements only as having no Allow', () => {
    const [unused] = runRule(rule, inventoryWith(doc(allowService('elasticmapreduce.amazonaws.com'))), config)
    expect(unused?.message).toBe('svc trusts the EMR service principal.')
    expect(unused?.evidence).not.toHaveProperty('assumableIn')
    const denyOnly = doc({Effect: 'Deny', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'})
    expect(runRule(rule, inventoryWith(denyOnly), config)[0]?.evidence?.['guard']).toEqual({usedByActiveCluster: false, hasAllowStatements: false})
  })

  // "Roles matched only by heuristic are reported with info severity" (REQUIREMENTS.md, role scope).
  it('is critical for a configured role, scoped to its class, and info for a role found only by heuristic', () => {
    expect(runRule(rule, inventoryWith(doc()), config)[0]).toMatchObject({
      severity: 'critical',
      scope: [expect.objectContaining({class: 'SVC', via: 'config'})],
    })
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'found', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [awsPolicyArn('AmazonEMRServicePolicy_v2')]}),
    )
    expect(runRule(rule, inventory)[0]).toMatchObject({severity: 'info', scope: [expect.objectContaining({class: 'SVC', via: 'heuristic'})]})
  })
})
