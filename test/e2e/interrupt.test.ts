/**
 * An --apply that dies mid-change must still leave a journal rollback can restore from. The forwarding
 * server holds one write; the test kills the CLI while it waits (or presses Ctrl-C), then lets the held
 * write reach the emulator anyway — the worst case: AWS acted, the caller never heard back.
 */
import {spawn} from 'node:child_process'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {DescribeSecurityGroupsCommand, DescribeSubnetsCommand} from '@aws-sdk/client-ec2'
import {GetRoleCommand, ListInstanceProfilesCommand, ListRolePoliciesCommand} from '@aws-sdk/client-iam'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Proxy} from '../../bench/proxy.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startProxiedEmulator} from './proxied.js'
import {allowService, clients, cluster, instanceProfile, network, REGION, role, type Seeder} from './seed.js'

const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

let emulator: Emulator
let proxy: Proxy
let seed: Seeder
let dir: string

/** What the fixer may touch here, read straight from the account. */
async function dump(): Promise<string> {
  const role = await seed.iam.send(new GetRoleCommand({RoleName: 'custom-svc'}))
  const inline = await seed.iam.send(new ListRolePoliciesCommand({RoleName: 'custom-svc'}))
  const profiles = (await seed.iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles?.map((profile) => [
    profile.InstanceProfileName,
    profile.Roles?.map((entry) => entry.RoleName),
  ])
  const tags = (list?: Array<{Key?: string; Value?: string}>) => (list ?? []).map((tag) => `${tag.Key}=${tag.Value}`).sort()
  const subnets = (await seed.ec2.send(new DescribeSubnetsCommand({}))).Subnets?.map((subnet) => [subnet.SubnetId, tags(subnet.Tags)])
  const groups = (await seed.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups?.map((group) => [group.GroupId, tags(group.Tags)])
  return JSON.stringify({
    trust: JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')),
    inline: inline.PolicyNames,
    profiles,
    subnets,
    groups,
  })
}

/** Starts `fix --apply` one change at a time; resolves with its exit once it ends. */
function startApply(journal: string) {
  const child = spawn(process.execPath, [RUN, 'fix', '--region', REGION, '--apply', '--yes', '--concurrency', '1', '--journal', journal], {
    env: emulatorEnv(proxy.endpoint),
    cwd: dir,
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null; stderr: string}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal, stderr})),
  )
  return {child, exited}
}

interface Journal {
  entries: Array<{state: string; change: {kind: string}}>
}

beforeAll(async () => {
  ;({emulator, proxy} = await startProxiedEmulator())
  seed = clients(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-interrupt-'))
  await role(seed, 'custom-svc', [allowService('elasticmapreduce.amazonaws.com')], {
    managed: ['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'],
  })
  await role(seed, 'custom-ec2', [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, 'custom-ec2-profile', 'custom-ec2')
  const ids = await network(seed)
  await cluster(seed, {
    name: 'planted',
    serviceRole: 'custom-svc',
    instanceProfile: 'custom-ec2-profile',
    subnetId: ids.subnetId,
    masterGroup: ids.groupId,
    slaveGroup: ids.slaveGroupId,
    serviceAccessGroup: ids.serviceAccessGroupId,
  })
}, 120_000)

afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
})

describe('an interrupted --apply', () => {
  it('killed while a write is in flight: the journal names it, and rollback restores everything', async () => {
    const original = await dump()
    const journal = join(dir, 'killed.json')
    // The trust update is the last change of the plan: everything before it has been applied.
    proxy.inject({match: 'iam:UpdateAssumeRolePolicy', kind: 'hold', times: 1})
    const apply = startApply(journal)
    expect(await proxy.held()).toBe('iam:UpdateAssumeRolePolicy')
    apply.child.kill('SIGKILL')
    const ended = await apply.exited
    expect(ended.signal).toBe('SIGKILL')
    proxy.release()
    await new Promise((resolve) => setTimeout(resolve, 500))
    proxy.clearFaults()
    const written = JSON.parse(await readFile(journal, 'utf8')) as Journal
    const intents = written.entries.filter((entry) => entry.state === 'intent')
    expect(intents.map((entry) => entry.change.kind)).toEqual(['update-trust-policy'])
    expect(written.entries.filter((entry) => entry.state === 'applied').length).toBeGreaterThanOrEqual(3)
    expect(await dump()).not.toBe(original)

    const rollback = await runCli(['rollback', journal, '--yes'], emulatorEnv(proxy.endpoint), dir)
    expect(rollback.code, `${rollback.stdout}\n${rollback.stderr}`).toBe(0)
    expect(await dump()).toBe(original)
  }, 120_000)

  it('Ctrl-C: the change in flight finishes and is journaled, no new one starts, exit 130, and rollback restores', async () => {
    const original = await dump()
    const journal = join(dir, 'interrupted.json')
    proxy.inject({match: 'iam:PutRolePolicy', kind: 'hold', times: 1})
    const apply = startApply(journal)
    await proxy.held()
    apply.child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 300))
    proxy.release()
    const ended = await apply.exited
    proxy.clearFaults()
    expect(ended.code, ended.stderr).toBe(130)
    expect(ended.stderr).toContain('interrupted; finishing the changes in flight')
    const written = JSON.parse(await readFile(journal, 'utf8')) as Journal
    expect(written.entries.map((entry) => `${entry.state} ${entry.change.kind}`)).toEqual([
      'applied create-service-linked-role',
      'applied instance-profile',
      'applied put-role-policy',
    ])
    const rollback = await runCli(['rollback', journal, '--yes'], emulatorEnv(proxy.endpoint), dir)
    expect(rollback.code, `${rollback.stdout}\n${rollback.stderr}`).toBe(0)
    expect(await dump()).toBe(original)
  }, 120_000)
})
