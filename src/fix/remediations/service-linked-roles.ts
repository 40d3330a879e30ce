/** EMR-SLR-001/002: create the EMR cleanup and EC2 Spot service-linked roles when they do not exist. */
import type {Finding} from '../../findings/types.js'
import {type Declined, defineRemediation, type PlanContext, type Proposal} from './types.js'

interface LinkedRole {
  service: string
  roleName: string
  ruleId: string
}

const LINKED_ROLES: LinkedRole[] = [
  {service: 'elasticmapreduce.amazonaws.com', roleName: 'AWSServiceRoleForEMRCleanup', ruleId: 'EMR-SLR-001'},
  {service: 'spot.amazonaws.com', roleName: 'AWSServiceRoleForEC2Spot', ruleId: 'EMR-SLR-002'},
]

export function serviceLinkedPath(service: string): string {
  return `/aws-service-role/${service}/`
}

/** The service whose service-linked role emr-audit may create under this name (only the ones it knows). */
export function linkedServiceOf(roleName: string): string | undefined {
  return LINKED_ROLES.find((linked) => linked.roleName === roleName)?.service
}

function propose(linked: LinkedRole, findings: Finding[], {inventory}: PlanContext): Proposal | undefined {
  const existing = inventory.iam.roles.filter((role) => role.path === serviceLinkedPath(linked.service)).map((role) => role.name)
  if (existing.length > 0) return undefined
  return {
    kind: 'create-service-linked-role',
    region: 'global',
    target: {
      type: 'iam-role',
      id: linked.roleName,
      name: linked.roleName,
      arn: `arn:${inventory.account.partition}:iam::${inventory.account.id}:role${serviceLinkedPath(linked.service)}${linked.roleName}`,
    },
    ruleIds: [linked.ruleId],
    findings: findings.map((finding) => finding.fingerprint),
    summary: `Create the service-linked role for ${linked.service} (${linked.roleName})`,
    before: {kind: 'service-linked-role', roles: []},
    after: {kind: 'service-linked-role', roles: [linked.roleName]},
    guards: [],
  }
}

export default defineRemediation({
  ruleIds: LINKED_ROLES.map((linked) => linked.ruleId),
  changes: [{kind: 'create-service-linked-role', writes: ['iam:CreateServiceLinkedRole'], inverse: ['iam:DeleteServiceLinkedRole']}],
  plan(findings, context) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const linked of LINKED_ROLES) {
      const own = findings.filter((finding) => finding.ruleId === linked.ruleId)
      // EMR-SLR-001 on the role itself means it exists but is not intact: AWS's role, recreate it by hand.
      const missing = own.filter((finding) => finding.resource.type !== 'iam-role')
      for (const finding of own.filter((entry) => !missing.includes(entry)))
        declined.push({
          fingerprint: finding.fingerprint,
          why: 'a service-linked role cannot be edited; delete and recreate it (iam:DeleteServiceLinkedRole, iam:CreateServiceLinkedRole)',
        })
      const proposal = missing.length > 0 ? propose(linked, missing, context) : undefined
      if (proposal) proposals.push(proposal)
    }
    return {proposals, declined}
  },
})
