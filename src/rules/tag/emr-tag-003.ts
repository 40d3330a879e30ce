import {V2_TAG_KEY, V2_TAG_VALUE} from '../../inventory/tags.js'
import {v2TagState} from '../network.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {clusterNetworkResources, studioNetworkResources, studioSecretResources, EXAMINED_SOURCES} from './examined.js'

export default defineRule({
  id: 'EMR-TAG-003',
  group: 'TAG',
  title: 'Tag present but with a non-matching key or value',
  severity: 'high',
  rationale:
    'IAM compares the key and StringEquals "true" exactly: a tag that looks right in the console (wrong case, padding, True/yes) still fails authorization.',
  sources: [
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  ],
  remediation: {
    summary:
      'Add the exact tag (ec2:CreateTags / secretsmanager:TagResource, same guards as TAG-001/002/STUDIO-003); removing the wrong variant (ec2:DeleteTags / secretsmanager:UntagResource) is advisory.',
    autoApply: 'guarded',
  },
  dependsOn: ['emr.clusters'],
  reads: [...EXAMINED_SOURCES],
  evaluate(inventory, {index}) {
    const {subnetsAndVpcs, securityGroups} = clusterNetworkResources(inventory, index)
    const examined = [...subnetsAndVpcs, ...securityGroups, ...studioNetworkResources(inventory, index), ...studioSecretResources(inventory, index)]
    const seen = new Set<string>()
    const outcomes: RuleOutcome[] = []
    for (const entry of examined) {
      const key = `${entry.resource.type}|${entry.region}|${entry.resource.id}`
      if (seen.has(key) || !entry.tags) continue
      seen.add(key)
      const {state, variants} = v2TagState(entry.tags)
      if (state !== 'near-miss') continue
      outcomes.push({
        status: 'fail',
        resource: entry.resource,
        message: `${entry.resource.id} carries ${variants.map((tag) => `"${tag.key}"="${tag.value}"`).join(', ')}, which IAM does not match; add exactly ${V2_TAG_KEY}=${V2_TAG_VALUE}.`,
        evidence: {variants, usedBy: entry.usedBy, ...(entry.ownerId ? {ownerId: entry.ownerId} : {})},
      })
    }
    return outcomes
  },
})
