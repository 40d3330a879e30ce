import {awsManagedArn, entitiesAttaching} from '../principals.js'
import {defineRule} from '../types.js'
import {IDENTITY_POLICY_SOURCES} from '../helpers.js'

export default defineRule({
  id: 'EMR-POLICY-003',
  group: 'POLICY',
  title: 'Principals holding the deprecated AmazonElasticMapReduceFullAccess',
  severity: 'high',
  rationale: 'It grants iam:PassRole on every role and ec2:TerminateInstances on any instance, EMR or not.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-policy-fullaccess.html',
  ],
  remediation: {
    summary: 'Attach AmazonEMRFullAccessPolicy_v2 (it passes only the default role names) plus a scoped PassRole for custom roles, then detach the v1 policy.',
    autoApply: 'no',
  },
  dependsOn: ['iam.authorizationDetails'],
  checks: 'principals with AmazonElasticMapReduceFullAccess',
  reads: [...IDENTITY_POLICY_SOURCES],
  evaluate(inventory) {
    const v1 = awsManagedArn(inventory.account.partition, 'AmazonElasticMapReduceFullAccess')
    return entitiesAttaching(inventory, v1).map((entity) => ({
      status: 'fail' as const,
      resource: entity.resource,
      message: `${entity.kind} ${entity.name} has the deprecated AmazonElasticMapReduceFullAccess, which can pass any role and terminate any instance; move to AmazonEMRFullAccessPolicy_v2.`,
      evidence: {policyArn: v1},
    }))
  },
})
