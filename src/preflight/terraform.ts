/**
 * A Terraform plan as `terraform show -json plan.out` prints it
 * (https://developer.hashicorp.com/terraform/internals/json-format): every `aws_emr_cluster` the plan
 * creates, in the root module or a child module, and the IAM and network resources of the same plan. A
 * value known only after apply is followed through the configuration's `references` to the resource of
 * the plan it comes from (a role's name, a subnet's placeholder id); one that leads nowhere is an error.
 * Attribute names follow https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/emr_cluster.
 */
import type {IngressRule, NamedPolicy, Role, SecurityGroup, Subnet, Tag} from '../inventory/schema.js'
import {isPlainObject} from '../shared/validate.js'
import {
  attachInline,
  attachManaged,
  type AccountFacts,
  commaList,
  inputError,
  namedPolicy,
  type ParsedLaunch,
  plannedPolicy,
  plannedProfile,
  plannedRole,
  UnknownValue,
} from './planned.js'
import {type ClusterField, type LaunchRequest, type PlannedResources, type RequestedCluster, MAX_LIST_ITEMS, MAX_TAGS} from './request.js'

/** Bounds on what a hostile plan can make us walk. */
const MAX_RESOURCES = 10_000
const MAX_MODULE_DEPTH = 32
const MAX_REFERENCES = 100
/** Module outputs followed in one plan: each may list many references to other outputs, so depth alone does not bound the work. */
const MAX_OUTPUT_STEPS = 10_000

type Step = string | number

interface PlanResource {
  address: string
  /** `module.a.module.b.` (instance keys kept), or '' for the root module: references are relative to it. */
  moduleAddress: string
  /** The module calls leading to the resource's configuration (instance keys dropped). */
  moduleCalls: string[]
  type: string
  values: Record<string, unknown>
  afterUnknown: unknown
  actions: string[]
  expressions: Record<string, unknown>
}

/** Where a reference is read: the module instance it is written in. */
type Scope = Pick<PlanResource, 'moduleAddress' | 'moduleCalls'>

type Resolved = {kind: 'known'; value: unknown} | {kind: 'absent'} | {kind: 'unknown'; references: string[]}

const describe = (address: string, path: readonly Step[]): string => [address, ...path.filter((step) => typeof step === 'string')].join('.')

function at(value: unknown, path: readonly Step[]): unknown {
  let current = value
  for (const step of path) {
    if (typeof step === 'number' ? !Array.isArray(current) : !isPlainObject(current)) return undefined
    current =
      typeof step === 'number' ? (current as unknown[])[step] : Object.hasOwn(current as object, step) ? (current as Record<string, unknown>)[step] : undefined
  }
  return current
}

/** True when after_unknown marks the value at `path`, or a value holding it, as known only after apply. */
function unknownAt(afterUnknown: unknown, path: readonly Step[]): boolean {
  for (let length = 0; length <= path.length; length++) if (at(afterUnknown, path.slice(0, length)) === true) return true
  return false
}

function referencesAt(expressions: unknown, path: readonly Step[]): string[] {
  const references = at(expressions, [...path, 'references'])
  return Array.isArray(references) ? references.filter((entry): entry is string => typeof entry === 'string').slice(0, MAX_REFERENCES) : []
}

function valueAt(resource: PlanResource, path: readonly Step[]): Resolved {
  const value = at(resource.values, path)
  if (value !== undefined && value !== null) return {kind: 'known', value}
  // A computed attribute the configuration does not set (a role's managed_policy_arns) is the provider's to fill: not asked for.
  if (unknownAt(resource.afterUnknown, path) && at(resource.expressions, path) !== undefined)
    return {kind: 'unknown', references: referencesAt(resource.expressions, path)}
  return {kind: 'absent'}
}

class Plan {
  private readonly byAddress = new Map<string, PlanResource>()
  private outputSteps = 0

  constructor(
    readonly file: string,
    readonly resources: readonly PlanResource[],
    private readonly account: AccountFacts,
    private readonly configuration: unknown = undefined,
  ) {
    for (const resource of resources) this.byAddress.set(resource.address, resource)
  }

  /** A role or profile whose name Terraform generates (name_prefix) is named by its address, which is how findings name it. */
  nameOf(resource: PlanResource): string {
    const name = resource.values['name']
    return typeof name === 'string' && name !== '' ? name : resource.address
  }

  /** The value a reference (`aws_iam_role.emr.arn`) stands for, when it names a resource of this plan whose value we can tell. */
  private resolveReference(reference: string, from: Scope, depth = 0): {target: PlanResource; value: string} | undefined {
    const output = /^module\.([\w-]+)((?:\[[^\]]*\])?)\.([\w-]+)$/.exec(reference)
    if (output) return this.resolveOutput(output, from, depth)
    const match = /^([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])?)(?:\.([a-z_]+))?/.exec(reference)
    if (!match || reference.startsWith('data.')) return undefined
    const [, type = '', name = '', index = '', attribute = ''] = match
    const target =
      this.byAddress.get(`${from.moduleAddress}${type}.${name}${index}`) ??
      (index === '' ? this.byAddress.get(`${from.moduleAddress}${type}.${name}[0]`) : undefined)
    if (!target) return undefined
    switch (type) {
      case 'aws_iam_role':
      case 'aws_iam_instance_profile':
        return {target, value: this.nameOf(target)}
      case 'aws_iam_policy':
        return {
          target,
          value:
            attribute === 'name' ? this.nameOf(target) : plannedPolicy(this.nameOf(target), this.optionalText(target, ['path']), undefined, this.account).arn,
        }
      case 'aws_subnet':
      case 'aws_security_group':
        return attribute === '' || attribute === 'id' ? {target, value: plannedNetworkId(target)} : undefined
      default:
        return undefined
    }
  }

  /** `module.iam.role_arn`: what the output's expression refers to, inside that module (outputs may lead to deeper modules). */
  private resolveOutput([, call = '', index = '', name = '']: RegExpExecArray, from: Scope, depth: number): {target: PlanResource; value: string} | undefined {
    if (depth >= MAX_MODULE_DEPTH || ++this.outputSteps > MAX_OUTPUT_STEPS) return undefined
    const moduleCalls = [...from.moduleCalls, call]
    let module = at(this.configuration, ['root_module'])
    for (const step of moduleCalls) module = at(module, ['module_calls', step, 'module'])
    const inside: Scope = {moduleAddress: `${from.moduleAddress}module.${call}${index}.`, moduleCalls}
    for (const reference of referencesAt(module, ['outputs', name, 'expression'])) {
      const resolved = this.resolveReference(reference, inside, depth + 1)
      if (resolved) return resolved
    }
    return undefined
  }

  /** The values the references stand for, one per resource referred to (a reference lists both `x.y.id` and `x.y`). */
  private resolveAll(references: readonly string[], from: PlanResource): string[] {
    const seen = new Map<string, string>()
    for (const reference of references) {
      const resolved = this.resolveReference(reference, from)
      if (resolved && !seen.has(resolved.target.address)) seen.set(resolved.target.address, resolved.value)
    }
    return [...seen.values()]
  }

  private unresolved(resource: PlanResource, path: readonly Step[]): never {
    throw inputError(
      this.file,
      describe(resource.address, path),
      'is known only after apply and does not refer to a role, instance profile, policy, subnet or security group this plan creates; set it to a value or to such a resource',
    )
  }

  optionalText(resource: PlanResource, path: readonly Step[]): string | undefined {
    const resolved = valueAt(resource, path)
    if (resolved.kind === 'absent') return undefined
    if (resolved.kind === 'known') {
      if (typeof resolved.value !== 'string')
        throw inputError(this.file, describe(resource.address, path), `expected a string, found ${typeName(resolved.value)}`)
      return resolved.value === '' ? undefined : resolved.value
    }
    const [value, ...others] = this.resolveAll(resolved.references, resource)
    if (value === undefined || others.length > 0) return this.unresolved(resource, path)
    return value
  }

  /** For what the verdict does without (a subnet's VPC): a value known only after apply is left out. */
  lenientText(resource: PlanResource, path: readonly Step[]): string | undefined {
    const value = at(resource.values, path)
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  /** A list of strings (a set in the schema): known elements, and those known after apply that refer to resources of the plan. */
  texts(resource: PlanResource, path: readonly Step[]): string[] {
    const resolved = valueAt(resource, path)
    if (resolved.kind === 'absent') return []
    const known = resolved.kind === 'known' ? resolved.value : at(resource.values, path)
    if (known !== undefined && known !== null && !Array.isArray(known))
      throw inputError(this.file, describe(resource.address, path), `expected a list, found ${typeName(known)}`)
    const elements = (Array.isArray(known) ? known : []).flatMap((element, index) => {
      if (typeof element === 'string') return [element]
      if (element === null && unknownAt(resource.afterUnknown, [...path, index])) return []
      throw inputError(this.file, `${describe(resource.address, path)}[${index}]`, `expected a string, found ${typeName(element)}`)
    })
    const pending =
      resolved.kind === 'unknown' ||
      (Array.isArray(known) && known.some((element, index) => element === null && unknownAt(resource.afterUnknown, [...path, index])))
    if (!pending) return this.atMost(MAX_LIST_ITEMS, elements, resource, path)
    const references = this.resolveAll(referencesAt(resource.expressions, path), resource)
    if (references.length === 0) return this.unresolved(resource, path)
    return this.atMost(MAX_LIST_ITEMS, [...new Set([...elements, ...references])], resource, path)
  }

  /** A list longer than a request may hold is refused before anything is built from it. */
  atMost<T>(limit: number, list: T[], resource: PlanResource, path: readonly Step[]): T[] {
    if (list.length > limit) throw inputError(this.file, describe(resource.address, path), `more than ${limit} entries`)
    return list
  }

  optionalNumber(resource: PlanResource, path: readonly Step[]): number | undefined {
    const resolved = valueAt(resource, path)
    if (resolved.kind === 'absent') return undefined
    if (resolved.kind === 'unknown') return this.unresolved(resource, path)
    if (typeof resolved.value !== 'number' || !Number.isInteger(resolved.value) || resolved.value < 0)
      throw inputError(this.file, describe(resource.address, path), `expected a whole number, found ${typeName(resolved.value)}`)
    return resolved.value
  }

  /** `tags_all` (the provider's default tags merged in) when known, else `tags`. */
  tags(resource: PlanResource): Tag[] {
    const all = valueAt(resource, ['tags_all'])
    const path = all.kind === 'known' ? ['tags_all'] : ['tags']
    const tags = at(resource.values, path)
    if (tags === undefined || tags === null) return []
    if (!isPlainObject(tags)) throw inputError(this.file, describe(resource.address, path), `expected a map of tags, found ${typeName(tags)}`)
    return this.atMost(MAX_TAGS, Object.entries(tags), resource, path).map(([key, value]) => {
      if (typeof value !== 'string') throw inputError(this.file, `${describe(resource.address, path)}.${key}`, `expected a string, found ${typeName(value)}`)
      return {key, value}
    })
  }

  /** Blocks (nested objects) as a list, each checked to be an object. */
  blocks(resource: PlanResource, path: readonly Step[]): Array<Record<string, unknown>> {
    const value = at(resource.values, path)
    if (value === undefined || value === null) return []
    if (!Array.isArray(value)) throw inputError(this.file, describe(resource.address, path), `expected a list of blocks, found ${typeName(value)}`)
    return value.map((block, index) => {
      if (!isPlainObject(block)) throw inputError(this.file, `${describe(resource.address, path)}[${index}]`, `expected a block, found ${typeName(block)}`)
      return block
    })
  }
}

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`

/** A subnet or group the plan creates has no id until apply: it is named by its address, here and in the cluster that uses it. */
function plannedNetworkId(resource: PlanResource): string {
  const id = resource.values['id']
  return typeof id === 'string' && id !== '' ? id : `planned:${resource.address}`
}

/** A policy document, or why it cannot be read yet. */
const knownOrUnknown = (resource: PlanResource, path: readonly Step[]): unknown =>
  at(resource.values, path) ?? new UnknownValue(`${describe(resource.address, path)} is known only after apply`)

const creates = (resource: PlanResource): boolean => resource.actions.includes('create')
const changes = (resource: PlanResource): boolean => resource.actions.includes('create') || resource.actions.includes('update')

function clusterFields(address: string): Partial<Record<ClusterField, string>> {
  return {
    serviceRole: `${address}.service_role`,
    jobFlowRole: `${address}.ec2_attributes.instance_profile`,
    autoScalingRole: `${address}.autoscaling_role`,
    securityConfiguration: `${address}.security_configuration`,
    subnet: `${address}.ec2_attributes.subnet_id`,
    securityGroups: `${address}.ec2_attributes.emr_managed_master_security_group`,
    releaseLabel: `${address}.release_label`,
    primaryNodes: `${address}.master_instance_group.instance_count`,
    tags: `${address}.tags`,
  }
}

function primaryNodes(plan: Plan, cluster: PlanResource): number | undefined {
  if (plan.blocks(cluster, ['master_instance_fleet']).length > 0) {
    return (
      (plan.optionalNumber(cluster, ['master_instance_fleet', 0, 'target_on_demand_capacity']) ?? 0) +
      (plan.optionalNumber(cluster, ['master_instance_fleet', 0, 'target_spot_capacity']) ?? 0)
    )
  }
  // instance_count defaults to 1 (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/emr_cluster#instance_count).
  if (plan.blocks(cluster, ['master_instance_group']).length > 0) return plan.optionalNumber(cluster, ['master_instance_group', 0, 'instance_count']) ?? 1
  return undefined
}

function usesSpot(plan: Plan, cluster: PlanResource): boolean {
  // An instance group with a bid price is a Spot group; a fleet with Spot capacity uses Spot.
  const bid = ['master_instance_group', 'core_instance_group'].some(
    (block) => plan.blocks(cluster, [block]).length > 0 && plan.optionalText(cluster, [block, 0, 'bid_price']) !== undefined,
  )
  const fleet = ['master_instance_fleet', 'core_instance_fleet'].some(
    (block) => plan.blocks(cluster, [block]).length > 0 && (plan.optionalNumber(cluster, [block, 0, 'target_spot_capacity']) ?? 0) > 0,
  )
  return bid || fleet
}

function requestedCluster(plan: Plan, cluster: PlanResource): RequestedCluster {
  const ec2 = ['ec2_attributes', 0]
  const text = (...path: Step[]) => plan.optionalText(cluster, path)
  const subnetIds = [...new Set([...(text(...ec2, 'subnet_id') ? [text(...ec2, 'subnet_id') as string] : []), ...plan.texts(cluster, [...ec2, 'subnet_ids'])])]
  const additional = (attribute: string) => {
    const resolved = valueAt(cluster, [...ec2, attribute])
    // A comma-separated string; when known only after apply, each group it refers to.
    return resolved.kind === 'unknown'
      ? plan.texts(cluster, [...ec2, attribute])
      : plan.atMost(MAX_LIST_ITEMS, commaList(text(...ec2, attribute) ?? ''), cluster, [...ec2, attribute])
  }
  const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({[key]: value} as Record<K, string>) : {})
  const primary = primaryNodes(plan, cluster)
  return {
    address: cluster.address,
    name: text('name') ?? cluster.address,
    ...optional('releaseLabel', text('release_label')),
    applications: plan.texts(cluster, ['applications']),
    ...optional('serviceRole', text('service_role')),
    ...optional('jobFlowRole', text(...ec2, 'instance_profile')),
    ...optional('autoScalingRole', text('autoscaling_role')),
    ...optional('securityConfiguration', text('security_configuration')),
    subnetIds,
    ...optional('masterSecurityGroup', text(...ec2, 'emr_managed_master_security_group')),
    ...optional('slaveSecurityGroup', text(...ec2, 'emr_managed_slave_security_group')),
    ...optional('serviceAccessSecurityGroup', text(...ec2, 'service_access_security_group')),
    additionalMasterSecurityGroups: additional('additional_master_security_groups'),
    additionalSlaveSecurityGroups: additional('additional_slave_security_groups'),
    ...(primary !== undefined ? {primaryNodes: primary} : {}),
    usesSpot: usesSpot(plan, cluster),
    tags: plan.tags(cluster),
    fields: {
      ...clusterFields(cluster.address),
      ...(valueAt(cluster, [...ec2, 'subnet_ids']).kind !== 'absent' && !text(...ec2, 'subnet_id')
        ? {subnet: `${cluster.address}.ec2_attributes.subnet_ids`}
        : {}),
    },
  }
}

function ingressOfGroup(plan: Plan, group: PlanResource): IngressRule[] {
  return plan.blocks(group, ['ingress']).map((_, index) => {
    const path = ['ingress', index]
    const protocol = plan.optionalText(group, [...path, 'protocol']) ?? '-1'
    return {
      protocol,
      ...(protocol === '-1' ? {} : portsOf(plan.optionalNumber(group, [...path, 'from_port']), plan.optionalNumber(group, [...path, 'to_port']))),
      ipv4Ranges: plan.texts(group, [...path, 'cidr_blocks']),
      ipv6Ranges: plan.texts(group, [...path, 'ipv6_cidr_blocks']),
      sourceGroups: plan.texts(group, [...path, 'security_groups']),
      prefixLists: plan.texts(group, [...path, 'prefix_list_ids']),
    }
  })
}

const portsOf = (from: number | undefined, to: number | undefined) => ({
  ...(from !== undefined ? {fromPort: from} : {}),
  ...(to !== undefined ? {toPort: to} : {}),
})

/** Ingress added by separate rule resources (aws_security_group_rule, aws_vpc_security_group_ingress_rule) to a group. */
function separateIngress(plan: Plan, rule: PlanResource): {groupId: string; rule: IngressRule} | undefined {
  const groupId = plan.optionalText(rule, ['security_group_id'])
  if (!groupId) return undefined
  if (rule.type === 'aws_security_group_rule') {
    if (plan.optionalText(rule, ['type']) !== 'ingress') return undefined
    const protocol = plan.optionalText(rule, ['protocol']) ?? '-1'
    const source = plan.optionalText(rule, ['source_security_group_id'])
    return {
      groupId,
      rule: {
        protocol,
        ...(protocol === '-1' ? {} : portsOf(plan.optionalNumber(rule, ['from_port']), plan.optionalNumber(rule, ['to_port']))),
        ipv4Ranges: plan.texts(rule, ['cidr_blocks']),
        ipv6Ranges: plan.texts(rule, ['ipv6_cidr_blocks']),
        sourceGroups: source ? [source] : [],
        prefixLists: plan.texts(rule, ['prefix_list_ids']),
      },
    }
  }
  const protocol = plan.optionalText(rule, ['ip_protocol']) ?? '-1'
  const only = (attribute: string) => {
    const value = plan.optionalText(rule, [attribute])
    return value ? [value] : []
  }
  return {
    groupId,
    rule: {
      protocol,
      ...(protocol === '-1' ? {} : portsOf(plan.optionalNumber(rule, ['from_port']), plan.optionalNumber(rule, ['to_port']))),
      ipv4Ranges: only('cidr_ipv4'),
      ipv6Ranges: only('cidr_ipv6'),
      sourceGroups: only('referenced_security_group_id'),
      prefixLists: only('prefix_list_id'),
    },
  }
}

function plannedResources(plan: Plan, account: AccountFacts): PlannedResources {
  const ofType = (type: string, keep: (resource: PlanResource) => boolean) => plan.resources.filter((resource) => resource.type === type && keep(resource))
  const live = (resource: PlanResource) => !(resource.actions.length === 1 && resource.actions[0] === 'delete')
  const roles: Role[] = ofType('aws_iam_role', changes).map((resource) =>
    plannedRole(
      {
        address: resource.address,
        name: plan.nameOf(resource),
        ...(plan.optionalText(resource, ['path']) ? {path: plan.optionalText(resource, ['path']) as string} : {}),
        trustPolicy: knownOrUnknown(resource, ['assume_role_policy']),
        inlinePolicies: plan.blocks(resource, ['inline_policy']).flatMap((block, index): NamedPolicy[] => {
          const name = plan.optionalText(resource, ['inline_policy', index, 'name'])
          return name ? [namedPolicy(name, plan.optionalText(resource, ['inline_policy', index, 'policy']))] : []
        }),
        managedPolicyArns: plan.texts(resource, ['managed_policy_arns']),
        tags: plan.tags(resource),
      },
      account,
    ),
  )
  for (const resource of ofType('aws_iam_role_policy', live)) {
    const role = plan.optionalText(resource, ['role'])
    if (role) attachInline(roles, [role], namedPolicy(plan.optionalText(resource, ['name']) ?? resource.address, knownOrUnknown(resource, ['policy'])))
  }
  for (const resource of ofType('aws_iam_role_policy_attachment', live)) {
    const role = plan.optionalText(resource, ['role'])
    const arn = plan.optionalText(resource, ['policy_arn'])
    if (role && arn) attachManaged(roles, [role], arn)
  }
  const profiles = ofType('aws_iam_instance_profile', changes).map((resource) => {
    const role = plan.optionalText(resource, ['role'])
    return plannedProfile(resource.address, plan.nameOf(resource), plan.optionalText(resource, ['path']), role ? [role] : [], roles, account)
  })
  const policies = ofType('aws_iam_policy', changes).map((resource) =>
    plannedPolicy(plan.nameOf(resource), plan.optionalText(resource, ['path']), knownOrUnknown(resource, ['policy']), account),
  )
  const subnets: Subnet[] = ofType('aws_subnet', changes).map((resource) => {
    const vpcId = plan.lenientText(resource, ['vpc_id'])
    const zone = at(resource.values, ['availability_zone'])
    const mapsPublic = at(resource.values, ['map_public_ip_on_launch'])
    return {
      id: plannedNetworkId(resource),
      region: account.region,
      ...(vpcId ? {vpcId} : {}),
      ...(typeof zone === 'string' ? {availabilityZone: zone} : {}),
      ...(typeof mapsPublic === 'boolean' ? {mapPublicIpOnLaunch: mapsPublic} : {}),
      tags: plan.tags(resource),
    }
  })
  const groups: SecurityGroup[] = ofType('aws_security_group', changes).map((resource) => {
    const vpcId = plan.lenientText(resource, ['vpc_id'])
    return {
      id: plannedNetworkId(resource),
      name: plan.nameOf(resource),
      region: account.region,
      ...(vpcId ? {vpcId} : {}),
      tags: plan.tags(resource),
      ingress: ingressOfGroup(plan, resource),
    }
  })
  for (const resource of [...ofType('aws_security_group_rule', live), ...ofType('aws_vpc_security_group_ingress_rule', live)]) {
    const added = separateIngress(plan, resource)
    const group = added && groups.find((entry) => entry.id === added.groupId)
    if (added && group) group.ingress.push(added.rule)
  }
  return {roles, instanceProfiles: profiles, policies, subnets, securityGroups: groups}
}

/** `module.a["x"].module.b[0].aws_emr_cluster.etl` → module address `module.a["x"].module.b[0].`, calls [a, b]. */
function moduleOf(address: string): {moduleAddress: string; moduleCalls: string[]} {
  const calls: string[] = []
  let rest = address
  let moduleAddress = ''
  for (let match = /^module\.([\w-]+)((?:\[[^\]]*\])?)\./.exec(rest); match; match = /^module\.([\w-]+)((?:\[[^\]]*\])?)\./.exec(rest)) {
    calls.push(match[1] ?? '')
    moduleAddress += match[0]
    rest = rest.slice(match[0].length)
  }
  return {moduleAddress, moduleCalls: calls}
}

interface Walk {
  file: string
  changes: Map<string, {actions: string[]; afterUnknown: unknown; before: unknown}>
  configuration: unknown
  resources: PlanResource[]
}

function configurationOf(walk: Walk, calls: readonly string[], moduleAddress: string, address: string): Record<string, unknown> {
  let module = at(walk.configuration, ['root_module'])
  for (const call of calls) module = at(module, ['module_calls', call, 'module'])
  const configured = at(module, ['resources'])
  const local = address.slice(moduleAddress.length).replace(/\[[^\]]*\]$/, '')
  const found = Array.isArray(configured) ? configured.find((entry) => isPlainObject(entry) && entry['address'] === local) : undefined
  const expressions = at(found, ['expressions'])
  return isPlainObject(expressions) ? expressions : {}
}

function walkModule(walk: Walk, module: unknown, where: string, depth: number): void {
  if (!isPlainObject(module)) throw inputError(walk.file, where, 'expected a module object')
  if (depth > MAX_MODULE_DEPTH) throw inputError(walk.file, where, `modules nested deeper than ${MAX_MODULE_DEPTH}`)
  const resources = module['resources'] ?? []
  const children = module['child_modules'] ?? []
  if (!Array.isArray(resources)) throw inputError(walk.file, `${where}.resources`, 'expected a list')
  if (!Array.isArray(children)) throw inputError(walk.file, `${where}.child_modules`, 'expected a list')
  resources.forEach((resource, index) => {
    const path = `${where}.resources[${index}]`
    if (!isPlainObject(resource)) throw inputError(walk.file, path, 'expected a resource object')
    const {address, type, mode, values} = resource
    if (typeof address !== 'string' || address === '') throw inputError(walk.file, `${path}.address`, 'expected a string')
    if (typeof type !== 'string') throw inputError(walk.file, `${path}.type`, 'expected a string')
    if (mode !== 'managed') return
    if (!isPlainObject(values)) throw inputError(walk.file, `${path}.values`, 'expected an object')
    if (walk.resources.length >= MAX_RESOURCES) throw inputError(walk.file, where, `more than ${MAX_RESOURCES} resources`)
    const change = walk.changes.get(address)
    const {moduleAddress, moduleCalls} = moduleOf(address)
    walk.resources.push({
      address,
      moduleAddress,
      moduleCalls,
      type,
      values,
      afterUnknown: change?.afterUnknown ?? {},
      actions: change?.actions ?? ['no-op'],
      expressions: configurationOf(walk, moduleCalls, moduleAddress, address),
    })
  })
  children.forEach((child, index) => walkModule(walk, child, `${where}.child_modules[${index}]`, depth + 1))
}

function changesOf(document: Record<string, unknown>, file: string): Walk['changes'] {
  const list = document['resource_changes'] ?? []
  if (!Array.isArray(list)) throw inputError(file, 'resource_changes', 'expected a list')
  if (list.length > MAX_RESOURCES) throw inputError(file, 'resource_changes', `more than ${MAX_RESOURCES} resources`)
  const changes: Walk['changes'] = new Map()
  list.forEach((entry, index) => {
    const path = `resource_changes[${index}]`
    const actions = at(entry, ['change', 'actions'])
    if (!isPlainObject(entry) || typeof entry['address'] !== 'string') throw inputError(file, `${path}.address`, 'expected a string')
    if (!Array.isArray(actions) || !actions.every((action) => typeof action === 'string'))
      throw inputError(file, `${path}.change.actions`, 'expected a list of strings')
    changes.set(entry['address'], {
      actions: actions as string[],
      afterUnknown: at(entry, ['change', 'after_unknown']) ?? {},
      before: at(entry, ['change', 'before']),
    })
  })
  return changes
}

/**
 * A deleted resource is absent from planned_values; resource_changes keeps its `before` values
 * (https://developer.hashicorp.com/terraform/internals/json-format#change-representation).
 */
function deletedNames(changes: Walk['changes']): NonNullable<PlannedResources['deleted']> {
  const deleted = {roles: [] as string[], instanceProfiles: [] as string[]}
  for (const [address, change] of changes) {
    if (change.actions.length !== 1 || change.actions[0] !== 'delete') continue
    const name = at(change.before, ['name'])
    if (typeof name !== 'string') continue
    const type = /(?:^|\.)(aws_iam_role|aws_iam_instance_profile)\.[\w-]+(?:\[[^\]]*\])?$/.exec(address)?.[1]
    if (type === 'aws_iam_role') deleted.roles.push(name)
    else if (type === 'aws_iam_instance_profile') deleted.instanceProfiles.push(name)
  }
  return deleted
}

/** `document` is the parsed JSON of FILE (named in messages). Structure is checked now; values are read when built. */
export function parseTerraformPlan(document: Record<string, unknown>, file: string): ParsedLaunch {
  const walk: Walk = {file, changes: changesOf(document, file), configuration: document['configuration'], resources: []}
  const planned = document['planned_values']
  if (planned !== undefined) {
    if (!isPlainObject(planned)) throw inputError(file, 'planned_values', 'expected an object')
    if (planned['root_module'] !== undefined) walkModule(walk, planned['root_module'], 'planned_values.root_module', 0)
  }
  const resources = walk.resources
  return {
    format: 'terraform',
    build(account): LaunchRequest {
      const plan = new Plan(file, resources, account, walk.configuration)
      // A cluster that already exists (no-op, update) is not launched; one being replaced is.
      const clusters = resources
        .filter((resource) => resource.type === 'aws_emr_cluster' && creates(resource))
        .map((resource) => requestedCluster(plan, resource))
      return {format: 'terraform', clusters, planned: {...plannedResources(plan, account), deleted: deletedNames(walk.changes)}}
    },
  }
}
