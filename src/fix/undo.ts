/**
 * The calls that take a target from its journaled after-image back to its before-image. Pure: derived
 * from the two images, so a partly applied change is undone exactly as far as it went.
 */
import type {Call, JournalEntry, TargetState} from './types.js'

type Images = Pick<JournalEntry, 'change' | 'beforeImage'> & {afterImage: TargetState}

function tagUndo(entry: Images, before: Extract<TargetState, {kind: 'tags'}>, after: Extract<TargetState, {kind: 'tags'}>): Call[] {
  const old = new Map(before.tags.map((tag) => [tag.key, tag.value]))
  const changed = after.tags.filter((tag) => old.get(tag.key) !== tag.value)
  const added = changed.filter((tag) => !old.has(tag.key)).map((tag) => tag.key)
  const restored = changed.filter((tag) => old.has(tag.key)).map((tag) => ({Key: tag.key, Value: old.get(tag.key) ?? ''}))
  const {id, arn} = entry.change.target
  if (entry.change.kind === 'tag-secret') {
    return [
      ...(added.length ? [{operation: 'secretsmanager:UntagResource', parameters: {SecretId: arn ?? id, TagKeys: added}}] : []),
      ...(restored.length ? [{operation: 'secretsmanager:TagResource', parameters: {SecretId: arn ?? id, Tags: restored}}] : []),
    ]
  }
  // Value given: EC2 deletes the tag only while it still has the value we set.
  const values = new Map(after.tags.map((tag) => [tag.key, tag.value]))
  return [
    ...(added.length ? [{operation: 'ec2:DeleteTags', parameters: {Resources: [id], Tags: added.map((key) => ({Key: key, Value: values.get(key)}))}}] : []),
    ...(restored.length ? [{operation: 'ec2:CreateTags', parameters: {Resources: [id], Tags: restored}}] : []),
  ]
}

/** The calls, or why the before-image cannot be restored. */
export function undoCalls(entry: Images): Call[] | string {
  const {change, beforeImage: before, afterImage: after} = entry
  const roleName = change.target.name ?? change.target.id
  if (before.kind === 'tags' && after.kind === 'tags') return tagUndo(entry, before, after)
  if (before.kind === 'policy-document' && change.kind === 'put-role-policy') {
    const policyName = change.policyName ?? ''
    return before.document === null
      ? [{operation: 'iam:DeleteRolePolicy', parameters: {RoleName: roleName, PolicyName: policyName}}]
      : [{operation: 'iam:PutRolePolicy', parameters: {RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(before.document)}}]
  }
  if (before.kind === 'policy-document' && change.kind === 'update-trust-policy') {
    if (!before.document) return 'the original trust policy was not recorded'
    return [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: roleName, PolicyDocument: JSON.stringify(before.document)}}]
  }
  if (before.kind === 'instance-profile' && after.kind === 'instance-profile') {
    const profile = change.target.id
    const removeAdded = after.roles.filter((role) => !before.roles.includes(role)).map((role) => ({operation: 'iam:RemoveRoleFromInstanceProfile', parameters: {InstanceProfileName: profile, RoleName: role}}))
    if (!before.exists) return [...removeAdded, ...(after.exists ? [{operation: 'iam:DeleteInstanceProfile', parameters: {InstanceProfileName: profile}}] : [])]
    const addBack = before.roles.filter((role) => !after.roles.includes(role)).map((role) => ({operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: profile, RoleName: role}}))
    return [...removeAdded, ...addBack]
  }
  if (before.kind === 'service-linked-role' && after.kind === 'service-linked-role') {
    return after.roles.filter((role) => !before.roles.includes(role)).map((role) => ({operation: 'iam:DeleteServiceLinkedRole', parameters: {RoleName: role}}))
  }
  if (before.kind === 'block-public-access') {
    if (before.blockPublicSecurityGroupRules === null) return 'the original block public access configuration was empty and cannot be sent back'
    return [
      {
        operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
        parameters: {
          BlockPublicAccessConfiguration: {
            BlockPublicSecurityGroupRules: before.blockPublicSecurityGroupRules,
            PermittedPublicSecurityGroupRuleRanges: before.permittedRanges.map((range) => ({MinRange: range.min, ...(range.max === undefined ? {} : {MaxRange: range.max})})),
          },
        },
      },
    ]
  }
  return `no undo is known for a ${change.kind} change`
}
