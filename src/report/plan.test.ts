import {describe, expect, it} from 'vitest'
import type {Change, Plan} from '../fix/types.js'
import {renderOutcomeSummary, renderPlan} from './plan.js'

const trustBefore = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}]}
const trustAfter = {Version: '2012-10-17', Statement: [{...trustBefore.Statement[0], Condition: {StringEquals: {'aws:SourceAccount': '123456789012'}}}]}

const trust: Change = {
  id: '0123456789ab',
  kind: 'update-trust-policy',
  account: '123456789012',
  region: 'global',
  target: {type: 'iam-role', id: 'svc', name: 'svc'},
  ruleIds: ['EMR-TRUST-002'],
  findings: [],
  summary: "Limit EMR's use of svc to account 123456789012",
  calls: [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 'svc', PolicyDocument: JSON.stringify(trustAfter)}}],
  before: {kind: 'policy-document', document: trustBefore},
  after: {kind: 'policy-document', document: trustAfter},
  autoApply: 'guarded',
  guards: [{name: 'emrSolePrincipal', held: true, detail: 'EMR is the only principal'}],
  disposition: 'apply',
}

const tag: Change = {
  ...trust,
  id: 'ba9876543210',
  kind: 'tag-ec2-resource',
  region: 'us-east-1',
  target: {type: 'ec2-security-group', id: 'sg-1', region: 'us-east-1'},
  ruleIds: ['EMR-TAG-002'],
  summary: 'Tag sg-1',
  calls: [{operation: 'ec2:CreateTags', parameters: {Resources: ['sg-1'], Tags: [{Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'}]}}],
  before: {kind: 'tags', tags: [{key: 'for-use-with-amazon-emr-managed-policies', value: 'True'}]},
  after: {kind: 'tags', tags: [{key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}]},
  guards: [{name: 'usedOnlyByEmr', held: false, detail: 'also used by eni-9 (i-9)'}],
  disposition: 'advisory',
  reason: 'guard usedOnlyByEmr did not hold',
}

const plan: Plan = {
  schemaVersion: 2,
  account: '123456789012',
  partition: 'aws',
  homeRegion: 'us-east-1',
  generatedAt: '2026-11-23T00:00:00.000Z',
  inventoryDigest: `sha256:${'0'.repeat(64)}`,
  changesDigest: `sha256:${'1'.repeat(64)}`,
  changes: [trust, tag],
  manual: [
    {
      ruleId: 'EMR-CLUSTER-004',
      resource: {type: 'emr-cluster', id: 'j-1', region: 'us-east-1'},
      fingerprint: 'f',
      message: 'Primary node has a public IP.',
      remediation: 'Relaunch in a private subnet.',
      why: 'the catalog marks this remediation advisory',
    },
  ],
}

describe('the plan for a person', () => {
  const text = renderPlan(plan, {color: false, applying: false})

  it('says it is a dry run and counts what would happen', () => {
    expect(text).toContain('dry run: nothing is changed')
    expect(text).toContain('1 change(s) --apply would make, 1 advisory, 0 refused; 1 finding(s) need a person.')
    expect(text).toContain('Run again with --apply to make the 1 change(s) marked [apply].')
  })

  it('shows a policy change as a line diff, and the call with the very document it sends', () => {
    expect(text).toContain(`call     iam:UpdateAssumeRolePolicy {"RoleName":"svc"}\n             PolicyDocument ${JSON.stringify(trustAfter)}\n`)
    expect(text).not.toContain('<the document below>')
    // The document shown is the call's own string, not the change's after.
    const wide = '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
    const swapped = renderPlan(
      {...plan, changes: [{...trust, calls: [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: 'svc', PolicyDocument: wide}}]}]},
      {color: false, applying: false},
    )
    expect(swapped).toContain(`PolicyDocument ${wide}\n`)
    expect(text).toMatch(/\+ +"Condition": \{/)
    expect(text).toMatch(/ {2}"Action": "sts:AssumeRole"/)
  })

  it('shows a changed tag value, failed guards and why a change is advisory', () => {
    expect(text).toContain('~ for-use-with-amazon-emr-managed-policies: True → true')
    expect(text).toContain('guard    ✖ usedOnlyByEmr: also used by eni-9 (i-9)')
    expect(text).toContain('why      guard usedOnlyByEmr did not hold')
    expect(text).toContain('[advisory] Tag sg-1')
  })

  it('lists what needs a person with the catalog remediation, and has no colour codes when colour is off', () => {
    expect(text).toMatch(/Needs a person\n {2}EMR-CLUSTER-004 {2}emr-cluster j-1 \(us-east-1\)/)
    expect(text).toContain('Remediation: Relaunch in a private subnet.')
    const escape = String.fromCharCode(27)
    expect(text).not.toContain(`${escape}[`)
    expect(renderPlan(plan, {color: true, applying: false})).toContain(`${escape}[`)
  })

  it('closes an apply with counts and the rollback command', () => {
    expect(
      renderOutcomeSummary(
        [
          {change: trust, status: 'applied'},
          {change: tag, status: 'not-applied'},
        ],
        'j.json',
      ),
    ).toBe('1 applied, 0 skipped, 0 failed, 1 not applied (advisory or refused).\nJournal: j.json — undo with: emr-audit rollback j.json\n')
  })
})
