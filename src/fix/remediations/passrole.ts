/** EMR-PASSROLE-001: let the service role pass the custom EC2 / Auto Scaling roles its clusters use. */
import {iamQuota} from '../../inventory/quotas.js'
import {roleNameFromReference} from '../../policy/match.js'
import type {Grant} from './inline-policy.js'
import {inlinePolicyProposal} from './inline-policy.js'
import {byResource, evidenceString} from './evidence.js'
import type {Declined, Proposal, Remediation} from './types.js'

export const PASSROLE_POLICY_NAME = 'emr-audit-passrole'

const SID_OF_SERVICE: Record<string, string> = {'ec2.amazonaws.com': 'EmrAuditPassRoleToEc2', 'application-autoscaling.amazonaws.com': 'EmrAuditPassRoleToAutoScaling'}

export const passRole: Remediation = {
  ruleIds: ['EMR-PASSROLE-001'],
  plan(findings, {index, inventory}) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const group of byResource(findings).values()) {
      const role = index.roleByReference(group[0]?.resource.arn ?? group[0]?.resource.id ?? '')
      const grants = new Map<string, Grant>()
      const used: string[] = []
      for (const finding of group) {
        const passed = evidenceString(finding, 'passedRole')
        const service = evidenceString(finding, 'passedToService')
        const sid = service ? SID_OF_SERVICE[service] : undefined
        if (!role || !passed || !service || !sid) {
          declined.push({fingerprint: finding.fingerprint, why: 'the finding does not say which role is passed to which service'})
          continue
        }
        const grant = grants.get(sid) ?? {sid, actions: ['iam:PassRole'], resources: [], condition: {StringEquals: {'iam:PassedToService': service}}}
        grant.resources.push(passed)
        grants.set(sid, grant)
        used.push(finding.fingerprint)
      }
      if (!role || grants.size === 0) continue
      const names = [...grants.values()].flatMap((grant) => grant.resources.map(roleNameFromReference))
      const proposal = inlinePolicyProposal({
        role,
        policyName: PASSROLE_POLICY_NAME,
        grants: [...grants.values()],
        ruleIds: ['EMR-PASSROLE-001'],
        findings: used,
        summary: `Let service role ${role.name} pass ${names.join(', ')} (inline policy ${PASSROLE_POLICY_NAME})`,
        autoApply: 'yes',
        guards: [],
        sizeLimit: iamQuota(inventory, 'RolePolicySizeQuota'),
      })
      if (proposal) proposals.push(proposal)
    }
    return {proposals, declined}
  },
}
