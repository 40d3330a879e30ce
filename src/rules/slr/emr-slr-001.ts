import {emrPrincipals, serviceTrust} from '../../policy/trust.js'
import {accountResource, roleResource} from '../helpers.js'
import {EMR_SLR_PATH} from '../scope.js'
import {defineRule} from '../types.js'

export const EMR_CLEANUP_ROLE = 'AWSServiceRoleForEMRCleanup'

export default defineRule({
  id: 'EMR-SLR-001',
  group: 'SLR',
  title: 'AWSServiceRoleForEMRCleanup exists and is intact',
  severity: 'medium',
  rationale: 'If the service role loses its cleanup rights, EMR relies on this service-linked role to terminate leftover, billable instances.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/using-service-linked-roles.html',
  ],
  remediation: {summary: 'iam:CreateServiceLinkedRole(AWSServiceName="elasticmapreduce.amazonaws.com").', autoApply: 'yes'},
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: `the ${EMR_CLEANUP_ROLE} service-linked role`,
  needsGlobalSourcesWhen: (inventory) => inventory.emr.clusters.length > 0,
  evaluate(inventory) {
    // "Only evaluated when clusters exist": with no active cluster in the scanned regions there is nothing to clean up.
    if (inventory.emr.clusters.length === 0) return []
    const role = inventory.iam.roles.find((entry) => entry.name === EMR_CLEANUP_ROLE) ?? inventory.iam.roles.find((entry) => entry.path === EMR_SLR_PATH)
    if (!role) {
      return [
        {
          status: 'fail',
          resource: accountResource(inventory),
          message: `Service-linked role ${EMR_CLEANUP_ROLE} does not exist; create it with iam:CreateServiceLinkedRole for elasticmapreduce.amazonaws.com.`,
          evidence: {expectedPath: EMR_SLR_PATH},
        },
      ]
    }
    const policyArn = `arn:${inventory.account.partition}:iam::aws:policy/aws-service-role/AmazonEMRCleanupPolicy`
    const problems = [
      ...(role.path === EMR_SLR_PATH ? [] : [`its path is ${role.path}, not ${EMR_SLR_PATH}`]),
      ...(serviceTrust(role.trustPolicy, emrPrincipals(inventory.account.partition)).trusted ? [] : ['its trust does not allow the EMR principal']),
      ...(role.attachedPolicies.some((policy) => policy.arn === policyArn) ? [] : ['AmazonEMRCleanupPolicy is not attached']),
    ]
    if (problems.length > 0) {
      return [
        {
          status: 'fail',
          resource: roleResource(role),
          message: `Service-linked role ${role.name} is not intact: ${problems.join('; ')}; delete and recreate it.`,
          evidence: {problems},
        },
      ]
    }
    return [{status: 'pass', resource: roleResource(role), message: `${role.name} exists with the EMR trust and AmazonEMRCleanupPolicy.`}]
  },
})
