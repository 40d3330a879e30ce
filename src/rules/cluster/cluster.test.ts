import {describe, expect, it} from 'vitest'
import {cluster, emptyInventory, setCoverage} from '../../../test/fixtures/inventory.js'
import {runRule, scanRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {IngressRule, Inventory} from '../../inventory/schema.js'
import cluster001 from './emr-cluster-001.js'
import cluster002 from './emr-cluster-002.js'
import cluster003 from './emr-cluster-003.js'
import cluster004 from './emr-cluster-004.js'

const world = (protocol: string, from?: number, to?: number): IngressRule => ({
  protocol,
  ...(from === undefined ? {} : {fromPort: from, toPort: to ?? from}),
  ipv4Ranges: ['0.0.0.0/0'],
  ipv6Ranges: [],
})
const internal = (port: number): IngressRule => ({protocol: 'tcp', fromPort: port, toPort: port, ipv4Ranges: ['10.0.0.0/8'], ipv6Ranges: []})

function withGroup(inventory: Inventory, id: string, ingress: IngressRule[]): Inventory {
  inventory.ec2.securityGroups.push({id, name: id, region: 'us-east-1', tags: [], ingress})
  return inventory
}

function runtimeConfiguration(inventory: Inventory): Inventory {
  inventory.emr.securityConfigurations.push({
    name: 'rt',
    region: 'us-east-1',
    origins: ['cluster'],
    found: true,
    configuration: {AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: 'true'}}},
  })
  return inventory
}

describe('EMR-CLUSTER-001 block public access', () => {
  const bpa = (block: boolean | undefined, ranges: Array<{min: number; max?: number}> = []) => {
    const inventory = emptyInventory()
    inventory.emr.blockPublicAccess.push({region: 'us-east-1', ...(block === undefined ? {} : {blockPublicSecurityGroupRules: block}), permittedRanges: ranges})
    return inventory
  }
  it('passes when on (port 22 as the only exception is a note)', () => {
    expect(summarise(runRule(cluster001, bpa(true)))).toEqual(['pass 123456789012#us-east-1'])
    expect(runRule(cluster001, bpa(true, [{min: 22, max: 22}]))[0]?.message).toContain('port 22 is permitted')
  })
  it('fails when off, or when it permits more than port 22', () => {
    expect(summarise(runRule(cluster001, bpa(false)))).toEqual(['fail 123456789012#us-east-1'])
    expect(
      runRule(
        cluster001,
        bpa(true, [
          {min: 22, max: 22},
          {min: 8080, max: 8090},
        ]),
      )[0]?.message,
    ).toContain('8080-8090')
  })
  it('is unknown when empty or unread, never pass', () => {
    expect(summarise(runRule(cluster001, bpa(undefined)))).toEqual(['unknown 123456789012#us-east-1'])
    expect(summarise(runRule(cluster001, setCoverage(emptyInventory(), 'emr.blockPublicAccess', 'us-east-1', 'denied')))).toEqual([
      'unknown 123456789012#us-east-1',
    ])
  })
  it('records which active clusters rely on public ports BPA would refuse (the apply guard)', () => {
    const inventory = withGroup(bpa(false, [{min: 22, max: 22}]), 'sg-open', [world('tcp', 22), world('tcp', 8443)])
    inventory.emr.clusters.push(cluster({id: 'j-1', emrManagedMasterSecurityGroup: 'sg-open'}))
    expect(runRule(cluster001, inventory)[0]?.evidence?.['guard']).toEqual({activeClustersWithPublicIngress: ['j-1']})
  })
})

describe('EMR-CLUSTER-002 world-open ingress on running clusters', () => {
  it('fails high for open ports, critical for all ports, IPv6 included', () => {
    const inventory = withGroup(withGroup(withGroup(emptyInventory(), 'sg-web', [world('tcp', 443)]), 'sg-all', [world('-1')]), 'sg-v6', [
      {protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [], ipv6Ranges: ['::/0']},
    ])
    inventory.emr.clusters.push(
      cluster({id: 'j-web', emrManagedMasterSecurityGroup: 'sg-web'}),
      cluster({id: 'j-all', additionalSlaveSecurityGroups: ['sg-all']}),
      cluster({id: 'j-v6', serviceAccessSecurityGroup: 'sg-v6'}),
    )
    const outcomes = runRule(cluster002, inventory)
    expect(outcomes.map((outcome) => [outcome.resource.id, outcome.status, outcome.severity])).toEqual([
      ['j-web', 'fail', 'high'],
      ['j-all', 'fail', 'critical'],
      ['j-v6', 'fail', 'high'],
    ])
  })
  it('passes for internal-only ingress; unknown when a group could not be read', () => {
    const inventory = withGroup(emptyInventory(), 'sg-int', [internal(8443)])
    inventory.emr.clusters.push(cluster({id: 'j-1', emrManagedMasterSecurityGroup: 'sg-int'}))
    expect(summarise(runRule(cluster002, inventory))).toEqual(['pass j-1'])
    setCoverage(inventory, 'ec2.securityGroups', 'us-east-1', 'denied')
    inventory.emr.clusters.push(cluster({id: 'j-2', emrManagedMasterSecurityGroup: 'sg-unread'}))
    expect(summarise(runRule(cluster002, inventory))).toEqual(['pass j-1', 'unknown j-2'])
  })
})

describe('EMR-CLUSTER-003 SSH on runtime-role clusters', () => {
  it('fails for a key pair or port 22 ingress, only where runtime roles are on', () => {
    const inventory = runtimeConfiguration(withGroup(emptyInventory(), 'sg-ssh', [internal(22)]))
    inventory.emr.clusters.push(
      cluster({id: 'j-key', securityConfiguration: 'rt', keyName: 'ops'}),
      cluster({id: 'j-ssh', securityConfiguration: 'rt', emrManagedMasterSecurityGroup: 'sg-ssh'}),
      cluster({id: 'j-clean', securityConfiguration: 'rt'}),
      cluster({id: 'j-plain', keyName: 'ops'}),
    )
    expect(summarise(runRule(cluster003, inventory))).toEqual(['fail j-key', 'fail j-ssh', 'pass j-clean'])
  })
  // EMR-managed groups: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html (the primary and
  // core groups allow all TCP, UDP and ICMP from each other, and the service-access group TCP 9443/8443).
  const fromGroups = (protocol: string, from: number, to: number, ...groups: string[]): IngressRule => ({
    protocol,
    fromPort: from,
    toPort: to,
    ipv4Ranges: [],
    ipv6Ranges: [],
    sourceGroups: groups,
    prefixLists: [],
  })
  const managedPrimary = [
    fromGroups('tcp', 0, 65535, 'sg-primary', 'sg-core'),
    fromGroups('udp', 0, 65535, 'sg-primary', 'sg-core'),
    fromGroups('icmp', -1, -1, 'sg-primary', 'sg-core'),
    fromGroups('tcp', 8443, 8443, 'sg-sa'),
  ]
  const runtimeCluster = (id: string, extra: Partial<Parameters<typeof cluster>[0]> = {}) =>
    cluster({
      id,
      securityConfiguration: 'rt',
      emrManagedMasterSecurityGroup: 'sg-primary',
      emrManagedSlaveSecurityGroup: 'sg-core',
      serviceAccessSecurityGroup: 'sg-sa',
      ...extra,
    })

  it("passes EMR's own managed-group rules and UDP-only port 22", () => {
    const inventory = runtimeConfiguration(
      withGroup(withGroup(withGroup(emptyInventory(), 'sg-primary', managedPrimary), 'sg-core', managedPrimary), 'sg-sa', []),
    )
    withGroup(inventory, 'sg-udp', [{...world('udp', 22), sourceGroups: [], prefixLists: []}])
    inventory.emr.clusters.push(runtimeCluster('j-managed'), runtimeCluster('j-udp', {additionalMasterSecurityGroups: ['sg-udp']}))
    expect(summarise(runRule(cluster003, inventory))).toEqual(['pass j-managed', 'pass j-udp'])
  })

  it('fails TCP or all-protocol port 22 from a CIDR, a prefix list or a foreign group, naming rule and source', () => {
    const inventory = runtimeConfiguration(
      withGroup(withGroup(withGroup(emptyInventory(), 'sg-primary', managedPrimary), 'sg-core', managedPrimary), 'sg-sa', []),
    )
    withGroup(inventory, 'sg-bastion', [fromGroups('tcp', 22, 22, 'sg-jump')])
    withGroup(inventory, 'sg-all', [{protocol: '-1', ipv4Ranges: ['10.1.0.0/16'], ipv6Ranges: [], sourceGroups: [], prefixLists: []}])
    withGroup(inventory, 'sg-six', [{protocol: '6', fromPort: 20, toPort: 30, ipv4Ranges: [], ipv6Ranges: [], sourceGroups: [], prefixLists: ['pl-corp']}])
    inventory.emr.clusters.push(
      runtimeCluster('j-bastion', {additionalMasterSecurityGroups: ['sg-bastion']}),
      runtimeCluster('j-all', {additionalSlaveSecurityGroups: ['sg-all']}),
      runtimeCluster('j-six', {additionalMasterSecurityGroups: ['sg-six']}),
    )
    const outcomes = runRule(cluster003, inventory)
    expect(summarise(outcomes)).toEqual(['fail j-bastion', 'fail j-all', 'fail j-six'])
    expect(outcomes[0]?.message).toContain('tcp/22 in sg-bastion from sg-jump')
    expect(outcomes[0]?.evidence?.['sshIngress']).toEqual([{securityGroup: 'sg-bastion', rule: 'tcp/22', source: 'sg-jump'}])
    expect(outcomes[1]?.message).toContain('all ports in sg-all from 10.1.0.0/16')
    expect(outcomes[2]?.message).toContain('6/20-30 in sg-six from pl-corp')
  })

  it('is unknown, not pass, when a saved inventory did not record the source of a port-22 rule', () => {
    const inventory = runtimeConfiguration(withGroup(emptyInventory(), 'sg-old', [{protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [], ipv6Ranges: []}]))
    inventory.emr.clusters.push(runtimeCluster('j-old', {additionalMasterSecurityGroups: ['sg-old']}))
    expect(summarise(runRule(cluster003, inventory))).toEqual(['unknown j-old'])
  })

  it('is unknown when the security configuration could not be read', () => {
    const inventory = setCoverage(emptyInventory(), 'emr.securityConfigurations', 'us-east-1', 'unsupported')
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'unread'}))
    expect(summarise(runRule(cluster003, inventory))).toEqual(['unknown j-1'])
  })
})

describe('EMR-CLUSTER-004 public primary nodes', () => {
  it('uses the instances when listed, else the subnet, saying which', () => {
    const inventory = emptyInventory()
    inventory.ec2.subnets.push(
      {id: 'subnet-public', region: 'us-east-1', mapPublicIpOnLaunch: true, tags: []},
      {id: 'subnet-private', region: 'us-east-1', mapPublicIpOnLaunch: false, tags: []},
    )
    inventory.emr.clusters.push(
      cluster({id: 'j-public', primaryInstances: [{id: 'i-1', publicIpAddress: '203.0.113.1'}]}),
      cluster({id: 'j-private', primaryInstances: [{id: 'i-2', privateIpAddress: '10.0.0.1'}]}),
      cluster({id: 'j-by-subnet', subnetId: 'subnet-public'}),
      cluster({id: 'j-by-private-subnet', subnetId: 'subnet-private'}),
      cluster({id: 'j-no-evidence', subnetId: 'subnet-unknown'}),
    )
    setCoverage(inventory, 'ec2.subnets', 'us-east-1', 'denied')
    const outcomes = runRule(cluster004, inventory)
    expect(summarise(outcomes)).toEqual(['fail j-public', 'pass j-private', 'fail j-by-subnet', 'pass j-by-private-subnet', 'unknown j-no-evidence'])
    expect(outcomes[2]?.evidence?.['evidence']).toContain('MapPublicIpOnLaunch')
  })
})

describe('where the clusters could not be listed', () => {
  // The clusters of eu-west-1 are unknown: no finding there may read as a pass (the engine answers for the region).
  const inventory = (): Inventory => {
    const scanned = setCoverage(emptyInventory(), 'emr.clusters', 'eu-west-1', 'denied', 'elasticmapreduce:ListClusters')
    scanned.regions = ['us-east-1', 'eu-west-1']
    scanned.emr.clusters.push(cluster({id: 'j-1', primaryInstances: [{id: 'i-1'}]}))
    return scanned
  }

  it.each([
    [cluster002.id, cluster002, 'the security groups of active clusters'],
    [cluster004.id, cluster004, 'the primary node addresses'],
  ])('%s is unknown in that region, in the words of what it checks', (_id, rule, checks) => {
    const findings = scanRule(rule, inventory())
    expect(findings.filter((finding) => finding.subKey === 'eu-west-1').map((finding) => [finding.status, finding.message])).toEqual([
      ['unknown', `Could not check ${checks} in eu-west-1: the active clusters (elasticmapreduce:ListClusters) could not be read (see coverage).`],
    ])
    expect(findings.filter((finding) => finding.status === 'pass').every((finding) => finding.resource.region !== 'eu-west-1')).toBe(true)
  })
})

// Block public access: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html
describe('EMR-CLUSTER-001 per region, ranges and the apply guard', () => {
  const twoRegions = (): Inventory => {
    const inventory = emptyInventory(['us-east-1', 'eu-west-1'])
    inventory.emr.blockPublicAccess.push(
      {region: 'us-east-1', blockPublicSecurityGroupRules: true, permittedRanges: []},
      {region: 'eu-west-1', blockPublicSecurityGroupRules: false, permittedRanges: []},
    )
    return inventory
  }
  const on = (ranges: Array<{min: number; max?: number}>): Inventory => {
    const inventory = emptyInventory()
    inventory.emr.blockPublicAccess.push({region: 'us-east-1', blockPublicSecurityGroupRules: true, permittedRanges: ranges})
    return inventory
  }

  it("judges each region by that region's configuration, naming the region", () => {
    const outcomes = runRule(cluster001, twoRegions())
    expect(outcomes.map((outcome) => [outcome.status, outcome.subKey, outcome.message])).toEqual([
      ['pass', 'us-east-1', 'Block public access is on in us-east-1.'],
      ['fail', 'eu-west-1', 'Block public access is off in eu-west-1; turn it on so clusters cannot launch with world-open ports.'],
    ])
  })
  it('is unknown where the configuration could not be read, even if an entry was saved; or came back empty', () => {
    const unread = setCoverage(twoRegions(), 'emr.blockPublicAccess', 'eu-west-1', 'denied')
    expect(runRule(cluster001, unread).map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['pass', 'Block public access is on in us-east-1.'],
      ['unknown', 'Could not read block public access in eu-west-1 (elasticmapreduce:GetBlockPublicAccessConfiguration).'],
    ])
    const empty = emptyInventory()
    empty.emr.blockPublicAccess.push({region: 'us-east-1', permittedRanges: []})
    expect(runRule(cluster001, empty)[0]?.message).toBe('Block public access in us-east-1 came back empty; its state cannot be told.')
  })
  it.each([
    ['a single port other than 22', [{min: 8080}], '8080'],
    ['a range that starts at 22', [{min: 22, max: 23}], '22-23'],
    [
      'a one-port range and a wider one',
      [
        {min: 8443, max: 8443},
        {min: 9000, max: 9010},
      ],
      '8443, 9000-9010',
    ],
  ])('fails when it permits %s, listing the ranges', (_label, ranges, listed) => {
    const outcomes = runRule(cluster001, on(ranges))
    expect(outcomes.map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['fail', `Block public access in us-east-1 permits public ports beyond 22 (${listed}); remove those exceptions.`],
    ])
  })
  it('the guard lists only clusters of that region with at least one group BPA would refuse', () => {
    const inventory = withGroup(withGroup(on([{min: 22, max: 22}]), 'sg-open', [world('tcp', 8443)]), 'sg-closed', [internal(8443)])
    inventory.emr.clusters.push(
      cluster({id: 'j-mixed', emrManagedMasterSecurityGroup: 'sg-closed', emrManagedSlaveSecurityGroup: 'sg-open'}),
      cluster({id: 'j-closed', emrManagedMasterSecurityGroup: 'sg-closed'}),
      cluster({id: 'j-missing-group', emrManagedMasterSecurityGroup: 'sg-deleted'}),
      cluster({id: 'j-eu', region: 'eu-west-1', emrManagedMasterSecurityGroup: 'sg-open'}),
    )
    expect(runRule(cluster001, inventory)[0]?.evidence).toEqual({
      blockPublicSecurityGroupRules: true,
      permittedRanges: [{min: 22, max: 22}],
      guard: {activeClustersWithPublicIngress: ['j-mixed']},
    })
  })
})

describe('EMR-CLUSTER-002 messages and evidence', () => {
  it('names every open port range with its group; critical when any rule opens all ports', () => {
    const inventory = withGroup(withGroup(emptyInventory(), 'sg-web', [world('tcp', 443)]), 'sg-all', [world('-1')])
    inventory.emr.clusters.push(cluster({id: 'j-1', emrManagedMasterSecurityGroup: 'sg-web', emrManagedSlaveSecurityGroup: 'sg-all'}))
    const [outcome] = runRule(cluster002, inventory)
    expect(outcome?.severity).toBe('critical')
    expect(outcome?.message).toBe('Cluster j-1 is open to the internet on tcp/443 (sg-web), all ports (sg-all); revoke those ingress rules.')
    expect(outcome?.evidence).toEqual({
      worldOpen: [
        {group: 'sg-web', ports: 'tcp/443', allPorts: false},
        {group: 'sg-all', ports: 'all ports', allPorts: true},
      ],
    })
  })
  it('names the groups it could not read; a pass says what was checked', () => {
    const inventory = withGroup(emptyInventory(), 'sg-int', [internal(8443)])
    inventory.emr.clusters.push(cluster({id: 'j-1', emrManagedMasterSecurityGroup: 'sg-int'}))
    const [pass] = runRule(cluster002, inventory)
    expect([pass?.status, pass?.severity, pass?.message]).toEqual(['pass', 'high', 'No security group of cluster j-1 allows ingress from 0.0.0.0/0 or ::/0.'])
    const unread = setCoverage(emptyInventory(), 'ec2.securityGroups', 'us-east-1', 'denied')
    unread.emr.clusters.push(cluster({id: 'j-2', emrManagedMasterSecurityGroup: 'sg-a', emrManagedSlaveSecurityGroup: 'sg-b'}))
    expect(runRule(cluster002, unread)[0]?.message).toBe('Could not read security groups sg-a, sg-b of cluster j-2.')
  })
})

describe('EMR-CLUSTER-003 messages, unread and deleted groups', () => {
  const rt = (id: string, extra: Partial<Parameters<typeof cluster>[0]> = {}) => cluster({id, securityConfiguration: 'rt', ...extra})

  it('lists the key pair and each SSH rule; a pass says what was checked', () => {
    const inventory = runtimeConfiguration(withGroup(emptyInventory(), 'sg-ssh', [internal(22)]))
    inventory.emr.clusters.push(rt('j-both', {keyName: 'ops', additionalMasterSecurityGroups: ['sg-ssh']}), rt('j-clean'))
    expect(runRule(cluster003, inventory).map((outcome) => outcome.message)).toEqual([
      'Runtime-role cluster j-both allows SSH (EC2 key pair ops; tcp/22 in sg-ssh from 10.0.0.0/8); SSH users bypass runtime-role isolation.',
      'Runtime-role cluster j-clean has no key pair and no TCP port-22 ingress from outside its EMR-managed security groups.',
    ])
  })
  it('a deleted group cannot admit SSH; an unreadable one or an unrecorded source leaves it unknown, saying why', () => {
    const inventory = runtimeConfiguration(withGroup(emptyInventory(), 'sg-old', [{protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [], ipv6Ranges: []}]))
    inventory.emr.clusters.push(
      rt('j-deleted', {additionalMasterSecurityGroups: ['sg-deleted']}),
      rt('j-doubts', {additionalMasterSecurityGroups: ['sg-old'], additionalSlaveSecurityGroups: ['sg-eu']}),
    )
    // sg-eu is looked up where the cluster runs; that region's groups were not read.
    inventory.emr.clusters[1]!.region = 'eu-west-1'
    inventory.ec2.securityGroups[0]!.region = 'eu-west-1'
    inventory.emr.securityConfigurations.push({...inventory.emr.securityConfigurations[0]!, region: 'eu-west-1'})
    expect(runRule(cluster003, inventory).map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['pass', 'Runtime-role cluster j-deleted has no key pair and no TCP port-22 ingress from outside its EMR-managed security groups.'],
      [
        'unknown',
        'Could not tell whether runtime-role cluster j-doubts allows SSH: tcp/22 in sg-old from a source this inventory did not record; security group sg-eu could not be read.',
      ],
    ])
  })
  it('names the security configuration it could not read; ignores clusters whose configuration has no runtime roles', () => {
    const inventory = setCoverage(emptyInventory(), 'emr.securityConfigurations', 'us-east-1', 'denied')
    inventory.emr.securityConfigurations.push({name: 'plain', region: 'us-east-1', origins: ['cluster'], found: true, configuration: {}})
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'unread'}), cluster({id: 'j-plain', securityConfiguration: 'plain', keyName: 'ops'}))
    expect(runRule(cluster003, inventory).map((outcome) => [outcome.resource.id, outcome.message])).toEqual([
      ['j-1', 'Could not tell whether cluster j-1 uses runtime roles: security configuration unread it could not be described in us-east-1 (denied).'],
    ])
  })
})

// AWS Security Hub EMR.1: https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html
describe('EMR-CLUSTER-004 messages and the subnet fallback', () => {
  it('names each public primary node with its address, and the evidence used', () => {
    const inventory = emptyInventory()
    const instances = [
      {id: 'i-1', publicIpAddress: '203.0.113.1'},
      {id: 'i-2', privateIpAddress: '10.0.0.2'},
      {id: 'i-3', publicIpAddress: '203.0.113.3'},
    ]
    inventory.emr.clusters.push(cluster({id: 'j-public', primaryInstances: instances}), cluster({id: 'j-private', primaryInstances: [{id: 'i-4'}]}))
    const outcomes = runRule(cluster004, inventory)
    expect(outcomes.map((outcome) => [outcome.status, outcome.message, outcome.evidence])).toEqual([
      [
        'fail',
        'Primary node i-1 (203.0.113.1), i-3 (203.0.113.3) of cluster j-public has a public IP address; relaunch in a private subnet.',
        {evidence: 'elasticmapreduce:ListInstances', primaryInstances: instances},
      ],
      ['pass', 'Primary nodes of cluster j-private have no public IP address.', {evidence: 'elasticmapreduce:ListInstances'}],
    ])
  })
  it('an empty instance list is no evidence: the subnet decides, and says so', () => {
    const inventory = emptyInventory()
    inventory.ec2.subnets.push(
      {id: 'subnet-public', region: 'us-east-1', mapPublicIpOnLaunch: true, tags: []},
      {id: 'subnet-private', region: 'us-east-1', mapPublicIpOnLaunch: false, tags: []},
    )
    inventory.emr.clusters.push(
      cluster({id: 'j-empty', primaryInstances: [], subnetId: 'subnet-public'}),
      cluster({id: 'j-private', subnetId: 'subnet-private'}),
    )
    expect(runRule(cluster004, inventory).map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['fail', 'Cluster j-empty runs in subnet subnet-public, which assigns public IP addresses at launch; its primary node is likely public.'],
      ['pass', 'Cluster j-private runs in subnet subnet-private, which assigns no public IP addresses.'],
    ])
  })
  it('is unknown without instances when the subnet is not named or does not say whether it assigns public addresses', () => {
    const inventory = emptyInventory()
    inventory.ec2.subnets.push({id: 'subnet-silent', region: 'us-east-1', tags: []})
    inventory.emr.clusters.push(cluster({id: 'j-no-subnet'}), cluster({id: 'j-silent', subnetId: 'subnet-silent'}))
    expect(runRule(cluster004, inventory).map((outcome) => [outcome.status, outcome.message])).toEqual([
      ['unknown', 'Could not tell whether the primary node of cluster j-no-subnet is public: its instances and its subnet could not be read.'],
      ['unknown', 'Could not tell whether the primary node of cluster j-silent is public: its instances and its subnet could not be read.'],
    ])
  })
})
