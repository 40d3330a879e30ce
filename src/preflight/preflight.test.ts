/**
 * The pure preflight steps on small inventories. Expected decisions follow AWS's documentation:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html (passing a role needs
 * iam:PassRole on it, limited by iam:PassedToService), https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * (an explicit deny wins; no allow is an implicit deny), https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html
 * (a world-open port outside the permitted ranges is refused at launch).
 */
import {describe, expect, it} from 'vitest'
import type {Finding} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import {UserInputError} from '../shared/errors.js'
import {ACCOUNT, allowService, doc, emptyInventory, REGION, role, withRoles} from '../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../test/fixtures/run-rule.js'
import {detectFormat} from './input.js'
import {launchRules} from './launch-rules.js'
import {overlay} from './overlay.js'
import {parseRunJobFlow} from './run-job-flow.js'
import {findingsForLaunch, verdictOf} from './verdict.js'

const REQUEST = {
  Name: 'etl',
  ReleaseLabel: 'emr-7.1.0',
  ServiceRole: 'EMR_DefaultRole',
  JobFlowRole: 'EMR_EC2_DefaultRole',
  Tags: [{Key: 'team', Value: 'data'}],
  Instances: {
    Ec2SubnetId: 'subnet-1',
    EmrManagedMasterSecurityGroup: 'sg-1',
    InstanceGroups: [
      {InstanceRole: 'MASTER', InstanceCount: 1},
      {InstanceRole: 'CORE', InstanceCount: 2, Market: 'SPOT'},
    ],
  },
}
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`
const passRole = (name: string, service: string) => ({
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  Condition: {StringEquals: {'iam:PassedToService': service}},
})

function account(launcherStatements: object[]): Inventory {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'EMR_DefaultRole', trust: doc(allowService('elasticmapreduce.amazonaws.com'))}),
    role({name: 'EMR_EC2_DefaultRole', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'EMR_EC2_DefaultRole'}]}),
  )
  inventory.iam.users.push({
    name: 'ci',
    arn: userArn('ci'),
    id: 'AIDACI',
    path: '/',
    groups: [],
    tags: [],
    attachedPolicies: [],
    inlinePolicies: [{name: 'launch', document: doc(...launcherStatements)}],
  })
  inventory.ec2.subnets.push({id: 'subnet-1', region: REGION, tags: []})
  inventory.ec2.securityGroups.push({
    id: 'sg-1',
    name: 'primary',
    region: REGION,
    tags: [],
    ingress: [{protocol: 'tcp', fromPort: 8443, toPort: 8443, ipv4Ranges: ['0.0.0.0/0'], ipv6Ranges: []}],
  })
  inventory.emr.blockPublicAccess.push({region: REGION, blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}]})
  return inventory
}

function check(inventory: Inventory, launcherArn: string | undefined, request: unknown = REQUEST, networkComplete = true) {
  const {inventory: overlaid, clusters} = overlay(inventory, parseRunJobFlow(request, 'request.json'), REGION)
  const rules = launchRules({clusters, plannedNetwork: new Set(), networkComplete, ...(launcherArn ? {launcherArn} : {})})
  return Object.fromEntries(rules.map((rule) => [rule.id, summarise(runRule(rule, overlaid))]))
}

const LAUNCH = {Effect: 'Allow', Action: 'elasticmapreduce:RunJobFlow', Resource: '*'}
const ALL_PASSES = [passRole('EMR_DefaultRole', 'elasticmapreduce.amazonaws.com'), passRole('EMR_EC2_DefaultRole', 'ec2.amazonaws.com')]

describe('parseRunJobFlow', () => {
  it('reads the fields a launch depends on, with the path each came from', () => {
    const [cluster] = parseRunJobFlow(REQUEST, 'r.json').clusters
    expect(cluster).toMatchObject({
      address: 'RunJobFlow',
      serviceRole: 'EMR_DefaultRole',
      jobFlowRole: 'EMR_EC2_DefaultRole',
      subnetIds: ['subnet-1'],
      masterSecurityGroup: 'sg-1',
      primaryNodes: 1,
      usesSpot: true,
      tags: [{key: 'team', value: 'data'}],
    })
    expect(cluster?.fields.subnet).toBe('Instances.Ec2SubnetId')
  })

  it("counts a primary fleet's on-demand and spot capacity (3 is a highly available cluster)", () => {
    const [cluster] = parseRunJobFlow(
      {...REQUEST, Instances: {InstanceFleets: [{InstanceFleetType: 'MASTER', TargetOnDemandCapacity: 2, TargetSpotCapacity: 1}]}},
      'r.json',
    ).clusters
    expect(cluster?.primaryNodes).toBe(3)
  })

  it.each([
    [{Instances: {}}, 'Name'],
    [{...REQUEST, ServiceRole: 7}, 'ServiceRole'],
    [{...REQUEST, Instances: {InstanceGroups: [{InstanceRole: 'LEADER'}]}}, 'Instances.InstanceGroups[0].InstanceRole'],
    [{...REQUEST, Tags: [{Key: 'a\u001b[31mred'.repeat(1000)}]}, 'Tags[0].Key'],
  ])('refuses a malformed request, naming the field (%#)', (request, path) => {
    expect(() => parseRunJobFlow(request, 'r.json')).toThrow(UserInputError)
    expect(() => parseRunJobFlow(request, 'r.json')).toThrow(path)
  })

  it('never prints control characters from the file in its message', () => {
    const message = (() => {
      try {
        parseRunJobFlow({...REQUEST, Instances: 'x'}, 'evil\u001b[2Jname.json')
      } catch (error) {
        return (error as Error).message
      }
      return ''
    })()
    expect(message).not.toContain('\u001b')
  })
})

describe('detectFormat', () => {
  it('tells the three inputs apart by content', () => {
    expect(detectFormat(REQUEST)).toBe('run-job-flow')
    expect(detectFormat({format_version: '1.2', planned_values: {}})).toBe('terraform')
    expect(detectFormat({AWSTemplateFormatVersion: '2010-09-09', Resources: {}})).toBe('cloudformation')
    expect(detectFormat([REQUEST])).toBeUndefined()
    expect(detectFormat({hello: 'world'})).toBeUndefined()
  })
})

describe('launch-only checks', () => {
  it('a launcher allowed to launch and pass both roles to their services passes; the world-open 8443 is refused by block public access', () => {
    const result = check(account([LAUNCH, ...ALL_PASSES]), userArn('ci'))
    expect(result['EMR-LAUNCH-001']).toEqual(['pass planned:RunJobFlow'])
    expect(result['EMR-LAUNCH-002']).toEqual(['pass planned:RunJobFlow#serviceRole:EMR_DefaultRole', 'pass planned:RunJobFlow#jobFlowRole:EMR_EC2_DefaultRole'])
    expect(result['EMR-LAUNCH-003']).toEqual(['pass planned:RunJobFlow#subnet-1', 'pass planned:RunJobFlow#sg-1'])
    expect(result['EMR-LAUNCH-004']).toEqual(['fail planned:RunJobFlow'])
  })

  it('PassRole to the wrong service is no PassRole: iam:PassedToService must match', () => {
    const result = check(
      account([LAUNCH, passRole('EMR_DefaultRole', 'ec2.amazonaws.com'), passRole('EMR_EC2_DefaultRole', 'ec2.amazonaws.com')]),
      userArn('ci'),
    )
    expect(result['EMR-LAUNCH-002']).toEqual(['fail planned:RunJobFlow#serviceRole:EMR_DefaultRole', 'pass planned:RunJobFlow#jobFlowRole:EMR_EC2_DefaultRole'])
  })

  it('an explicit deny of RunJobFlow wins over an allow', () => {
    const result = check(account([LAUNCH, ...ALL_PASSES, {Effect: 'Deny', Action: 'elasticmapreduce:*', Resource: '*'}]), userArn('ci'))
    expect(result['EMR-LAUNCH-001']).toEqual(['fail planned:RunJobFlow'])
  })

  it('a RunJobFlow allowed only with a request tag the request does not send is refused; sending it is allowed', () => {
    const tagged = {...LAUNCH, Condition: {StringEquals: {'aws:RequestTag/for-use-with-amazon-emr-managed-policies': 'true'}}}
    expect(check(account([tagged, ...ALL_PASSES]), userArn('ci'))['EMR-LAUNCH-001']).toEqual(['fail planned:RunJobFlow'])
    const withTag = {...REQUEST, Tags: [{Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'}]}
    expect(check(account([tagged, ...ALL_PASSES]), userArn('ci'), withTag)['EMR-LAUNCH-001']).toEqual(['pass planned:RunJobFlow'])
  })

  it('an unknown launcher, or one in another account, is unknown, never a pass', () => {
    expect(check(account([LAUNCH]), undefined)['EMR-LAUNCH-001']).toEqual(['unknown planned:RunJobFlow'])
    expect(check(account([LAUNCH]), 'arn:aws:iam::999999999999:user/ci')['EMR-LAUNCH-002']).toEqual(['unknown planned:RunJobFlow'])
    expect(check(account([LAUNCH]), userArn('nobody'))['EMR-LAUNCH-001']).toEqual(['unknown planned:RunJobFlow'])
  })

  it("a role session launches with its role's policies", () => {
    const inventory = account([])
    withRoles(inventory, role({name: 'deployer', trust: doc(allowService('codebuild.amazonaws.com')), inline: {launch: doc(LAUNCH, ...ALL_PASSES)}}))
    const result = check(inventory, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/build-42`)
    expect(result['EMR-LAUNCH-001']).toEqual(['pass planned:RunJobFlow'])
    expect(result['EMR-LAUNCH-002']).toEqual(['pass planned:RunJobFlow#serviceRole:EMR_DefaultRole', 'pass planned:RunJobFlow#jobFlowRole:EMR_EC2_DefaultRole'])
  })

  it('a subnet missing from a live scan fails; missing from a saved inventory it is unknown', () => {
    const request = {...REQUEST, Instances: {...REQUEST.Instances, Ec2SubnetId: 'subnet-gone'}}
    expect(check(account([]), userArn('ci'), request)['EMR-LAUNCH-003']).toContain('fail planned:RunJobFlow#subnet-gone')
    expect(check(account([]), userArn('ci'), request, false)['EMR-LAUNCH-003']).toContain('unknown planned:RunJobFlow#subnet-gone')
  })

  it('block public access off refuses nothing; a permitted port passes', () => {
    const off = account([])
    off.emr.blockPublicAccess = [{region: REGION, blockPublicSecurityGroupRules: false, permittedRanges: []}]
    expect(check(off, userArn('ci'))['EMR-LAUNCH-004']).toEqual(['pass planned:RunJobFlow'])
    const permitted = account([])
    permitted.emr.blockPublicAccess = [
      {
        region: REGION,
        blockPublicSecurityGroupRules: true,
        permittedRanges: [
          {min: 22, max: 22},
          {min: 8000, max: 9000},
        ],
      },
    ]
    expect(check(permitted, userArn('ci'))['EMR-LAUNCH-004']).toEqual(['pass planned:RunJobFlow'])
  })
})

describe('verdict', () => {
  const finding = (ruleId: string, status: Finding['status'], severity: Finding['severity'] = 'high'): Finding => ({
    ruleId,
    title: ruleId,
    severity,
    status,
    resource: {type: 'emr-cluster', id: 'planned:RunJobFlow'},
    message: '',
    evidence: {},
    remediation: {summary: '', autoApply: 'no'},
    fingerprint: '0'.repeat(32),
  })

  it.each([
    [[finding('EMR-LAUNCH-002', 'fail'), finding('EMR-SECCFG-002', 'fail')], 'will fail to launch'],
    // A suppression silences the report, not EMR's refusal.
    [[finding('EMR-ROLE-001', 'suppressed')], 'will fail to launch'],
    [[finding('EMR-LAUNCH-001', 'unknown')], 'cannot tell'],
    [[finding('EMR-SECCFG-002', 'fail', 'high')], 'launches with findings'],
    [[finding('EMR-SECCFG-006', 'fail', 'low')], 'will launch'],
    [[finding('EMR-SECCFG-006', 'unknown', 'low'), finding('EMR-LAUNCH-001', 'pass')], 'will launch'],
  ] as const)('%# → %s', (findings, verdict) => {
    expect(verdictOf(findings, 'high')).toBe(verdict)
  })

  it('keeps only findings on the cluster and what it references, each naming its request field', () => {
    const inventory = account([])
    const {inventory: overlaid, clusters} = overlay(inventory, parseRunJobFlow(REQUEST, 'r.json'), REGION)
    const planned = clusters.map((entry) => ({cluster: overlaid.emr.clusters.find((c) => c.id === entry.id)!, planned: entry}))
    const onRole = {...finding('EMR-TRUST-002', 'fail'), resource: {type: 'iam-role' as const, id: 'EMR_DefaultRole', name: 'EMR_DefaultRole'}}
    const elsewhere = {...finding('EMR-TRUST-002', 'fail'), resource: {type: 'iam-role' as const, id: 'Unrelated', name: 'Unrelated'}}
    const onCluster = {...finding('EMR-PROFILE-002', 'fail')}
    const kept = findingsForLaunch([onRole, elsewhere, onCluster], planned, overlaid)
    expect(kept.map((entry) => [entry.resource.id, entry.evidence['requestField']])).toEqual([
      ['EMR_DefaultRole', 'ServiceRole'],
      ['planned:RunJobFlow', 'JobFlowRole'],
    ])
  })
})
