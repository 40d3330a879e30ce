import {describe, expect, it} from 'vitest'
import type {IngressRule, SecurityGroup} from '../inventory/schema.js'
import {cluster, emptyInventory, REGION} from '../../test/fixtures/inventory.js'
import {buildIndex} from './inventory-index.js'
import {
  allowsTcp,
  clusterSecurityGroupIds,
  clusterSubnetIds,
  coversAllPorts,
  coversPort,
  emrManagedGroupIds,
  findSecurityGroup,
  findSubnet,
  findVpc,
  isWorldOpen,
  portLabel,
  refusedByBpa,
  tcpPortExposures,
  v2TagState,
} from './network.js'

const ingress = (rule: Partial<IngressRule>): IngressRule => ({protocol: 'tcp', ipv4Ranges: [], ipv6Ranges: [], ...rule})
const group = (id: string, rules: IngressRule[]): SecurityGroup => ({id, name: id, region: REGION, tags: [], ingress: rules})

describe('a cluster’s groups and subnets', () => {
  it('lists every group once, the managed ones first, and leaves out the unset ones', () => {
    const c = cluster({
      id: 'j-1',
      emrManagedMasterSecurityGroup: 'sg-master',
      emrManagedSlaveSecurityGroup: 'sg-core',
      additionalMasterSecurityGroups: ['sg-extra', 'sg-master'],
      additionalSlaveSecurityGroups: ['sg-extra2'],
    })
    expect(clusterSecurityGroupIds(c)).toEqual(['sg-master', 'sg-core', 'sg-extra', 'sg-extra2'])
    expect(emrManagedGroupIds(c)).toEqual(['sg-master', 'sg-core'])
    expect(emrManagedGroupIds(cluster({id: 'j-2', serviceAccessSecurityGroup: 'sg-svc'}))).toEqual(['sg-svc'])
  })

  it('lists the subnet and the requested subnets once each', () => {
    expect(clusterSubnetIds(cluster({id: 'j-1', subnetId: 'subnet-a', requestedSubnetIds: ['subnet-a', 'subnet-b']}))).toEqual(['subnet-a', 'subnet-b'])
    expect(clusterSubnetIds(cluster({id: 'j-2'}))).toEqual([])
  })
})

describe('finding a network resource', () => {
  const inventory = emptyInventory(['us-east-1', 'eu-west-1'])
  inventory.ec2.securityGroups.push(group('sg-1', []))
  inventory.ec2.subnets.push({id: 'subnet-1', region: 'us-east-1', vpcId: 'vpc-1', tags: []})
  inventory.ec2.vpcs.push({id: 'vpc-1', region: 'us-east-1', isDefault: false, tags: []})
  inventory.coverage = inventory.coverage.filter((outcome) => outcome.region !== 'eu-west-1')
  const index = buildIndex(inventory)

  it('finds it by id in its own region only', () => {
    expect(findSecurityGroup(inventory, index, 'sg-1', 'us-east-1')).toMatchObject({status: 'found', value: {id: 'sg-1'}})
    expect(findSubnet(inventory, index, 'subnet-1', 'us-east-1')).toMatchObject({status: 'found', value: {id: 'subnet-1'}})
    expect(findVpc(inventory, index, 'vpc-1', 'us-east-1')).toMatchObject({status: 'found', value: {id: 'vpc-1'}})
    expect(findSecurityGroup(inventory, index, 'sg-2', 'us-east-1')).toEqual({status: 'missing'})
    expect(findSubnet(inventory, index, 'subnet-2', 'us-east-1')).toEqual({status: 'missing'})
    expect(findVpc(inventory, index, 'vpc-2', 'us-east-1')).toEqual({status: 'missing'})
  })

  it('answers unknown, naming the API, where the source was not collected', () => {
    expect(findSecurityGroup(inventory, index, 'sg-1', 'eu-west-1')).toEqual({
      status: 'unknown',
      reason: 'security groups could not be read in eu-west-1 (ec2:DescribeSecurityGroups)',
    })
    expect(findSubnet(inventory, index, 'subnet-1', 'eu-west-1')).toEqual({
      status: 'unknown',
      reason: 'subnets could not be read in eu-west-1 (ec2:DescribeSubnets)',
    })
    expect(findVpc(inventory, index, 'vpc-1', 'eu-west-1')).toEqual({status: 'unknown', reason: 'VPCs could not be read in eu-west-1 (ec2:DescribeVpcs)'})
  })
})

describe('ingress rules', () => {
  it('is world-open with 0.0.0.0/0 or ::/0, and not with a narrower range', () => {
    expect(isWorldOpen(ingress({ipv4Ranges: ['10.0.0.0/8', '0.0.0.0/0']}))).toBe(true)
    expect(isWorldOpen(ingress({ipv6Ranges: ['::/0']}))).toBe(true)
    expect(isWorldOpen(ingress({ipv4Ranges: ['0.0.0.0/1'], ipv6Ranges: ['2001:db8::/32']}))).toBe(false)
  })

  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html: a rule open to
  // 0.0.0.0/0 or ::/0 is allowed only when its ports lie within an exception (port 22 by default).
  it.each([
    ['a world-open rule on a permitted port', ingress({ipv4Ranges: ['0.0.0.0/0'], fromPort: 22, toPort: 22}), false],
    ['a world-open rule inside a permitted range', ingress({ipv6Ranges: ['::/0'], fromPort: 100, toPort: 200}), false],
    ['a world-open rule at both ends of a permitted range', ingress({ipv4Ranges: ['0.0.0.0/0'], fromPort: 100, toPort: 300}), false],
    ['a world-open rule reaching past a permitted range', ingress({ipv4Ranges: ['0.0.0.0/0'], fromPort: 100, toPort: 301}), true],
    ['a world-open rule starting before a permitted range', ingress({ipv4Ranges: ['0.0.0.0/0'], fromPort: 99, toPort: 200}), true],
    ['a world-open rule on a neighbouring port', ingress({ipv4Ranges: ['0.0.0.0/0'], fromPort: 23, toPort: 23}), true],
    ['a world-open rule on every protocol', ingress({protocol: '-1', ipv4Ranges: ['0.0.0.0/0'], fromPort: 22, toPort: 22}), true],
    ['a world-open rule without ports', ingress({ipv4Ranges: ['0.0.0.0/0'], fromPort: 22}), true],
    ['a world-open rule without a start port', ingress({ipv4Ranges: ['0.0.0.0/0'], toPort: 22}), true],
    ['a rule open to a private range', ingress({ipv4Ranges: ['10.0.0.0/8'], fromPort: 443, toPort: 443}), false],
  ])('refuses %s as block public access would: %s', (_case, rule, refused) => {
    expect(refusedByBpa(rule, {region: REGION, permittedRanges: [{min: 22}, {min: 100, max: 300}]})).toBe(refused)
  })

  it('covers all ports with protocol -1 or 0–65535, open ends counting as the extremes', () => {
    expect(coversAllPorts(ingress({protocol: '-1', fromPort: 22, toPort: 22}))).toBe(true)
    expect(coversAllPorts(ingress({fromPort: 0, toPort: 65535}))).toBe(true)
    expect(coversAllPorts(ingress({}))).toBe(true)
    expect(coversAllPorts(ingress({fromPort: 1, toPort: 65535}))).toBe(false)
    expect(coversAllPorts(ingress({fromPort: 0, toPort: 65534}))).toBe(false)
    expect(coversAllPorts(ingress({toPort: 65534}))).toBe(false)
    expect(coversAllPorts(ingress({fromPort: 1}))).toBe(false)
  })

  it('covers a port between its ends, inclusive', () => {
    expect(coversPort(ingress({protocol: '-1'}), 8443)).toBe(true)
    expect(coversPort(ingress({fromPort: 8000, toPort: 8443}), 8443)).toBe(true)
    expect(coversPort(ingress({fromPort: 8443, toPort: 9000}), 8443)).toBe(true)
    expect(coversPort(ingress({fromPort: 8444, toPort: 9000}), 8443)).toBe(false)
    expect(coversPort(ingress({fromPort: 8000, toPort: 8442}), 8443)).toBe(false)
    expect(coversPort(ingress({fromPort: 8000}), 8443)).toBe(false)
    expect(coversPort(ingress({toPort: 9000}), 8443)).toBe(false)
  })

  it('labels the ports', () => {
    expect(portLabel(ingress({protocol: '-1'}))).toBe('all ports')
    expect(portLabel(ingress({fromPort: 22, toPort: 22}))).toBe('tcp/22')
    expect(portLabel(ingress({protocol: 'udp', fromPort: 1000, toPort: 2000}))).toBe('udp/1000-2000')
  })

  it('allows TCP by name, by number 6, or as every protocol', () => {
    expect(allowsTcp(ingress({protocol: 'TCP'}))).toBe(true)
    expect(allowsTcp(ingress({protocol: '6'}))).toBe(true)
    expect(allowsTcp(ingress({protocol: '-1'}))).toBe(true)
    expect(allowsTcp(ingress({protocol: 'udp'}))).toBe(false)
    expect(allowsTcp(ingress({protocol: '17'}))).toBe(false)
  })
})

describe('who can reach a TCP port', () => {
  it('lists every source of the rules covering it, apart from the trusted groups', () => {
    const sg = group('sg-1', [
      ingress({
        fromPort: 8443,
        toPort: 8443,
        ipv4Ranges: ['10.0.0.0/8'],
        ipv6Ranges: ['::/0'],
        prefixLists: ['pl-1'],
        sourceGroups: ['sg-trusted', 'sg-other'],
      }),
      ingress({protocol: 'udp', fromPort: 8443, toPort: 8443, ipv4Ranges: ['0.0.0.0/0']}),
      ingress({fromPort: 22, toPort: 22, ipv4Ranges: ['0.0.0.0/0']}),
      ingress({protocol: '-1', sourceGroups: ['sg-trusted']}),
    ])
    expect(tcpPortExposures(sg, 8443, ['sg-trusted'])).toEqual([
      {securityGroup: 'sg-1', rule: 'tcp/8443', source: '10.0.0.0/8'},
      {securityGroup: 'sg-1', rule: 'tcp/8443', source: '::/0'},
      {securityGroup: 'sg-1', rule: 'tcp/8443', source: 'pl-1'},
      {securityGroup: 'sg-1', rule: 'tcp/8443', source: 'sg-other'},
    ])
  })

  it('reports a rule from an inventory without recorded sources as unrecorded, unless it has ranges', () => {
    const sg = group('sg-1', [ingress({fromPort: 8443, toPort: 8443}), ingress({fromPort: 8443, toPort: 8443, ipv6Ranges: ['2001:db8::/32']})])
    expect(tcpPortExposures(sg, 8443, [])).toEqual([
      {securityGroup: 'sg-1', rule: 'tcp/8443', source: 'unrecorded'},
      {securityGroup: 'sg-1', rule: 'tcp/8443', source: '2001:db8::/32'},
    ])
    const withIpv4 = group('sg-2', [ingress({fromPort: 8443, toPort: 8443, ipv4Ranges: ['10.0.0.0/8']})])
    expect(tcpPortExposures(withIpv4, 8443, []).map((exposure) => exposure.source)).toEqual(['10.0.0.0/8'])
    const recordedEmpty = group('sg-3', [ingress({fromPort: 8443, toPort: 8443, sourceGroups: []})])
    expect(tcpPortExposures(recordedEmpty, 8443, [])).toEqual([])
  })
})

// https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html: the v2 policies need
// the tag for-use-with-amazon-emr-managed-policies with the value true.
describe('the v2 tag', () => {
  it('is exact only with the exact key and value', () => {
    expect(v2TagState([{key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}])).toEqual({state: 'exact', variants: []})
  })

  it('is a near miss with a differently cased or spaced key, or another value', () => {
    const variants = [
      {key: 'For-Use-With-Amazon-EMR-Managed-Policies', value: 'true'},
      {key: 'for-use-with-amazon-emr-managed-policies', value: 'True'},
    ]
    expect(v2TagState([{key: 'team', value: 'data'}, ...variants])).toEqual({state: 'near-miss', variants})
  })

  it('is absent with neither', () => {
    expect(v2TagState([{key: 'team', value: 'true'}])).toEqual({state: 'absent', variants: []})
  })
})
