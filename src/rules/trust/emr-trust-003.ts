import {EC2_SERVICE_PRINCIPAL} from '../../policy/trust.js'
import {defineRule} from '../types.js'
import {evaluateServiceTrust} from './service-trust.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

/** `ec2.amazonaws.com.cn` is EC2 only in the China partition; elsewhere a trust naming only it lets nothing in. */
function ec2PrincipalsOf(partition: string): string[] {
  return partition === 'aws-cn' ? [EC2_SERVICE_PRINCIPAL, `${EC2_SERVICE_PRINCIPAL}.cn`] : [EC2_SERVICE_PRINCIPAL]
}

export default defineRule({
  id: 'EMR-TRUST-003',
  group: 'TRUST',
  title: 'EC2 role trusts the EC2 principal',
  severity: 'critical',
  rationale: 'Cluster nodes obtain their credentials by EC2 assuming the instance-profile role; without that trust they have none.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-defaultroles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-for-ec2.html',
  ],
  remediation: {
    summary:
      'iam:UpdateAssumeRolePolicy adding {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}, keeping other statements.',
    autoApply: 'no',
  },
  autoApplyNote:
    "stricter than the catalog's guarded: adding a principal to a trust widens who may assume the role, and that the role really is a cluster's EC2 role is a fact of the scan a saved plan cannot prove (EMR-TRUST-002 stays guarded: its conditions only narrow a trust); the document is shown for a person to apply.",
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'the trust of EC2 roles',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, context) {
    return evaluateServiceTrust(
      {roleClass: 'EC2', roleLabel: 'EC2 role', serviceLabel: 'the EC2 service principal', principals: ec2PrincipalsOf},
      inventory,
      context,
    )
  },
})
