/**
 * REQUIREMENTS §3, the role scope model: which roles are audited as which class, and why.
 * References from live resources beat configured names, which beat default names, which beat heuristics.
 */
import type {AuditConfig} from '../config/schema.js'
import type {RoleClass, ScopeReason, ScopeVia, Severity} from '../findings/types.js'
import type {Inventory, Role} from '../inventory/schema.js'
import {isPlainObject} from '../policy/document.js'
import {roleNameFromReference} from '../policy/match.js'
import {APPLICATION_AUTOSCALING_PRINCIPAL, awsPrincipalsOf, ec2Principals, emrPrincipals, serviceTrust} from '../policy/trust.js'
import {statementsOf} from '../policy/document.js'
import type {SourceId} from '../inventory/schema.js'
import type {InventoryIndex} from './inventory-index.js'

/** What the role scope is built from: a rule that uses `context.scope` reads these. */
export const ROLE_SCOPE_SOURCES: readonly SourceId[] = [
  'iam.authorizationDetails',
  'iam.instanceProfiles',
  'emr.clusters',
  'emr.steps',
  'emr.studios',
  'emr.securityConfigurations',
]

export interface ScopedRole {
  /** The role name (for a role that does not exist: the name it was referenced by). */
  name: string
  /** The reference as given (name or ARN), for roles that do not exist. */
  reference: string
  role?: Role
  reasons: ScopeReason[]
}

export interface RoleScope {
  /** Every role in scope for a class, existing or not. */
  rolesOf(roleClass: RoleClass): ScopedRole[]
  /** Every in-scope role that exists. */
  existingRoles(): ScopedRole[]
  reasonsFor(roleName: string): ScopeReason[]
}

const viaStrength: ScopeVia[] = ['heuristic', 'default-name', 'config', 'reference']

/** The strongest way a role entered scope for a class. */
export function strongestVia(reasons: ScopeReason[], roleClass: RoleClass): ScopeVia | undefined {
  let best: ScopeVia | undefined
  for (const reason of reasons) {
    if (reason.class !== roleClass) continue
    if (!best || viaStrength.indexOf(reason.via) > viaStrength.indexOf(best)) best = reason.via
  }
  return best
}

/** "Roles matched only by heuristic are reported with info severity unless a requirement says otherwise." */
export function severityForScope(reasons: ScopeReason[], roleClass: RoleClass, severity: Severity): Severity {
  return strongestVia(reasons, roleClass) === 'heuristic' ? 'info' : severity
}

export const DEFAULT_ROLE_NAMES: Record<string, RoleClass> = {
  EMR_DefaultRole: 'SVC',
  EMR_DefaultRole_V2: 'SVC',
  EMR_EC2_DefaultRole: 'EC2',
  EMR_AutoScaling_DefaultRole: 'ASG',
  // Older documentation (emr-iam-roles.html) spells it without the underscore; both exist in the wild.
  EMR_AutoScalingDefaultRole: 'ASG',
  EMR_Notebooks_DefaultRole: 'NB',
  AWSServiceRoleForEMRCleanup: 'SLR',
}

export const EMR_SLR_PATH = '/aws-service-role/elasticmapreduce.amazonaws.com/'

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1)

function attachesAny(role: Role, names: string[]): boolean {
  return role.attachedPolicies.some((policy) => names.includes(policyName(policy.arn)))
}

/** Role ARNs named under `AuthorizationConfiguration.EmrFsConfiguration.RoleMappings[].Role`. */
export function emrfsRoleMappings(configuration: unknown): string[] {
  if (!isPlainObject(configuration)) return []
  const authorization = configuration['AuthorizationConfiguration']
  if (!isPlainObject(authorization)) return []
  const emrfs = authorization['EmrFsConfiguration']
  if (!isPlainObject(emrfs)) return []
  const mappings = emrfs['RoleMappings']
  if (!Array.isArray(mappings)) return []
  return mappings.flatMap((mapping) => (isPlainObject(mapping) && typeof mapping['Role'] === 'string' ? [mapping['Role']] : []))
}

export function buildScope(inventory: Inventory, index: InventoryIndex, config: AuditConfig): RoleScope {
  const scoped = new Map<string, ScopedRole>()
  const add = (reference: string, roleClass: RoleClass, via: ScopeVia, detail: string): void => {
    const role = index.roleByReference(reference)
    const name = role?.name ?? roleNameFromReference(reference)
    let entry = scoped.get(name)
    if (!entry) {
      entry = {name, reference, ...(role ? {role} : {}), reasons: []}
      scoped.set(name, entry)
    }
    // "A role enters scope through the first rule that matches": keep only the strongest kind of reason
    // per class (every reference of that kind, e.g. each cluster using the role).
    const current = strongestVia(entry.reasons, roleClass)
    if (current && viaStrength.indexOf(via) < viaStrength.indexOf(current)) return
    if (current && viaStrength.indexOf(via) > viaStrength.indexOf(current)) entry.reasons = entry.reasons.filter((reason) => reason.class !== roleClass)
    if (!entry.reasons.some((reason) => reason.class === roleClass && reason.detail === detail)) entry.reasons.push({class: roleClass, via, detail})
  }
  const partition = inventory.account.partition

  for (const cluster of inventory.emr.clusters) {
    const where = `cluster ${cluster.id} (${cluster.region})`
    if (cluster.serviceRole) add(cluster.serviceRole, 'SVC', 'reference', `service role of ${where}`)
    if (cluster.autoScalingRole) add(cluster.autoScalingRole, 'ASG', 'reference', `auto scaling role of ${where}`)
    for (const step of cluster.steps ?? [])
      if (step.executionRoleArn) add(step.executionRoleArn, 'RUNTIME', 'reference', `runtime role of step ${step.id} on ${where}`)
    if (cluster.instanceProfile) {
      const profile = index.resolveInstanceProfile(cluster.instanceProfile)
      for (const roleName of profile.status === 'found' ? profile.roleNames : []) {
        add(roleName, 'EC2', 'reference', `role in instance profile ${roleNameFromReference(cluster.instanceProfile)} of ${where}`)
      }
    }
  }
  for (const studio of inventory.emr.studios) {
    const where = `Studio ${studio.id} (${studio.region})`
    if (studio.serviceRole) add(studio.serviceRole, 'STUDIO_SVC', studio.origin === 'api' ? 'reference' : 'config', `service role of ${where}`)
    if (studio.userRole) add(studio.userRole, 'STUDIO_USER', studio.origin === 'api' ? 'reference' : 'config', `user role of ${where}`)
  }
  for (const configuration of inventory.emr.securityConfigurations) {
    for (const roleArn of emrfsRoleMappings(configuration.configuration)) {
      add(roleArn, 'EMRFS', 'reference', `EMRFS role mapping in security configuration ${configuration.name} (${configuration.region})`)
    }
  }
  for (const reference of config.serviceRoles ?? []) add(reference, 'SVC', 'config', 'named in the config (serviceRoles)')
  for (const reference of config.ec2Roles ?? []) add(reference, 'EC2', 'config', 'named in the config (ec2Roles)')
  for (const reference of config.runtimeRoles ?? []) add(reference, 'RUNTIME', 'config', 'named in the config (runtimeRoles)')

  for (const role of inventory.iam.roles) {
    const defaultClass = DEFAULT_ROLE_NAMES[role.name]
    if (defaultClass) add(role.name, defaultClass, 'default-name', `default EMR role name ${role.name}`)
    if (role.path === EMR_SLR_PATH) add(role.name, 'SLR', 'default-name', `service-linked role path ${EMR_SLR_PATH}`)
    if (role.path.startsWith('/aws-service-role/')) continue
    // The attached-policy test is the cheap one: the trust policy is examined only for the few roles it leaves.
    if (attachesAny(role, ['AmazonEMRServicePolicy_v2', 'AmazonElasticMapReduceRole']) && serviceTrust(role.trustPolicy, emrPrincipals(partition)).trusted) {
      add(role.name, 'SVC', 'heuristic', 'trusts the EMR principal and has an EMR service policy attached')
    }
    if (attachesAny(role, ['AmazonElasticMapReduceforEC2Role']) && serviceTrust(role.trustPolicy, ec2Principals()).trusted) {
      add(role.name, 'EC2', 'heuristic', 'trusts the EC2 principal and has AmazonElasticMapReduceforEC2Role attached')
    }
    if (attachesAny(role, ['AmazonElasticMapReduceforAutoScalingRole']) && serviceTrust(role.trustPolicy, [APPLICATION_AUTOSCALING_PRINCIPAL]).trusted) {
      add(role.name, 'ASG', 'heuristic', 'trusts Application Auto Scaling and has AmazonElasticMapReduceforAutoScalingRole attached')
    }
    if (attachesAny(role, ['AmazonElasticMapReduceEditorsRole'])) add(role.name, 'NB', 'heuristic', 'has AmazonElasticMapReduceEditorsRole attached')
  }

  // Runtime roles and EC2 roles find each other through trust: a role that trusts an in-scope EC2 role is a
  // runtime role candidate, and a role a runtime role trusts is an EC2 role candidate.
  const rolesOfClass = (roleClass: RoleClass): ScopedRole[] =>
    [...scoped.values()].filter((entry) => entry.reasons.some((reason) => reason.class === roleClass))
  const ec2Arns = new Set(rolesOfClass('EC2').flatMap((entry) => (entry.role ? [entry.role.arn] : [])))
  for (const role of inventory.iam.roles) {
    if (role.path.startsWith('/aws-service-role/')) continue
    const trusted = statementsOf(role.trustPolicy)
      .filter((statement) => statement.effect === 'Allow')
      .flatMap(awsPrincipalsOf)
    const ec2Role = trusted.find((principal) => ec2Arns.has(principal))
    if (ec2Role) add(role.name, 'RUNTIME', 'heuristic', `trust names the EMR EC2 role ${roleNameFromReference(ec2Role)}`)
  }
  for (const runtime of rolesOfClass('RUNTIME')) {
    if (!runtime.role || strongestVia(runtime.reasons, 'RUNTIME') === 'heuristic') continue
    const trusted = statementsOf(runtime.role.trustPolicy)
      .filter((statement) => statement.effect === 'Allow')
      .flatMap(awsPrincipalsOf)
    for (const principal of trusted) {
      const role = index.roleByReference(principal)
      if (role && principal.includes(':role/')) add(role.name, 'EC2', 'heuristic', `trusted by runtime role ${runtime.name}`)
    }
  }

  return {
    rolesOf: rolesOfClass,
    existingRoles: () => [...scoped.values()].filter((entry) => entry.role !== undefined),
    reasonsFor: (roleName) => scoped.get(roleName)?.reasons ?? [],
  }
}
