/**
 * Checks only a launch needs, over the overlaid inventory: whether the launcher may start the cluster and
 * pass its roles, whether the subnet exists there, and whether block public access lets its security
 * groups through. They are rules like the catalog's (same outcome shape, same engine), built per run for
 * the requested clusters; the catalog's own rules judge the rest (roles, profile, trust, tags, security
 * configuration, KMS, runtime-role preconditions).
 */
import type {Cluster, Inventory} from '../inventory/schema.js'
import {evaluateIdentityAccess, type PolicySource} from '../policy/evaluate.js'
import {roleNameFromReference} from '../policy/match.js'
import {clusterResource} from '../rules/helpers.js'
import type {InventoryIndex} from '../rules/inventory-index.js'
import {clusterSecurityGroupIds, clusterSubnetIds, findSecurityGroup, findSubnet, refusedByBpa, portLabel} from '../rules/network.js'
import {principalsOf} from '../rules/principals.js'
import {defineRule, type Rule, type RuleContext, type RuleOutcome, withAccessScope} from '../rules/types.js'
import type {ClusterField} from './request.js'
import type {PlannedCluster} from './overlay.js'

export interface LaunchContext {
  clusters: readonly PlannedCluster[]
  /** The principal that will call RunJobFlow: --as, or the caller. Undefined when unknown. */
  launcherArn?: string
  /** Ids of subnets and security groups the same plan or template creates (they have no id yet). */
  plannedNetwork: ReadonlySet<string>
  /**
   * True when the scan kept the request's subnets and groups whatever their tags (a live preflight). A saved
   * inventory keeps only those clusters use or that carry the v2 tag: an id absent from it is not proof.
   */
  networkComplete: boolean
}

interface Launcher {
  label: string
  policies: readonly PolicySource[]
  boundary?: PolicySource
}

type LauncherLookup = {status: 'found'; launcher: Launcher} | {status: 'root'} | {status: 'unknown'; reason: string}

/** A user, a role, or a role session (`sts::…:assumed-role/NAME/session`) of this account, with its policies. */
function findLauncher(arn: string, inventory: Inventory, context: RuleContext): LauncherLookup {
  const match = /^arn:[\w-]+:(iam|sts)::(\d{12}):(.+)$/.exec(arn)
  if (!match) return {status: 'unknown', reason: `${arn} is not an IAM user, role or role-session ARN`}
  const [, service, account, resource = ''] = match
  if (account !== inventory.account.id) return {status: 'unknown', reason: `the launcher ${arn} is in another account; its policies cannot be read from here`}
  if (resource === 'root') return {status: 'root'}
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const role = context.index.roleByName(resource.split('/')[1] ?? '')
    if (!role) return {status: 'unknown', reason: `the role of session ${arn} is not in the inventory`}
    const boundary = context.index.permissionsBoundary(role)
    return {status: 'found', launcher: {label: `role ${role.name}`, policies: context.index.identityPolicies(role), ...(boundary ? {boundary} : {})}}
  }
  if (resource.startsWith('role/')) {
    const role = context.index.roleByReference(arn)
    if (!role) return {status: 'unknown', reason: `the role ${arn} is not in the inventory`}
    const boundary = context.index.permissionsBoundary(role)
    return {status: 'found', launcher: {label: `role ${role.name}`, policies: context.index.identityPolicies(role), ...(boundary ? {boundary} : {})}}
  }
  const user = principalsOf(inventory, context.index, context.scope).find((principal) => principal.kind === 'user' && principal.arn === arn)
  if (!user) return {status: 'unknown', reason: `the user ${arn} is not in the inventory`}
  return {status: 'found', launcher: {label: `user ${user.name}`, policies: user.policies, ...(user.boundary ? {boundary: user.boundary} : {})}}
}

function plannedOf(inventory: Inventory, launch: LaunchContext): Array<{cluster: Cluster; planned: PlannedCluster}> {
  return launch.clusters.flatMap((planned) => {
    const cluster = inventory.emr.clusters.find((entry) => entry.id === planned.id)
    return cluster ? [{cluster, planned}] : []
  })
}

const TAG_KEY_PREFIXES = ['aws:requesttag/', 'elasticmapreduce:requesttag/']

/** Every condition key the documents name (any case), so tags the request does not send can be marked absent. */
function conditionKeys(sources: readonly PolicySource[]): string[] {
  const keys: string[] = []
  for (const source of sources) {
    const raw = source.document?.['Statement']
    for (const statement of Array.isArray(raw) ? raw : [raw]) {
      const condition = (statement as {Condition?: unknown} | undefined)?.Condition
      if (typeof condition !== 'object' || condition === null) continue
      for (const block of Object.values(condition)) if (typeof block === 'object' && block !== null) keys.push(...Object.keys(block))
    }
  }
  return keys
}

/**
 * The request's tags as RunJobFlow sends them (https://docs.aws.amazon.com/emr/latest/ManagementGuide/security_iam_service-with-iam.html:
 * aws:RequestTag/, elasticmapreduce:RequestTag/, aws:TagKeys). The request is complete: a tag key a policy
 * asks about that the request does not send is absent (`[]`), not unknown.
 */
function requestTagContext(tags: readonly {key: string; value: string}[], sources: readonly PolicySource[]): Record<string, string[]> {
  const context: Record<string, string[]> = {'aws:TagKeys': tags.map((tag) => tag.key)}
  for (const key of conditionKeys(sources)) {
    if (TAG_KEY_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix))) context[key] = []
  }
  for (const tag of tags) for (const prefix of ['aws:RequestTag/', 'elasticmapreduce:RequestTag/']) context[`${prefix}${tag.key}`] = [tag.value]
  return context
}

const fieldOf = (planned: PlannedCluster, field: ClusterField): string => planned.requested.fields[field] ?? field

/** The roles the launch passes, each to the service that will assume it (iam:PassedToService). */
function passedRoles(cluster: Cluster, index: InventoryIndex): Array<{field: ClusterField; roleName: string; arn?: string; service: string}> {
  const roles: Array<{field: ClusterField; roleName: string; arn?: string; service: string}> = []
  const add = (field: ClusterField, reference: string | undefined, service: string) => {
    if (!reference) return
    const role = index.roleByReference(reference)
    roles.push({field, roleName: role?.name ?? roleNameFromReference(reference), ...(role ? {arn: role.arn} : {}), service})
  }
  add('serviceRole', cluster.serviceRole, 'elasticmapreduce.amazonaws.com')
  if (cluster.instanceProfile) {
    const profile = index.resolveInstanceProfile(cluster.instanceProfile)
    if (profile.status === 'found') for (const name of profile.roleNames) add('jobFlowRole', name, 'ec2.amazonaws.com')
  }
  add('autoScalingRole', cluster.autoScalingRole, 'application-autoscaling.amazonaws.com')
  return roles
}

function launcherRule(
  id: string,
  title: string,
  rationale: string,
  launch: LaunchContext,
  check: (launcher: Launcher, cluster: Cluster, planned: PlannedCluster, context: RuleContext) => RuleOutcome[],
): Rule {
  return defineRule({
    id,
    group: 'LAUNCH',
    title,
    severity: 'high',
    rationale,
    sources: [
      'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
    ],
    remediation: {
      summary: 'Grant the launcher the missing permission, scoped to these roles and services, or launch as a principal that has it.',
      autoApply: 'no',
    },
    decidesAccess: true,
    evaluate(inventory, context) {
      return plannedOf(inventory, launch).flatMap(({cluster, planned}) => {
        const resource = clusterResource(cluster)
        if (!launch.launcherArn) return [{status: 'unknown', resource, message: 'The launcher is not known: pass --as ARN.', evidence: {}}]
        const found = findLauncher(launch.launcherArn, inventory, context)
        if (found.status === 'root')
          return [
            {status: 'pass', resource, message: 'The launcher is the account root, which IAM policies do not limit.', evidence: {launcher: launch.launcherArn}},
          ]
        if (found.status === 'unknown')
          return [{status: 'unknown', resource, message: `Could not check the launcher: ${found.reason}.`, evidence: {launcher: launch.launcherArn}}]
        return check(found.launcher, cluster, planned, context)
      })
    },
  })
}

export function launchRules(launch: LaunchContext): Rule[] {
  const runJobFlow = launcherRule(
    'EMR-LAUNCH-001',
    'The launcher may start the cluster (elasticmapreduce:RunJobFlow)',
    "Without elasticmapreduce:RunJobFlow, with the request's tags, the create call is refused.",
    launch,
    (launcher, cluster, planned) => {
      // Tag conditions (AmazonEMRFullAccessPolicy_v2) are judged with the tags the request sends.
      const context = requestTagContext(cluster.tags, [...launcher.policies, ...(launcher.boundary ? [launcher.boundary] : [])])
      const {decision} = evaluateIdentityAccess(launcher.policies, {action: 'elasticmapreduce:RunJobFlow', resource: '*', context}, launcher.boundary)
      const evidence = {launcher: launcher.label, decision, requestField: fieldOf(planned, 'tags')}
      const resource = clusterResource(cluster)
      if (decision === 'allow') return [{status: 'pass', resource, message: `${launcher.label} may call RunJobFlow with this request's tags.`, evidence}]
      if (decision === 'unknown') return [{status: 'unknown', resource, message: `Could not decide whether ${launcher.label} may call RunJobFlow.`, evidence}]
      return [
        {
          status: 'fail',
          resource,
          message: `${launcher.label} may not call elasticmapreduce:RunJobFlow (${decision}) with this request's tags: the launch is refused.`,
          evidence,
        },
      ]
    },
  )
  const passRole = launcherRule(
    'EMR-LAUNCH-002',
    'The launcher may pass each role to the service that uses it (iam:PassRole)',
    'RunJobFlow passes the service role to EMR, the instance profile\'s role to EC2 and the scaling role to Application Auto Scaling; without iam:PassRole for each (iam:PassedToService), the launch fails with "not authorized to perform iam:PassRole".',
    launch,
    (launcher, cluster, planned, context) =>
      passedRoles(cluster, context.index).map((role): RuleOutcome => {
        const resource = clusterResource(cluster)
        const evidence = {launcher: launcher.label, role: role.roleName, passedToService: role.service, requestField: fieldOf(planned, role.field)}
        if (!role.arn)
          return {
            status: 'unknown',
            resource,
            subKey: `${role.field}:${role.roleName}`,
            message: `Role ${role.roleName} (${fieldOf(planned, role.field)}) is not in the account; PassRole cannot be judged (see EMR-ROLE-001).`,
            evidence,
          }
        const {decision} = evaluateIdentityAccess(
          launcher.policies,
          {action: 'iam:PassRole', resource: role.arn, context: {'iam:PassedToService': [role.service]}},
          launcher.boundary,
        )
        const subKey = `${role.field}:${role.roleName}`
        if (decision === 'allow')
          return {
            status: 'pass',
            resource,
            subKey,
            message: `${launcher.label} may pass ${role.roleName} to ${role.service}.`,
            evidence: {...evidence, decision},
          }
        if (decision === 'unknown')
          return {
            status: 'unknown',
            resource,
            subKey,
            message: `Could not decide whether ${launcher.label} may pass ${role.roleName} to ${role.service}.`,
            evidence: {...evidence, decision},
          }
        return {
          status: 'fail',
          resource,
          subKey,
          message: `${launcher.label} may not pass ${role.roleName} (${fieldOf(planned, role.field)}) to ${role.service} (${decision}): the launch fails with "not authorized to perform iam:PassRole".`,
          evidence: {...evidence, decision},
        }
      }),
  )
  const networkExists = defineRule({
    id: 'EMR-LAUNCH-003',
    group: 'LAUNCH',
    title: "The requested subnet and security groups exist in the cluster's region",
    severity: 'high',
    rationale: 'A subnet or security group id from another region or account, or one deleted since, makes RunJobFlow fail.',
    sources: ['https://docs.aws.amazon.com/emr/latest/APIReference/API_JobFlowInstancesConfig.html'],
    remediation: {summary: 'Name a subnet and security groups of this account and region (or create them in the same plan).', autoApply: 'no'},
    evaluate(inventory, context) {
      return plannedOf(inventory, launch).flatMap(({cluster, planned}) => {
        const wanted = [
          ...clusterSubnetIds(cluster).map((id) => ({
            id,
            kind: 'subnet',
            field: 'subnet' as const,
            found: findSubnet(inventory, context.index, id, cluster.region),
          })),
          ...clusterSecurityGroupIds(cluster).map((id) => ({
            id,
            kind: 'security group',
            field: 'securityGroups' as const,
            found: findSecurityGroup(inventory, context.index, id, cluster.region),
          })),
        ]
        return wanted.map(({id, kind, field, found}): RuleOutcome => {
          const resource = clusterResource(cluster)
          const evidence = {[kind === 'subnet' ? 'subnet' : 'securityGroup']: id, requestField: fieldOf(planned, field)}
          if (launch.plannedNetwork.has(id)) return {status: 'pass', resource, subKey: id, message: `The ${kind} ${id} is created by the same plan.`, evidence}
          if (found.status === 'found') return {status: 'pass', resource, subKey: id, message: `The ${kind} ${id} exists in ${cluster.region}.`, evidence}
          if (found.status === 'unknown')
            return {status: 'unknown', resource, subKey: id, message: `Could not check the ${kind} ${id}: ${found.reason}.`, evidence}
          if (!launch.networkComplete)
            return {
              status: 'unknown',
              resource,
              subKey: id,
              message: `The ${kind} ${id} is not in the saved inventory, which keeps only what clusters use or what carries the v2 tag; check it live.`,
              evidence,
            }
          return {
            status: 'fail',
            resource,
            subKey: id,
            message: `The ${kind} ${id} (${fieldOf(planned, field)}) does not exist in ${cluster.region}: the launch fails.`,
            evidence,
          }
        })
      })
    },
  })
  const publicAccess = defineRule({
    id: 'EMR-LAUNCH-004',
    group: 'LAUNCH',
    title: "Block public access lets the cluster's security groups through",
    severity: 'high',
    rationale:
      'With block public access on, a cluster whose security groups allow 0.0.0.0/0 or ::/0 on a port outside the permitted ranges is refused at launch.',
    sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html'],
    remediation: {summary: 'Remove the world-open rule from the security group, or (deliberately) add the port to the permitted ranges.', autoApply: 'no'},
    evaluate(inventory, context) {
      return plannedOf(inventory, launch).flatMap(({cluster, planned}): RuleOutcome[] => {
        const resource = clusterResource(cluster)
        const evidenceBase = {requestField: fieldOf(planned, 'securityGroups')}
        if (!context.index.collected('emr.blockPublicAccess', cluster.region))
          return [{status: 'unknown', resource, message: `Could not read block public access in ${cluster.region}.`, evidence: evidenceBase}]
        const bpa = inventory.emr.blockPublicAccess.find((entry) => entry.region === cluster.region)
        if (!bpa?.blockPublicSecurityGroupRules)
          return [
            {
              status: 'pass',
              resource,
              message: `Block public access is off in ${cluster.region}: it refuses nothing (see EMR-CLUSTER-001).`,
              evidence: evidenceBase,
            },
          ]
        const refused: string[] = []
        const unknown: string[] = []
        for (const id of clusterSecurityGroupIds(cluster)) {
          const group = findSecurityGroup(inventory, context.index, id, cluster.region)
          if (group.status === 'found') refused.push(...group.value.ingress.filter((rule) => refusedByBpa(rule, bpa)).map((rule) => `${id} ${portLabel(rule)}`))
          else if (group.status === 'unknown') unknown.push(id)
        }
        const evidence = {...evidenceBase, permittedRanges: bpa.permittedRanges, refused}
        if (refused.length > 0)
          return [
            {
              status: 'fail',
              resource,
              message: `Block public access refuses this launch: ${refused.join(', ')} open to the world outside the permitted ranges.`,
              evidence,
            },
          ]
        if (unknown.length > 0) return [{status: 'unknown', resource, message: `Could not read security groups ${unknown.join(', ')}.`, evidence}]
        return [{status: 'pass', resource, message: 'No security group of the cluster opens a port block public access refuses.', evidence}]
      })
    },
  })
  return [runJobFlow, passRole, networkExists, publicAccess].map(withAccessScope)
}

/** The launch-only checks' metadata (for reports that describe each rule, e.g. SARIF), whatever the request. */
export function launchRuleCatalog(): Rule[] {
  return launchRules({clusters: [], plannedNetwork: new Set(), networkComplete: true})
}
