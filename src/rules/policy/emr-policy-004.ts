import {emrPrincipals, serviceTrust} from '../../policy/trust.js'
import {awsManagedArn, entitiesAttaching} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {IDENTITY_POLICY_SOURCES} from '../helpers.js'

export default defineRule({
  id: 'EMR-POLICY-004',
  group: 'POLICY',
  title: 'AmazonEMRServicePolicy_v2 attached to something other than an EMR service role',
  severity: 'medium',
  rationale:
    'AWS states the policy is for the EMR service role only; on a person or workload it grants instance termination and security-group rule changes on tagged resources.',
  sources: ['https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html'],
  remediation: {summary: 'iam:DetachUserPolicy / DetachGroupPolicy / DetachRolePolicy for the entity.', autoApply: 'no'},
  dependsOn: ['iam.authorizationDetails'],
  checks: 'where AmazonEMRServicePolicy_v2 is attached',
  reads: [...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    const {partition} = inventory.account
    const v2 = awsManagedArn(partition, 'AmazonEMRServicePolicy_v2', '/service-role/')
    return entitiesAttaching(inventory, v2).map((entity): RuleOutcome => {
      const role = entity.kind === 'role' ? index.roleByName(entity.name) : undefined
      if (role && serviceTrust(role.trustPolicy, emrPrincipals(partition)).trusted) {
        return {status: 'pass', resource: entity.resource, message: `AmazonEMRServicePolicy_v2 is attached to ${role.name}, which EMR assumes.`}
      }
      const why = entity.kind === 'role' ? 'a role EMR does not assume' : `a ${entity.kind}`
      return {
        status: 'fail',
        resource: entity.resource,
        message: `AmazonEMRServicePolicy_v2 is attached to ${entity.name}, ${why}; detach it — it is meant only for the EMR service role.`,
        evidence: {policyArn: v2, kind: entity.kind},
      }
    })
  },
})
