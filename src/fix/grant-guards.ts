/**
 * Guards that look at what a grant reaches, not only at the evidence that asked for it. A step (even a
 * failed one) or a finding naming a role is something anyone allowed to submit steps can arrange, so an
 * automatic sts:AssumeRole / iam:PassRole grant goes only to one explicit role of this account, whose trust
 * already names whoever will use it, and never to a role with administrator-like access: granting that
 * would hand the access on.
 */
import type {Inventory, Role} from '../inventory/schema.js'
import {statementsOf} from '../policy/document.js'
import {type AccessRequest, evaluateIdentityAccess} from '../policy/evaluate.js'
import {statementCoversAction} from '../policy/match.js'
import {awsPrincipalsOf, serviceTrust} from '../policy/trust.js'
import type {InventoryIndex} from '../rules/inventory-index.js'
import type {Guard} from './types.js'

/** A service that does not exist: only `*`, `*:*` or a NotAction reaches it, so an allow means "every action". */
const ANY_ACTION = 'emrauditprobe:AnyAction'

/** IAM writes that let a principal give itself (or anyone) more access, by the kind of resource they act on. */
const IAM_EDITS: Record<'role' | 'user' | 'group' | 'policy', readonly string[]> = {
  role: [
    'iam:CreateRole',
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:DetachRolePolicy',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
  ],
  user: [
    'iam:CreateUser',
    'iam:PutUserPolicy',
    'iam:AttachUserPolicy',
    'iam:CreateAccessKey',
    'iam:CreateLoginProfile',
    'iam:UpdateLoginProfile',
    'iam:DeleteUserPermissionsBoundary',
  ],
  group: ['iam:AddUserToGroup', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy'],
  policy: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'],
}

interface Probe {
  what: string
  request: AccessRequest
}

/**
 * The questions that make a role administrator-like. Resources are literal wildcards (`role/*`): only a
 * pattern covering every role (`*`, `role/*`, a NotResource) matches them, so the answer is about the
 * policy's reach, not about one made-up name. The role's own ARN is asked too: a role that may edit
 * itself may give itself anything.
 */
function adminProbes(role: Role, inventory: Inventory): Probe[] {
  const {id: account, partition} = inventory.account
  const every = (kind: string) => `arn:${partition}:iam::${account}:${kind}/*`
  // A new default version of a policy that applies to the role (attached, or its boundary) is the role editing itself.
  const ownPolicies = new Map([
    ...role.attachedPolicies.map((policy) => [policy.arn, policy.name] as const),
    ...(role.permissionsBoundaryArn
      ? [[role.permissionsBoundaryArn, role.permissionsBoundaryArn.slice(role.permissionsBoundaryArn.lastIndexOf('/') + 1)] as const]
      : []),
  ])
  const own = (kind: keyof typeof IAM_EDITS) => (kind === 'role' ? [role.arn] : kind === 'policy' ? [...ownPolicies.keys()] : [])
  const label = (kind: string, resource: string) =>
    resource === role.arn ? 'itself' : ownPolicies.has(resource) ? `its own policy ${ownPolicies.get(resource) ?? resource}` : `every ${kind}`
  const edits = (Object.entries(IAM_EDITS) as Array<[keyof typeof IAM_EDITS, readonly string[]]>).flatMap(([kind, actions]) =>
    actions.flatMap((action) => [every(kind), ...own(kind)].map((resource) => ({what: `${action} on ${label(kind, resource)}`, request: {action, resource}}))),
  )
  return [
    {what: 'every action', request: {action: ANY_ACTION, resource: '*'}},
    {what: 'iam:PassRole on every role', request: {action: 'iam:PassRole', resource: every('role')}},
    {what: 'sts:AssumeRole on every role', request: {action: 'sts:AssumeRole', resource: every('role')}},
    ...edits,
  ]
}

function directAdminAccess(role: Role, index: InventoryIndex, inventory: Inventory): {allowed?: string; undecided?: string} {
  let undecided: string | undefined
  for (const probe of adminProbes(role, inventory)) {
    const result = evaluateIdentityAccess(index.identityPolicies(role), probe.request, index.permissionsBoundary(role))
    if (result.decision === 'allow') return {allowed: `${probe.what}, by ${[...new Set(result.allowedBy.map((ref) => ref.policy))].join(', ')}`}
    if (result.decision === 'unknown') undecided ??= `${probe.what}: ${result.unknownBecause[0] ?? 'undecided'}`
  }
  return undecided ? {undecided} : {}
}

/**
 * One step further: a role that may assume (and is trusted by) or pass a named role with administrator-like
 * access is one call away from it. Only allows that hold outright count here; the step is not repeated.
 */
function reachesAdmin(role: Role, index: InventoryIndex, inventory: Inventory): string | undefined {
  for (const other of inventory.iam.roles) {
    if (other.arn === role.arn) continue
    const may = (action: string) =>
      evaluateIdentityAccess(index.identityPolicies(role), {action, resource: other.arn}, index.permissionsBoundary(role)).decision === 'allow'
    const assumes = may('sts:AssumeRole') && trustNamesPrincipal(other, role, inventory).held === true
    const passes = !assumes && may('iam:PassRole')
    if (!assumes && !passes) continue
    const admin = directAdminAccess(other, index, inventory).allowed
    if (admin) return `${assumes ? 'sts:AssumeRole' : 'iam:PassRole'} on ${other.name}, which has ${admin}`
  }
  return undefined
}

/**
 * Held when the role's own policies (within its permissions boundary) answer no to every admin probe and
 * it cannot assume or pass a role that answers yes; false with what it may do and the policy that allows
 * it; null when a probe cannot be decided (a policy not collected, a condition not known offline).
 */
export function notAdministratorLike(role: Role, index: InventoryIndex, inventory: Inventory): Guard {
  const name = 'notAdministratorLike'
  const direct = directAdminAccess(role, index, inventory)
  const allowed = direct.allowed ?? reachesAdmin(role, index, inventory)
  if (allowed) return {name, held: false, detail: `${role.name} has administrator-like access (${allowed}); it is never the target of an automatic grant`}
  if (direct.undecided) return {name, held: null, detail: `whether ${role.name} has administrator-like access could not be decided (${direct.undecided})`}
  return {name, held: true, detail: `${role.name} has no administrator-like access`}
}

/** The role of this account with exactly this ARN: a name match alone could be another account's role. */
export function explicitRole(arn: string, inventory: Inventory): {role?: Role; guard: Guard} {
  const name = 'explicitRoleArn'
  if (/[*?]/.test(arn)) return {guard: {name, held: false, detail: `${arn} is a pattern, not one role`}}
  const role = inventory.iam.roles.find((candidate) => candidate.arn === arn)
  if (!role) return {guard: {name, held: false, detail: `${arn} is not a role of account ${inventory.account.id} in the inventory`}}
  return {role, guard: {name, held: true, detail: arn}}
}

function accountRoots(inventory: Inventory): string[] {
  const {id, partition} = inventory.account
  return [id, `arn:${partition}:iam::${id}:root`]
}

/**
 * EMR-RUNTIME: the runtime role's trust must already let the EC2 role assume it, naming the EC2 role's ARN
 * or its account root (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html).
 * Conditions on that statement only narrow it and are kept as they are.
 */
export function trustNamesPrincipal(target: Role, grantee: Role, inventory: Inventory): Guard {
  const name = 'trustNamesGrantee'
  if (!target.trustPolicy) return {name, held: null, detail: `the trust policy of ${target.name} was not read`}
  const accepted = new Set([grantee.arn, ...accountRoots(inventory)])
  const names = statementsOf(target.trustPolicy).some(
    (statement) =>
      statement.effect === 'Allow' &&
      statementCoversAction(statement, 'sts:AssumeRole') &&
      awsPrincipalsOf(statement).some((principal) => accepted.has(principal)),
  )
  return names
    ? {name, held: true, detail: `the trust of ${target.name} names ${grantee.name} or its account`}
    : {name, held: false, detail: `the trust of ${target.name} does not name ${grantee.name} or its account root; granting would not let it assume the role`}
}

/** iam:PassRole: the passed role must already trust the service it is passed to. */
export function trustsService(target: Role, services: readonly string[]): Guard {
  const name = 'trustsPassedToService'
  if (!target.trustPolicy) return {name, held: null, detail: `the trust policy of ${target.name} was not read`}
  return serviceTrust(target.trustPolicy, services).trusted
    ? {name, held: true, detail: `${target.name} trusts ${services[0] ?? ''}`}
    : {name, held: false, detail: `${target.name} does not trust ${services[0] ?? ''}; passing it there is not what the finding needs`}
}
