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
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-defaultroles.html',
  ],
  remediation: {
    summary:
      'iam:UpdateAssumeRolePolicy with an Allow sts:AssumeRole for elasticmapreduce.amazonaws.com plus the EMR-TRUST-002 conditions, keeping other statements.',
    autoApply: 'no',
  },
  autoApplyNote:
    "stricter than the catalog's guarded: adding a principal to a trust widens who may assume the role, and that the role really is a cluster's service role is a fact of the scan a saved plan cannot prove (EMR-TRUST-002 stays guarded: its conditions only narrow a trust); the document is shown for a person to apply.",
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'the trust of Service roles',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, context) {
    return evaluateServiceTrust(
      {roleClass: 'SVC', roleLabel: 'Service role', serviceLabel: 'the EMR service principal', principals: emrPrincipals, usesOf: serviceRoleUses},
      inventory,
      context,
    )
  },
})
