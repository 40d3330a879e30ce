/**
 * EMR-PASSROLE-001: the service role may pass only the roles its clusters use, each to the one service it
 * is for, with iam:PassedToService
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService;
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html).
 */
import {describe, expect, it} from 'vitest'
import {allowService, doc, emptyInventory, role, roleArn, withRoles} from '../../../test/fixtures/inventory.js'
import {finding as failing} from '../../../test/fixtures/report.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import {buildIndex} from '../../rules/inventory-index.js'
import passRole from './passrole.js'

const passes = (passedRole: string, passedToService: string, fingerprint: string, serviceRole = 'svc'): Finding =>
  failing('EMR-PASSROLE-001', 'high', 'fail', serviceRole, {evidence: {passedRole, passedToService}, fingerprint})

function account(): Inventory {
  return withRoles(
    emptyInventory(),
    role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com'))}),
    role({name: 'ec2-custom', trust: doc(allowService('ec2.amazonaws.com'))}),
    role({name: 'scaling', trust: doc(allowService('application-autoscaling.amazonaws.com'))}),
  )
}
const plan = (inventory: Inventory, findings: Finding[]) => passRole.plan(findings, {inventory, index: buildIndex(inventory), config: {}})
const held = (name: string, trusted: string) => [
  {name: 'explicitRoleArn', held: true, detail: `${name}: ${roleArn(name)}`},
  {name: 'trustsPassedToService', held: true, detail: `${name}: ${name} trusts ${trusted}`},
  {name: 'notAdministratorLike', held: true, detail: `${name}: ${name} has no administrator-like access`},
]

describe('the PassRole grant', () => {
  it('lets the service role pass each role to its own service, one statement per service, in emr-audit’s policy', () => {
    const {proposals, declined} = plan(account(), [
      passes(roleArn('ec2-custom'), 'ec2.amazonaws.com', 'a'.repeat(32)),
      passes(roleArn('scaling'), 'application-autoscaling.amazonaws.com', 'b'.repeat(32)),
      // The same role asked twice: one resource, one set of guards.
      passes(roleArn('ec2-custom'), 'ec2.amazonaws.com', 'c'.repeat(32)),
    ])
    expect(declined).toEqual([])
    expect(proposals).toHaveLength(1)
    expect(proposals[0]).toMatchObject({
      kind: 'put-role-policy',
      policyName: 'emr-audit-passrole',
      target: {type: 'iam-role', id: 'svc'},
      ruleIds: ['EMR-PASSROLE-001'],
      findings: ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)],
      summary: 'Let service role svc pass ec2-custom, scaling (inline policy emr-audit-passrole)',
      before: {kind: 'policy-document', document: null},
      after: {
        kind: 'policy-document',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EmrAuditPassRoleToEc2',
              Effect: 'Allow',
              Action: ['iam:PassRole'],
              Resource: [roleArn('ec2-custom')],
              Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
            },
            {
              Sid: 'EmrAuditPassRoleToAutoScaling',
              Effect: 'Allow',
              Action: ['iam:PassRole'],
              Resource: [roleArn('scaling')],
              Condition: {StringEquals: {'iam:PassedToService': 'application-autoscaling.amazonaws.com'}},
            },
          ],
        },
      },
      guards: [...held('ec2-custom', 'ec2.amazonaws.com'), ...held('scaling', 'application-autoscaling.amazonaws.com')],
    })
    expect(proposals[0]).not.toHaveProperty('refusal')
  })

  it('counts a trust of the China-region EC2 principal as trusting EC2 (src/policy/trust.ts: ec2Principals)', () => {
    const inventory = withRoles(account(), role({name: 'ec2-cn', trust: doc(allowService('ec2.amazonaws.com.cn'))}))
    const {proposals} = plan(inventory, [passes(roleArn('ec2-cn'), 'ec2.amazonaws.com', 'a'.repeat(32))])
    expect(proposals.map((proposal) => [proposal.policyName, proposal.guards])).toEqual([['emr-audit-passrole', held('ec2-cn', 'ec2.amazonaws.com')]])
  })

  it('shows a role a guard stops in a policy of its own, with only the guards that failed', () => {
    const {proposals} = plan(account(), [
      passes(roleArn('ec2-custom'), 'ec2.amazonaws.com', 'a'.repeat(32)),
      passes(roleArn('scaling'), 'ec2.amazonaws.com', 'b'.repeat(32)),
      passes(roleArn('nowhere'), 'ec2.amazonaws.com', 'c'.repeat(32)),
    ])
    expect(proposals.map((proposal) => proposal.policyName)).toEqual(['emr-audit-passrole', 'emr-audit-passrole-unverified'])
    expect(proposals[1]).toMatchObject({
      findings: ['b'.repeat(32), 'c'.repeat(32)],
      summary: 'Let service role svc pass scaling, nowhere (not granted automatically: see the guards)',
      guards: [
        {
          name: 'trustsPassedToService',
          held: false,
          detail: 'scaling: scaling does not trust ec2.amazonaws.com; passing it there is not what the finding needs',
        },
        {name: 'explicitRoleArn', held: false, detail: `nowhere: ${roleArn('nowhere')} is not a role of account 123456789012 in the inventory`},
      ],
    })
  })

  it('declines a finding that does not name the role and a service emr-audit grants for, or whose service role is unknown', () => {
    const why = 'the finding does not say which role is passed to which service'
    const cases = [
      failing('EMR-PASSROLE-001', 'high', 'fail', 'svc', {evidence: {passedToService: 'ec2.amazonaws.com'}, fingerprint: 'a'.repeat(32)}),
      failing('EMR-PASSROLE-001', 'high', 'fail', 'svc', {evidence: {passedRole: roleArn('ec2-custom')}, fingerprint: 'b'.repeat(32)}),
      passes(roleArn('ec2-custom'), 'lambda.amazonaws.com', 'c'.repeat(32)),
      // Evidence that is not text names nothing.
      failing('EMR-PASSROLE-001', 'high', 'fail', 'svc', {evidence: {passedRole: 42, passedToService: 'ec2.amazonaws.com'}, fingerprint: 'e'.repeat(32)}),
      passes(roleArn('ec2-custom'), 'ec2.amazonaws.com', 'd'.repeat(32), 'gone'),
    ]
    expect(plan(account(), cases)).toEqual({proposals: [], declined: cases.map((finding) => ({fingerprint: finding.fingerprint, why}))})
  })
})
