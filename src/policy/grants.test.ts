/**
 * Allow statements that let a principal submit steps without bounding the runtime role. Expected answers: the
 * step actions are bounded by a condition on elasticmapreduce:ExecutionRoleArn
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html); condition key names are
 * case-insensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
 * only an Allow grants, and Action/Resource wildcards, NotAction and NotResource decide what a statement covers
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html).
 */
import {describe, expect, it} from 'vitest'
import {doc} from '../../test/fixtures/inventory.js'
import {unconditionedGrants} from './grants.js'

const KEY = 'elasticmapreduce:ExecutionRoleArn'
const STEP_ACTIONS = ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:GetClusterSessionCredentials']
const CLUSTER_A = 'arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-AAAAAAAAAAAAA'
const CLUSTER_B = 'arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-BBBBBBBBBBBBB'
const BOUNDED = {Condition: {StringEquals: {[KEY]: 'arn:aws:iam::111122223333:role/runtime-a'}}}

const allow = (extra: object = {}) => ({Effect: 'Allow', Action: 'elasticmapreduce:AddJobFlowSteps', Resource: '*', ...extra})

/** The statement indexes of one policy that unconditionedGrants reports. */
function reported(...statements: object[]): number[] {
  return unconditionedGrants([{label: 'inline:steps', document: doc(...statements)}], STEP_ACTIONS, [CLUSTER_A, CLUSTER_B], KEY).map(
    (ref) => ref.statementIndex,
  )
}

describe('unconditionedGrants', () => {
  it.each<[string, object, boolean]>([
    ['an Allow of one step action on every resource', allow(), true],
    ['an Allow of the other step action', allow({Action: 'elasticmapreduce:GetClusterSessionCredentials'}), true],
    ['an Allow by wildcard', allow({Action: 'elasticmapreduce:*'}), true],
    ['an Allow by NotAction that leaves the step actions in', {Effect: 'Allow', NotAction: 'iam:*', Resource: '*'}, true],
    ['an Allow on one of the clusters', allow({Resource: CLUSTER_B}), true],
    ['an Allow bounded by the key', allow(BOUNDED), false],
    ['an Allow bounded by the key written in another case', allow({Condition: {StringLike: {'ElasticMapReduce:executionRoleArn': '*runtime-*'}}}), false],
    ['an Allow bounded by another key only', allow({Condition: {StringEquals: {'aws:ResourceTag/team': 'analytics'}}}), true],
    ['a Deny of the step actions', {...allow(), Effect: 'Deny'}, false],
    ['an Allow of other actions', allow({Action: 'elasticmapreduce:DescribeCluster'}), false],
    ['an Allow by NotAction that excludes the step actions', {Effect: 'Allow', NotAction: 'elasticmapreduce:*', Resource: '*'}, false],
    ['an Allow on another cluster', allow({Resource: 'arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-CCCCCCCCCCCCC'}), false],
    [
      'an Allow by NotResource that excludes both clusters',
      {Effect: 'Allow', Action: 'elasticmapreduce:*', NotResource: 'arn:aws:elasticmapreduce:*:*:cluster/*'},
      false,
    ],
  ])('%s → reported: %s', (_label, statement, expected) => {
    expect(reported(statement)).toEqual(expected ? [0] : [])
  })

  it('names each policy and statement, with the Sid when there is one', () => {
    const sources = [
      {label: 'arn:aws:iam::111122223333:policy/steps', document: doc(allow(BOUNDED), allow({Sid: 'AnyStep'}))},
      {label: 'inline:submit', document: doc(allow())},
      {label: 'inline:unreadable', document: null},
    ]
    expect(unconditionedGrants(sources, STEP_ACTIONS, [CLUSTER_A], KEY)).toStrictEqual([
      {policy: 'arn:aws:iam::111122223333:policy/steps', statementIndex: 1, sid: 'AnyStep'},
      {policy: 'inline:submit', statementIndex: 0},
    ])
  })

  it('lists every open statement of a policy, in order', () => {
    expect(reported(allow(), allow(BOUNDED), allow({Action: STEP_ACTIONS}))).toEqual([0, 2])
  })
})
