/**
 * A CloudFormation template (JSON, or YAML with short-form tags): every `AWS::EMR::Cluster`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-emr-cluster.html) and the
 * IAM and network resources of the same template. `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`
 * and `Fn::Split` are resolved against `--parameter` values, parameter defaults, pseudo parameters and
 * the template's own resources. A name CloudFormation generates (stack-logical-random) is stood for by the
 * logical id. The work a hostile template can cause is bounded (nesting depth, `Fn::Sub` size, node count).
 */
import type {IngressRule, Role, SecurityGroup, Subnet, Tag} from '../inventory/schema.js'
import {isPlainObject} from '../shared/validate.js'
import {
  attachInline,
  attachManaged,
  type AccountFacts,
  inputError,
  namedPolicy,
  type ParsedLaunch,
  plannedPolicy,
  plannedProfile,
  plannedRole,
  UnknownValue,
} from './planned.js'
import {type LaunchRequest, type PlannedResources, type RequestedCluster, MAX_LIST_ITEMS, MAX_TAGS} from './request.js'

const MAX_DEPTH = 32
const MAX_SUB_LENGTH = 16_384
const MAX_STRING = 65_536
const MAX_NODES = 200_000
const MAX_RESOURCES = 2_000

interface TemplateResource {
  logicalId: string
  type: string
  properties: Record<string, unknown>
}

/** Why a value cannot be told from the template; turned into an error naming the path, or an unknown. */
class Unresolvable extends Error {}

const INTRINSICS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Transform',
  'Fn::Length',
  'Fn::ToJsonString',
  'Condition',
])
const NO_VALUE = Symbol('AWS::NoValue')

const isIntrinsic = (value: unknown): boolean => {
  if (!isPlainObject(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && INTRINSICS.has(keys[0] ?? '')
}

class Template {
  private nodes = 0
  private readonly resolving = new Set<string>()

  constructor(
    readonly file: string,
    private readonly resources: ReadonlyMap<string, TemplateResource>,
    private readonly parameters: ReadonlyMap<string, {type: string; default?: string}>,
    private readonly given: Readonly<Record<string, string>>,
    private readonly account: AccountFacts,
  ) {}

  /** `value` with every intrinsic it holds resolved; Unresolvable when one cannot be. */
  resolve(value: unknown, depth = 0): unknown {
    if (++this.nodes > MAX_NODES) throw new Unresolvable(`the template needs more than ${MAX_NODES} steps to resolve`)
    if (depth > MAX_DEPTH) throw new Unresolvable(`intrinsic functions nested deeper than ${MAX_DEPTH}`)
    if (Array.isArray(value)) return value.map((entry) => this.resolve(entry, depth + 1)).filter((entry) => entry !== NO_VALUE)
    if (!isPlainObject(value)) return value
    const [key = ''] = Object.keys(value)
    if (isIntrinsic(value)) return this.intrinsic(key, value[key], depth + 1)
    const resolved: Record<string, unknown> = {}
    for (const [name, entry] of Object.entries(value)) {
      const result = this.resolve(entry, depth + 1)
      if (result !== NO_VALUE) Object.defineProperty(resolved, name, {value: result, enumerable: true, writable: true, configurable: true})
    }
    return resolved
  }

  private text(value: unknown, what: string, depth: number): string {
    const resolved = this.resolve(value, depth)
    if (typeof resolved === 'string') return resolved
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved)
    throw new Unresolvable(`${what} is not a string`)
  }

  private list(value: unknown, what: string, depth: number): unknown[] {
    const resolved = this.resolve(value, depth)
    if (!Array.isArray(resolved)) throw new Unresolvable(`${what} is not a list`)
    return resolved
  }

  private intrinsic(name: string, argument: unknown, depth: number): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(this.text(argument, 'Ref', depth), depth)
      case 'Fn::GetAtt': {
        const parts = typeof argument === 'string' ? argument.split('.') : this.list(argument, 'Fn::GetAtt', depth)
        const [logicalId, ...attribute] = parts
        if (typeof logicalId !== 'string' || attribute.length === 0 || !attribute.every((part) => typeof part === 'string'))
          throw new Unresolvable('Fn::GetAtt takes [LogicalId, Attribute]')
        return this.getAtt(logicalId, attribute.join('.'), depth)
      }
      case 'Fn::Sub':
        return this.sub(argument, depth)
      case 'Fn::Join': {
        const [delimiter, items] = Array.isArray(argument) ? argument : []
        if (typeof delimiter !== 'string') throw new Unresolvable('Fn::Join takes [delimiter, [values]]')
        return bounded(
          this.list(items, 'Fn::Join', depth)
            .map((item) => this.text(item, 'an Fn::Join value', depth))
            .join(delimiter),
        )
      }
      case 'Fn::Select': {
        const [index, items] = Array.isArray(argument) ? argument : []
        const position = Number(this.text(index, 'the Fn::Select index', depth))
        const list = this.list(items, 'Fn::Select', depth)
        if (!Number.isInteger(position) || position < 0 || position >= list.length) throw new Unresolvable('Fn::Select index out of range')
        return list[position]
      }
      case 'Fn::Split': {
        const [delimiter, source] = Array.isArray(argument) ? argument : []
        if (typeof delimiter !== 'string' || delimiter === '') throw new Unresolvable('Fn::Split takes [delimiter, string]')
        return this.text(source, 'the Fn::Split string', depth).split(delimiter)
      }
      default:
        throw new Unresolvable(`${name} is not supported by preflight`)
    }
  }

  private parameter(name: string): unknown {
    const parameter = this.parameters.get(name)
    if (!parameter) return undefined
    const value = Object.hasOwn(this.given, name) ? this.given[name] : parameter.default
    if (value === undefined) throw new Unresolvable(`parameter ${name} has no value and no Default: pass --parameter ${name}=VALUE`)
    return parameter.type === 'CommaDelimitedList' || parameter.type.startsWith('List<') ? value.split(',').map((entry) => entry.trim()) : value
  }

  private pseudo(name: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.account.id
      case 'AWS::Region':
        return this.account.region
      case 'AWS::Partition':
        return this.account.partition
      case 'AWS::URLSuffix':
        return this.account.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
      case 'AWS::NoValue':
        return NO_VALUE
      default:
        throw new Unresolvable(`${name} is known only when the stack is created`)
    }
  }

  /** Resolving what a resource is named may lead back to itself (`RoleName: !Ref Role`): that is a cycle, not a loop. */
  private withResource<T>(logicalId: string, read: (resource: TemplateResource) => T): T {
    const resource = this.resources.get(logicalId)
    if (!resource) throw new Unresolvable(`${logicalId} is neither a parameter nor a resource of the template`)
    if (this.resolving.has(logicalId)) throw new Unresolvable(`${logicalId} refers to itself (a cycle)`)
    this.resolving.add(logicalId)
    try {
      return read(resource)
    } finally {
      this.resolving.delete(logicalId)
    }
  }

  /** A name property, or the logical id when CloudFormation generates the name. */
  nameOf(resource: TemplateResource, property: string, depth = 0): string {
    const name = resource.properties[property]
    return name === undefined ? resource.logicalId : this.text(name, `${resource.logicalId}.${property}`, depth)
  }

  private ref(name: string, depth: number): unknown {
    if (name.startsWith('AWS::')) return this.pseudo(name)
    const parameter = this.parameter(name)
    if (parameter !== undefined) return parameter
    return this.withResource(name, (resource) => {
      switch (resource.type) {
        case 'AWS::IAM::Role':
          return this.nameOf(resource, 'RoleName', depth)
        case 'AWS::IAM::InstanceProfile':
          return this.nameOf(resource, 'InstanceProfileName', depth)
        case 'AWS::IAM::ManagedPolicy':
          return this.managedPolicyArn(resource, depth)
        case 'AWS::EC2::Subnet':
        case 'AWS::EC2::SecurityGroup':
          return plannedNetworkId(resource)
        default:
          throw new Unresolvable(`Ref of a ${resource.type} is known only when the stack is created`)
      }
    })
  }

  private getAtt(logicalId: string, attribute: string, depth: number): unknown {
    return this.withResource(logicalId, (resource) => {
      const key = `${resource.type}.${attribute}`
      switch (key) {
        case 'AWS::IAM::Role.Arn':
          return this.roleArn(resource, depth)
        case 'AWS::IAM::InstanceProfile.Arn':
          return plannedProfile(
            resource.logicalId,
            this.nameOf(resource, 'InstanceProfileName', depth),
            this.optionalText(resource.properties['Path'], depth),
            [],
            [],
            this.account,
          ).arn
        case 'AWS::IAM::ManagedPolicy.PolicyArn':
          return this.managedPolicyArn(resource, depth)
        case 'AWS::EC2::Subnet.SubnetId':
        case 'AWS::EC2::SecurityGroup.GroupId':
          return plannedNetworkId(resource)
        default:
          throw new Unresolvable(`Fn::GetAtt ${logicalId}.${attribute} is not supported by preflight`)
      }
    })
  }

  private optionalText(value: unknown, depth: number): string | undefined {
    return value === undefined ? undefined : this.text(value, 'Path', depth)
  }

  private roleArn(resource: TemplateResource, depth: number): string {
    return plannedRole(
      {
        address: resource.logicalId,
        name: this.nameOf(resource, 'RoleName', depth),
        ...pathOf(this.optionalText(resource.properties['Path'], depth)),
        trustPolicy: {},
        inlinePolicies: [],
        managedPolicyArns: [],
        tags: [],
      },
      this.account,
    ).arn
  }

  private managedPolicyArn(resource: TemplateResource, depth: number): string {
    return plannedPolicy(this.nameOf(resource, 'ManagedPolicyName', depth), this.optionalText(resource.properties['Path'], depth), {}, this.account).arn
  }

  private sub(argument: unknown, depth: number): string {
    const [template, variables] = typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? argument : []
    if (typeof template !== 'string' || !isPlainObject(variables)) throw new Unresolvable('Fn::Sub takes a string or [string, {variables}]')
    if (template.length > MAX_SUB_LENGTH) throw new Unresolvable(`an Fn::Sub string longer than ${MAX_SUB_LENGTH} characters`)
    // Counted as it grows, so a short string naming a long value many times is stopped before it is built.
    let length = template.length
    const out = template.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      const value = this.subVariable(name, variables, depth)
      length += value.length
      if (length > MAX_STRING) throw new Unresolvable(`a resolved value longer than ${MAX_STRING} characters`)
      return value
    })
    return bounded(out)
  }

  private subVariable(name: string, variables: Record<string, unknown>, depth: number): string {
    // ${!Literal} writes ${Literal}.
    if (name.startsWith('!')) return `\${${name.slice(1)}}`
    if (Object.hasOwn(variables, name)) return this.text(variables[name], `Fn::Sub variable ${name}`, depth)
    const dot = name.indexOf('.')
    if (dot > 0 && !name.startsWith('AWS::')) return this.text(this.getAtt(name.slice(0, dot), name.slice(dot + 1), depth), name, depth)
    const value = this.ref(name, depth)
    if (typeof value !== 'string') throw new Unresolvable(`\${${name}} is not a string`)
    return value
  }

  /** A property read as text; Unresolvable becomes an error naming where it is in the template. */
  requiredText(resource: TemplateResource, path: readonly string[]): string | undefined {
    const value = this.required(resource, path)
    if (value === undefined) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number') return String(value)
    throw inputError(this.file, describe(resource, path), 'expected a string')
  }

  requiredTexts(resource: TemplateResource, path: readonly string[]): string[] {
    const value = this.required(resource, path)
    if (value === undefined) return []
    if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string'))
      throw inputError(this.file, describe(resource, path), 'expected a list of strings')
    if (value.length > MAX_LIST_ITEMS) throw inputError(this.file, describe(resource, path), `more than ${MAX_LIST_ITEMS} entries`)
    return value as string[]
  }

  required(resource: TemplateResource, path: readonly string[]): unknown {
    try {
      let raw: unknown = resource.properties
      for (const step of path) {
        // An intrinsic on the way (`Instances: !If …`) is resolved before it is stepped into.
        if (isIntrinsic(raw)) raw = this.resolve(raw)
        raw = Array.isArray(raw) && /^\d+$/.test(step) ? raw[Number(step)] : isPlainObject(raw) && Object.hasOwn(raw, step) ? raw[step] : undefined
      }
      if (raw === undefined) return undefined
      const value = this.resolve(raw)
      return value === NO_VALUE ? undefined : value
    } catch (error) {
      if (error instanceof Unresolvable) throw inputError(this.file, describe(resource, path), error.message)
      throw error
    }
  }

  /** For what the verdict can do without (policy documents, tags on IAM resources): an unresolvable value reads as unknown. */
  lenient(resource: TemplateResource, path: readonly string[]): {value: unknown} | {unknown: string} {
    try {
      return {value: this.required(resource, path)}
    } catch (error) {
      return {unknown: (error as Error).message}
    }
  }

  all(type: string): TemplateResource[] {
    return [...this.resources.values()].filter((resource) => resource.type === type)
  }
}

const bounded = (text: string): string => {
  if (text.length > MAX_STRING) throw new Unresolvable(`a resolved value longer than ${MAX_STRING} characters`)
  return text
}

const describe = (resource: TemplateResource, path: readonly string[]): string => ['Resources', resource.logicalId, 'Properties', ...path].join('.')
const pathOf = (path: string | undefined) => (path ? {path} : {})

/** A subnet or group the template creates has no id until the stack exists: it is named by its logical id. */
const plannedNetworkId = (resource: TemplateResource): string => `planned:${resource.logicalId}`

function tagsOf(template: Template, resource: TemplateResource): Tag[] {
  const tags = template.required(resource, ['Tags'])
  if (tags === undefined) return []
  if (!Array.isArray(tags)) throw inputError(template.file, describe(resource, ['Tags']), 'expected a list of {Key, Value}')
  if (tags.length > MAX_TAGS) throw inputError(template.file, describe(resource, ['Tags']), `more than ${MAX_TAGS} entries`)
  return tags.map((tag, index) => {
    if (!isPlainObject(tag) || typeof tag['Key'] !== 'string' || (tag['Value'] !== undefined && typeof tag['Value'] !== 'string'))
      throw inputError(template.file, `${describe(resource, ['Tags'])}[${index}]`, 'expected {Key, Value} strings')
    return {key: tag['Key'], value: typeof tag['Value'] === 'string' ? tag['Value'] : ''}
  })
}

function policyOf(template: Template, resource: TemplateResource, path: readonly string[]): unknown {
  const found = template.lenient(resource, path)
  return 'value' in found ? found.value : new UnknownValue(`known only when the stack is created: ${found.unknown}`)
}

function numberAt(template: Template, resource: TemplateResource, path: readonly string[]): number | undefined {
  const value = template.required(resource, path)
  if (value === undefined) return undefined
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0)
    throw inputError(template.file, describe(resource, path), 'expected a whole number')
  return number
}

function ingressRule(template: Template, resource: TemplateResource, path: readonly string[]): IngressRule {
  const text = (name: string) => template.requiredText(resource, [...path, name])
  const protocol = text('IpProtocol') ?? '-1'
  const from = numberAt(template, resource, [...path, 'FromPort'])
  const to = numberAt(template, resource, [...path, 'ToPort'])
  const one = (name: string) => (text(name) ? [text(name) as string] : [])
  return {
    protocol: protocol === 'all' ? '-1' : protocol,
    ...(protocol === '-1' ? {} : {...(from !== undefined ? {fromPort: from} : {}), ...(to !== undefined ? {toPort: to} : {})}),
    ipv4Ranges: one('CidrIp'),
    ipv6Ranges: one('CidrIpv6'),
    sourceGroups: one('SourceSecurityGroupId'),
    prefixLists: one('SourcePrefixListId'),
  }
}

function plannedResources(template: Template, account: AccountFacts): PlannedResources {
  const roles: Role[] = template.all('AWS::IAM::Role').map((resource) => {
    const inline = template.required(resource, ['Policies'])
    if (inline !== undefined && !Array.isArray(inline)) throw inputError(template.file, describe(resource, ['Policies']), 'expected a list')
    return plannedRole(
      {
        address: resource.logicalId,
        name: template.nameOf(resource, 'RoleName'),
        ...pathOf(template.requiredText(resource, ['Path'])),
        trustPolicy: policyOf(template, resource, ['AssumeRolePolicyDocument']),
        inlinePolicies: (inline ?? []).map((_, index) =>
          namedPolicy(
            template.requiredText(resource, ['Policies', String(index), 'PolicyName']) ?? `${resource.logicalId}-${index}`,
            policyOf(template, resource, ['Policies', String(index), 'PolicyDocument']),
          ),
        ),
        managedPolicyArns: template.requiredTexts(resource, ['ManagedPolicyArns']),
        tags: tagsOf(template, resource),
      },
      account,
    )
  })
  for (const resource of template.all('AWS::IAM::Policy'))
    attachInline(
      roles,
      template.requiredTexts(resource, ['Roles']),
      namedPolicy(template.requiredText(resource, ['PolicyName']) ?? resource.logicalId, policyOf(template, resource, ['PolicyDocument'])),
    )
  for (const resource of template.all('AWS::IAM::RolePolicy'))
    attachInline(
      roles,
      [template.requiredText(resource, ['RoleName']) ?? ''],
      namedPolicy(template.requiredText(resource, ['PolicyName']) ?? resource.logicalId, policyOf(template, resource, ['PolicyDocument'])),
    )
  const policies = template.all('AWS::IAM::ManagedPolicy').map((resource) => {
    const policy = plannedPolicy(
      template.nameOf(resource, 'ManagedPolicyName'),
      template.requiredText(resource, ['Path']),
      policyOf(template, resource, ['PolicyDocument']),
      account,
    )
    attachManaged(roles, template.requiredTexts(resource, ['Roles']), policy.arn)
    return policy
  })
  const profiles = template
    .all('AWS::IAM::InstanceProfile')
    .map((resource) =>
      plannedProfile(
        resource.logicalId,
        template.nameOf(resource, 'InstanceProfileName'),
        template.requiredText(resource, ['Path']),
        template.requiredTexts(resource, ['Roles']),
        roles,
        account,
      ),
    )
  const subnets: Subnet[] = template.all('AWS::EC2::Subnet').map((resource) => {
    const mapsPublic = template.lenient(resource, ['MapPublicIpOnLaunch'])
    return {
      id: plannedNetworkId(resource),
      region: account.region,
      ...('value' in mapsPublic && typeof mapsPublic.value === 'boolean' ? {mapPublicIpOnLaunch: mapsPublic.value} : {}),
      tags: tagsOf(template, resource),
    }
  })
  const groups: SecurityGroup[] = template.all('AWS::EC2::SecurityGroup').map((resource) => {
    const ingress = template.required(resource, ['SecurityGroupIngress'])
    if (ingress !== undefined && !Array.isArray(ingress)) throw inputError(template.file, describe(resource, ['SecurityGroupIngress']), 'expected a list')
    return {
      id: plannedNetworkId(resource),
      name: template.requiredText(resource, ['GroupName']) ?? resource.logicalId,
      region: account.region,
      tags: tagsOf(template, resource),
      ingress: (ingress ?? []).map((_, index) => ingressRule(template, resource, ['SecurityGroupIngress', String(index)])),
    }
  })
  for (const resource of template.all('AWS::EC2::SecurityGroupIngress')) {
    const group = groups.find((entry) => entry.id === template.requiredText(resource, ['GroupId']))
    if (group) group.ingress.push(ingressRule(template, resource, []))
  }
  return {roles, instanceProfiles: profiles, policies, subnets, securityGroups: groups}
}

function requestedCluster(template: Template, resource: TemplateResource): RequestedCluster {
  const text = (...path: string[]) => template.requiredText(resource, path)
  const field = (...path: string[]) => describe(resource, path)
  const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({[key]: value} as Record<K, string>) : {})
  const applications = template.required(resource, ['Applications'])
  if (applications !== undefined && !Array.isArray(applications)) throw inputError(template.file, field('Applications'), 'expected a list')
  const subnet = text('Instances', 'Ec2SubnetId')
  const fleet = template.required(resource, ['Instances', 'MasterInstanceFleet'])
  const group = template.required(resource, ['Instances', 'MasterInstanceGroup'])
  const primary =
    fleet !== undefined
      ? (numberAt(template, resource, ['Instances', 'MasterInstanceFleet', 'TargetOnDemandCapacity']) ?? 0) +
        (numberAt(template, resource, ['Instances', 'MasterInstanceFleet', 'TargetSpotCapacity']) ?? 0)
      : group !== undefined
        ? numberAt(template, resource, ['Instances', 'MasterInstanceGroup', 'InstanceCount'])
        : undefined
  const spot =
    ['MasterInstanceGroup', 'CoreInstanceGroup'].some(
      (name) => text('Instances', name, 'Market') === 'SPOT' || text('Instances', name, 'BidPrice') !== undefined,
    ) || ['MasterInstanceFleet', 'CoreInstanceFleet'].some((name) => (numberAt(template, resource, ['Instances', name, 'TargetSpotCapacity']) ?? 0) > 0)
  return {
    address: resource.logicalId,
    name: text('Name') ?? resource.logicalId,
    ...optional('releaseLabel', text('ReleaseLabel')),
    applications: (applications ?? []).flatMap((_, index) =>
      text('Applications', String(index), 'Name') ? [text('Applications', String(index), 'Name') as string] : [],
    ),
    ...optional('serviceRole', text('ServiceRole')),
    ...optional('jobFlowRole', text('JobFlowRole')),
    ...optional('autoScalingRole', text('AutoScalingRole')),
    ...optional('securityConfiguration', text('SecurityConfiguration')),
    subnetIds: [...new Set([...(subnet ? [subnet] : []), ...template.requiredTexts(resource, ['Instances', 'Ec2SubnetIds'])])],
    ...optional('masterSecurityGroup', text('Instances', 'EmrManagedMasterSecurityGroup')),
    ...optional('slaveSecurityGroup', text('Instances', 'EmrManagedSlaveSecurityGroup')),
    ...optional('serviceAccessSecurityGroup', text('Instances', 'ServiceAccessSecurityGroup')),
    additionalMasterSecurityGroups: template.requiredTexts(resource, ['Instances', 'AdditionalMasterSecurityGroups']),
    additionalSlaveSecurityGroups: template.requiredTexts(resource, ['Instances', 'AdditionalSlaveSecurityGroups']),
    ...(primary !== undefined ? {primaryNodes: primary} : {}),
    usesSpot: spot,
    tags: tagsOf(template, resource),
    fields: {
      serviceRole: field('ServiceRole'),
      jobFlowRole: field('JobFlowRole'),
      autoScalingRole: field('AutoScalingRole'),
      securityConfiguration: field('SecurityConfiguration'),
      subnet: subnet ? field('Instances', 'Ec2SubnetId') : field('Instances', 'Ec2SubnetIds'),
      securityGroups: field('Instances', 'EmrManagedMasterSecurityGroup'),
      releaseLabel: field('ReleaseLabel'),
      primaryNodes: fleet !== undefined ? field('Instances', 'MasterInstanceFleet') : field('Instances', 'MasterInstanceGroup'),
      tags: field('Tags'),
    },
  }
}

function resourcesOf(document: Record<string, unknown>, file: string): Map<string, TemplateResource> {
  const resources = new Map<string, TemplateResource>()
  const entries = Object.entries(document['Resources'] as Record<string, unknown>)
  if (entries.length > MAX_RESOURCES) throw inputError(file, 'Resources', `more than ${MAX_RESOURCES} resources`)
  for (const [logicalId, resource] of entries) {
    const where = `Resources.${logicalId}`
    if (!isPlainObject(resource) || typeof resource['Type'] !== 'string') throw inputError(file, `${where}.Type`, 'expected a string')
    const properties = resource['Properties'] ?? {}
    if (!isPlainObject(properties)) throw inputError(file, `${where}.Properties`, 'expected an object')
    resources.set(logicalId, {logicalId, type: resource['Type'], properties})
  }
  return resources
}

function parametersOf(document: Record<string, unknown>, file: string): Map<string, {type: string; default?: string}> {
  const declared = document['Parameters'] ?? {}
  if (!isPlainObject(declared)) throw inputError(file, 'Parameters', 'expected an object')
  const parameters = new Map<string, {type: string; default?: string}>()
  for (const [name, parameter] of Object.entries(declared)) {
    if (!isPlainObject(parameter) || typeof parameter['Type'] !== 'string') throw inputError(file, `Parameters.${name}.Type`, 'expected a string')
    const fallback = parameter['Default']
    if (fallback !== undefined && typeof fallback !== 'string' && typeof fallback !== 'number')
      throw inputError(file, `Parameters.${name}.Default`, 'expected a string or number')
    parameters.set(name, {type: parameter['Type'], ...(fallback !== undefined ? {default: String(fallback)} : {})})
  }
  return parameters
}

/** `document` is the parsed template of FILE (named in messages); `given` are the --parameter values. */
export function parseCloudFormation(document: Record<string, unknown>, file: string, given: Readonly<Record<string, string>>): ParsedLaunch {
  const resources = resourcesOf(document, file)
  const parameters = parametersOf(document, file)
  for (const name of Object.keys(given))
    if (!parameters.has(name)) throw inputError(file, 'Parameters', `--parameter ${name}: the template declares no such parameter`)
  return {
    format: 'cloudformation',
    build(account): LaunchRequest {
      const template = new Template(file, resources, parameters, given, account)
      const clusters = template.all('AWS::EMR::Cluster').map((resource) => requestedCluster(template, resource))
      return {format: 'cloudformation', clusters, planned: plannedResources(template, account)}
    },
  }
}
