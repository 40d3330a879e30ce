import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, setCoverage, withRoles} from '../../test/fixtures/inventory.js'
import {finding} from '../../test/fixtures/report.js'
import type {Finding} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import {buildReport, combineReports} from './model.js'
import {nodeCaption, type WiringGraph, wiringGraphs} from './wiring.js'
import {MAX_RUNTIME_ROLES, wiringTopology} from './wiring-topology.js'

const V2 = 'for-use-with-amazon-emr-managed-policies'

/**
 * One runtime-role cluster: service role `svc`, instance profile `ec2-profile` holding role `ec2`, runtime
 * role `rt` trusting `ec2`, a tagged subnet, one untagged and one near-miss group, and an Auto Scaling
 * role that does not exist.
 */
function account(): Inventory {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com'))}),
    role({name: 'ec2', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2-profile'}]}),
    role({name: 'rt', trust: doc(allowAws(roleArn('ec2')))}),
  )
  inventory.emr.clusters.push(
    cluster({
      id: 'j-1',
      name: 'etl',
      serviceRole: 'svc',
      autoScalingRole: 'gone-scaling',
      instanceProfile: 'ec2-profile',
      securityConfiguration: 'runtime',
      subnetId: 'subnet-1',
      emrManagedMasterSecurityGroup: 'sg-1',
      emrManagedSlaveSecurityGroup: 'sg-2',
    }),
  )
  inventory.emr.securityConfigurations.push({
    name: 'runtime',
    region: 'us-east-1',
    origins: ['cluster'],
    found: true,
    configuration: {AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}}},
  })
  inventory.ec2.subnets.push({id: 'subnet-1', region: 'us-east-1', tags: [{key: V2, value: 'true'}]})
  inventory.ec2.securityGroups.push(
    {id: 'sg-1', name: 'primary', region: 'us-east-1', tags: [], ingress: []},
    {id: 'sg-2', name: 'core', region: 'us-east-1', tags: [{key: V2, value: 'True'}], ingress: []},
  )
  return inventory
}

function graphOf(inventory: Inventory, findings: Finding[] = []): WiringGraph {
  const [graph] = wiringGraphs(buildReport(inventory, findings, {includePassed: true, wiring: wiringTopology(inventory, {})}))
  if (!graph) throw new Error('no wiring graph')
  return graph
}

/** `from -label-> to [rule ids]` lines, by node labels: readable when a test fails. */
const edgeLines = (graph: WiringGraph): string[] => {
  const label = (key: string) => graph.nodes.find((node) => node.key === key)?.label
  return graph.edges.map((edge) => `${label(edge.from)} -${edge.label}-> ${label(edge.to)}${edge.failing ? ` [${edge.ruleIds.join(',')}]` : ''}`)
}
const node = (graph: WiringGraph, label: string) => graph.nodes.find((entry) => entry.label === label)

describe('the wiring model', () => {
  it('links a cluster to its roles, profile, runtime role, security configuration and network', () => {
    expect(edgeLines(graphOf(account()))).toEqual([
      'etl -service role-> svc',
      'etl -instance profile-> ec2-profile',
      'svc -passes-> ec2',
      'ec2-profile -holds-> ec2',
      'etl -Auto Scaling role-> gone-scaling',
      'svc -passes-> gone-scaling',
      'ec2 -assumes-> rt',
      'etl -security configuration-> runtime',
      'etl -subnet-> subnet-1',
      'etl -security group-> sg-1 (primary)',
      'etl -security group-> sg-2 (core)',
    ])
  })

  it("shows each network resource's v2-tag state and a referenced role that does not exist", () => {
    const graph = graphOf(account())
    expect(nodeCaption(node(graph, 'subnet-1')!)).toBe('subnet · v2 tag')
    expect(nodeCaption(node(graph, 'sg-1 (primary)')!)).toBe('security group · no v2 tag')
    expect(nodeCaption(node(graph, 'sg-2 (core)')!)).toBe('security group · v2 tag near miss')
    expect(nodeCaption(node(graph, 'gone-scaling')!)).toBe('Auto Scaling role · does not exist')
    expect(nodeCaption(node(graph, 'svc')!)).toBe('service role')
  })

  it('says "tags unknown", not "no v2 tag", when subnets could not be read', () => {
    const denied = setCoverage(account(), 'ec2.subnets', 'us-east-1', 'denied', 'ec2:DescribeSubnets')
    denied.ec2.subnets = []
    const graph = graphOf(denied)
    expect(nodeCaption(node(graph, 'subnet-1')!)).toBe('subnet · tags unknown')
  })

  it('puts a failing PassRole finding on the passes link it names, and nowhere else', () => {
    const passRole = finding('EMR-PASSROLE-001', 'critical', 'fail', 'svc', {evidence: {passedRole: roleArn('ec2')}})
    const graph = graphOf(account(), [passRole])
    expect(edgeLines(graph).filter((line) => line.includes('['))).toEqual(['svc -passes-> ec2 [EMR-PASSROLE-001]'])
    expect(graph.nodes.filter((entry) => entry.failing)).toEqual([])
    expect(graph.failing).toBe(true)
  })

  it('ignores findings that pass, are suppressed or unknown', () => {
    const evidence = {evidence: {passedRole: roleArn('ec2')}}
    const graph = graphOf(
      account(),
      (['pass', 'suppressed', 'unknown'] as const).map((status) => finding('EMR-PASSROLE-001', 'critical', status, 'svc', evidence)),
    )
    expect(graph.failing).toBe(false)
  })

  it('puts link rules on their links: profile hold, runtime assume, a missing role', () => {
    const clusterRef = {type: 'emr-cluster' as const, id: 'j-1', name: 'etl', region: 'us-east-1'}
    const findings = [
      finding('EMR-PROFILE-002', 'critical', 'fail', 'j-1', {resource: clusterRef}),
      finding('EMR-RUNTIME-002', 'high', 'fail', 'ec2', {evidence: {runtimeRole: roleArn('rt')}}),
      finding('EMR-ROLE-001', 'critical', 'fail', 'j-1', {resource: clusterRef, subKey: 'AutoScalingRole'}),
    ]
    expect(edgeLines(graphOf(account(), findings)).filter((line) => line.includes('['))).toEqual([
      'ec2-profile -holds-> ec2 [EMR-PROFILE-002]',
      'etl -Auto Scaling role-> gone-scaling [EMR-ROLE-001]',
      'ec2 -assumes-> rt [EMR-RUNTIME-002]',
    ])
  })

  it('leaves out a finding about a pair of roles this cluster does not use', () => {
    const otherRuntime = finding('EMR-RUNTIME-002', 'high', 'fail', 'ec2', {evidence: {runtimeRole: roleArn('other-runtime')}})
    const otherPass = finding('EMR-PASSROLE-001', 'critical', 'fail', 'svc', {evidence: {passedRole: roleArn('other-ec2')}})
    expect(graphOf(account(), [otherRuntime, otherPass]).failing).toBe(false)
  })

  it('puts a resource rule on the resource, matching its region', () => {
    const onSubnet = (region: string) => finding('EMR-TAG-001', 'high', 'fail', 'subnet-1', {resource: {type: 'ec2-subnet', id: 'subnet-1', region}})
    const graph = graphOf(account(), [
      onSubnet('us-east-1'),
      {...finding('EMR-TAG-002', 'high', 'fail', 'sg-1', {resource: {type: 'ec2-security-group', id: 'sg-1', region: 'eu-west-1'}})},
    ])
    expect(graph.nodes.filter((entry) => entry.failing).map((entry) => `${entry.label} ${entry.ruleIds.join(',')}`)).toEqual(['subnet-1 EMR-TAG-001'])
  })

  it("in a report over several accounts, a finding marks only its own account's clusters", () => {
    const shard = (id: string, findings: Finding[]) => {
      const inventory = account()
      inventory.account.id = id
      return buildReport(inventory, findings, {includePassed: true, wiring: wiringTopology(inventory, {})})
    }
    const failing = {...finding('EMR-TRUST-001', 'critical', 'fail', 'svc'), account: '111111111111'}
    const graphs = wiringGraphs(combineReports([shard('111111111111', [failing]), shard('222222222222', [])]))
    expect(graphs.map((graph) => `${graph.subject.account} ${graph.failing}`)).toEqual(['111111111111 true', '222222222222 false'])
  })

  it(`shows at most ${MAX_RUNTIME_ROLES} runtime roles of a cluster, and how many more there are`, () => {
    const inventory = withRoles(
      account(),
      ...Array.from({length: MAX_RUNTIME_ROLES + 2}, (_, index) => role({name: `rt-${String(index).padStart(2, '0')}`, trust: doc(allowAws(roleArn('ec2')))})),
    )
    const graph = graphOf(inventory)
    const assumed = edgeLines(graph).filter((line) => line.startsWith('ec2 -assumes->'))
    expect(assumed).toHaveLength(MAX_RUNTIME_ROLES + 1)
    expect(assumed.at(-1)).toBe('ec2 -assumes-> 3 more runtime roles')
  })

  it('draws a Studio with its roles, network and Git secrets', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'studio-svc'}))
    inventory.emr.studios.push({
      id: 'es-1',
      region: 'us-east-1',
      origin: 'api',
      subnetIds: ['subnet-9'],
      serviceRole: 'studio-svc',
      userRole: 'studio-user',
      gitSecrets: ['emr-studio-git'],
      workspaceSecurityGroupId: 'sg-9',
    })
    inventory.secrets.push({
      name: 'emr-studio-git',
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr-studio-git-AbC',
      region: 'us-east-1',
      tags: [],
    })
    const secretFailure = finding('EMR-STUDIO-003', 'high', 'fail', 'emr-studio-git', {resource: {type: 'secret', id: 'emr-studio-git', region: 'us-east-1'}})
    const graph = graphOf(inventory, [secretFailure])
    expect(edgeLines(graph)).toEqual([
      'es-1 -service role-> studio-svc',
      'es-1 -user role-> studio-user',
      'es-1 -subnet-> subnet-9',
      'es-1 -security group-> sg-9',
      'es-1 -Git secret-> emr-studio-git',
    ])
    expect(nodeCaption(node(graph, 'subnet-9')!)).toBe('subnet · tags unknown')
    expect(nodeCaption(node(graph, 'studio-user')!)).toBe('Studio user role · does not exist')
    expect(node(graph, 'emr-studio-git')?.ruleIds).toEqual(['EMR-STUDIO-003'])
  })
})
