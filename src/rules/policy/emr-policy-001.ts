import {existingRolesOf, roleResource, roleSeverity, scopeFor} from '../helpers.js'
import {awsManagedArn} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

export default defineRule({
  id: 'EMR-POLICY-001',
  group: 'POLICY',
  title: 'Service role still on the deprecated AmazonElasticMapReduceRole',
  severity: 'medium',
  rationale: 'The v1 service policy is on the path to deprecation and grants iam:PassRole on every role plus broad EC2 and S3 rights.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonElasticMapReduceRole.html',
  ],
  remediation: {
    summary:
      'Migrate: tag subnets/security groups/VPCs (TAG-001/002), add scoped PassRole for custom role names (PASSROLE-001), attach AmazonEMRServicePolicy_v2, test a launch, then detach AmazonElasticMapReduceRole (irreversible once detached everywhere).',
    autoApply: 'no',
  },
  dependsOn: ['iam.authorizationDetails'],
  checks: 'service role policies',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {scope}) {
    const v1 = awsManagedArn(inventory.account.partition, 'AmazonElasticMapReduceRole', '/service-role/')
    return existingRolesOf(scope, ['SVC']).map(({role, reasons}): RuleOutcome => {
      const base = {resource: roleResource(role), scope: scopeFor(reasons, ['SVC']), severity: roleSeverity(reasons, ['SVC'], 'medium')}
      return role.attachedPolicies.some((policy) => policy.arn === v1)
        ? {
            ...base,
            status: 'fail',
            message: `Service role ${role.name} uses the deprecated AmazonElasticMapReduceRole, which lets it pass any role to EC2; migrate to AmazonEMRServicePolicy_v2.`,
            evidence: {policyArn: v1},
          }
        : {...base, status: 'pass', message: `Service role ${role.name} does not use AmazonElasticMapReduceRole.`}
    })
  },
})
