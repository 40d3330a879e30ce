/** Lookups over the inventory that many rules need, built once per analysis. */
import type {Inventory, InstanceProfile, ManagedPolicy, Role, SourceId, SourceStatus} from '../inventory/schema.js'
import type {PolicySource} from '../policy/evaluate.js'
import {instanceProfileNameFromReference, roleNameFromReference} from '../policy/match.js'

export interface InventoryIndex {
  roleByName(name: string): Role | undefined
  /** A name or an ARN, as EMR returns them. */
  roleByReference(reference: string): Role | undefined
  roleById(id: string): Role | undefined
  instanceProfile(reference: string): InstanceProfile | undefined
  /**
   * What is known of an instance profile: from ListInstanceProfiles when it ran, else from the profiles
   * the IAM snapshot shows beside their roles (which cannot show empty profiles, hence `unknown`).
   */
  resolveInstanceProfile(reference: string): ProfileResolution
  policy(arn: string): ManagedPolicy | undefined
  /** The worst outcome of a source in a region ('global' for IAM); undefined when it never ran. */
  sourceStatus(source: SourceId, region: string): SourceStatus | undefined
  /** True when the source ran and answered in full. */
  collected(source: SourceId, region: string): boolean
  /** Identity policies of a role as evaluator inputs; documents not collected become null (→ unknown). Shared: read-only. */
  identityPolicies(role: Role): readonly PolicySource[]
  permissionsBoundary(role: Role): PolicySource | undefined
}

export type ProfileResolution =
  | {status: 'found'; name: string; arn?: string; roleNames: string[]; source: 'ListInstanceProfiles' | 'GetAccountAuthorizationDetails'}
  | {status: 'absent'; name: string}
  | {status: 'unknown'; name: string; reason: string}

const statusOrder: SourceStatus[] = ['ok', 'unsupported', 'denied', 'error']

export function buildIndex(inventory: Inventory): InventoryIndex {
  const byName = new Map(inventory.iam.roles.map((role) => [role.name, role]))
  const byArn = new Map(inventory.iam.roles.map((role) => [role.arn, role]))
  const byId = new Map(inventory.iam.roles.map((role) => [role.id, role]))
  const profiles = new Map(inventory.iam.instanceProfiles.map((profile) => [profile.name, profile]))
  const policies = new Map(inventory.iam.policies.map((policy) => [policy.arn, policy]))
  const statuses = new Map<string, SourceStatus>()
  for (const outcome of inventory.coverage) {
    const key = `${outcome.source}|${outcome.region}`
    const previous = statuses.get(key)
    if (!previous || statusOrder.indexOf(outcome.status) > statusOrder.indexOf(previous)) statuses.set(key, outcome.status)
  }
  const sourceStatus = (source: SourceId, region: string): SourceStatus | undefined => statuses.get(`${source}|${region}`)

  const snapshotProfiles = new Map<string, {name: string; arn: string; roleNames: string[]}>()
  for (const role of inventory.iam.roles) for (const profile of role.instanceProfiles) snapshotProfiles.set(profile.name, profile)
  const resolveInstanceProfile = (reference: string): ProfileResolution => {
    const name = instanceProfileNameFromReference(reference)
    const listed = profiles.get(name)
    if (listed) return {status: 'found', name, arn: listed.arn, roleNames: listed.roles.map((role) => role.name), source: 'ListInstanceProfiles'}
    if (sourceStatus('iam.instanceProfiles', 'global') === 'ok') return {status: 'absent', name}
    const seen = snapshotProfiles.get(name)
    if (seen) return {status: 'found', name, arn: seen.arn, roleNames: seen.roleNames, source: 'GetAccountAuthorizationDetails'}
    return {
      status: 'unknown',
      name,
      reason: 'instance profiles could not be listed (iam:ListInstanceProfiles), and the IAM snapshot does not show profiles without a role',
    }
  }

  // Rules ask for the same roles' policies again and again: each role's list is built once per analysis.
  const identityPolicies = new Map<Role, PolicySource[]>()
  const policiesOf = (role: Role): PolicySource[] => [
    ...role.inlinePolicies.map((policy) => ({label: `inline:${policy.name}`, document: policy.document})),
    ...role.attachedPolicies.map((attached) => ({label: attached.arn, document: policies.get(attached.arn)?.document ?? null})),
  ]

  return {
    resolveInstanceProfile,
    roleByName: (name) => byName.get(name),
    roleByReference: (reference) => byArn.get(reference) ?? byName.get(roleNameFromReference(reference)),
    roleById: (id) => byId.get(id),
    instanceProfile: (reference) => profiles.get(instanceProfileNameFromReference(reference)),
    policy: (arn) => policies.get(arn),
    sourceStatus,
    collected: (source, region) => sourceStatus(source, region) === 'ok',
    identityPolicies: (role) => {
      let list = identityPolicies.get(role)
      if (!list) identityPolicies.set(role, (list = policiesOf(role)))
      return list
    },
    permissionsBoundary: (role) =>
      role.permissionsBoundaryArn
        ? {label: `boundary:${role.permissionsBoundaryArn}`, document: policies.get(role.permissionsBoundaryArn)?.document ?? null}
        : undefined,
  }
}
