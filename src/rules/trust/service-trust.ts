/** TRUST-001 and TRUST-003 ask one question of different roles: does the trust let this service assume it? */
import type {RoleClass} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import {statementsOf} from '../../policy/document.js'
import {describeStatement, serviceTrust} from '../../policy/trust.js'
import {existingRolesOf, iamCollected, iamSnapshotUnknown, roleResource, roleSeverity, scopeFor} from '../helpers.js'
import type {RuleContext, RuleOutcome} from '../types.js'

export interface ServiceTrustCheck {
  roleClass: RoleClass
  roleLabel: string
  serviceLabel: string
  principals(partition: string): string[]
}

export function evaluateServiceTrust(check: ServiceTrustCheck, inventory: Inventory, {index, scope}: RuleContext): RuleOutcome[] {
  if (!iamCollected(index)) return iamSnapshotUnknown(inventory, `the trust of ${check.roleLabel}s`)
  const activeRoleNames = new Set(
    inventory.emr.clusters.flatMap((cluster) => [cluster.serviceRole, cluster.autoScalingRole].filter((name): name is string => Boolean(name)).map((reference) => index.roleByReference(reference)?.name)),
  )
  const outcomes: RuleOutcome[] = []
  for (const {role, reasons} of existingRolesOf(scope, [check.roleClass])) {
    const base = {resource: roleResource(role), scope: scopeFor(reasons, [check.roleClass]), severity: roleSeverity(reasons, [check.roleClass], 'critical')}
    if (!role.trustPolicy) {
      outcomes.push({...base, status: 'unknown', message: `Could not read the trust policy of ${role.name}: ${role.trustPolicyParseError ?? 'not collected'}.`})
      continue
    }
    const principals = check.principals(inventory.account.partition)
    const trust = serviceTrust(role.trustPolicy, principals)
    const hasAllowStatements = statementsOf(role.trustPolicy).some((statement) => statement.effect === 'Allow')
    const evidence = {
      expectedPrincipal: principals,
      allowing: trust.allowing.map(describeStatement),
      cancelledBy: trust.cancelling.map(describeStatement),
      ...(trust.conditionalDenies.length ? {conditionalDenies: trust.conditionalDenies.map(describeStatement)} : {}),
      guard: {usedByActiveCluster: activeRoleNames.has(role.name), hasAllowStatements},
    }
    if (trust.trusted) {
      const note = trust.conditionalDenies.length ? ' (a conditional Deny may still block it)' : ''
      outcomes.push({...base, status: 'pass', message: `${role.name} trusts ${check.serviceLabel}${note}.`, evidence})
    } else if (trust.cancelling.length > 0) {
      outcomes.push({...base, status: 'fail', message: `${check.roleLabel} ${role.name} allows ${check.serviceLabel} but a Deny statement cancels it; remove the Deny for ${principals[0]}.`, evidence})
    } else {
      outcomes.push({...base, status: 'fail', message: `${check.roleLabel} ${role.name} does not trust ${check.serviceLabel}; add an Allow sts:AssumeRole statement for ${principals[0]}.`, evidence})
    }
  }
  return outcomes
}
