/**
 * `permissions` in-process: the flags that shape the policy, and bad values refused with exit 2. The
 * policy's content is tested in test/unit/permissions.test.ts; here, that the flags reach it.
 */
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCommand} from '../../test/fixtures/run-command.js'
import Permissions from './permissions.js'

interface Policy {
  Version: string
  Statement: Array<{Action: string[]; Resource: string | string[]}>
}

const actionsOf = (policy: Policy) => policy.Statement.flatMap((statement) => statement.Action)
const resourcesOf = (policy: Policy) => policy.Statement.flatMap((statement) => [statement.Resource].flat())

describe('permissions: flags reach the policy', () => {
  it('prints the read-only scan policy by default', async () => {
    const result = await runCommand(Permissions, [])
    expect(result.code).toBe(0)
    const policy = JSON.parse(result.stdout) as Policy
    expect(policy.Version).toBe('2012-10-17')
    expect(actionsOf(policy)).toContain('iam:GetAccountAuthorizationDetails')
    expect(actionsOf(policy)).not.toContain('sts:AssumeRole')
  })

  it('--partition names the partition in ARNs; --multi-account adds sts:AssumeRole', async () => {
    const china = JSON.parse((await runCommand(Permissions, ['--partition', 'aws-cn'])).stdout) as Policy
    expect(
      resourcesOf(china)
        .filter((resource) => resource.startsWith('arn:'))
        .every((resource) => resource.startsWith('arn:aws-cn:')),
    ).toBe(true)
    expect(resourcesOf(china).some((resource) => resource.startsWith('arn:aws-cn:'))).toBe(true)
    expect(actionsOf(JSON.parse((await runCommand(Permissions, ['--multi-account'])).stdout) as Policy)).toContain('sts:AssumeRole')
  })

  it('--fix --account-id scopes the writes to that account', async () => {
    const policy = JSON.parse((await runCommand(Permissions, ['--fix', '--account-id', '123456789012'])).stdout) as Policy
    expect(actionsOf(policy)).toContain('iam:PutRolePolicy')
    expect(resourcesOf(policy).some((resource) => resource.includes(':123456789012:'))).toBe(true)
    expect(resourcesOf(policy).some((resource) => resource.includes('<ACCOUNT_ID>'))).toBe(false)
  })
})

describe('permissions: bad usage is exit 2', () => {
  it('an account id that is not one', async () => {
    expect(await runCommand(Permissions, ['--fix', '--account-id', '12345'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "emr-audit: --account-id: '12345' is not a 12-digit AWS account id\n",
    })
  })

  it('a saved plan that does not exist', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'emr-audit-permissions-command-')), 'absent.json')
    const result = await runCommand(Permissions, ['--fix', '--plan', missing])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^emr-audit: cannot read plan .*absent\.json: ENOENT\n$/)
  })

  it.each([
    [['--partition', 'aws-xx'], /^Expected --partition=aws-xx to be one of: aws, aws-cn, aws-us-gov/],
    [['--fix', '--plan', 'p.json', '--account-id', '123456789012'], /cannot also be provided when using --plan/],
  ])('oclif refuses %j', async (argv, message) => {
    const result = await runCommand(Permissions, argv)
    expect(result.code).toBe(2)
    expect(result.oclifMessage).toMatch(message)
  })
})
