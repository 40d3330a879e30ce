import {unconditionedGrants} from '../../policy/grants.js'
import {iamCollected, iamSnapshotUnknown} from '../helpers.js'
import {principalsOf} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-PASSROLE-002',
  group: 'PASSROLE',
  title: 'Unscoped iam:PassRole among EMR operators',
  severity: 'high',
  rationale: 'A principal that can pass any role (including admin roles) to EMR or EC2 can run code under that role.',
  sources: ['seed 001', 'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html'],
  remediation: {summary: 'Replace the statement with one limited to the EMR role ARNs and an iam:PassedToService condition (iam:CreatePolicyVersion, or iam:PutRolePolicy/PutUserPolicy/PutGroupPolicy for inline policies).', autoApply: 'no'},
  evaluate(inventory, {index, scope}) {
    if (!iamCollected(index)) return iamSnapshotUnknown(inventory, 'PassRole grants of EMR operators')
    // A role no one would name: a statement reaches it only with Resource "*" or role/*.
    const anyRole = `arn:${inventory.account.partition}:iam::${inventory.account.id}:role/emr-audit-probe/any-role`
    const outcomes: RuleOutcome[] = []
    for (const principal of principalsOf(inventory, index, scope)) {
      const unscoped = unconditionedGrants(principal.policies, ['iam:PassRole'], [anyRole], 'iam:PassedToService')
      if (unscoped.length === 0) continue
      outcomes.push({
        status: 'fail',
        resource: principal.resource,
        message: `${principal.kind} ${principal.name} may pass any role (iam:PassRole on every role, no iam:PassedToService) via ${[...new Set(unscoped.map((entry) => entry.policy))].join(', ')}; limit it to the EMR roles.`,
        evidence: {statements: unscoped},
      })
    }
    return outcomes
  },
})
