import {describe, expect, it} from 'vitest'
import type {ScopeReason} from '../findings/types.js'
import type {PolicySource} from '../policy/evaluate.js'
import {cluster, doc, emptyInventory, role, withRoles} from '../../test/fixtures/inventory.js'
import {buildIndex} from './inventory-index.js'
import {
  accountResource,
  clusterArn,
  clusterResource,
  ec2RolesOf,
  existingRolesOf,
  openEndedAllows,
  openEndedByPattern,
  releaseAtLeast,
  roleResource,
  policyNames,
  roleSeverity,
  scopeFor,
} from './helpers.js'
import type {ScopedRole} from './scope.js'

describe('release labels', () => {
  it.each([
    ['emr-6.10.0', 'emr-6.7.0', true],
    ['emr-6.7.0', 'emr-6.10.0', false],
    ['emr-6.7.0', 'emr-6.7.0', true],
    ['emr-6.7.1', 'emr-6.7.0', true],
    ['emr-6.7.0', 'emr-6.7.1', false],
    ['emr-7.0.0', 'emr-6.15.0', true],
    ['emr-5.36.2', 'emr-6.0.0', false],
    ['emr-6.15.0-latest', 'emr-6.15.0', true],
    ['emr-10.0.0', 'emr-7.1.0', true],
    ['emr-6.7.10', 'emr-6.7.9', true],
  ])('%s is at least %s: %s', (label, minimum, expected) => {
    expect(releaseAtLeast(label, minimum)).toBe(expected)
  })

  it('cannot tell for a missing or unparsable label', () => {
    expect(releaseAtLeast(undefined, 'emr-6.0.0')).toBeUndefined()
    expect(releaseAtLeast('6.10.0', 'emr-6.0.0')).toBeUndefined()
    expect(releaseAtLeast('xemr-6.10.0', 'emr-6.0.0')).toBeUndefined()
    expect(releaseAtLeast('emr-6.10', 'emr-6.0.0')).toBeUndefined()
    expect(releaseAtLeast('emr-6.10.0', 'latest')).toBeUndefined()
  })
})

describe('role severity and scope reasons', () => {
  const heuristicEc2: ScopeReason = {class: 'EC2', via: 'heuristic', detail: 'h'}
  const referencedSvc: ScopeReason = {class: 'SVC', via: 'reference', detail: 'r'}
  const heuristicSvc: ScopeReason = {class: 'SVC', via: 'heuristic', detail: 'h2'}

  // REQUIREMENTS §3: roles matched only by heuristic are reported with info severity.
  it('is info only when every relevant class brought the role in by heuristic', () => {
    expect(roleSeverity([heuristicEc2], ['EC2'], 'high')).toBe('info')
    expect(roleSeverity([heuristicEc2, heuristicSvc], ['EC2', 'SVC'], 'high')).toBe('info')
    expect(roleSeverity([heuristicEc2, referencedSvc], ['EC2', 'SVC'], 'high')).toBe('high')
    expect(roleSeverity([heuristicEc2, referencedSvc], ['EC2'], 'medium')).toBe('info')
    // A class that did not bring the role in does not count either way.
    expect(roleSeverity([heuristicEc2], ['EC2', 'SVC'], 'high')).toBe('info')
  })

  it('keeps the rule’s severity when no relevant class brought the role in', () => {
    expect(roleSeverity([heuristicEc2], ['SVC'], 'critical')).toBe('critical')
    expect(roleSeverity([], ['SVC'], 'low')).toBe('low')
  })

  it('keeps only the reasons of the given classes', () => {
    expect(scopeFor([heuristicEc2, referencedSvc, heuristicSvc], ['SVC'])).toEqual([referencedSvc, heuristicSvc])
    expect(scopeFor([heuristicEc2], ['SVC'])).toEqual([])
  })

  it('lists the existing roles of several classes once each, sorted by name', () => {
    const b = role({name: 'b-role'})
    const a = role({name: 'a-role'})
    const entry = (name: string, reasons: ScopeReason[], existing?: ReturnType<typeof role>): ScopedRole => ({
      name,
      reference: name,
      reasons,
      ...(existing ? {role: existing} : {}),
    })
    const byClass: Record<string, ScopedRole[]> = {
      SVC: [entry('b-role', [referencedSvc], b), entry('gone', [referencedSvc])],
      EC2: [entry('a-role', [heuristicEc2], a), entry('b-role', [heuristicEc2], b)],
    }
    const scope = {rolesOf: (roleClass: string) => byClass[roleClass] ?? []}
    const listed = existingRolesOf(scope, ['SVC', 'EC2', 'NB'])
    expect(listed.map((item) => item.name)).toEqual(['a-role', 'b-role'])
    // The first class asked for wins for a role in several.
    expect(listed[1]?.reasons).toEqual([referencedSvc])
  })
})

describe('resource references', () => {
  it('refers to a role by name and ARN', () => {
    expect(roleResource(role({name: 'svc', path: '/emr/'}))).toEqual({type: 'iam-role', id: 'svc', name: 'svc', arn: 'arn:aws:iam::123456789012:role/emr/svc'})
  })

  it('builds a cluster ARN when EMR did not return one', () => {
    const inventory = emptyInventory()
    expect(clusterArn(inventory, cluster({id: 'j-ABC'}))).toBe('arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-ABC')
    expect(clusterArn(inventory, cluster({id: 'j-ABC', arn: 'arn:aws-cn:elasticmapreduce:cn-north-1:123456789012:cluster/j-ABC'}))).toBe(
      'arn:aws-cn:elasticmapreduce:cn-north-1:123456789012:cluster/j-ABC',
    )
  })

  it('names the ARN of a cluster only when it has one, and the region of the account only when given', () => {
    expect(clusterResource(cluster({id: 'j-1', name: 'etl'}))).toEqual({type: 'emr-cluster', id: 'j-1', name: 'etl', region: 'us-east-1'})
    expect(clusterResource(cluster({id: 'j-1', arn: 'arn:x'}))).toMatchObject({arn: 'arn:x'})
    expect(accountResource(emptyInventory())).toEqual({type: 'account', id: '123456789012'})
    expect(accountResource(emptyInventory(), 'eu-west-1')).toEqual({type: 'account', id: '123456789012', region: 'eu-west-1'})
  })

  it('finds a cluster’s EC2 roles through its instance profile', () => {
    const inventory = withRoles(emptyInventory(), role({name: 'ec2-role', profiles: [{name: 'ec2-profile', roleNames: ['ec2-role', 'deleted-role']}]}))
    const index = buildIndex(inventory)
    expect(ec2RolesOf(cluster({id: 'j-1', instanceProfile: 'ec2-profile'}), index).map((item) => item.name)).toEqual(['ec2-role'])
    expect(ec2RolesOf(cluster({id: 'j-2', instanceProfile: 'other-profile'}), index)).toEqual([])
    expect(ec2RolesOf(cluster({id: 'j-3'}), index)).toEqual([])
  })
})

describe('grants that reach every resource by their patterns', () => {
  const BUCKETS = 'arn:aws:s3:::???*'
  const source = (label: string, ...statements: object[]): PolicySource => ({label, document: doc(...statements)})
  const allowAll = {Sid: 'All', Effect: 'Allow', Action: 's3:*', Resource: '*'}
  const allowSome = {Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::emr-*'}

  it('returns the unconditioned Allows covering every resource, with their sids', () => {
    const policies = [source('inline:a', allowSome, allowAll)]
    expect(openEndedByPattern(policies, undefined, 's3:GetObject', [BUCKETS])).toEqual([
      {policy: 'inline:a', statementIndex: 1, sid: 'All', conditional: false},
    ])
    expect(openEndedByPattern([source('inline:b', {...allowAll, Sid: undefined})], undefined, 's3:GetObject', [BUCKETS])).toEqual([
      {policy: 'inline:b', statementIndex: 0, conditional: false},
    ])
  })

  it('ignores Allows of other actions, narrower resources or with conditions', () => {
    expect(openEndedByPattern([source('p', allowAll)], undefined, 'ec2:RunInstances', [BUCKETS])).toEqual([])
    expect(openEndedByPattern([source('p', allowSome)], undefined, 's3:GetObject', [BUCKETS])).toEqual([])
    const conditioned = {...allowAll, Condition: {Bool: {'aws:SecureTransport': 'true'}}}
    expect(openEndedByPattern([source('p', conditioned)], undefined, 's3:GetObject', [BUCKETS])).toEqual([])
  })

  it('is not fooled by a narrow Deny, but gives way to one that reaches every resource', () => {
    const narrowDeny = {Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::emr-*'}
    expect(openEndedByPattern([source('p', allowAll, narrowDeny)], undefined, 's3:GetObject', [BUCKETS])).toHaveLength(1)
    const wideDeny = {Effect: 'Deny', Action: 's3:GetObject', Resource: '*'}
    expect(openEndedByPattern([source('p', allowAll), source('q', wideDeny)], undefined, 's3:GetObject', [BUCKETS])).toEqual([])
    expect(openEndedByPattern([source('p', allowAll)], source('boundary', allowAll, wideDeny), 's3:GetObject', [BUCKETS])).toEqual([])
  })

  it('needs the boundary, if any, to grant every resource too', () => {
    expect(openEndedByPattern([source('p', allowAll)], source('boundary', allowSome), 's3:GetObject', [BUCKETS])).toEqual([])
    expect(openEndedByPattern([source('p', allowAll)], source('boundary', allowAll), 's3:GetObject', [BUCKETS])).toHaveLength(1)
    expect(openEndedByPattern([source('p', allowAll)], source('boundary', allowSome, allowAll), 's3:GetObject', [BUCKETS])).toHaveLength(1)
  })

  it('leaves the question to the evaluator when a document is unread', () => {
    expect(openEndedByPattern([source('p', allowAll), {label: 'q', document: null}], undefined, 's3:GetObject', [BUCKETS])).toEqual([])
    expect(openEndedByPattern([source('p', allowAll)], {label: 'boundary', document: null}, 's3:GetObject', [BUCKETS])).toEqual([])
  })

  it('with an action universe, needs the actions to cover all of it', () => {
    expect(openEndedByPattern([source('p', allowAll)], undefined, 's3:GetObject', [BUCKETS], 's3:?*')).toHaveLength(1)
    const oneAction = {Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}
    expect(openEndedByPattern([source('p', oneAction)], undefined, 's3:GetObject', [BUCKETS], 's3:?*')).toEqual([])
  })

  it('keeps, of an evaluator’s allowing statements, those reaching every resource (and action)', () => {
    const policies = [source('p', allowSome, allowAll, {Effect: 'Allow', Action: 's3:GetObject', Resource: '*'})]
    const refs = [0, 1, 2, 3].map((statementIndex) => ({policy: 'p', statementIndex, conditional: true}))
    expect(openEndedAllows(refs, policies, [BUCKETS]).map((ref) => ref.statementIndex)).toEqual([1, 2])
    expect(openEndedAllows(refs, policies, [BUCKETS], 's3:?*').map((ref) => ref.statementIndex)).toEqual([1])
    expect(openEndedAllows([{policy: 'other', statementIndex: 1, conditional: false}], policies, [BUCKETS])).toEqual([])
  })
})

describe('policyNames', () => {
  it('names each policy once, in the order first met', () => {
    expect(policyNames([{policy: 'inline:b'}, {policy: 'arn:aws:iam::aws:policy/A'}, {policy: 'inline:b'}])).toBe('inline:b, arn:aws:iam::aws:policy/A')
    expect(policyNames([])).toBe('')
  })
})
