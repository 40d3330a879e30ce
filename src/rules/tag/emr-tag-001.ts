import {defineRule} from '../types.js'
import {clusterNetworkResources, EXAMINED_SOURCES} from './examined.js'
import {requireV2Tag} from './tag-contract.js'

export default defineRule({
  id: 'EMR-TAG-001',
  group: 'TAG',
  title: 'Subnets (and VPC when needed) of tag-dependent clusters carry the v2 tag',
  severity: 'high',
  rationale:
    'With AmazonEMRServicePolicy_v2 the service role can only create instances, ENIs and launch templates in subnets tagged for-use-with-amazon-emr-managed-policies=true; new clusters and replacement nodes fail elsewhere.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html',
  ],
  remediation: {
    summary:
      'ec2:CreateTags(Resources=[subnet-…|vpc-…], Tags=[{Key:"for-use-with-amazon-emr-managed-policies",Value:"true"}]) — only for resources the account owns.',
    autoApply: 'guarded',
  },
  dependsOn: ['emr.clusters'],
  reads: [...EXAMINED_SOURCES],
  evaluate(inventory, {index}) {
    return requireV2Tag(
      inventory,
      clusterNetworkResources(inventory, index).subnetsAndVpcs,
      'with the v2 service policy, EMR cannot launch or replace nodes there',
    )
  },
})
