/**
 * The wiring diagram of each cluster and Studio as a plain graph, shared by the Mermaid (Markdown) and SVG
 * (HTML) renderings: nodes for the resources, edges for how they are linked (service role -> passes ->
 * EC2 role <- held by the instance profile -> assumes runtime roles, plus network and security
 * configuration). A failing finding is put on the one element it is about: on the link when the rule
 * judges a link (may the service role pass this role? does the profile hold the role of its name?), else
 * on the resource. Pure: no I/O, no escaping (each renderer escapes for its medium).
 */
import type {Finding, ResourceRef, ResourceType} from '../findings/types.js'
import {roleNameFromReference} from '../policy/match.js'
import type {ScanReport} from './model.js'
import type {V2TagDisplay, Wiring} from './wiring-topology.js'

export type WiringNodeKind =
  | 'cluster'
  | 'studio'
  | 'service-role'
  | 'autoscaling-role'
  | 'user-role'
  | 'instance-profile'
  | 'ec2-role'
  | 'runtime-role'
  | 'security-configuration'
  | 'subnet'
  | 'security-group'
  | 'secret'

type Presence = 'found' | 'absent' | 'unknown'

export interface WiringNode {
  key: string
  kind: WiringNodeKind
  /** The resource's name or id, as the account spells it. */
  label: string
  v2Tag?: V2TagDisplay
  presence?: Presence
  ruleIds: string[]
  failing: boolean
  /** What a finding's resource is compared with. */
  ref: {type: ResourceType; id: string; arn?: string; region?: string}
}

export interface WiringEdge {
  from: string
  to: string
  label: string
  ruleIds: string[]
  failing: boolean
}

export interface WiringGraph {
  subject: Wiring
  nodes: WiringNode[]
  edges: WiringEdge[]
  /** Some node or edge carries a failing finding. */
  failing: boolean
}

export const NODE_KIND_LABEL: Readonly<Record<WiringNodeKind, string>> = {
  cluster: 'cluster',
  studio: 'Studio',
  'service-role': 'service role',
  'autoscaling-role': 'Auto Scaling role',
  'user-role': 'Studio user role',
  'instance-profile': 'instance profile',
  'ec2-role': 'EC2 role',
  'runtime-role': 'runtime role',
  'security-configuration': 'security configuration',
  subnet: 'subnet',
  'security-group': 'security group',
  secret: 'Git secret',
}

export const V2_TAG_LABEL: Readonly<Record<V2TagDisplay, string>> = {
  tagged: 'v2 tag',
  'near-miss': 'v2 tag near miss',
  untagged: 'no v2 tag',
  unknown: 'tags unknown',
}

/** The line under a node's name: its kind, and the state that matters for it. */
export function nodeCaption(node: WiringNode): string {
  const states = [
    node.presence === 'absent' ? 'does not exist' : node.presence === 'unknown' ? 'not read' : undefined,
    node.v2Tag ? V2_TAG_LABEL[node.v2Tag] : undefined,
  ]
  return [NODE_KIND_LABEL[node.kind], ...states.filter((state): state is string => state !== undefined)].join(' · ')
}

class GraphBuilder {
  readonly nodes: WiringNode[] = []
  readonly edges: WiringEdge[] = []

  node(kind: WiringNodeKind, ref: WiringNode['ref'], label: string, state: {v2Tag?: V2TagDisplay; presence?: Presence} = {}): WiringNode {
    const existing = this.nodes.find((node) => node.kind === kind && node.ref.id === ref.id)
    if (existing) return existing
    const node: WiringNode = {key: `n${this.nodes.length}`, kind, label, ...state, ruleIds: [], failing: false, ref}
    this.nodes.push(node)
    return node
  }

  edge(from: WiringNode | undefined, to: WiringNode | undefined, label: string): void {
    if (!from || !to || this.edges.some((edge) => edge.from === from.key && edge.to === to.key)) return
    this.edges.push({from: from.key, to: to.key, label, ruleIds: [], failing: false})
  }
}

type WiredRole = NonNullable<Wiring['serviceRole']>

function roleNode(graph: GraphBuilder, kind: WiringNodeKind, role: WiredRole): WiringNode {
  return graph.node(kind, {type: 'iam-role', id: role.name, ...(role.arn ? {arn: role.arn} : {})}, role.name, {presence: role.presence})
}

function addNetwork(graph: GraphBuilder, root: WiringNode, subject: Wiring): void {
  const region = subject.region
  for (const subnet of subject.subnets)
    graph.edge(root, graph.node('subnet', {type: 'ec2-subnet', id: subnet.id, region}, subnet.id, {v2Tag: subnet.v2Tag}), 'subnet')
  for (const group of subject.securityGroups) {
    graph.edge(
      root,
      graph.node('security-group', {type: 'ec2-security-group', id: group.id, region}, group.name ? `${group.id} (${group.name})` : group.id, {
        v2Tag: group.v2Tag,
      }),
      'security group',
    )
  }
  for (const secret of subject.secrets)
    graph.edge(
      root,
      graph.node('secret', {type: 'secret', id: secret.id, ...(secret.arn ? {arn: secret.arn} : {}), region}, secret.id, {v2Tag: secret.v2Tag}),
      'Git secret',
    )
}

function clusterGraph(subject: Wiring, graph: GraphBuilder): void {
  const root = graph.node(
    'cluster',
    {type: 'emr-cluster', id: subject.id, ...(subject.arn ? {arn: subject.arn} : {}), region: subject.region},
    subject.name ?? subject.id,
  )
  const service = subject.serviceRole ? roleNode(graph, 'service-role', subject.serviceRole) : undefined
  graph.edge(root, service, 'service role')
  const profile = subject.instanceProfile
    ? graph.node(
        'instance-profile',
        {type: 'iam-instance-profile', id: subject.instanceProfile.name, ...(subject.instanceProfile.arn ? {arn: subject.instanceProfile.arn} : {})},
        subject.instanceProfile.name,
        {presence: subject.instanceProfile.presence},
      )
    : undefined
  graph.edge(root, profile, 'instance profile')
  const ec2Roles = subject.ec2Roles.map((role) => roleNode(graph, 'ec2-role', role))
  for (const role of ec2Roles) {
    graph.edge(service, role, 'passes')
    graph.edge(profile, role, 'holds')
  }
  if (subject.autoScalingRole) {
    const scaling = roleNode(graph, 'autoscaling-role', subject.autoScalingRole)
    graph.edge(root, scaling, 'Auto Scaling role')
    graph.edge(service, scaling, 'passes')
  }
  for (const {role, assumedBy} of subject.runtimeRoles) {
    graph.edge(
      ec2Roles.find((node) => node.ref.id === assumedBy),
      roleNode(graph, 'runtime-role', role),
      'assumes',
    )
  }
  if (subject.runtimeRolesNotShown) {
    const more = graph.node('runtime-role', {type: 'iam-role', id: ''}, `${subject.runtimeRolesNotShown} more runtime roles`, {presence: 'found'})
    for (const role of ec2Roles) graph.edge(role, more, 'assumes')
  }
  if (subject.securityConfiguration) {
    const {name, presence} = subject.securityConfiguration
    graph.edge(
      root,
      graph.node('security-configuration', {type: 'emr-security-configuration', id: name, region: subject.region}, name, {presence}),
      'security configuration',
    )
  }
  addNetwork(graph, root, subject)
}

function studioGraph(subject: Wiring, graph: GraphBuilder): void {
  const root = graph.node(
    'studio',
    {type: 'emr-studio', id: subject.id, ...(subject.arn ? {arn: subject.arn} : {}), region: subject.region},
    subject.name ?? subject.id,
  )
  if (subject.serviceRole) graph.edge(root, roleNode(graph, 'service-role', subject.serviceRole), 'service role')
  if (subject.userRole) graph.edge(root, roleNode(graph, 'user-role', subject.userRole), 'user role')
  addNetwork(graph, root, subject)
}

function sameResource(ref: WiringNode['ref'], resource: ResourceRef): boolean {
  if (ref.type !== resource.type) return false
  if (ref.region && resource.region && ref.region !== resource.region) return false
  if (ref.arn && resource.arn) return ref.arn === resource.arn
  return ref.id === resource.id || ref.id === resource.name
}

/** The role node a reference (name or ARN) in a finding's evidence names. */
function roleNamed(graph: GraphBuilder, reference: unknown, kinds: readonly WiringNodeKind[]): WiringNode | undefined {
  if (typeof reference !== 'string') return undefined
  return graph.nodes.find((node) => kinds.includes(node.kind) && (node.ref.arn === reference || node.ref.id === roleNameFromReference(reference)))
}

function edgesBetween(graph: GraphBuilder, from: readonly (WiringNode | undefined)[], to: readonly (WiringNode | undefined)[]): WiringEdge[] {
  const sources = new Set(from.flatMap((node) => (node ? [node.key] : [])))
  const targets = new Set(to.flatMap((node) => (node ? [node.key] : [])))
  return graph.edges.filter((edge) => sources.has(edge.from) && targets.has(edge.to))
}

const nodesOf = (graph: GraphBuilder, kinds: readonly WiringNodeKind[]): WiringNode[] => graph.nodes.filter((node) => kinds.includes(node.kind))
const matching = (graph: GraphBuilder, finding: Finding, kinds: readonly WiringNodeKind[]): WiringNode[] =>
  nodesOf(graph, kinds).filter((node) => sameResource(node.ref, finding.resource))

/**
 * Rules that judge a link between two resources, and which link a finding of theirs is about (from the
 * resource and the evidence the rule records). Any other failing finding is put on its resource's node.
 */
const LINK_RULES: Readonly<Record<string, (graph: GraphBuilder, finding: Finding) => WiringEdge[]>> = {
  // A referenced role that does not exist: the cluster's link to it (sub-key names the field).
  'EMR-ROLE-001': (graph, finding) =>
    edgesBetween(graph, matching(graph, finding, ['cluster']), nodesOf(graph, [finding.subKey === 'AutoScalingRole' ? 'autoscaling-role' : 'service-role'])),
  // The cluster's instance profile is empty, missing or holds another role: the profile's hold on its roles.
  'EMR-PROFILE-002': (graph, finding) => {
    const clusters = matching(graph, finding, ['cluster'])
    if (clusters.length === 0) return []
    const holds = edgesBetween(graph, nodesOf(graph, ['instance-profile']), nodesOf(graph, ['ec2-role']))
    return holds.length > 0 ? holds : edgesBetween(graph, clusters, nodesOf(graph, ['instance-profile']))
  },
  // No instance profile of the EC2 role's own name holds it.
  'EMR-PROFILE-001': (graph, finding) => edgesBetween(graph, nodesOf(graph, ['instance-profile']), matching(graph, finding, ['ec2-role'])),
  'EMR-PASSROLE-001': (graph, finding) =>
    edgesBetween(graph, matching(graph, finding, ['service-role']), [roleNamed(graph, finding.evidence['passedRole'], ['ec2-role', 'autoscaling-role'])]),
  'EMR-RUNTIME-002': (graph, finding) =>
    edgesBetween(graph, matching(graph, finding, ['ec2-role']), [roleNamed(graph, finding.evidence['runtimeRole'], ['runtime-role'])]),
  'EMR-RUNTIME-003': (graph, finding) =>
    edgesBetween(graph, [roleNamed(graph, finding.evidence['ec2Role'], ['ec2-role'])], matching(graph, finding, ['runtime-role'])),
  // The cluster names a security configuration that does not exist.
  'EMR-SECCFG-001': (graph, finding) =>
    finding.resource.type === 'emr-cluster' ? edgesBetween(graph, matching(graph, finding, ['cluster']), nodesOf(graph, ['security-configuration'])) : [],
}

/** Rules about a pair of roles: when the pair is not in this graph, the finding is about another cluster. */
const PAIR_RULES = new Set(['EMR-PASSROLE-001', 'EMR-RUNTIME-002', 'EMR-RUNTIME-003'])

function mark(element: {ruleIds: string[]; failing: boolean}, ruleId: string): void {
  element.failing = true
  if (!element.ruleIds.includes(ruleId)) element.ruleIds = [...element.ruleIds, ruleId].sort()
}

function attach(graph: GraphBuilder, finding: Finding): void {
  const links = LINK_RULES[finding.ruleId]?.(graph, finding) ?? []
  if (links.length > 0) {
    for (const link of links) mark(link, finding.ruleId)
    return
  }
  if (PAIR_RULES.has(finding.ruleId)) return
  for (const node of graph.nodes.filter((entry) => sameResource(entry.ref, finding.resource))) mark(node, finding.ruleId)
}

/** One graph per cluster and Studio the report describes, each with the failing findings about it. */
export function wiringGraphs(report: Pick<ScanReport, 'wiring' | 'findings'>): WiringGraph[] {
  const failing = report.findings.filter((finding) => finding.status === 'fail')
  return (report.wiring ?? []).map((subject) => {
    const graph = new GraphBuilder()
    if (subject.kind === 'cluster') clusterGraph(subject, graph)
    else studioGraph(subject, graph)
    for (const finding of failing) {
      if (subject.account && finding.account && subject.account !== finding.account) continue
      attach(graph, finding)
    }
    return {subject, nodes: graph.nodes, edges: graph.edges, failing: graph.nodes.some((node) => node.failing) || graph.edges.some((edge) => edge.failing)}
  })
}
