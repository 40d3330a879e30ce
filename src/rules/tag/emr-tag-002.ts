import {defineRule} from '../types.js'
import {clusterNetworkResources, EXAMINED_SOURCES} from './examined.js'
import {requireV2Tag} from './tag-contract.js'

export default defineRule({
  id: 'EMR-TAG-002',
  group: 'TAG',
  title: 'Security groups of tag-dependent clusters carry the v2 tag',
  severity: 'high',
  rationale:
    'EMR tags the security groups it creates, but not older or user-created ones; untagged groups cannot be used for launch and EMR cannot manage their rules.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html',
  ],
  remediation: {
    summary: 'ec2:CreateTags with the v2 tag — only for groups the account owns and that only EMR uses (tagging lets v2 policy holders change their rules).',
    autoApply: 'guarded',
  },
  dependsOn: ['emr.clusters'],
  reads: [...EXAMINED_SOURCES],
  evaluate(inventory, {index}) {
    return requireV2Tag(inventory, clusterNetworkResources(inventory, index).securityGroups, 'EMR cannot use it for launches or manage its rules')
  },
})
