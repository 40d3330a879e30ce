import {emrPrincipals} from '../../policy/trust.js'
import {defineRule} from '../types.js'
import {evaluateServiceTrust, serviceRoleUses} from './service-trust.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

export default defineRule({
  id: 'EMR-TRUST-001',
  group: 'TRUST',
  title: 'Cluster service role trusts the EMR principal',
  severity: 'critical',
  rationale: 'EMR cannot assume a service role that does not trust it; cluster launch and management fail.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html', 'aws-cli create-default-roles'],
  remediation: {
    summary: 'iam:UpdateAssumeRolePolicy with an Allow sts:AssumeRole for elasticmapreduce.amazonaws.com plus the EMR-TRUST-002 conditions, keeping other statements.',
    autoApply: 'guarded',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'the trust of Service roles',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, context) {
    return evaluateServiceTrust({roleClass: 'SVC', roleLabel: 'Service role', serviceLabel: 'the EMR service principal', principals: emrPrincipals, usesOf: serviceRoleUses}, inventory, context)
  },
})
