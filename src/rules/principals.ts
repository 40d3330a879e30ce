/**
 * REQUIREMENTS §3 class PRINCIPAL: the users, groups and roles (humans and automation) whose policies the
 * operator rules evaluate, each with every identity policy that applies to it (a user's groups included).
 * A group is evaluated on its own policies too, so a broad group is reported before anyone joins it.
 */
import type {ResourceRef} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import type {PolicySource} from '../policy/evaluate.js'
import type {InventoryIndex} from './inventory-index.js'
import type {RoleScope} from './scope.js'

export interface Principal {
  kind: 'user' | 'group' | 'role'
  name: string
  arn: string
  resource: ResourceRef
  policies: readonly PolicySource[]
  boundary?: PolicySource
}

// Several rules walk every principal of the account; one list per analysis (per index and scope) serves them all.
const listed = new WeakMap<InventoryIndex, {inventory: Inventory; scope: RoleScope; principals: readonly Principal[]}>()

/** Every principal, sorted by ARN; the list is shared by the rules of one analysis, so it is read-only. */
export function principalsOf(inventory: Inventory, index: InventoryIndex, scope: RoleScope): readonly Principal[] {
  const cached = listed.get(index)
  if (cached?.inventory === inventory && cached.scope === scope) return cached.principals
  const principals = Object.freeze(listPrincipals(inventory, index, scope))
  listed.set(index, {inventory, scope, principals})
  return principals
}

// What `localeCompare` does, without building the comparison afresh for each of 300,000 comparisons.
const byLocale = new Intl.Collator()

function listPrincipals(inventory: Inventory, index: InventoryIndex, scope: RoleScope): Principal[] {
  const emrRoles = new Set(scope.existingRoles().map((entry) => entry.name))
  const groups = new Map(inventory.iam.groups.map((group) => [group.name, group]))
  const policyDocument = (arn: string) => index.policy(arn)?.document ?? null
  /** A user's or group's inline and attached policies, labelled for evidence (a group's with its name). */
  const ownPolicies = (
    entity: {inlinePolicies: Array<{name: string; document: PolicySource['document']}>; attachedPolicies: Array<{arn: string}>},
    labelPrefix = '',
  ): PolicySource[] => [
    ...entity.inlinePolicies.map((policy) => ({label: `${labelPrefix}inline:${policy.name}`, document: policy.document})),
    ...entity.attachedPolicies.map((policy) => ({label: `${labelPrefix}${policy.arn}`, document: policyDocument(policy.arn)})),
  ]
  const users: Principal[] = inventory.iam.users.map((user) => {
    const memberOf = user.groups.flatMap((name) => {
      const group = groups.get(name)
      return group ? [group] : []
    })
    const boundaryArn = user.permissionsBoundaryArn
    return {
      kind: 'user',
      name: user.name,
      arn: user.arn,
      resource: {type: 'iam-user', id: user.name, arn: user.arn, name: user.name},
      policies: [...ownPolicies(user), ...memberOf.flatMap((group) => ownPolicies(group, `group ${group.name} `))],
      ...(boundaryArn ? {boundary: {label: `boundary:${boundaryArn}`, document: policyDocument(boundaryArn)}} : {}),
    }
  })
  const groupPrincipals: Principal[] = inventory.iam.groups.map((group) => ({
    kind: 'group',
    name: group.name,
    arn: group.arn,
    resource: {type: 'iam-group', id: group.name, arn: group.arn, name: group.name},
    policies: ownPolicies(group),
  }))
  // EMR's own roles are audited by the role rules; service-linked roles belong to AWS.
  const roles: Principal[] = inventory.iam.roles
    .filter((role) => !emrRoles.has(role.name) && !role.path.startsWith('/aws-service-role/'))
    .map((role) => {
      const boundary = index.permissionsBoundary(role)
      return {
        kind: 'role',
        name: role.name,
        arn: role.arn,
        resource: {type: 'iam-role', id: role.name, arn: role.arn, name: role.name},
        policies: index.identityPolicies(role),
        ...(boundary ? {boundary} : {}),
      }
    })
  return [...users, ...groupPrincipals, ...roles].sort((a, b) => byLocale.compare(a.arn, b.arn))
}

/** Every user, group and role with a given managed policy attached. */
export function entitiesAttaching(
  inventory: Inventory,
  policyArn: string,
): Array<{kind: 'user' | 'group' | 'role'; name: string; arn: string; resource: ResourceRef}> {
  const attaches = (entity: {attachedPolicies: Array<{arn: string}>}) => entity.attachedPolicies.some((policy) => policy.arn === policyArn)
  return [
    ...inventory.iam.users.filter(attaches).map((user) => ({
      kind: 'user' as const,
      name: user.name,
      arn: user.arn,
      resource: {type: 'iam-user' as const, id: user.name, arn: user.arn, name: user.name},
    })),
    ...inventory.iam.groups.filter(attaches).map((group) => ({
      kind: 'group' as const,
      name: group.name,
      arn: group.arn,
      resource: {type: 'iam-group' as const, id: group.name, arn: group.arn, name: group.name},
    })),
    ...inventory.iam.roles.filter(attaches).map((role) => ({
      kind: 'role' as const,
      name: role.name,
      arn: role.arn,
      resource: {type: 'iam-role' as const, id: role.name, arn: role.arn, name: role.name},
    })),
  ]
}

export function awsManagedArn(partition: string, name: string, path = '/'): string {
  return `arn:${partition}:iam::aws:policy${path}${name}`
}
