/**
 * The links between rules, remediation modules and the writes the fixer may send: a rule that claims an
 * automatic fix has exactly one module, a module fixes only rules that claim one, and every module in this
 * folder is registered (adding one touches only its file and its test).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {RULES} from '../../rules/index.js'
import {CHANGE_KINDS} from '../types.js'
import {DECLARED_KINDS, declaredWrites, FIX_WRITE_ACTIONS, REMEDIATIONS, undeclaredCall} from './index.js'

const FOLDER = new URL('./', import.meta.url)

describe('remediations tied to rules', () => {
  it('every rule that claims an automatic fix (yes or guarded) has exactly one module', () => {
    const claiming = RULES.filter((rule) => rule.remediation.autoApply !== 'no').map((rule) => rule.id)
    const modulesOf = (id: string) => REMEDIATIONS.filter((remediation) => remediation.ruleIds.includes(id)).length
    expect(claiming.filter((id) => modulesOf(id) !== 1)).toEqual([])
    // The catalog marks 18 rules fixable; fewer claiming here would mean the check above had nothing to check.
    expect(claiming.length).toBeGreaterThan(10)
  })

  it('every module fixes only known rules that claim an automatic fix', () => {
    const autoApply = new Map(RULES.map((rule) => [rule.id, rule.remediation.autoApply]))
    const named = REMEDIATIONS.flatMap((remediation) => remediation.ruleIds)
    expect(named.filter((id) => !autoApply.has(id))).toEqual([])
    expect(named.filter((id) => autoApply.get(id) === 'no')).toEqual([])
  })

  it('every module in the folder that default-exports something is a registered remediation', () => {
    const modules = readdirSync(FOLDER).filter((file) => /^[a-z0-9-]+\.ts$/.test(file) && file !== 'index.ts')
    const exporting = modules.filter((file) => /^export default /m.test(readFileSync(new URL(file, FOLDER), 'utf8')))
    expect(exporting.length).toBe(REMEDIATIONS.length)
    expect(exporting.length).toBeGreaterThanOrEqual(7)
  })
})

describe('the writes the modules declare', () => {
  it('every change kind the executor knows is proposed by some module, with writes and an inverse', () => {
    expect([...DECLARED_KINDS].sort()).toEqual([...CHANGE_KINDS].sort())
    for (const kind of CHANGE_KINDS) {
      expect(declaredWrites(kind, 'apply').length, kind).toBeGreaterThan(0)
      expect(declaredWrites(kind, 'undo').length, kind).toBeGreaterThan(0)
    }
  })

  it('are the allow-lists: a call outside its kind’s declaration is named', () => {
    expect(undeclaredCall('put-role-policy', 'apply', [{operation: 'iam:PutRolePolicy'}])).toBeUndefined()
    // Deleting an inline policy only undoes one; it is never a fix.
    expect(undeclaredCall('put-role-policy', 'apply', [{operation: 'iam:DeleteRolePolicy'}])).toBe('iam:DeleteRolePolicy')
    expect(undeclaredCall('put-role-policy', 'undo', [{operation: 'iam:DeleteRolePolicy'}])).toBeUndefined()
    // A write declared for another kind is not allowed for this one.
    expect(undeclaredCall('tag-secret', 'apply', [{operation: 'secretsmanager:TagResource'}, {operation: 'ec2:CreateTags'}])).toBe('ec2:CreateTags')
    expect(FIX_WRITE_ACTIONS).toEqual([...new Set(FIX_WRITE_ACTIONS)].sort())
    expect(FIX_WRITE_ACTIONS).not.toContain('iam:AttachRolePolicy')
  })
})

describe('the writes of each kind, exactly', () => {
  // What each change sends and what undoing it sends (src/fix/calls.ts), by the AWS operation that does it:
  // EC2 CreateTags/DeleteTags (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html),
  // Secrets Manager TagResource/UntagResource (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html),
  // IAM PutRolePolicy/DeleteRolePolicy (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html),
  // EMR PutBlockPublicAccessConfiguration (https://docs.aws.amazon.com/emr/latest/APIReference/API_PutBlockPublicAccessConfiguration.html).
  it.each([
    ['tag-ec2-resource', ['ec2:CreateTags'], ['ec2:CreateTags', 'ec2:DeleteTags']],
    ['tag-secret', ['secretsmanager:TagResource'], ['secretsmanager:TagResource', 'secretsmanager:UntagResource']],
    ['put-role-policy', ['iam:PutRolePolicy'], ['iam:DeleteRolePolicy', 'iam:PutRolePolicy']],
    ['update-trust-policy', ['iam:UpdateAssumeRolePolicy'], ['iam:UpdateAssumeRolePolicy']],
    [
      'instance-profile',
      ['iam:AddRoleToInstanceProfile', 'iam:CreateInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
      ['iam:AddRoleToInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
    ],
    ['create-service-linked-role', ['iam:CreateServiceLinkedRole'], ['iam:DeleteServiceLinkedRole']],
    ['put-block-public-access', ['elasticmapreduce:PutBlockPublicAccessConfiguration'], ['elasticmapreduce:PutBlockPublicAccessConfiguration']],
  ] as const)('%s applies with %j and undoes with %j', (kind, apply, undo) => {
    expect(declaredWrites(kind, 'apply')).toEqual(apply)
    expect(declaredWrites(kind, 'undo')).toEqual(undo)
  })

  it('all together are what fix --apply and rollback may send, and nothing else', () => {
    expect(FIX_WRITE_ACTIONS).toEqual([
      'ec2:CreateTags',
      'ec2:DeleteTags',
      'elasticmapreduce:PutBlockPublicAccessConfiguration',
      'iam:AddRoleToInstanceProfile',
      'iam:CreateInstanceProfile',
      'iam:CreateServiceLinkedRole',
      'iam:DeleteInstanceProfile',
      'iam:DeleteRolePolicy',
      'iam:DeleteServiceLinkedRole',
      'iam:PutRolePolicy',
      'iam:RemoveRoleFromInstanceProfile',
      'iam:UpdateAssumeRolePolicy',
      'secretsmanager:TagResource',
      'secretsmanager:UntagResource',
    ])
  })

  it('a call list with nothing undeclared names nothing; the first undeclared call is named', () => {
    expect(undeclaredCall('instance-profile', 'apply', [])).toBeUndefined()
    expect(
      undeclaredCall('instance-profile', 'undo', [{operation: 'iam:RemoveRoleFromInstanceProfile'}, {operation: 'iam:DeleteInstanceProfile'}]),
    ).toBeUndefined()
    expect(
      undeclaredCall('instance-profile', 'apply', [{operation: 'iam:CreateInstanceProfile'}, {operation: 'iam:DeleteInstanceProfile'}, {operation: 'x:Y'}]),
    ).toBe('iam:DeleteInstanceProfile')
  })
})
