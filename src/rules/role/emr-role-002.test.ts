import {describe, expect, it} from 'vitest'
import {awsPolicyArn, cluster, doc, emptyInventory, managedPolicy, role, setCoverage, withRoles} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import rule from './emr-role-002.js'

const AUTOSCALING_POLICY = awsPolicyArn('AmazonElasticMapReduceforAutoScalingRole')
const scaledGroups = [
  {id: 'ig-m', type: 'MASTER', hasAutoScalingPolicy: false},
  {id: 'ig-c', type: 'CORE', hasAutoScalingPolicy: true},
]

function account() {
  const inventory = emptyInventory()
  inventory.iam.policies.push(
    managedPolicy(
      AUTOSCALING_POLICY,
      doc({
        Effect: 'Allow',
        Action: ['cloudwatch:DescribeAlarms', 'elasticmapreduce:ListInstanceGroups', 'elasticmapreduce:ModifyInstanceGroups'],
        Resource: '*',
      }),
    ),
  )
  return inventory
}

describe('EMR-ROLE-002 automatic scaling has a usable role', () => {
  it('passes when the role has the managed auto scaling policy', () => {
    const inventory = withRoles(account(), role({name: 'asg', managed: [AUTOSCALING_POLICY]}))
    inventory.emr.clusters.push(cluster({id: 'j-1', autoScalingRole: 'asg', instanceGroups: scaledGroups}))
    expect(summarise(runRule(rule, inventory))).toEqual(['pass j-1'])
  })

  it('fails without an AutoScalingRole, with a missing role, or with missing permissions', () => {
    const inventory = withRoles(account(), role({name: 'weak', inline: {only: doc({Effect: 'Allow', Action: 'cloudwatch:Describe*', Resource: '*'})}}))
    inventory.emr.clusters.push(
      cluster({id: 'j-none', instanceGroups: scaledGroups}),
      cluster({id: 'j-gone', autoScalingRole: 'gone', instanceGroups: scaledGroups}),
      cluster({id: 'j-weak', autoScalingRole: 'weak', instanceGroups: scaledGroups}),
    )
    const outcomes = runRule(rule, inventory)
    expect(summarise(outcomes)).toEqual(['fail j-none', 'fail j-gone', 'fail j-weak'])
    expect(outcomes[2]?.message).toContain('elasticmapreduce:ListInstanceGroups, elasticmapreduce:ModifyInstanceGroups')
  })

  it('ignores clusters without automatic scaling and instance-fleet clusters', () => {
    const inventory = account()
    inventory.emr.clusters.push(cluster({id: 'j-plain'}), cluster({id: 'j-fleet', instanceCollectionType: 'INSTANCE_FLEET', instanceGroups: undefined}))
    expect(runRule(rule, inventory)).toEqual([])
  })

  it('is unknown when capacity or the managed policy document could not be read', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'asg', managed: [AUTOSCALING_POLICY]}))
    inventory.emr.clusters.push(
      cluster({id: 'j-nocap', autoScalingRole: 'asg', instanceGroups: undefined}),
      cluster({id: 'j-nodoc', autoScalingRole: 'asg', instanceGroups: scaledGroups}),
    )
    expect(summarise(runRule(rule, inventory))).toEqual(['unknown j-nocap', 'unknown j-nodoc'])
  })

  it('asks about the cluster itself for the EMR actions, and says what is missing or why it cannot tell', () => {
    const onlyJ1 = doc(
      {Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*'},
      {Effect: 'Allow', Action: 'elasticmapreduce:*', Resource: 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1'},
    )
    const inventory = withRoles(account(), role({name: 'asg', inline: {scoped: onlyJ1}}))
    inventory.emr.clusters.push(
      cluster({id: 'j-1', autoScalingRole: 'asg', instanceGroups: scaledGroups}),
      cluster({id: 'j-2', autoScalingRole: 'arn:aws:iam::123456789012:role/asg', instanceGroups: scaledGroups}),
      cluster({id: 'j-gone', autoScalingRole: 'gone', instanceGroups: scaledGroups}),
      cluster({id: 'j-none', instanceGroups: scaledGroups}),
    )
    expect(runRule(rule, inventory)).toMatchObject([
      {status: 'pass', message: 'Auto Scaling role asg of cluster j-1 has the permissions automatic scaling needs.'},
      {
        status: 'fail',
        message:
          'Auto Scaling role asg of cluster j-2 is not allowed elasticmapreduce:ListInstanceGroups, elasticmapreduce:ModifyInstanceGroups; attach AmazonElasticMapReduceforAutoScalingRole.',
        evidence: {autoScalingRole: 'arn:aws:iam::123456789012:role/asg', scaledInstanceGroups: ['ig-c']},
      },
      {
        status: 'fail',
        message: 'Cluster j-gone scales automatically with role gone, which does not exist.',
        evidence: {autoScalingRole: 'gone', scaledInstanceGroups: ['ig-c']},
      },
      {
        status: 'fail',
        message: 'Cluster j-none has automatic scaling policies on ig-c but no AutoScalingRole; relaunch it with one.',
        evidence: {scaledInstanceGroups: ['ig-c']},
      },
    ])
  })

  it('is unknown when the IAM snapshot was not collected, or the grant is conditional', () => {
    const noIam = setCoverage(withRoles(account(), role({name: 'asg', managed: [AUTOSCALING_POLICY]})), 'iam.authorizationDetails', 'global', 'denied')
    noIam.emr.clusters.push(cluster({id: 'j-1', autoScalingRole: 'asg', instanceGroups: scaledGroups}))
    expect(runRule(rule, noIam)).toMatchObject([
      {
        status: 'unknown',
        message: 'Could not check the Auto Scaling role of cluster j-1: the IAM snapshot (iam:GetAccountAuthorizationDetails) was not collected.',
      },
    ])
    const conditional = doc({
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'elasticmapreduce:ListInstanceGroups', 'elasticmapreduce:ModifyInstanceGroups'],
      Resource: '*',
      Condition: {StringEquals: {'aws:ResourceTag/team': 'data'}},
    })
    const inventory = withRoles(account(), role({name: 'asg', inline: {c: conditional}}))
    inventory.emr.clusters.push(cluster({id: 'j-1', autoScalingRole: 'asg', instanceGroups: scaledGroups}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome?.status).toBe('unknown')
    expect(outcome?.message).toMatch(
      /^Could not decide whether role asg may cloudwatch:DescribeAlarms, elasticmapreduce:ListInstanceGroups, elasticmapreduce:ModifyInstanceGroups: ./,
    )
  })
})

describe('EMR-ROLE-002 says which groups and which reasons', () => {
  const twoScaled = [
    {id: 'ig-c', type: 'CORE', hasAutoScalingPolicy: true},
    {id: 'ig-t', type: 'TASK', hasAutoScalingPolicy: true},
  ]
  it('names every scaled instance group, and why capacity is unknown', () => {
    const inventory = account()
    inventory.emr.clusters.push(cluster({id: 'j-none', instanceGroups: twoScaled}), cluster({id: 'j-nocap', instanceGroups: undefined}))
    expect(runRule(rule, inventory).map((outcome) => outcome.message)).toEqual([
      'Cluster j-none has automatic scaling policies on ig-c, ig-t but no AutoScalingRole; relaunch it with one.',
      'Could not tell whether cluster j-nocap uses automatic scaling: its instance groups could not be read.',
    ])
  })
  // cloudwatch:DescribeAlarms has no resource-level permissions, so it is asked on "*"
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html); a Deny on the
  // cluster's ARN takes away the EMR actions only.
  it('asks the CloudWatch action on *, not on the cluster', () => {
    const denyCluster = doc({Effect: 'Deny', Action: '*', Resource: 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1'})
    const inventory = withRoles(account(), role({name: 'asg', managed: [AUTOSCALING_POLICY], inline: {d: denyCluster}}))
    inventory.emr.clusters.push(cluster({id: 'j-1', autoScalingRole: 'asg', instanceGroups: scaledGroups}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('is not allowed elasticmapreduce:ListInstanceGroups, elasticmapreduce:ModifyInstanceGroups;')
  })
  it('gives every reason it cannot decide', () => {
    const conditionalDeny = doc({Effect: 'Deny', Action: '*', Resource: '*', Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}})
    // The managed policy's document is not in the snapshot: a second reason.
    const inventory = withRoles(emptyInventory(), role({name: 'asg', managed: [AUTOSCALING_POLICY], inline: {d: conditionalDeny}}))
    inventory.emr.clusters.push(cluster({id: 'j-1', autoScalingRole: 'asg', instanceGroups: scaledGroups}))
    const [outcome] = runRule(rule, inventory)
    expect(outcome?.status).toBe('unknown')
    expect(outcome?.message).toContain(`policy ${AUTOSCALING_POLICY} was not collected; `)
  })
})
