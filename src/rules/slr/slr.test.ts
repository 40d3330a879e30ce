import {describe, expect, it} from 'vitest'
import {allowService, awsPolicyArn, cluster, doc, emptyInventory, managedPolicy, role, setCoverage, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, scanRule, summarise} from '../../../test/fixtures/run-rule.js'
import slr001 from './emr-slr-001.js'
import slr002, {usesSpot} from './emr-slr-002.js'

const cleanupPolicy = 'arn:aws:iam::aws:policy/aws-service-role/AmazonEMRCleanupPolicy'
const cleanupRole = (extra: Partial<Parameters<typeof role>[0]> = {}) =>
  role({
    name: 'AWSServiceRoleForEMRCleanup',
    path: '/aws-service-role/elasticmapreduce.amazonaws.com/',
    trust: doc(allowService('elasticmapreduce.amazonaws.com')),
    managed: [cleanupPolicy],
    ...extra,
  })

describe('EMR-SLR-001 the cleanup service-linked role', () => {
  it('is only evaluated when clusters exist', () => {
    expect(runRule(slr001, emptyInventory())).toEqual([])
  })
  it('passes when intact, fails when missing or altered', () => {
    const withCluster = () => {
      const inventory = emptyInventory()
      inventory.emr.clusters.push(cluster({id: 'j-1'}))
      return inventory
    }
    expect(summarise(runRule(slr001, withRoles(withCluster(), cleanupRole())))).toEqual(['pass AWSServiceRoleForEMRCleanup'])
    expect(summarise(runRule(slr001, withCluster()))).toEqual(['fail 123456789012'])
    const [altered] = runRule(slr001, withRoles(withCluster(), cleanupRole({managed: []})))
    expect(altered?.message).toContain('AmazonEMRCleanupPolicy is not attached')
  })
  // REQUIREMENTS EMR-SLR-001: the name, the path /aws-service-role/elasticmapreduce.amazonaws.com/, the EMR
  // principal in the trust, and AmazonEMRCleanupPolicy attached.
  it('names every way the role is not intact, and finds it by its path under another name', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-1'}))
    withRoles(inventory, cleanupRole({path: '/', trust: doc(allowService('ec2.amazonaws.com')), managed: []}))
    expect(runRule(slr001, inventory)).toEqual([
      {
        status: 'fail',
        resource: {
          type: 'iam-role',
          id: 'AWSServiceRoleForEMRCleanup',
          name: 'AWSServiceRoleForEMRCleanup',
          arn: 'arn:aws:iam::123456789012:role/AWSServiceRoleForEMRCleanup',
        },
        message:
          'Service-linked role AWSServiceRoleForEMRCleanup is not intact: its path is /, not /aws-service-role/elasticmapreduce.amazonaws.com/; its trust does not allow the EMR principal; AmazonEMRCleanupPolicy is not attached; delete and recreate it.',
        evidence: {
          problems: [
            'its path is /, not /aws-service-role/elasticmapreduce.amazonaws.com/',
            'its trust does not allow the EMR principal',
            'AmazonEMRCleanupPolicy is not attached',
          ],
        },
      },
    ])
    const renamed = emptyInventory()
    renamed.emr.clusters.push(cluster({id: 'j-1'}))
    withRoles(renamed, cleanupRole({name: 'AWSServiceRoleForEMRCleanup_2'}))
    expect(summarise(runRule(slr001, renamed))).toEqual(['pass AWSServiceRoleForEMRCleanup_2'])
    const missing = emptyInventory()
    missing.emr.clusters.push(cluster({id: 'j-1'}))
    expect(runRule(slr001, missing)[0]?.evidence).toEqual({expectedPath: '/aws-service-role/elasticmapreduce.amazonaws.com/'})
  })
})

describe('EMR-SLR-002 Spot service-linked role', () => {
  const spotCluster = (serviceRole = 'svc') =>
    cluster({id: 'j-spot', serviceRole, instanceGroups: [{id: 'ig-1', type: 'CORE', market: 'SPOT', hasAutoScalingPolicy: false}]})
  it('passes when the role exists', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'AWSServiceRoleForEC2Spot', path: '/aws-service-role/spot.amazonaws.com/'}))
    inventory.emr.clusters.push(spotCluster())
    expect(runRule(slr002, inventory).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  it('fails when missing and the v2 service policy cannot create it; passes when the service role can', () => {
    const v2 = awsPolicyArn('AmazonEMRServicePolicy_v2')
    const inventory = withRoles(
      emptyInventory(),
      role({name: 'svc', managed: [v2]}),
      role({
        name: 'v1',
        inline: {
          slr: doc({
            Effect: 'Allow',
            Action: 'iam:CreateServiceLinkedRole',
            Resource: '*',
            Condition: {StringLike: {'iam:AWSServiceName': 'spot.amazonaws.com'}},
          }),
        },
      }),
    )
    inventory.iam.policies.push(managedPolicy(v2, doc({Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*'})))
    inventory.emr.clusters.push(spotCluster('svc'), {...spotCluster('v1'), id: 'j-v1'})
    expect(summarise(runRule(slr002, inventory))).toEqual(['fail j-spot', 'pass j-v1'])
  })
  // REQUIREMENTS EMR-SLR-002: Spot is an instance group with Market SPOT or a fleet with TargetSpotCapacity > 0.
  it('tells Spot capacity from groups and fleets', () => {
    expect(usesSpot(cluster({id: 'j-1', instanceGroups: [{id: 'ig', type: 'CORE', market: 'ON_DEMAND', hasAutoScalingPolicy: false}]}))).toBe(false)
    expect(usesSpot(cluster({id: 'j-1', instanceGroups: undefined, instanceFleets: [{id: 'if', type: 'CORE', targetSpotCapacity: 1}]}))).toBe(true)
    expect(
      usesSpot(cluster({id: 'j-1', instanceGroups: undefined, instanceFleets: [{id: 'if', type: 'CORE', targetSpotCapacity: 0, targetOnDemandCapacity: 2}]})),
    ).toBe(false)
    expect(usesSpot(cluster({id: 'j-1', instanceGroups: undefined, instanceFleets: [{id: 'if', type: 'CORE'}]}))).toBe(false)
  })
  it('passes on the role name alone, fails a Spot cluster without a service role, and is unknown when the grant is conditional', () => {
    const byName = withRoles(emptyInventory(), role({name: 'AWSServiceRoleForEC2Spot'}))
    byName.emr.clusters.push(spotCluster())
    expect(runRule(slr002, byName)).toMatchObject([{status: 'pass', message: 'AWSServiceRoleForEC2Spot exists for the Spot capacity of j-spot.'}])
    const conditional = doc({Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*', Condition: {StringEquals: {'aws:ResourceTag/team': 'x'}}})
    const inventory = withRoles(emptyInventory(), role({name: 'svc', inline: {slr: conditional}}))
    inventory.emr.clusters.push(spotCluster('svc'), {...spotCluster(''), id: 'j-none'})
    expect(runRule(slr002, inventory)).toMatchObject([
      {status: 'unknown', resource: {id: 'j-spot'}, evidence: {serviceRole: 'svc', canCreateSpotRole: 'unknown'}},
      {status: 'fail', resource: {id: 'j-none'}, evidence: {canCreateSpotRole: 'implicit-deny'}},
    ])
  })
  it('is silent without Spot, and unknown where capacity was not read', () => {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-od'}), cluster({id: 'j-unread', instanceGroups: undefined}))
    expect(summarise(runRule(slr002, inventory))).toEqual(['unknown j-unread'])
  })
})

const withClusters = (...clusters: ReturnType<typeof cluster>[]) => {
  const inventory = emptyInventory()
  inventory.emr.clusters.push(...clusters)
  return inventory
}

// REQUIREMENTS EMR-SLR-001 and https://docs.aws.amazon.com/emr/latest/ManagementGuide/using-service-linked-roles.html:
// the role is AWSServiceRoleForEMRCleanup, path /aws-service-role/elasticmapreduce.amazonaws.com/, AmazonEMRCleanupPolicy attached.
describe('EMR-SLR-001 finds the cleanup role among others and says what it found', () => {
  it('picks the cleanup role out of the other roles and passes it, naming it', () => {
    const inventory = withRoles(withClusters(cluster({id: 'j-1'})), role({name: 'other'}), cleanupRole())
    expect(runRule(slr001, inventory)).toEqual([
      expect.objectContaining({
        status: 'pass',
        resource: expect.objectContaining({id: 'AWSServiceRoleForEMRCleanup'}),
        message: 'AWSServiceRoleForEMRCleanup exists with the EMR trust and AmazonEMRCleanupPolicy.',
      }),
    ])
  })
  it('fails on the account, saying how to create it, when only unrelated roles exist', () => {
    const inventory = withRoles(withClusters(cluster({id: 'j-1'})), role({name: 'other'}))
    expect(runRule(slr001, inventory)).toEqual([
      expect.objectContaining({
        status: 'fail',
        resource: {type: 'account', id: '123456789012'},
        message:
          'Service-linked role AWSServiceRoleForEMRCleanup does not exist; create it with iam:CreateServiceLinkedRole for elasticmapreduce.amazonaws.com.',
      }),
    ])
  })
  it('another managed policy is not AmazonEMRCleanupPolicy', () => {
    const [outcome] = runRule(slr001, withRoles(withClusters(cluster({id: 'j-1'})), cleanupRole({managed: [awsPolicyArn('AmazonEMRServicePolicy_v2')]})))
    expect(outcome).toMatchObject({status: 'fail', evidence: {problems: ['AmazonEMRCleanupPolicy is not attached']}})
  })
  it('needs the IAM snapshot only when clusters exist: unknown with a cluster, silent without', () => {
    const unread = (inventory: ReturnType<typeof emptyInventory>) =>
      setCoverage(inventory, 'iam.authorizationDetails', 'global', 'denied', 'iam:GetAccountAuthorizationDetails')
    expect(scanRule(slr001, unread(withClusters(cluster({id: 'j-1'})))).map((finding) => finding.status)).toEqual(['unknown'])
    expect(scanRule(slr001, unread(emptyInventory()))).toEqual([])
  })
})

// REQUIREMENTS EMR-SLR-002. The Spot role is arn:aws:iam::<account>:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/service-linked-roles-spot-instance-requests.html); a grant of
// iam:CreateServiceLinkedRole may be scoped to that ARN (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html).
describe('EMR-SLR-002 says which clusters need the Spot role and what their service role may do', () => {
  const SPOT_ROLE_ARN = 'arn:aws:iam::123456789012:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot'
  const spot = (id: string, serviceRole = 'svc') =>
    cluster({id, serviceRole, instanceGroups: [{id: 'ig-1', type: 'CORE', market: 'SPOT', hasAutoScalingPolicy: false}]})
  const createSpotRole = (resource: string, condition?: object) =>
    doc({
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: resource,
      Condition: condition ?? {StringEquals: {'iam:AWSServiceName': 'spot.amazonaws.com'}},
    })

  it('finds the Spot role among other roles, and by its path under another name; the pass names every Spot cluster', () => {
    const inventory = withRoles(withClusters(spot('j-a'), spot('j-b')), role({name: 'other'}), role({name: 'AWSServiceRoleForEC2Spot'}))
    expect(runRule(slr002, inventory)).toEqual([
      expect.objectContaining({status: 'pass', message: 'AWSServiceRoleForEC2Spot exists for the Spot capacity of j-a, j-b.'}),
    ])
    const byPath = withRoles(withClusters(spot('j-a')), role({name: 'AWSServiceRoleForEC2Spot_1', path: '/aws-service-role/spot.amazonaws.com/'}))
    expect(runRule(slr002, byPath).map((outcome) => outcome.status)).toEqual(['pass'])
  })
  it('passes a service role allowed to create exactly the Spot role, with a message naming the cluster', () => {
    const inventory = withRoles(withClusters(spot('j-a')), role({name: 'svc', inline: {slr: createSpotRole(SPOT_ROLE_ARN)}}))
    expect(runRule(slr002, inventory)).toEqual([
      {
        status: 'pass',
        resource: expect.objectContaining({type: 'emr-cluster', id: 'j-a'}),
        message: 'Service role of cluster j-a can create AWSServiceRoleForEC2Spot when Spot needs it.',
        evidence: {serviceRole: 'svc', canCreateSpotRole: 'allow'},
      },
    ])
  })
  it('fails with the remediation in words, and is unknown naming the cluster when the grant hangs on an unknown key', () => {
    const inventory = withRoles(
      withClusters(spot('j-a', 'no-grant'), spot('j-b', 'tagged')),
      role({name: 'no-grant'}),
      role({name: 'tagged', inline: {slr: createSpotRole('*', {StringEquals: {'aws:ResourceTag/team': 'x'}})}}),
    )
    expect(runRule(slr002, inventory).map((outcome) => outcome.message)).toEqual([
      'Cluster j-a uses Spot, AWSServiceRoleForEC2Spot does not exist and its service role cannot create it; create the service-linked role for spot.amazonaws.com.',
      'Could not decide whether the service role of cluster j-b may create AWSServiceRoleForEC2Spot.',
    ])
  })
  it('says why a cluster is unknown when its capacity was not read', () => {
    expect(runRule(slr002, withClusters(cluster({id: 'j-unread', instanceGroups: undefined})))[0]?.message).toBe(
      'Could not tell whether cluster j-unread uses Spot: its capacity could not be read.',
    )
  })
  it('needs the IAM snapshot when any one cluster uses Spot', () => {
    const inventory = setCoverage(
      withClusters(cluster({id: 'j-od'}), spot('j-a')),
      'iam.authorizationDetails',
      'global',
      'denied',
      'iam:GetAccountAuthorizationDetails',
    )
    expect(scanRule(slr002, inventory).map((finding) => finding.status)).toEqual(['unknown'])
  })
})
