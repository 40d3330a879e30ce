/**
 * The AWS calls that take a target from one state to another: the only place calls are made from. A
 * change's calls are `transitionCalls(change, change.before, change.after)` and its undo is the same
 * function run backwards, so a plan or journal never carries calls that could differ from its diff.
 * Pure: no AWS, no clock.
 */
import {linkedServiceOf} from './remediations/service-linked-roles.js'
import {quoted, sameState} from './state.js'
import type {Call, Change, TargetState} from './types.js'

/** What of a change decides its calls: never its stored calls, summary or guards. */
export type CallSubject = Pick<Change, 'kind' | 'target' | 'policyName'>

type State<K extends TargetState['kind']> = Extract<TargetState, {kind: K}>

function roleName(subject: CallSubject): string {
  return subject.target.name ?? subject.target.id
}

function tagCalls(subject: CallSubject, from: State<'tags'>, to: State<'tags'>): Call[] {
  const old = new Map(from.tags.map((tag) => [tag.key, tag.value]))
  const wanted = new Set(to.tags.map((tag) => tag.key))
  const set = to.tags.filter((tag) => old.get(tag.key) !== tag.value).map((tag) => ({Key: tag.key, Value: tag.value}))
  const removed = from.tags.filter((tag) => !wanted.has(tag.key))
  const {id, arn} = subject.target
  if (subject.kind === 'tag-secret') {
    const secretId = arn ?? id
    return [
      ...(removed.length ? [{operation: 'secretsmanager:UntagResource', parameters: {SecretId: secretId, TagKeys: removed.map((tag) => tag.key)}}] : []),
      ...(set.length ? [{operation: 'secretsmanager:TagResource', parameters: {SecretId: secretId, Tags: set}}] : []),
    ]
  }
  // Value given: EC2 deletes the tag only while it still has the value being removed.
  return [
    ...(removed.length ? [{operation: 'ec2:DeleteTags', parameters: {Resources: [id], Tags: removed.map((tag) => ({Key: tag.key, Value: tag.value}))}}] : []),
    ...(set.length ? [{operation: 'ec2:CreateTags', parameters: {Resources: [id], Tags: set}}] : []),
  ]
}

/** The path inside an instance profile's ARN (`arn:aws:iam::1:instance-profile/path/name` → `/path/`). */
function profilePath(subject: CallSubject): string {
  const resource = subject.target.arn?.split(':')[5] ?? ''
  const path = resource.replace(/^instance-profile/, '').slice(0, -subject.target.id.length)
  return resource.startsWith('instance-profile/') && resource.endsWith(`/${subject.target.id}`) ? path : '/'
}

function profileCalls(subject: CallSubject, from: State<'instance-profile'>, to: State<'instance-profile'>): Call[] {
  const name = subject.target.id
  const fromRoles = from.exists ? from.roles : []
  const toRoles = to.exists ? to.roles : []
  // A profile holds at most one role: the one there leaves before another joins.
  const remove = fromRoles
    .filter((role) => !toRoles.includes(role))
    .map((role) => ({operation: 'iam:RemoveRoleFromInstanceProfile', parameters: {InstanceProfileName: name, RoleName: role}}))
  const add = toRoles
    .filter((role) => !fromRoles.includes(role))
    .map((role) => ({operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: name, RoleName: role}}))
  return [
    ...remove,
    ...(!from.exists && to.exists ? [{operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: name, Path: profilePath(subject)}}] : []),
    ...(from.exists && !to.exists ? [{operation: 'iam:DeleteInstanceProfile', parameters: {InstanceProfileName: name}}] : []),
    ...add,
  ]
}

function policyCalls(subject: CallSubject, to: State<'policy-document'>): Call[] | string {
  if (subject.kind === 'update-trust-policy') {
    if (to.document === null) return 'a role cannot be left without a trust policy'
    return [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: roleName(subject), PolicyDocument: JSON.stringify(to.document)}}]
  }
  const policyName = subject.policyName ?? ''
  if (to.document === null) return [{operation: 'iam:DeleteRolePolicy', parameters: {RoleName: roleName(subject), PolicyName: policyName}}]
  return [{operation: 'iam:PutRolePolicy', parameters: {RoleName: roleName(subject), PolicyName: policyName, PolicyDocument: JSON.stringify(to.document)}}]
}

function linkedRoleCalls(subject: CallSubject, from: State<'service-linked-role'>, to: State<'service-linked-role'>): Call[] | string {
  const deleted = from.roles
    .filter((role) => !to.roles.includes(role))
    .map((role) => ({operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: role}}))
  if (to.roles.length <= from.roles.length) return deleted
  const service = linkedServiceOf(subject.target.id)
  if (!service) return `emr-audit creates no service-linked role named ${quoted(subject.target.id)}`
  return [...deleted, {operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: service}}]
}

function blockPublicAccessCalls(to: State<'block-public-access'>): Call[] | string {
  if (to.blockPublicSecurityGroupRules === null) return 'an empty block public access configuration cannot be sent'
  return [
    {
      operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
      parameters: {
        BlockPublicAccessConfiguration: {
          BlockPublicSecurityGroupRules: to.blockPublicSecurityGroupRules,
          PermittedPublicSecurityGroupRuleRanges: to.permittedRanges.map((range) => ({
            MinRange: range.min,
            ...(range.max === undefined ? {} : {MaxRange: range.max}),
          })),
        },
      },
    },
  ]
}

/** The state kind each change kind works on. */
export const STATE_KIND: Record<Change['kind'], TargetState['kind']> = {
  'tag-ec2-resource': 'tags',
  'tag-secret': 'tags',
  'instance-profile': 'instance-profile',
  'put-role-policy': 'policy-document',
  'update-trust-policy': 'policy-document',
  'create-service-linked-role': 'service-linked-role',
  'put-block-public-access': 'block-public-access',
}

/** The calls from `from` to `to` (none when they are equal), or why there is no way there. */
export function transitionCalls(subject: CallSubject, from: TargetState, to: TargetState): Call[] | string {
  const kind = STATE_KIND[subject.kind]
  if (from.kind !== kind || to.kind !== kind) return `a ${subject.kind} change works on ${kind} states, not ${from.kind} → ${to.kind}`
  if (sameState(from, to)) return []
  if (from.kind === 'tags' && to.kind === 'tags') return tagCalls(subject, from, to)
  if (from.kind === 'instance-profile' && to.kind === 'instance-profile') return profileCalls(subject, from, to)
  if (to.kind === 'policy-document') return policyCalls(subject, to)
  if (from.kind === 'service-linked-role' && to.kind === 'service-linked-role') return linkedRoleCalls(subject, from, to)
  if (to.kind === 'block-public-access') return blockPublicAccessCalls(to)
  return `no calls are known for a ${subject.kind} change`
}

/** A change's own calls: from its before to its after. A change with no way there has none (it is refused). */
export function changeCalls(change: CallSubject & Pick<Change, 'before' | 'after'>): Call[] {
  const calls = transitionCalls(change, change.before, change.after)
  return typeof calls === 'string' ? [] : calls
}
