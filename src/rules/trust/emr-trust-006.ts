import type {RoleClass} from '../../findings/types.js'
import {statementsOf} from '../../policy/document.js'
import {awsPrincipalsOf, isUniqueIdPrincipal} from '../../policy/trust.js'
import {existingRolesOf, roleResource, roleSeverity} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

const CLASSES: RoleClass[] = ['RUNTIME', 'EMRFS', 'SVC', 'EC2']

export default defineRule({
  id: 'EMR-TRUST-006',
  group: 'TRUST',
  title: 'Trust policies that point to deleted roles',
  severity: 'high',
  rationale:
    "IAM rewrites a trusted role ARN to the role's unique id when that role is deleted; recreating a role of the same name does not restore the trust, so runtime steps or EMRFS mappings fail.",
  sources: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html',
  ],
  remediation: {summary: 'iam:UpdateAssumeRolePolicy replacing the unique id with the ARN of the role that should be trusted.', autoApply: 'no'},
  dependsOn: ['iam.authorizationDetails'],
  checks: 'trust policies for deleted principals',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {index, scope}) {
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, CLASSES)) {
      const base = {
        resource: roleResource(role),
        scope: reasons.filter((reason) => CLASSES.includes(reason.class)),
        severity: roleSeverity(reasons, CLASSES, 'high'),
      }
      const ids = [...new Set(statementsOf(role.trustPolicy).flatMap(awsPrincipalsOf).filter(isUniqueIdPrincipal))]
      const orphaned = ids.filter((id) => !index.roleById(id))
      const resolved = ids.filter((id) => index.roleById(id)).map((id) => ({id, role: index.roleById(id)?.arn}))
      if (orphaned.length > 0) {
        outcomes.push({
          ...base,
          status: 'fail',
          message: `Trust of ${role.name} names ${orphaned.join(', ')}, the unique id of a deleted principal; replace it with the ARN of the role to trust.`,
          evidence: {orphanedPrincipals: orphaned, ...(resolved.length ? {resolvedPrincipals: resolved} : {})},
        })
      } else if (ids.length > 0 || role.trustPolicy) {
        outcomes.push({
          ...base,
          status: 'pass',
          message: `Trust of ${role.name} names no deleted principal.`,
          ...(resolved.length ? {evidence: {resolvedPrincipals: resolved}} : {}),
        })
      }
    }
    return outcomes
  },
})
