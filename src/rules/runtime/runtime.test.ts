import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, setCoverage, user, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Cluster, Inventory} from '../../inventory/schema.js'
import runtime001 from './emr-runtime-001.js'
import runtime002 from './emr-runtime-002.js'
import runtime003 from './emr-runtime-003.js'
import runtime004 from './emr-runtime-004.js'
import runtime005 from './emr-runtime-005.js'
import runtime006 from './emr-runtime-006.js'

const EXTERNAL_ID = 'FXH5TSACFDWUCDSR3YQE2O7ETPUSM4OBCGLYWODSCUZDNZ4Y'
const runtimeConfig = {
  AuthorizationConfiguration: {
    IAMConfiguration: {EnableApplicationScopedIAMRole: true, ApplicationScopedIAMRoleConfiguration: {PropagateSourceIdentity: true, ExternalId: EXTERNAL_ID}},
    LakeFormationConfiguration: {AuthorizedSessionTagValue: 'Amazon EMR'},
  },
}
/** A runtime-role security configuration with only an ExternalId (no Lake Formation, no source identity). */
const withId = (externalId: string) => ({
  AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true, ApplicationScopedIAMRoleConfiguration: {ExternalId: externalId}}},
})
const assumeAndTag = (target: string) => ({Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: target})
const trustEc2 = (extra: object = {}) => allowAws(roleArn('ec2'), {Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], ...extra})

/** One runtime-role cluster whose EC2 role is `ec2`, plus the given runtime roles. */
function account(runtimeRoles: Array<Parameters<typeof role>[0]>, ec2Inline: object[] = [], clusterSpec: Partial<Cluster> = {}): Inventory {
  const inventory = withRoles(
    emptyInventory(),
    role({name: 'ec2', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2'}], inline: {runtime: doc(...ec2Inline)}}),
    ...runtimeRoles.map(role),
  )
  inventory.emr.securityConfigurations.push({name: 'rt', region: 'us-east-1', origins: ['cluster'], found: true, configuration: runtimeConfig})
  inventory.emr.clusters.push(cluster({id: 'j-rt', releaseLabel: 'emr-6.15.0', securityConfiguration: 'rt', instanceProfile: 'ec2', ...clusterSpec}))
  return inventory
}

describe('EMR-RUNTIME-001 platform preconditions', () => {
  it.each([
    ['emr-6.10.0 with Spark', {releaseLabel: 'emr-6.10.0'}, 'pass'],
    ['emr-6.6.0 (numeric, not string, comparison)', {releaseLabel: 'emr-6.6.0'}, 'fail'],
    ['no Spark or Hive', {applications: ['Hadoop']}, 'fail'],
    ['multi-primary', {instanceGroups: [{id: 'm', type: 'MASTER', requestedInstanceCount: 3, hasAutoScalingPolicy: false}]}, 'fail'],
  ])('%s → %s', (_label, spec, expected) => {
    expect(runRule(runtime001, account([], [], spec as Partial<Cluster>)).map((outcome) => outcome.status)).toEqual([expected])
  })
  it('notes what an unused runtime-role configuration requires', () => {
    const inventory = emptyInventory()
    inventory.emr.securityConfigurations.push({name: 'later', region: 'us-east-1', origins: ['listed'], found: true, configuration: runtimeConfig})
    expect(runRule(runtime001, inventory)).toEqual([expect.objectContaining({status: 'pass', severity: 'info', message: expect.stringContaining('emr-6.7.0')})])
  })
  it('ignores clusters without runtime roles', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-plain', releaseLabel: 'emr-5.36.0'}))
    expect(runRule(runtime001, inventory)).toEqual([])
  })

  /**
   * "use release label emr-6.7.0 or later, and select Hive, Spark, or both … To connect from SageMaker Studio, use release
   * emr-6.9.0 or later, and select Livy, Spark, Hive, or Presto" (Trino is EMR's name for PrestoSQL), and runtime roles are
   * not supported on multi-primary clusters: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
   */
  const master = (count?: number) => ({
    id: 'ig-m',
    type: 'MASTER',
    hasAutoScalingPolicy: false,
    ...(count === undefined ? {} : {requestedInstanceCount: count}),
  })
  const fleet = (type: string, onDemand?: number, spot?: number) => ({
    id: `if-${type}`,
    type,
    ...(onDemand === undefined ? {} : {targetOnDemandCapacity: onDemand}),
    ...(spot === undefined ? {} : {targetSpotCapacity: spot}),
  })
  const byFleets = (...fleets: Array<ReturnType<typeof fleet>>): Partial<Cluster> => ({
    instanceCollectionType: 'INSTANCE_FLEET',
    instanceGroups: undefined,
    instanceFleets: fleets,
  })
  const only001 = (spec: Partial<Cluster>) => {
    const outcomes = runRule(runtime001, account([], [], spec))
    expect(outcomes).toHaveLength(1)
    return outcomes[0]
  }

  it.each([
    ['Hive alone', {applications: ['Hive']}],
    ['Livy on emr-6.9.0', {releaseLabel: 'emr-6.9.0', applications: ['Livy']}],
    ['Presto on emr-6.9.0', {releaseLabel: 'emr-6.9.0', applications: ['Presto']}],
    ['Trino on emr-6.10.0', {releaseLabel: 'emr-6.10.0', applications: ['Trino']}],
    ['one on-demand primary in a fleet', byFleets(fleet('MASTER', 1), fleet('CORE', 4, 6))],
    ['one spot primary in a fleet', byFleets(fleet('MASTER', undefined, 1))],
    ['instance groups without a MASTER count (one primary)', {instanceGroups: [master()]}],
    ['several core nodes, one primary', {instanceGroups: [master(1), {id: 'ig-c', type: 'CORE', requestedInstanceCount: 5, hasAutoScalingPolicy: false}]}],
  ])('passes: %s', (_label, spec) => {
    expect(only001(spec as Partial<Cluster>)).toMatchObject({status: 'pass', message: 'Cluster j-rt meets the runtime-role preconditions.'})
  })

  it.each([
    ['Livy below emr-6.9.0', {releaseLabel: 'emr-6.8.0', applications: ['Livy']}, 'applications Livy include neither Spark nor Hive'],
    ['Presto with an unreadable release', {releaseLabel: undefined, applications: ['Presto']}, 'applications Presto include neither Spark nor Hive'],
    ['two applications, neither Spark nor Hive', {applications: ['Hadoop', 'Pig']}, 'applications Hadoop, Pig include neither Spark nor Hive'],
    ['no applications', {applications: []}, 'applications none include neither Spark nor Hive'],
    ['an on-demand and a spot primary', byFleets(fleet('MASTER', 1, 1)), 'it has more than one primary node'],
    ['three primaries', {instanceGroups: [master(3)]}, 'it has more than one primary node'],
  ])('fails: %s', (_label, spec, problem) => {
    expect(only001(spec as Partial<Cluster>)).toMatchObject({
      status: 'fail',
      resource: {type: 'emr-cluster', id: 'j-rt'},
      message: `Runtime roles will not work on cluster j-rt: ${problem}.`,
    })
  })

  it('lists every unmet precondition, with the release, applications and primary counts as evidence', () => {
    expect(only001({releaseLabel: 'emr-6.6.0', applications: ['Hadoop'], instanceGroups: [master(3)]})).toMatchObject({
      status: 'fail',
      message:
        'Runtime roles will not work on cluster j-rt: release emr-6.6.0 is older than emr-6.7.0; applications Hadoop include neither Spark nor Hive; it has more than one primary node.',
      evidence: {releaseLabel: 'emr-6.6.0', applications: ['Hadoop'], primaryNodes: [3]},
    })
  })

  it('counts primaries only: core and task capacity does not make a cluster multi-primary', () => {
    const outcome = only001({instanceGroups: [{id: 'ig-c', type: 'CORE', requestedInstanceCount: 3, hasAutoScalingPolicy: false}]})
    expect(outcome).toMatchObject({status: 'pass', evidence: {releaseLabel: 'emr-6.15.0', applications: ['Spark'], primaryNodes: []}})
  })

  it('adds on-demand and spot target capacity of the primary fleet', () => {
    expect(only001(byFleets(fleet('MASTER', 1), fleet('CORE', 2, 2)))?.evidence).toEqual({
      releaseLabel: 'emr-6.15.0',
      applications: ['Spark'],
      primaryNodes: [1],
    })
    expect(only001(byFleets(fleet('MASTER', undefined, 1)))?.evidence).toMatchObject({primaryNodes: [1]})
    expect(only001(byFleets(fleet('MASTER', 2, 1)))?.evidence).toMatchObject({primaryNodes: [3]})
  })

  it.each([
    ['the release label is unreadable', {releaseLabel: undefined}, null],
    ['neither instance groups nor fleets could be listed', {instanceGroups: undefined, instanceFleets: undefined}, 'emr-6.15.0'],
  ])('is unknown when %s and nothing else fails', (_label, spec, releaseLabel) => {
    expect(only001(spec as Partial<Cluster>)).toMatchObject({
      status: 'unknown',
      resource: {type: 'emr-cluster', id: 'j-rt'},
      message: expect.stringContaining('Could not fully check runtime-role preconditions of cluster j-rt'),
      evidence: {releaseLabel},
    })
  })

  it('names the unused configuration as the resource, and skips configurations without runtime roles', () => {
    const inventory = emptyInventory()
    inventory.emr.securityConfigurations.push(
      {name: 'later', region: 'us-east-1', origins: ['listed'], found: true, configuration: runtimeConfig},
      {name: 'plain', region: 'us-east-1', origins: ['listed'], found: true, configuration: {EncryptionConfiguration: {EnableAtRestEncryption: false}}},
    )
    expect(runRule(runtime001, inventory)).toEqual([
      expect.objectContaining({status: 'pass', resource: {type: 'emr-security-configuration', id: 'later', name: 'later', region: 'us-east-1'}}),
    ])
  })
})

describe('runtime role pairing and EMR-RUNTIME-002/003', () => {
  it('pairs a configured runtime role with the EC2 role its trust names, and checks both sides', () => {
    const inventory = account([{name: 'analytics', trust: doc(trustEc2())}], [assumeAndTag(roleArn('analytics'))])
    const config = {runtimeRoles: ['analytics']}
    expect(summarise(runRule(runtime002, inventory, config))).toEqual(['pass ec2#analytics'])
    expect(summarise(runRule(runtime003, inventory, config))).toEqual(['pass analytics#ec2'])
  })
  it('RUNTIME-002 fails when the EC2 role may not assume or tag the runtime role', () => {
    const inventory = account([{name: 'analytics', trust: doc(trustEc2())}], [{Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('analytics')}])
    const [outcome] = runRule(runtime002, inventory, {runtimeRoles: ['analytics']})
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('sts:TagSession')
  })
  it("a step's ExecutionRoleArn pairs with its cluster even when the trust is wrong, and RUNTIME-003 fails it", () => {
    const inventory = account([{name: 'stepped', trust: doc(allowAws(roleArn('someone-else')))}], [assumeAndTag(roleArn('stepped'))], {
      steps: [{id: 's-1', executionRoleArn: roleArn('stepped')}],
    })
    expect(summarise(runRule(runtime003, inventory))).toEqual(['fail stepped#ec2'])
  })
  it('with Lake Formation, the trust must also allow sts:TagSession', () => {
    const inventory = account([{name: 'lf', trust: doc(allowAws(roleArn('ec2')))}], [], {steps: [{id: 's-1', executionRoleArn: roleArn('lf')}]})
    expect(runRule(runtime003, inventory)[0]?.message).toContain('sts:TagSession (Lake Formation)')
  })
  it('a trust of the account root passes with a low note', () => {
    const inventory = account([{name: 'broad', trust: doc(allowAws(`arn:aws:iam::${ACCOUNT}:root`, {Action: ['sts:AssumeRole', 'sts:TagSession']}))}], [], {
      steps: [{id: 's-1', executionRoleArn: roleArn('broad')}],
    })
    expect(runRule(runtime003, inventory)[0]).toMatchObject({status: 'pass', severity: 'low'})
  })
  it('a configured runtime role trusting no EC2 role fails once, not once per cluster', () => {
    const inventory = account([{name: 'orphan', trust: doc(allowAws(roleArn('elsewhere')))}])
    inventory.emr.clusters.push({...(inventory.emr.clusters[0] as Cluster), id: 'j-rt-2'})
    expect(summarise(runRule(runtime003, inventory, {runtimeRoles: ['orphan']}))).toEqual(['fail orphan'])
    expect(runRule(runtime002, inventory, {runtimeRoles: ['orphan']})).toEqual([])
  })
  it('a cross-account runtime role is not verifiable from here', () => {
    const foreign = 'arn:aws:iam::999999999999:role/shared-runtime'
    const inventory = account([], [assumeAndTag(foreign)], {steps: [{id: 's-1', executionRoleArn: foreign}]})
    expect(runRule(runtime003, inventory)[0]).toMatchObject({status: 'unknown', severity: 'info'})
  })
})

/**
 * Pairing (REQUIREMENTS, RUNTIME): a step's ExecutionRoleArn pairs with its cluster's EC2 role; any other runtime role
 * pairs with the runtime-role clusters' EC2 roles its trust names. The EC2 role needs sts:AssumeRole and sts:TagSession on
 * the runtime role, and the runtime role must trust the EC2 role ARN:
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
 */
describe('runtime role pairing, seen through EMR-RUNTIME-002/003', () => {
  const root = `arn:aws:iam::${ACCOUNT}:root`
  const evidence002 = (inventory: Inventory, config = {}) => runRule(runtime002, inventory, config).map((outcome) => outcome.evidence)

  it('pairs a step role once per cluster however many steps use it, as observed and guarded for the fix', () => {
    const inventory = account([{name: 'stepped', trust: doc(trustEc2())}], [assumeAndTag(roleArn('stepped'))], {
      steps: [{id: 's-1', executionRoleArn: roleArn('stepped')}, {id: 's-2', executionRoleArn: roleArn('stepped')}, {id: 's-3'}],
    })
    expect(runRule(runtime002, inventory)).toEqual([
      {
        status: 'pass',
        resource: expect.objectContaining({type: 'iam-role', id: 'ec2'}),
        subKey: 'stepped',
        message: 'EC2 role ec2 may assume and tag runtime role stepped.',
        evidence: {
          runtimeRole: roleArn('stepped'),
          clusters: ['j-rt'],
          observedInSteps: true,
          guard: {explicitRuntimeRoleArn: true, observedOrConfigured: true},
        },
      },
    ])
  })

  it('a step without an ExecutionRoleArn pairs nothing', () => {
    const inventory = account([], [], {steps: [{id: 's-0'}]})
    expect(runRule(runtime002, inventory)).toEqual([])
    expect(runRule(runtime003, inventory)).toEqual([])
  })

  it('a configured role paired through its trust is not observed, but is guarded as configured', () => {
    const inventory = account([{name: 'analytics', trust: doc(trustEc2())}], [assumeAndTag(roleArn('analytics'))])
    expect(evidence002(inventory, {runtimeRoles: ['analytics']})).toEqual([
      {runtimeRole: roleArn('analytics'), clusters: ['j-rt'], observedInSteps: false, guard: {explicitRuntimeRoleArn: true, observedOrConfigured: true}},
    ])
  })

  it('a role found only by the trust heuristic is checked but not guarded for the fix', () => {
    const inventory = account([{name: 'candidate', trust: doc(trustEc2())}], [assumeAndTag(roleArn('candidate'))])
    expect(evidence002(inventory)).toEqual([
      {runtimeRole: roleArn('candidate'), clusters: ['j-rt'], observedInSteps: false, guard: {explicitRuntimeRoleArn: true, observedOrConfigured: false}},
    ])
  })

  it('a configured role a step already uses is not reported again as trusting no EC2 role', () => {
    const inventory = account([{name: 'stepped', trust: doc(allowAws(roleArn('someone-else')))}], [], {
      steps: [{id: 's-1', executionRoleArn: roleArn('stepped')}],
    })
    expect(summarise(runRule(runtime003, inventory, {runtimeRoles: ['stepped']}))).toEqual(['fail stepped#ec2'])
  })

  it('a step naming the role without its path counts as that role (by name), checked at its real ARN', () => {
    const inventory = account([{name: 'pathy', path: '/team/', trust: doc(allowAws(roleArn('someone-else')))}], [], {
      steps: [{id: 's-1', executionRoleArn: roleArn('pathy')}],
    })
    expect(summarise(runRule(runtime003, inventory, {runtimeRoles: ['pathy']}))).toEqual(['fail pathy#ec2'])
    expect(evidence002(inventory, {runtimeRoles: ['pathy']})).toEqual([expect.objectContaining({runtimeRole: roleArn('pathy', '/team/')})])
  })

  it('a step naming the role without its path and a trust naming the EC2 role make one pair, not two', () => {
    const inventory = account([{name: 'pathy', path: '/team/', trust: doc(trustEc2())}], [assumeAndTag(roleArn('pathy', '/team/'))], {
      steps: [{id: 's-1', executionRoleArn: roleArn('pathy')}],
    })
    expect(summarise(runRule(runtime002, inventory))).toEqual(['pass ec2#pathy'])
  })

  it("a step's missing role does not stop other runtime roles from pairing", () => {
    const inventory = account([{name: 'analytics', trust: doc(trustEc2())}], [assumeAndTag(roleArn('ghost')), assumeAndTag(roleArn('analytics'))], {
      steps: [{id: 's-1', executionRoleArn: roleArn('ghost')}],
    })
    expect(summarise(runRule(runtime002, inventory, {runtimeRoles: ['analytics']}))).toEqual(['pass ec2#ghost', 'pass ec2#analytics'])
  })

  it('a configured role is paired through its trust beside the roles steps use', () => {
    const inventory = account(
      [
        {name: 'stepped', trust: doc(trustEc2())},
        {name: 'analytics', trust: doc(trustEc2())},
      ],
      [assumeAndTag(roleArn('stepped')), assumeAndTag(roleArn('analytics'))],
      {steps: [{id: 's-1', executionRoleArn: roleArn('stepped')}]},
    )
    expect(summarise(runRule(runtime002, inventory, {runtimeRoles: ['analytics']}))).toEqual(['pass ec2#stepped', 'pass ec2#analytics'])
  })

  it('a trust of the account root (beside another principal) pairs with the EC2 role and passes with a low note', () => {
    const inventory = account([{name: 'broad', trust: doc(allowAws([root, roleArn('someone-else')], {Action: ['sts:AssumeRole', 'sts:TagSession']}))}])
    expect(runRule(runtime003, inventory, {runtimeRoles: ['broad']})).toEqual([
      {
        status: 'pass',
        severity: 'low',
        resource: expect.objectContaining({type: 'iam-role', id: 'broad'}),
        subKey: 'ec2',
        message: 'Runtime role broad trusts the whole account, broader than the EC2 role ec2 it needs.',
        evidence: {ec2Role: roleArn('ec2'), clusters: ['j-rt']},
      },
    ])
  })

  it('a configured role that does not exist fails RUNTIME-003 once and gives RUNTIME-002 nothing to check', () => {
    const inventory = account([])
    expect(runRule(runtime003, inventory, {runtimeRoles: ['ghost']})).toEqual([
      {
        status: 'fail',
        resource: {type: 'iam-role', id: 'ghost', name: 'ghost'},
        message: 'Configured runtime role ghost does not exist.',
        evidence: {trustedPrincipals: []},
      },
    ])
    expect(runRule(runtime002, inventory, {runtimeRoles: ['ghost']})).toEqual([])
  })

  it('names what the trust of a configured role that pairs with nothing trusts', () => {
    const inventory = account([{name: 'orphan', trust: doc(allowAws(roleArn('elsewhere')))}])
    expect(runRule(runtime003, inventory, {runtimeRoles: ['orphan']})).toEqual([
      {
        status: 'fail',
        resource: expect.objectContaining({type: 'iam-role', id: 'orphan'}),
        message: 'Configured runtime role orphan trusts no EC2 role of a runtime-role cluster; no step can use it.',
        evidence: {trustedPrincipals: [roleArn('elsewhere')]},
      },
    ])
  })

  it('without runtime-role clusters, a configured role is not reported', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'orphan', trust: doc(allowAws(roleArn('elsewhere')))}))
    expect(runRule(runtime003, inventory, {runtimeRoles: ['orphan']})).toEqual([])
  })

  it('a role found by the heuristic that trusts only the EC2 role of a cluster without runtime roles is not reported', () => {
    const inventory = withRoles(
      account([]),
      role({name: 'ec2-plain', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2-plain'}]}),
      role({name: 'hopeful', trust: doc(allowAws(roleArn('ec2-plain')))}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-plain', releaseLabel: 'emr-6.15.0', instanceProfile: 'ec2-plain'}))
    expect(runRule(runtime003, inventory)).toEqual([])
  })
})

describe('EMR-RUNTIME-002 verdicts', () => {
  it('names both missing actions', () => {
    const inventory = account([{name: 'analytics', trust: doc(trustEc2())}])
    expect(runRule(runtime002, inventory, {runtimeRoles: ['analytics']})).toEqual([
      expect.objectContaining({
        status: 'fail',
        subKey: 'analytics',
        message: 'EC2 role ec2 may not sts:AssumeRole or sts:TagSession on runtime role analytics; steps using it fail to start.',
      }),
    ])
  })

  /** A condition on a request tag cannot be decided without the request: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html */
  it('is unknown when the grant depends on the request', () => {
    const inventory = account(
      [{name: 'analytics', trust: doc(trustEc2())}],
      [{...assumeAndTag(roleArn('analytics')), Condition: {StringEquals: {'aws:RequestTag/team': 'x'}}}],
    )
    expect(runRule(runtime002, inventory, {runtimeRoles: ['analytics']})).toEqual([
      expect.objectContaining({status: 'unknown', subKey: 'analytics', message: 'Could not decide whether EC2 role ec2 may assume and tag analytics.'}),
    ])
  })

  it('checks a step role that does not exist at the ARN the step names', () => {
    const inventory = account([], [assumeAndTag(roleArn('ghost'))], {steps: [{id: 's-1', executionRoleArn: roleArn('ghost')}]})
    expect(runRule(runtime002, inventory)).toEqual([
      expect.objectContaining({status: 'pass', subKey: 'ghost', evidence: expect.objectContaining({runtimeRole: roleArn('ghost')})}),
    ])
  })
})

/** Trust side: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html; with Lake Formation, sts:TagSession too: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-lf-enable.html */
describe('EMR-RUNTIME-003 verdicts', () => {
  const noLakeFormation = {
    AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}},
  }
  const stepOn = (role: string) => ({steps: [{id: 's-1', executionRoleArn: roleArn(role)}]})

  it('a step role that does not exist in this account fails, naming its clusters', () => {
    const inventory = account([], [], stepOn('ghost'))
    expect(runRule(runtime003, inventory)).toEqual([
      {
        status: 'fail',
        resource: {type: 'iam-role', id: 'ghost', arn: roleArn('ghost'), name: 'ghost'},
        subKey: 'ec2',
        message: 'Runtime role ghost, used on j-rt, does not exist.',
        evidence: {ec2Role: roleArn('ec2'), clusters: ['j-rt']},
      },
    ])
  })

  it('names every cluster whose steps use a missing role', () => {
    const inventory = account([], [], stepOn('ghost'))
    inventory.emr.clusters.push({...(inventory.emr.clusters[0] as Cluster), id: 'j-rt-2'})
    expect(runRule(runtime003, inventory)).toEqual([
      expect.objectContaining({status: 'fail', message: 'Runtime role ghost, used on j-rt, j-rt-2, does not exist.'}),
    ])
  })

  it('a runtime role of another account is named with its account', () => {
    const foreign = 'arn:aws:iam::999999999999:role/shared-runtime'
    const inventory = account([], [], {steps: [{id: 's-1', executionRoleArn: foreign}]})
    expect(runRule(runtime003, inventory)).toEqual([
      {
        status: 'unknown',
        severity: 'info',
        resource: {type: 'iam-role', id: 'shared-runtime', arn: foreign, name: 'shared-runtime'},
        subKey: 'ec2',
        message: `Runtime role ${foreign} is in account 999999999999; its trust is not verifiable from this account.`,
        evidence: {ec2Role: roleArn('ec2'), clusters: ['j-rt']},
      },
    ])
  })

  it('names every action the trust lacks', () => {
    const inventory = account([{name: 'stepped', trust: doc(allowAws(roleArn('someone-else')))}], [], stepOn('stepped'))
    expect(runRule(runtime003, inventory)[0]?.message).toBe(
      `Runtime role stepped does not trust EC2 role ${roleArn('ec2')} for sts:AssumeRole and sts:TagSession (Lake Formation); steps using it are denied.`,
    )
  })

  it('a Deny naming the EC2 role grants nothing', () => {
    const deny = {Effect: 'Deny', Principal: {AWS: roleArn('ec2')}, Action: ['sts:AssumeRole', 'sts:TagSession']}
    const inventory = account([{name: 'stepped', trust: doc(deny)}], [], stepOn('stepped'))
    expect(summarise(runRule(runtime003, inventory))).toEqual(['fail stepped#ec2'])
  })

  it('without Lake Formation, sts:AssumeRole for the exact EC2 role is enough', () => {
    const inventory = account([{name: 'stepped', trust: doc(allowAws(roleArn('ec2')))}], [], stepOn('stepped'))
    ;(inventory.emr.securityConfigurations[0] as {configuration: unknown}).configuration = noLakeFormation
    expect(runRule(runtime003, inventory)).toEqual([
      expect.objectContaining({status: 'pass', subKey: 'ec2', message: 'Runtime role stepped trusts EC2 role ec2.'}),
    ])
    expect(runRule(runtime003, inventory)[0]).not.toHaveProperty('severity')
  })

  it('one Lake Formation cluster among the pair is enough to need sts:TagSession', () => {
    const inventory = account([{name: 'stepped', trust: doc(allowAws(roleArn('ec2')))}], [], stepOn('stepped'))
    inventory.emr.securityConfigurations.push({name: 'plain-rt', region: 'us-east-1', origins: ['cluster'], found: true, configuration: noLakeFormation})
    inventory.emr.clusters.unshift(
      cluster({id: 'j-nolf', releaseLabel: 'emr-6.15.0', securityConfiguration: 'plain-rt', instanceProfile: 'ec2', ...stepOn('stepped')}),
    )
    expect(runRule(runtime003, inventory)).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: expect.stringContaining('for sts:TagSession (Lake Formation);'),
        evidence: {ec2Role: roleArn('ec2'), clusters: ['j-nolf', 'j-rt']},
      }),
    ])
  })

  it('an exact trust passes without a note', () => {
    const inventory = account([{name: 'analytics', trust: doc(trustEc2())}])
    const outcomes = runRule(runtime003, inventory, {runtimeRoles: ['analytics']})
    expect(outcomes).toEqual([expect.objectContaining({status: 'pass', message: 'Runtime role analytics trusts EC2 role ec2.'})])
    expect(outcomes[0]).not.toHaveProperty('severity')
  })
})

describe('EMR-RUNTIME-004 source identity', () => {
  it('passes when both sides allow SetSourceIdentity, fails otherwise', () => {
    const good = account([{name: 'rt', trust: doc(trustEc2())}], [assumeAndTag(roleArn('rt'))])
    expect(summarise(runRule(runtime004, good, {runtimeRoles: ['rt']}))).toEqual(['pass ec2#rt'])
    const bad = account(
      [{name: 'rt', trust: doc(allowAws(roleArn('ec2'), {Action: ['sts:AssumeRole', 'sts:TagSession']}))}],
      [{Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: roleArn('rt')}],
    )
    const [outcome] = runRule(runtime004, bad, {runtimeRoles: ['rt']})
    expect(outcome?.message).toContain('may not sts:SetSourceIdentity on it; its trust does not allow sts:SetSourceIdentity')
  })

  /**
   * With PropagateSourceIdentity, the instance profile needs sts:SetSourceIdentity on the runtime role and the runtime
   * role's trust must allow sts:SetSourceIdentity for the EC2 role:
   * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
   */
  const setSourceIdentity = (extra: object = {}) => ({Effect: 'Allow', Action: 'sts:SetSourceIdentity', Resource: roleArn('rt'), ...extra})
  const ec2Policies = [{Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: roleArn('rt')}]
  const assumeOnly = allowAws(roleArn('ec2'), {Action: ['sts:AssumeRole', 'sts:TagSession']})
  const verdict004 = (trust: object[], ec2Inline: object[]) =>
    runRule(runtime004, account([{name: 'rt', trust: doc(...trust)}], ec2Inline), {runtimeRoles: ['rt']})

  it('passes with both sides wired, reporting the decision and the trust as evidence', () => {
    expect(verdict004([allowService('ec2.amazonaws.com'), trustEc2()], [...ec2Policies, setSourceIdentity()])).toEqual([
      {
        status: 'pass',
        resource: expect.objectContaining({type: 'iam-role', id: 'ec2'}),
        subKey: 'rt',
        message: 'Source identity propagates from ec2 to rt.',
        evidence: {runtimeRole: roleArn('rt'), identityDecision: 'allow', trustAllowsSetSourceIdentity: true},
      },
    ])
  })

  it('a trust statement naming the EC2 role among others counts', () => {
    const trust = allowAws([roleArn('other'), roleArn('ec2')], {Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']})
    expect(summarise(verdict004([trust], [...ec2Policies, setSourceIdentity()]))).toEqual(['pass ec2#rt'])
  })

  it("another principal's SetSourceIdentity, or a Deny for the EC2 role, is not trust for it", () => {
    const forOther = allowAws(roleArn('other'), {Action: 'sts:SetSourceIdentity'})
    const denied = {Effect: 'Deny', Principal: {AWS: roleArn('ec2')}, Action: 'sts:SetSourceIdentity'}
    for (const extra of [forOther, denied]) {
      expect(verdict004([assumeOnly, extra], [...ec2Policies, setSourceIdentity()])).toEqual([
        expect.objectContaining({
          status: 'fail',
          message: 'Source identity cannot propagate to runtime role rt: its trust does not allow sts:SetSourceIdentity for ec2.',
          evidence: {runtimeRole: roleArn('rt'), identityDecision: 'allow', trustAllowsSetSourceIdentity: false},
        }),
      ])
    }
  })

  it('an explicit Deny of sts:SetSourceIdentity on the EC2 role fails', () => {
    const deny = {Effect: 'Deny', Action: 'sts:SetSourceIdentity', Resource: '*'}
    expect(verdict004([trustEc2()], [...ec2Policies, setSourceIdentity(), deny])).toEqual([
      expect.objectContaining({
        status: 'fail',
        message: 'Source identity cannot propagate to runtime role rt: EC2 role ec2 may not sts:SetSourceIdentity on it.',
        evidence: expect.objectContaining({identityDecision: 'explicit-deny', trustAllowsSetSourceIdentity: true}),
      }),
    ])
  })

  it('a grant that requires a source identity to be present holds for the one EMR sets', () => {
    expect(summarise(verdict004([trustEc2()], [...ec2Policies, setSourceIdentity({Condition: {Null: {'sts:SourceIdentity': 'false'}}})]))).toEqual([
      'pass ec2#rt',
    ])
  })

  it('is unknown when the grant depends on the request', () => {
    expect(verdict004([trustEc2()], [...ec2Policies, setSourceIdentity({Condition: {StringEquals: {'aws:RequestTag/team': 'x'}}})])).toEqual([
      expect.objectContaining({
        status: 'unknown',
        message: 'Could not decide whether ec2 may set the source identity on rt.',
        evidence: expect.objectContaining({identityDecision: 'unknown'}),
      }),
    ])
  })

  it('is not checked where no cluster propagates source identity, nor for a runtime role that does not exist', () => {
    const unpropagated = account([{name: 'rt', trust: doc(assumeOnly)}], ec2Policies)
    ;(unpropagated.emr.securityConfigurations[0] as {configuration: unknown}).configuration = withId(EXTERNAL_ID)
    expect(runRule(runtime004, unpropagated, {runtimeRoles: ['rt']})).toEqual([])
    const missing = account([], [], {steps: [{id: 's-1', executionRoleArn: roleArn('ghost')}]})
    expect(runRule(runtime004, missing)).toEqual([])
    expect(runRule(runtime005, missing)).toEqual([])
  })

  it('is checked when one of the clusters sharing the pair propagates source identity', () => {
    const inventory = account([{name: 'rt', trust: doc(assumeOnly)}], ec2Policies)
    inventory.emr.securityConfigurations.push({name: 'plain-rt', region: 'us-east-1', origins: ['cluster'], found: true, configuration: withId(EXTERNAL_ID)})
    inventory.emr.clusters.unshift(cluster({id: 'j-quiet', releaseLabel: 'emr-6.15.0', securityConfiguration: 'plain-rt', instanceProfile: 'ec2'}))
    expect(summarise(runRule(runtime004, inventory, {runtimeRoles: ['rt']}))).toEqual(['fail ec2#rt'])
  })
})

describe('EMR-RUNTIME-005 ExternalId', () => {
  it.each([
    ['matching', {StringEquals: {'sts:ExternalId': EXTERNAL_ID}}, 'pass'],
    ['another value', {StringEquals: {'sts:ExternalId': 'OTHER'}}, 'fail'],
  ])('%s ExternalId → %s', (_label, condition, expected) => {
    const inventory = account([{name: 'rt', trust: doc(trustEc2({Condition: condition}))}])
    expect(runRule(runtime005, inventory, {runtimeRoles: ['rt']}).map((outcome) => outcome.status)).toEqual([expected])
  })
  it('no condition passes as info', () => {
    const inventory = account([{name: 'rt', trust: doc(trustEc2())}])
    expect(runRule(runtime005, inventory, {runtimeRoles: ['rt']})[0]).toMatchObject({status: 'pass', severity: 'info'})
  })

  /**
   * EMR assumes the runtime role with the ExternalId of the cluster's security configuration; a trust without an
   * sts:ExternalId condition for the EC2 role is optional isolation not taken:
   * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html. Operators:
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
   */
  const verdict005 = (...trust: object[]) => runRule(runtime005, account([{name: 'rt', trust: doc(...trust)}]), {runtimeRoles: ['rt']})
  const externalId = (value: string, operator = 'StringEquals') => ({Condition: {[operator]: {'sts:ExternalId': value}}})

  it('a trust with no statement for the EC2 role has no ExternalId condition for it (info), with the configuration as evidence', () => {
    const inventory = account([{name: 'stepped', trust: doc(allowAws(roleArn('someone-else'), externalId('OTHER')))}], [], {
      steps: [{id: 's-1', executionRoleArn: roleArn('stepped')}],
    })
    expect(runRule(runtime005, inventory)).toEqual([
      {
        status: 'pass',
        severity: 'info',
        resource: expect.objectContaining({type: 'iam-role', id: 'stepped'}),
        subKey: 'ec2',
        message: 'Runtime role stepped lets ec2 assume it without an sts:ExternalId condition (optional per-tenant isolation).',
        evidence: {configurationExternalIds: [EXTERNAL_ID], clusters: ['j-rt'], trustStatements: []},
      },
    ])
  })

  it('an unconditioned statement beside the conditioned one makes the condition isolate nothing (info)', () => {
    const [outcome] = verdict005(trustEc2(), trustEc2(externalId(EXTERNAL_ID)))
    expect(outcome).toMatchObject({status: 'pass', severity: 'info'})
    expect(outcome?.evidence).toMatchObject({trustStatements: [expect.anything()]})
  })

  it('a condition satisfied only when an ExternalId is sent passes without a note', () => {
    const [outcome] = verdict005(trustEc2(externalId('*', 'StringLike')))
    expect(outcome).toMatchObject({status: 'pass', message: "The trust of rt lets ec2 assume it with the security configuration's sts:ExternalId."})
    expect(outcome).not.toHaveProperty('severity')
  })

  it('sends the EC2 role as aws:PrincipalArn and its account as aws:PrincipalAccount', () => {
    const trust = allowAws(`arn:aws:iam::${ACCOUNT}:root`, {
      Condition: {StringEquals: {'sts:ExternalId': EXTERNAL_ID, 'aws:PrincipalAccount': ACCOUNT}, ArnEquals: {'aws:PrincipalArn': roleArn('ec2')}},
    })
    expect(summarise(verdict005(trust))).toEqual(['pass rt#ec2'])
    expect(verdict005(trust)[0]).not.toHaveProperty('severity')
  })

  it('a Deny for the configured ExternalId fails', () => {
    const deny = {Effect: 'Deny', Principal: {AWS: roleArn('ec2')}, Action: 'sts:AssumeRole', ...externalId(EXTERNAL_ID)}
    expect(verdict005(trustEc2(externalId('FX*', 'StringLike')), deny)).toEqual([
      expect.objectContaining({status: 'fail', message: expect.stringContaining(`with sts:ExternalId ${EXTERNAL_ID}, which`)}),
    ])
  })

  it("is unknown when the configuration's ExternalId is not in the scan", () => {
    const inventory = account([{name: 'rt', trust: doc(trustEc2(externalId('EXT-1')))}])
    ;(inventory.emr.securityConfigurations[0] as {configuration: unknown}).configuration = {
      AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}},
    }
    expect(runRule(runtime005, inventory, {runtimeRoles: ['rt']})).toEqual([
      expect.objectContaining({
        status: 'unknown',
        message: "Runtime role rt expects an sts:ExternalId from ec2, but the security configuration's ExternalId is not in the scan.",
        evidence: expect.objectContaining({configurationExternalIds: []}),
      }),
    ])
  })

  describe('one EC2 role on two clusters with different ExternalIds', () => {
    function sharedEc2(...trust: object[]): Inventory {
      const inventory = account([{name: 'rt', trust: doc(...trust)}])
      ;(inventory.emr.securityConfigurations[0] as {configuration: unknown}).configuration = withId('EXTA-1')
      inventory.emr.securityConfigurations.push({name: 'rt-b', region: 'us-east-1', origins: ['cluster'], found: true, configuration: withId('EXTB-1')})
      inventory.emr.clusters.push(cluster({id: 'j-rt-b', releaseLabel: 'emr-6.15.0', securityConfiguration: 'rt-b', instanceProfile: 'ec2'}))
      return inventory
    }

    it('names every ExternalId the trust refuses', () => {
      expect(runRule(runtime005, sharedEc2(trustEc2(externalId('EXTC-1'))), {runtimeRoles: ['rt']})).toEqual([
        expect.objectContaining({
          status: 'fail',
          message:
            "The trust of rt does not let ec2 assume it with sts:ExternalId EXTA-1, EXTB-1, which its clusters' security configuration uses; steps cannot assume it.",
          evidence: expect.objectContaining({configurationExternalIds: ['EXTA-1', 'EXTB-1'], clusters: ['j-rt', 'j-rt-b']}),
        }),
      ])
    })

    it('is unknown when one ExternalId passes and the other depends on the request', () => {
      const inventory = sharedEc2(
        trustEc2(externalId('EXTA-1')),
        trustEc2({Condition: {StringEquals: {'sts:ExternalId': 'EXTB-1', 'aws:RequestTag/team': 'x'}}}),
      )
      expect(runRule(runtime005, inventory, {runtimeRoles: ['rt']})).toEqual([
        expect.objectContaining({
          status: 'unknown',
          message: 'Could not decide whether ec2 may assume rt with the configured sts:ExternalId: other conditions of its trust depend on the request.',
        }),
      ])
    })
  })

  /**
   * Per caller, with the configuration's ExternalId as sts:ExternalId: statements naming other principals do not count
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); StringLike matches
   * with wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
   */
  describe('two clusters, two EC2 roles, one runtime role', () => {
    function twoClusters(hostBCondition: object): Inventory {
      const trust = doc(allowAws(roleArn('host-a')), allowAws(roleArn('host-b'), {Condition: hostBCondition}))
      const inventory = withRoles(
        emptyInventory(),
        ...['host-a', 'host-b'].map((name) => role({name, trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name}]})),
        role({name: 'rt', trust}),
      )
      inventory.emr.securityConfigurations.push(
        {name: 'rt-a', region: 'us-east-1', origins: ['cluster'], found: true, configuration: withId('EXTA-1')},
        {name: 'rt-b', region: 'us-east-1', origins: ['cluster'], found: true, configuration: withId('EXTB-1')},
      )
      inventory.emr.clusters.push(
        cluster({id: 'j-a', releaseLabel: 'emr-6.15.0', securityConfiguration: 'rt-a', instanceProfile: 'host-a'}),
        cluster({id: 'j-b', releaseLabel: 'emr-6.15.0', securityConfiguration: 'rt-b', instanceProfile: 'host-b'}),
      )
      return inventory
    }
    const verdicts = (condition: object) =>
      runRule(runtime005, twoClusters(condition), {runtimeRoles: ['rt']}).map((outcome) =>
        `${outcome.status} ${outcome.subKey} ${outcome.severity ?? ''}`.trim(),
      )

    it("host-b only with cluster B's ExternalId: both pass (host-a needs none)", () => {
      expect(verdicts({StringEquals: {'sts:ExternalId': 'EXTB-1'}})).toEqual(['pass host-a info', 'pass host-b'])
    })
    it('StringLike "EXTB*" matches EXTB-1', () => {
      expect(verdicts({StringLike: {'sts:ExternalId': 'EXTB*'}})).toEqual(['pass host-a info', 'pass host-b'])
    })
    it("fails only host-b when its condition expects cluster A's ExternalId", () => {
      expect(verdicts({StringEquals: {'sts:ExternalId': 'EXTA-1'}})).toEqual(['pass host-a info', 'fail host-b'])
    })
    it('is unknown when another condition of the statement depends on the request', () => {
      expect(verdicts({StringEquals: {'sts:ExternalId': 'EXTB-1', 'aws:RequestTag/team': 'x'}})).toEqual(['pass host-a info', 'unknown host-b'])
    })
  })
})

describe('EMR-RUNTIME-006 step submitters', () => {
  it('fails submitters without an ExecutionRoleArn condition, passes those with one', () => {
    const inventory = account([])
    const user = (name: string, statement: object) => ({
      name,
      arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      id: `AIDA${name}`,
      path: '/',
      inlinePolicies: [{name: 'p', document: doc(statement)}],
      attachedPolicies: [],
      groups: [],
      tags: [],
    })
    inventory.iam.users.push(
      user('open', {Effect: 'Allow', Action: 'elasticmapreduce:AddJobFlowSteps', Resource: '*'}),
      user('scoped', {
        Effect: 'Allow',
        Action: 'elasticmapreduce:AddJobFlowSteps',
        Resource: '*',
        Condition: {ArnLike: {'elasticmapreduce:ExecutionRoleArn': roleArn('analytics-*')}},
      }),
      user('elsewhere', {Effect: 'Allow', Action: 'elasticmapreduce:*', Resource: `arn:aws:elasticmapreduce:us-east-1:${ACCOUNT}:cluster/j-other`}),
    )
    expect(summarise(runRule(runtime006, inventory))).toEqual(['fail open'])
  })
  it('reports a memberless group whose NotAction [s3:*, kms:*] on * lets it submit steps', () => {
    const inventory = account([])
    inventory.iam.groups.push({
      name: 'almost-admin',
      arn: `arn:aws:iam::${ACCOUNT}:group/almost-admin`,
      id: 'AGPA2',
      path: '/',
      inlinePolicies: [{name: 'g', document: doc({Effect: 'Allow', NotAction: ['s3:*', 'kms:*'], Resource: '*'})}],
      attachedPolicies: [],
    })
    expect(summarise(runRule(runtime006, inventory))).toEqual(['fail almost-admin'])
  })

  /**
   * AddJobFlowSteps and GetClusterSessionCredentials without an elasticmapreduce:ExecutionRoleArn condition let the caller
   * use any runtime role: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html,
   * https://docs.aws.amazon.com/emr/latest/ManagementGuide/security_iam_service-with-iam.html
   */
  const openSteps = {Effect: 'Allow', Action: 'elasticmapreduce:AddJobFlowSteps', Resource: '*'}

  it('names each policy once, and the runtime-role clusters, for a submitter with several open statements', () => {
    const inventory = account([])
    inventory.iam.users.push(
      user({
        name: 'open',
        inline: {p: doc(openSteps, {Effect: 'Allow', Action: 'elasticmapreduce:GetClusterSessionCredentials', Resource: '*'}), q: doc(openSteps)},
      }),
    )
    expect(runRule(runtime006, inventory)).toEqual([
      {
        status: 'fail',
        resource: expect.objectContaining({id: 'open'}),
        message:
          'user open may submit steps to runtime-role clusters with any runtime role (no elasticmapreduce:ExecutionRoleArn condition) via inline:p, inline:q.',
        evidence: {
          statements: [
            {policy: 'inline:p', statementIndex: 0},
            {policy: 'inline:p', statementIndex: 1},
            {policy: 'inline:q', statementIndex: 0},
          ],
          clusters: ['j-rt'],
        },
      },
    ])
  })

  it('checks nothing where no cluster uses runtime roles', () => {
    const inventory = emptyInventory()
    inventory.iam.users.push(user({name: 'open', inline: {p: doc(openSteps)}}))
    inventory.emr.clusters.push(cluster({id: 'j-plain', releaseLabel: 'emr-6.15.0'}))
    expect(runRule(runtime006, inventory)).toEqual([])
  })

  it('needs the IAM snapshot only where runtime-role clusters exist', () => {
    const withRuntime = setCoverage(account([]), 'iam.authorizationDetails', 'global', 'denied')
    expect(runRule(runtime006, withRuntime)).toEqual([expect.objectContaining({status: 'unknown', resource: expect.objectContaining({type: 'account'})})])
    const without = setCoverage(emptyInventory(), 'iam.authorizationDetails', 'global', 'denied')
    without.emr.clusters.push(cluster({id: 'j-plain', releaseLabel: 'emr-6.15.0'}))
    expect(runRule(runtime006, without)).toEqual([])
  })
})
