/**
 * EMR-RUNTIME-002/004: the EC2 role assumes runtime roles with sts:AssumeRole and sts:TagSession, and
 * sts:SetSourceIdentity where source identity is propagated
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html).
 */
import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, withRoles} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {AuditConfig} from '../../config/schema.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import runtimeRoles from './runtime-roles.js'

const runtimeFinding = (ruleId: string, runtimeRole: string | undefined, fingerprint: string, evidence: Record<string, unknown> = {}): Finding =>
  failing(ruleId, 'high', 'fail', 'ec2-role', {evidence: {...(runtimeRole ? {runtimeRole} : {}), ...evidence}, fingerprint})

/** An EC2 role, runtime roles trusting it, and a cluster whose steps ran with `stepRoles`. */
function account(stepRoles: string[] = ['etl']): Inventory {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'ec2-role', trust: doc(allowService('ec2.amazonaws.com'))}),
    role({name: 'etl', trust: doc(allowAws(roleArn('ec2-role')))}),
    role({name: 'reports', trust: doc(allowAws(roleArn('ec2-role')))}),
  )
  inventory.emr.clusters.push(cluster({id: 'j-1', steps: stepRoles.map((name, index) => ({id: `s-${index}`, executionRoleArn: roleArn(name)}))}))
  // A cluster without steps beside it: one cluster's steps are evidence enough.
  inventory.emr.clusters.push(cluster({id: 'j-2', steps: []}))
  return inventory
}
const plan = (inventory: Inventory, findings: Finding[], config: AuditConfig = {}) =>
  runtimeRoles.plan(findings, {inventory, index: buildIndex(inventory), config})
const guardsOf = (name: string, evidence: string) => [
  {name: 'explicitRoleArn', held: true, detail: `${name}: ${roleArn(name)}`},
  {name: 'observedOrConfigured', held: true, detail: `${name}: ${evidence}`},
  {name: 'trustNamesGrantee', held: true, detail: `${name}: the trust of ${name} names ec2-role or its account`},
  {name: 'notAdministratorLike', held: true, detail: `${name}: ${name} has no administrator-like access`},
]

describe('the runtime-role grant', () => {
  it('lets the EC2 role assume and tag a runtime role steps used, and set the source identity where it is denied', () => {
    const {proposals, declined} = plan(account(['other', 'etl']), [
      runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'a'.repeat(32)),
      runtimeFinding('EMR-RUNTIME-004', roleArn('etl'), 'b'.repeat(32), {identityDecision: 'implicit-deny', trustAllowsSetSourceIdentity: true}),
    ])
    expect(declined).toEqual([])
    expect(proposals).toEqual([
      expect.objectContaining({
        kind: 'put-role-policy',
        policyName: 'emr-audit-runtime-roles',
        ruleIds: ['EMR-RUNTIME-002', 'EMR-RUNTIME-004'],
        findings: ['a'.repeat(32), 'b'.repeat(32)],
        summary: 'Let EC2 role ec2-role assume runtime roles etl (inline policy emr-audit-runtime-roles)',
        guards: guardsOf('etl', 'steps were seen running with it'),
        after: {
          kind: 'policy-document',
          document: {
            Version: '2012-10-17',
            Statement: [
              {Sid: 'EmrAuditAssumeRuntimeRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [roleArn('etl')]},
              {Sid: 'EmrAuditSetSourceIdentity', Effect: 'Allow', Action: ['sts:SetSourceIdentity'], Resource: [roleArn('etl')]},
            ],
          },
        },
      }),
    ])
  })

  it('grants a role the config names, even by name alone', () => {
    const [proposal, withheld] = plan(
      account([]),
      [runtimeFinding('EMR-RUNTIME-002', roleArn('reports'), 'a'.repeat(32)), runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'b'.repeat(32))],
      {runtimeRoles: ['reports']},
    ).proposals
    expect(proposal?.guards).toEqual(guardsOf('reports', 'named in the config (runtimeRoles)'))
    expect(proposal?.policyName).toBe('emr-audit-runtime-roles')
    // Only the role named: another role trusting the EC2 role is not granted with it.
    expect(withheld).toMatchObject({policyName: 'emr-audit-runtime-roles-unverified', findings: ['b'.repeat(32)]})
  })

  it('recognises a step that named the role by another ARN form of the same name', () => {
    const inventory = account([])
    inventory.emr.clusters[0]?.steps?.push({id: 's-1', executionRoleArn: 'arn:aws:iam::123456789012:role/team/etl'})
    expect(plan(inventory, [runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'a'.repeat(32))]).proposals[0]?.policyName).toBe('emr-audit-runtime-roles')
  })

  it('shows a role only its trust points at, or one not in the account, in a policy of its own with the failed guards', () => {
    const {proposals} = plan(account(), [
      runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'a'.repeat(32)),
      runtimeFinding('EMR-RUNTIME-002', roleArn('reports'), 'b'.repeat(32)),
      runtimeFinding('EMR-RUNTIME-002', roleArn('gone'), 'c'.repeat(32)),
    ])
    expect(proposals.map((proposal) => [proposal.policyName, proposal.findings])).toEqual([
      ['emr-audit-runtime-roles', ['a'.repeat(32)]],
      ['emr-audit-runtime-roles-unverified', ['b'.repeat(32), 'c'.repeat(32)]],
    ])
    expect(proposals[1]).toMatchObject({
      ruleIds: ['EMR-RUNTIME-002'],
      summary: 'Let EC2 role ec2-role assume runtime roles reports, gone (not granted automatically: see the guards)',
      guards: [
        {
          name: 'observedOrConfigured',
          held: false,
          detail: 'reports: only its trust names the EC2 role: name it in the config (runtimeRoles) to have it granted',
        },
        {name: 'explicitRoleArn', held: false, detail: `gone: ${roleArn('gone')} is not a role of account 123456789012 in the inventory`},
        {name: 'observedOrConfigured', held: false, detail: 'gone: only its trust names the EC2 role: name it in the config (runtimeRoles) to have it granted'},
      ],
    })
  })

  it('grants sts:SetSourceIdentity only where the identity policy denies it, and says when the trust must change too', () => {
    const allowed = runtimeFinding('EMR-RUNTIME-004', roleArn('etl'), 'a'.repeat(32), {identityDecision: 'allow'})
    expect(plan(account(), [allowed])).toEqual({proposals: [], declined: []})
    const explicit = runtimeFinding('EMR-RUNTIME-004', roleArn('etl'), 'b'.repeat(32), {identityDecision: 'explicit-deny', trustAllowsSetSourceIdentity: false})
    const {proposals, declined} = plan(account(), [explicit])
    expect(declined).toEqual([
      {
        fingerprint: explicit.fingerprint,
        why: 'the trust of etl must also allow sts:SetSourceIdentity for ec2-role; trust changes to runtime roles are advisory',
      },
    ])
    expect(proposals[0]?.after).toEqual({
      kind: 'policy-document',
      document: {
        Version: '2012-10-17',
        Statement: [{Sid: 'EmrAuditSetSourceIdentity', Effect: 'Allow', Action: ['sts:SetSourceIdentity'], Resource: [roleArn('etl')]}],
      },
    })
  })

  it('credits each policy with only the rules whose findings it fixes', () => {
    const {proposals} = plan(account(), [
      runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'a'.repeat(32)),
      runtimeFinding('EMR-RUNTIME-004', roleArn('reports'), 'b'.repeat(32), {identityDecision: 'implicit-deny'}),
    ])
    expect(proposals.map((proposal) => [proposal.policyName, proposal.ruleIds, proposal.findings])).toEqual([
      ['emr-audit-runtime-roles', ['EMR-RUNTIME-002'], ['a'.repeat(32)]],
      ['emr-audit-runtime-roles-unverified', ['EMR-RUNTIME-004'], ['b'.repeat(32)]],
    ])
  })

  it('proposes nothing for grants the EC2 role already holds, granted or shown', () => {
    const inventory = account()
    const ec2 = inventory.iam.roles.find((entry) => entry.name === 'ec2-role')
    ec2?.inlinePolicies.push(
      {
        name: 'emr-audit-runtime-roles',
        document: {
          Version: '2012-10-17',
          Statement: [{Sid: 'EmrAuditAssumeRuntimeRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [roleArn('etl')]}],
        },
      },
      {
        name: 'emr-audit-runtime-roles-unverified',
        document: {
          Version: '2012-10-17',
          Statement: [{Sid: 'EmrAuditAssumeRuntimeRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [roleArn('reports')]}],
        },
      },
    )
    const findings = [runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'a'.repeat(32)), runtimeFinding('EMR-RUNTIME-002', roleArn('reports'), 'b'.repeat(32))]
    expect(plan(inventory, findings)).toEqual({proposals: [], declined: []})
  })

  it("refuses a grant over the account's inline role policy size quota, as GetAccountSummary reported it", () => {
    // RolePolicySizeQuota bounds the total of a role's inline policies: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    const inventory = account()
    inventory.account.iamQuotas = {RolePolicySizeQuota: 100}
    const [proposal] = plan(inventory, [runtimeFinding('EMR-RUNTIME-002', roleArn('etl'), 'a'.repeat(32))]).proposals
    expect(proposal?.refusal).toMatch(/^the role's inline policies would total \d+ characters, over IAM's 100$/)
  })

  it('declines a finding that names no runtime role, or whose EC2 role is unknown', () => {
    const why = 'the finding does not name the runtime role'
    const unnamed = runtimeFinding('EMR-RUNTIME-002', undefined, 'a'.repeat(32))
    const orphan = failing('EMR-RUNTIME-002', 'high', 'fail', 'gone', {evidence: {runtimeRole: roleArn('etl')}, fingerprint: 'b'.repeat(32)})
    expect(plan(account(), [unnamed])).toEqual({proposals: [], declined: [{fingerprint: unnamed.fingerprint, why}]})
    expect(plan(account(), [orphan])).toEqual({proposals: [], declined: [{fingerprint: orphan.fingerprint, why}]})
  })
})
