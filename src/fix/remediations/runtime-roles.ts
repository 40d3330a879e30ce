/**
 * EMR-RUNTIME-002/004: let the cluster's EC2 role assume and tag its runtime roles (and set the source
 * identity where propagation is on). Guarded by the grant itself, not only by the evidence: one explicit
 * role of this account that steps were seen using or that the config names, whose trust already names the
 * EC2 role (or its account root), and that has no administrator-like access. A role merely trusting the
 * EC2 role, or merely named by a step, is not granted automatically.
 */
import type {Role} from '../../inventory/schema.js'
import {iamQuota} from '../../inventory/quotas.js'
import {roleNameFromReference} from '../../policy/match.js'
import {explicitRole, notAdministratorLike, trustNamesPrincipal} from '../grant-guards.js'
import type {Guard} from '../types.js'
import {byResource, evidenceString} from './evidence.js'
import {type Grant, INLINE_POLICY_CHANGE, inlinePolicyProposal} from './inline-policy.js'
import {type Declined, defineRemediation, type PlanContext, type Proposal} from './types.js'

export const RUNTIME_POLICY_NAME = 'emr-audit-runtime-roles'

function guardsFor(runtimeArn: string, ec2Role: Role, {inventory, index, config}: PlanContext): Guard[] {
  const name = roleNameFromReference(runtimeArn)
  const observed = inventory.emr.clusters.some((cluster) =>
    (cluster.steps ?? []).some(
      (step) => step.executionRoleArn === runtimeArn || (step.executionRoleArn && roleNameFromReference(step.executionRoleArn) === name),
    ),
  )
  const configured = (config.runtimeRoles ?? []).some((reference) => reference === runtimeArn || roleNameFromReference(reference) === name)
  const {role: runtime, guard: explicit} = explicitRole(runtimeArn, inventory)
  const evidence: Guard = {
    name: 'observedOrConfigured',
    held: observed || configured,
    detail: observed
      ? 'steps were seen running with it'
      : configured
        ? 'named in the config (runtimeRoles)'
        : 'only its trust names the EC2 role: name it in the config (runtimeRoles) to have it granted',
  }
  if (!runtime) return [explicit, evidence]
  return [explicit, evidence, trustNamesPrincipal(runtime, ec2Role, inventory), notAdministratorLike(runtime, index, inventory)]
}

const named =
  (arn: string) =>
  (guard: Guard): Guard => ({...guard, detail: `${roleNameFromReference(arn)}: ${guard.detail}`})

const ASSUME = 'EmrAuditAssumeRuntimeRoles'
const SOURCE_IDENTITY = 'EmrAuditSetSourceIdentity'

export default defineRemediation({
  ruleIds: ['EMR-RUNTIME-002', 'EMR-RUNTIME-004'],
  changes: [INLINE_POLICY_CHANGE],
  plan(findings, context) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const group of byResource(findings).values()) {
      const role = context.index.roleByReference(group[0]?.resource.arn ?? group[0]?.resource.id ?? '')
      const held: Record<string, string[]> = {[ASSUME]: [], [SOURCE_IDENTITY]: []}
      const blocked: Record<string, string[]> = {[ASSUME]: [], [SOURCE_IDENTITY]: []}
      const used: string[] = []
      const blockedFindings: string[] = []
      let failedGuards: Guard[] = []
      for (const finding of group) {
        const runtimeArn = evidenceString(finding, 'runtimeRole')
        if (!role || !runtimeArn) {
          declined.push({fingerprint: finding.fingerprint, why: 'the finding does not name the runtime role'})
          continue
        }
        const sid = finding.ruleId === 'EMR-RUNTIME-002' ? ASSUME : SOURCE_IDENTITY
        if (sid === SOURCE_IDENTITY) {
          if (finding.evidence['trustAllowsSetSourceIdentity'] === false) {
            declined.push({
              fingerprint: finding.fingerprint,
              why: `the trust of ${roleNameFromReference(runtimeArn)} must also allow sts:SetSourceIdentity for ${role.name}; trust changes to runtime roles are advisory`,
            })
          }
          const decision = finding.evidence['identityDecision']
          if (decision !== 'implicit-deny' && decision !== 'explicit-deny') continue
        }
        const guards = guardsFor(runtimeArn, role, context)
        if (guards.every((guard) => guard.held === true)) {
          held[sid]?.push(runtimeArn)
          used.push(finding.fingerprint)
        } else {
          blocked[sid]?.push(runtimeArn)
          blockedFindings.push(finding.fingerprint)
          failedGuards = [...failedGuards, ...guards.filter((guard) => guard.held !== true).map(named(runtimeArn))]
        }
      }
      if (!role) continue
      const grantsOf = (resources: Record<string, string[]>): Grant[] => [
        ...(resources[ASSUME]?.length ? [{sid: ASSUME, actions: ['sts:AssumeRole', 'sts:TagSession'], resources: resources[ASSUME]}] : []),
        ...(resources[SOURCE_IDENTITY]?.length ? [{sid: SOURCE_IDENTITY, actions: ['sts:SetSourceIdentity'], resources: resources[SOURCE_IDENTITY]}] : []),
      ]
      const describe = (resources: Record<string, string[]>) => [...new Set(Object.values(resources).flat().map(roleNameFromReference))].join(', ')
      const common = {role, policyName: RUNTIME_POLICY_NAME, sizeLimit: iamQuota(context.inventory, 'RolePolicySizeQuota')}
      const granted = grantsOf(held)
      if (granted.length > 0) {
        const ruleIds = [...new Set(group.filter((finding) => used.includes(finding.fingerprint)).map((finding) => finding.ruleId))].sort()
        const guards = [...new Set(Object.values(held).flat())].flatMap((arn) => guardsFor(arn, role, context).map(named(arn)))
        const proposal = inlinePolicyProposal({
          ...common,
          grants: granted,
          ruleIds,
          findings: used,
          summary: `Let EC2 role ${role.name} assume runtime roles ${describe(held)} (inline policy ${RUNTIME_POLICY_NAME})`,
          guards,
        })
        if (proposal) proposals.push(proposal)
      }
      const withheld = grantsOf(blocked)
      if (withheld.length > 0) {
        // Shown with its exact document, never applied: one change per EC2 role for the roles a guard stopped.
        const ruleIds = [...new Set(group.filter((finding) => blockedFindings.includes(finding.fingerprint)).map((finding) => finding.ruleId))].sort()
        const proposal = inlinePolicyProposal({
          ...common,
          policyName: `${RUNTIME_POLICY_NAME}-unverified`,
          grants: withheld,
          ruleIds,
          findings: blockedFindings,
          summary: `Let EC2 role ${role.name} assume runtime roles ${describe(blocked)} (not granted automatically: see the guards)`,
          guards: failedGuards,
        })
        if (proposal) proposals.push(proposal)
      }
    }
    return {proposals, declined}
  },
})
