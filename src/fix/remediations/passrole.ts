/**
 * EMR-PASSROLE-001: let the service role pass the custom EC2 / Auto Scaling roles its clusters use.
 * Guarded by the grant itself: one explicit role of this account, which already trusts the service it is
 * passed to, and which has no administrator-like access (passing it would hand that access to whatever
 * the service runs). Roles a guard stops are shown in a change of their own, never applied.
 */
import {iamQuota} from '../../inventory/quotas.js'
import type {Role} from '../../inventory/schema.js'
import {roleNameFromReference} from '../../policy/match.js'
import {APPLICATION_AUTOSCALING_PRINCIPAL, ec2Principals} from '../../policy/trust.js'
import {explicitRole, notAdministratorLike, trustsService} from '../grant-guards.js'
import type {Guard} from '../types.js'
import {byResource, evidenceString} from './evidence.js'
import {type Grant, INLINE_POLICY_CHANGE, inlinePolicyProposal} from './inline-policy.js'
import {type Declined, defineRemediation, type PlanContext, type Proposal} from './types.js'

export const PASSROLE_POLICY_NAME = 'emr-audit-passrole'

const SID_OF_SERVICE: Record<string, string> = {
  'ec2.amazonaws.com': 'EmrAuditPassRoleToEc2',
  'application-autoscaling.amazonaws.com': 'EmrAuditPassRoleToAutoScaling',
}
const TRUSTED_SERVICES: Record<string, readonly string[]> = {
  'ec2.amazonaws.com': ec2Principals(),
  'application-autoscaling.amazonaws.com': [APPLICATION_AUTOSCALING_PRINCIPAL],
}

function guardsFor(passed: string, service: string, {inventory, index}: PlanContext): Guard[] {
  const {role, guard} = explicitRole(passed, inventory)
  const guards = role ? [guard, trustsService(role, TRUSTED_SERVICES[service] ?? [service]), notAdministratorLike(role, index, inventory)] : [guard]
  return guards.map((entry) => ({...entry, detail: `${roleNameFromReference(passed)}: ${entry.detail}`}))
}

interface Split {
  grants: Map<string, Grant>
  findings: string[]
  guards: Guard[]
}

function addGrant(split: Split, sid: string, service: string, passed: string, fingerprint: string, guards: Guard[]): void {
  const grant = split.grants.get(sid) ?? {sid, actions: ['iam:PassRole'], resources: [], condition: {StringEquals: {'iam:PassedToService': service}}}
  grant.resources.push(passed)
  split.grants.set(sid, grant)
  split.findings.push(fingerprint)
  split.guards.push(...guards)
}

function proposalFor(role: Role, split: Split, policyName: string, summary: (names: string) => string, context: PlanContext): Proposal | undefined {
  if (split.grants.size === 0) return undefined
  const names = [...new Set([...split.grants.values()].flatMap((grant) => grant.resources.map(roleNameFromReference)))]
  const unique = [...new Map(split.guards.map((guard) => [`${guard.name}|${guard.detail}`, guard])).values()]
  return inlinePolicyProposal({
    role,
    policyName,
    grants: [...split.grants.values()],
    ruleIds: ['EMR-PASSROLE-001'],
    findings: split.findings,
    summary: summary(names.join(', ')),
    guards: unique,
    sizeLimit: iamQuota(context.inventory, 'RolePolicySizeQuota'),
  })
}

export default defineRemediation({
  ruleIds: ['EMR-PASSROLE-001'],
  changes: [INLINE_POLICY_CHANGE],
  plan(findings, context) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const group of byResource(findings).values()) {
      const role = context.index.roleByReference(group[0]?.resource.arn ?? group[0]?.resource.id ?? '')
      const held: Split = {grants: new Map(), findings: [], guards: []}
      const blocked: Split = {grants: new Map(), findings: [], guards: []}
      for (const finding of group) {
        const passed = evidenceString(finding, 'passedRole')
        const service = evidenceString(finding, 'passedToService')
        const sid = service ? SID_OF_SERVICE[service] : undefined
        if (!role || !passed || !service || !sid) {
          declined.push({fingerprint: finding.fingerprint, why: 'the finding does not say which role is passed to which service'})
          continue
        }
        const guards = guardsFor(passed, service, context)
        if (guards.every((guard) => guard.held === true)) addGrant(held, sid, service, passed, finding.fingerprint, guards)
        else
          addGrant(
            blocked,
            sid,
            service,
            passed,
            finding.fingerprint,
            guards.filter((guard) => guard.held !== true),
          )
      }
      if (!role) continue
      const granted = proposalFor(
        role,
        held,
        PASSROLE_POLICY_NAME,
        (names) => `Let service role ${role.name} pass ${names} (inline policy ${PASSROLE_POLICY_NAME})`,
        context,
      )
      const withheld = proposalFor(
        role,
        blocked,
        `${PASSROLE_POLICY_NAME}-unverified`,
        (names) => `Let service role ${role.name} pass ${names} (not granted automatically: see the guards)`,
        context,
      )
      for (const proposal of [granted, withheld]) if (proposal) proposals.push(proposal)
    }
    return {proposals, declined}
  },
})
