import {roleNameFromReference} from '../../policy/match.js'
import {emrPrincipals, serviceTrust} from '../../policy/trust.js'
import type {Role, Studio} from '../../inventory/schema.js'
import type {PolicySource} from '../../policy/evaluate.js'
import type {InventoryIndex} from '../inventory-index.js'
import {analysePassRole, describeCoverage} from '../passrole/passrole-grants.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {studioResource} from './studio-helpers.js'
import {IDENTITY_POLICY_SOURCES, policyNames} from '../helpers.js'

export default defineRule({
  id: 'EMR-STUDIO-006',
  group: 'STUDIO',
  title: 'Studio user role and session policies are consistent with the auth mode',
  severity: 'high',
  rationale:
    'SSO Studios need a user role EMR can assume; session policies only narrow what that role already has; broad PassRole in them lets Studio users hand out any role.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-user-role.html',
    'https://docs.aws.amazon.com/emr/latest/APIReference/API_CreateStudio.html',
  ],
  remediation: {
    summary: 'Attach each session policy to the user role (iam:AttachRolePolicy); narrow PassRole to the Studio service role (iam:CreatePolicyVersion).',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'Studio user roles',
  needsGlobalSourcesWhen: (inventory) => inventory.emr.studios.length > 0,
  reads: ['emr.studios', 'emr.studioSessionMappings', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    if (inventory.emr.studios.length === 0) return []
    const outcomes: RuleOutcome[] = []
    for (const studio of inventory.emr.studios) {
      const resource = studioResource(studio)
      if (studio.authMode !== 'SSO') {
        if (studio.userRole)
          outcomes.push({
            status: 'pass',
            severity: 'info',
            resource,
            subKey: 'user-role',
            message: `Studio ${studio.id} uses ${studio.authMode ?? 'IAM'} authentication, so its user role ${roleNameFromReference(studio.userRole)} is unused.`,
          })
        continue
      }
      const role = studio.userRole ? index.roleByReference(studio.userRole) : undefined
      if (!role || !serviceTrust(role.trustPolicy, emrPrincipals(inventory.account.partition)).trusted) {
        const why = !studio.userRole
          ? 'has no user role'
          : !role
            ? `uses user role ${roleNameFromReference(studio.userRole)}, which does not exist`
            : `uses user role ${role.name}, which does not trust EMR`
        outcomes.push({
          status: 'fail',
          severity: 'high',
          resource,
          subKey: 'user-role',
          message: `SSO Studio ${studio.id} ${why}; its users cannot work in it.`,
        })
        continue
      }
      outcomes.push({status: 'pass', resource, subKey: 'user-role', message: `SSO Studio ${studio.id}'s user role ${role.name} exists and trusts EMR.`})
      if (!studio.sessionMappings) {
        outcomes.push({status: 'unknown', resource, subKey: 'session-policies', message: `Session mappings of Studio ${studio.id} could not be listed.`})
      } else {
        const attached = new Set(role.attachedPolicies.map((policy) => policy.arn))
        const unattached = [
          ...new Set(
            studio.sessionMappings.flatMap((mapping) =>
              mapping.sessionPolicyArn && !attached.has(mapping.sessionPolicyArn) ? [mapping.sessionPolicyArn] : [],
            ),
          ),
        ]
        outcomes.push(
          unattached.length > 0
            ? {
                status: 'fail',
                severity: 'medium',
                resource,
                subKey: 'session-policies',
                message: `Session policies ${unattached.join(', ')} of Studio ${studio.id} are not attached to user role ${role.name}, so they grant nothing.`,
                evidence: {unattached},
              }
            : {status: 'pass', resource, subKey: 'session-policies', message: `Every session policy of Studio ${studio.id} is attached to its user role.`},
        )
      }
      outcomes.push(...passRoleOutcomes(studio, role, sources(studio, role, index), inventory.account))
    }
    return outcomes
  },
})

function sources(studio: Studio, role: Role, index: InventoryIndex): PolicySource[] {
  const sessionPolicies = (studio.sessionMappings ?? []).flatMap((mapping) =>
    mapping.sessionPolicyArn ? [{label: mapping.sessionPolicyArn, document: index.policy(mapping.sessionPolicyArn)?.document ?? null}] : [],
  )
  return [...index.identityPolicies(role), ...sessionPolicies]
}

/** PassRole in the user role and each session policy should reach the Studio service role only, never every role. */
function passRoleOutcomes(studio: Studio, role: Role, policies: PolicySource[], account: {id: string; partition: string}): RuleOutcome[] {
  const resource = studioResource(studio)
  const analyses = policies.map((source) => analysePassRole([source], undefined, account.partition, account.id))
  const openEnded = analyses.flatMap((analysis) => analysis.openEnded)
  const scoped = analyses.flatMap((analysis) => analysis.scoped)
  if (openEnded.length > 0) {
    return [
      {
        status: 'fail',
        severity: 'medium',
        resource,
        subKey: 'passrole',
        message: `Studio ${studio.id} users may pass any role via ${policyNames(openEnded)}; limit iam:PassRole to the Studio service role.`,
        evidence: {grants: openEnded},
      },
    ]
  }
  if (scoped.length === 0) return []
  const patterns = [...new Set(scoped.map((grant) => describeCoverage(grant.coverage)))].join(', ')
  return [
    {
      status: 'pass',
      resource,
      subKey: 'passrole',
      message: `Studio ${studio.id} users (role ${role.name}) may pass only roles matching ${patterns}.`,
      evidence: {grants: scoped},
    },
  ]
}
