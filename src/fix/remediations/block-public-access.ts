/**
 * EMR-CLUSTER-001: turn block public access on, resending the permitted ranges as they are (the call
 * replaces the whole configuration). Narrowing ranges beyond port 22 is shown, never applied: someone
 * may rely on them.
 */
import {type Declined, defineRemediation, type Proposal} from './types.js'

export default defineRemediation({
  ruleIds: ['EMR-CLUSTER-001'],
  // The call replaces the whole configuration, so undoing it is the same call with the before.
  changes: [
    {
      kind: 'put-block-public-access',
      writes: ['elasticmapreduce:PutBlockPublicAccessConfiguration'],
      inverse: ['elasticmapreduce:PutBlockPublicAccessConfiguration'],
    },
  ],
  plan(findings, {inventory}) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const finding of findings) {
      const region = finding.resource.region
      const bpa = inventory.emr.blockPublicAccess.find((entry) => entry.region === region)
      if (!region || !bpa || bpa.blockPublicSecurityGroupRules === undefined) {
        declined.push({fingerprint: finding.fingerprint, why: 'the current configuration was not read'})
        continue
      }
      const exposed = (finding.evidence['guard'] as {activeClustersWithPublicIngress?: string[]} | undefined)?.activeClustersWithPublicIngress ?? []
      const before = {
        kind: 'block-public-access' as const,
        blockPublicSecurityGroupRules: bpa.blockPublicSecurityGroupRules,
        permittedRanges: bpa.permittedRanges,
      }
      const base = {
        kind: 'put-block-public-access' as const,
        region,
        target: finding.resource,
        ruleIds: ['EMR-CLUSTER-001'],
        findings: [finding.fingerprint],
        before,
      }
      if (!bpa.blockPublicSecurityGroupRules) {
        proposals.push({
          ...base,
          summary: `Turn on EMR block public access in ${region}, keeping the permitted ranges`,
          after: {...before, blockPublicSecurityGroupRules: true},
          guards: [
            {
              name: 'noActiveClusterWithPublicIngress',
              held: exposed.length === 0,
              detail:
                exposed.length === 0
                  ? `no active cluster in ${region} has a world-open rule it would refuse`
                  : `clusters ${exposed.join(', ')} have world-open rules block public access would refuse at their next launch`,
            },
          ],
        })
        continue
      }
      const sshOnly = bpa.permittedRanges.filter((range) => range.min === 22 && (range.max ?? 22) === 22)
      proposals.push({
        ...base,
        summary: `Permit only port 22 in EMR block public access in ${region}`,
        after: {...before, permittedRanges: sshOnly},
        guards: [{name: 'keepsPermittedRanges', held: false, detail: 'removing permitted ranges may break launches that rely on them; decide per range'}],
      })
    }
    return {proposals, declined}
  },
})
