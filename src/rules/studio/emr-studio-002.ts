import {studioNetworkResources, EXAMINED_SOURCES} from '../tag/examined.js'
import {requireV2Tag} from '../tag/tag-contract.js'
import {defineRule} from '../types.js'

export default defineRule({
  id: 'EMR-STUDIO-002',
  group: 'STUDIO',
  title: 'Studio network resources carry the v2 tag',
  severity: 'high',
  rationale:
    'When the Studio service role is tag-conditioned (as AWS documents it), Workspace-to-cluster networking fails on untagged VPCs, subnets and security groups.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html'],
  remediation: {
    summary: 'ec2:CreateTags with the v2 tag — owner-account resources only; security groups only when only the Studio and EMR use them.',
    autoApply: 'guarded',
  },
  reads: [...EXAMINED_SOURCES],
  evaluate(inventory, {index}) {
    return requireV2Tag(inventory, studioNetworkResources(inventory, index), 'Workspaces cannot reach clusters through it')
  },
})
