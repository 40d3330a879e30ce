/**
 * Issue 12 (part B), end to end against the emulator, tried as a careful attacker would: a runtime role
 * with administrator access named by the config and by a hand-edited inventory's failed step, outputs
 * aimed at the journal (directly, through another spelling, a symlink), a symlink planted where a report
 * goes, and a saved plan edited to widen the policy printed for it. Each is refused or made advisory, and
 * the account itself (read straight from the emulator) and the calls counted by the forwarding server
 * show that nothing was written.
 */
import {link, lstat, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {GetRolePolicyCommand, ListRolePoliciesCommand} from '@aws-sdk/client-iam'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Proxy} from '../../bench/proxy.js'
import {digestOf} from '../../src/fix/state.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startProxiedEmulator} from './proxied.js'
import {
  ACCOUNT,
  allowAws,
  allowService,
  clients,
  cluster,
  instanceProfile,
  REGION,
  role,
  securityConfiguration,
  type Seeder,
  V2_SERVICE_POLICY,
} from './seed.js'

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'
const ORG_ADMIN = `arn:aws:iam::${ACCOUNT}:role/OrgAdmin`
const ETL_RUNTIME = `arn:aws:iam::${ACCOUNT}:role/etl-runtime`
const READ_ONLY = /^(Get|List|Describe)/

let emulator: Emulator
let proxy: Proxy
let seed: Seeder
let dir: string

interface PlanChange {
  id: string
  kind: string
  disposition: string
  policyName?: string
  reason?: string
  target: {id: string}
  guards: Array<{name: string; held: boolean | null; detail: string}>
  after: {document?: {Statement: Array<{Resource: string[]}>}}
}

const cli = (args: string[]) => runCli(args, emulatorEnv(proxy.endpoint), dir)
const at = (name: string) => join(dir, name)
const mutatingCalls = () => [...proxy.counts.keys()].filter((key) => !READ_ONLY.test(key.split(':')[1] ?? '') && key !== 'sts:GetCallerIdentity')
const mode = async (name: string) => (await stat(at(name))).mode & 0o777

/** The EC2 role's inline policies, read from the account. */
async function ec2RoleInline(): Promise<Record<string, unknown>> {
  const names = (await seed.iam.send(new ListRolePoliciesCommand({RoleName: 'analytics-ec2'}))).PolicyNames ?? []
  const entries = await Promise.all(
    names.map(async (name) => [
      name,
      JSON.parse(decodeURIComponent((await seed.iam.send(new GetRolePolicyCommand({RoleName: 'analytics-ec2', PolicyName: name}))).PolicyDocument ?? '')),
    ]),
  )
  return Object.fromEntries(entries)
}

function runtimeChanges(plan: {changes: PlanChange[]}): PlanChange[] {
  return plan.changes.filter((change) => change.kind === 'put-role-policy' && change.target.id === 'analytics-ec2')
}

beforeAll(async () => {
  ;({emulator, proxy} = await startProxiedEmulator())
  seed = clients(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-guarded-'))
  await role(seed, 'svc', [allowService('elasticmapreduce.amazonaws.com')], {managed: [V2_SERVICE_POLICY]})
  await role(seed, 'analytics-ec2', [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, 'analytics-ec2', 'analytics-ec2')
  // Trusts the account root and holds AdministratorAccess: whoever may assume it is an administrator.
  await role(seed, 'OrgAdmin', [allowAws(`arn:aws:iam::${ACCOUNT}:root`)], {managed: [ADMINISTRATOR_ACCESS]})
  // A runtime role as the runtime-role guide sets it up: trusts the EC2 role, reads data.
  await role(seed, 'etl-runtime', [allowAws(`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`)], {
    inline: {data: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*'}]}},
  })
  await securityConfiguration(seed, 'runtime-roles', {AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}}})
  await cluster(seed, {name: 'etl', serviceRole: 'svc', instanceProfile: 'analytics-ec2', securityConfiguration: 'runtime-roles'})
  await writeFile(at('named.yaml'), `regions: [${REGION}]\nruntimeRoles: [OrgAdmin, etl-runtime]\n`)
  await writeFile(at('plain.yaml'), `regions: [${REGION}]\n`)
}, 120_000)

afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
})

describe('grants that look at the role granted', () => {
  it('a saved inventory whose failed step names OrgAdmin plans it advisory; applying that plan writes nothing', async () => {
    const scanned = await cli(['scan', '--config', at('plain.yaml'), '--save-inventory', 'inv.json', '--format', 'json', '--output', 'json=report.json'])
    expect(scanned.stderr).not.toMatch(/emr-audit: (?!warning)/)
    // The hostile edit: a step anyone allowed to submit steps could have left behind.
    const inventory = JSON.parse(await readFile(at('inv.json'), 'utf8')) as {emr: {clusters: Array<{steps?: unknown[]}>}}
    for (const entry of inventory.emr.clusters) entry.steps = [{id: 's-1', name: 'escalate', state: 'FAILED', executionRoleArn: ORG_ADMIN}]
    await writeFile(at('inv-step.json'), JSON.stringify(inventory))
    const planned = await cli([
      'fix',
      '--inventory',
      'inv-step.json',
      '--config',
      at('plain.yaml'),
      '--only',
      'EMR-RUNTIME-002',
      '--format',
      'json',
      '--output',
      'plan-step.json',
    ])
    expect(planned.code).toBe(0)
    const plan = JSON.parse(await readFile(at('plan-step.json'), 'utf8')) as {changes: PlanChange[]}
    // etl-runtime is there too (its trust names the EC2 role, but nothing says it is in use).
    expect(runtimeChanges(plan).map((change) => [change.policyName, change.disposition])).toEqual([['emr-audit-runtime-roles-unverified', 'advisory']])
    expect(runtimeChanges(plan)[0]?.reason).toContain('guard notAdministratorLike did not hold')
    expect(runtimeChanges(plan)[0]?.guards.find((guard) => guard.name === 'notAdministratorLike')?.detail).toMatch(
      /^OrgAdmin: OrgAdmin has administrator-like access \(every action, by arn:aws:iam::aws:policy\/AdministratorAccess\)/,
    )

    const before = await ec2RoleInline()
    proxy.reset()
    const applied = await cli(['fix', '--apply', '--yes', '--plan', 'plan-step.json', '--journal', 'j-step.json'])
    expect(applied.code).toBe(0)
    expect(applied.stderr).toContain('nothing to apply')
    expect(mutatingCalls()).toEqual([])
    expect(await ec2RoleInline()).toEqual(before)
  })

  it('the config naming OrgAdmin beside a plain runtime role: --apply grants only the plain one', async () => {
    const planned = await cli(['fix', '--config', at('named.yaml'), '--only', 'EMR-RUNTIME-002', '--format', 'json', '--output', 'plan-named.json'])
    expect(planned.code).toBe(0)
    const plan = JSON.parse(await readFile(at('plan-named.json'), 'utf8')) as {changes: PlanChange[]}
    expect(runtimeChanges(plan).map((change) => [change.policyName, change.disposition])).toEqual([
      ['emr-audit-runtime-roles', 'apply'],
      ['emr-audit-runtime-roles-unverified', 'advisory'],
    ])
    expect(runtimeChanges(plan)[0]?.after.document?.Statement.map((statement) => statement.Resource)).toEqual([[ETL_RUNTIME]])

    proxy.reset()
    const applied = await cli(['fix', '--apply', '--yes', '--config', at('named.yaml'), '--only', 'EMR-RUNTIME-002', '--journal', 'j-named.json'])
    expect(applied.code).toBe(0)
    expect(mutatingCalls()).toEqual(['iam:PutRolePolicy'])
    expect(proxy.counts.get('iam:PutRolePolicy')).toBe(1)
    const inline = await ec2RoleInline()
    expect(Object.keys(inline)).toEqual(['emr-audit-runtime-roles'])
    expect(JSON.stringify(inline)).not.toContain('OrgAdmin')
    expect(await mode('j-named.json')).toBe(0o600)
  })

  it('saved inventories, reports and plans are private files', async () => {
    for (const name of ['inv.json', 'report.json', 'plan-step.json', 'plan-named.json', 'j-step.json', 'j-named.json'].filter((file) => existsSync(at(file))))
      expect(await mode(name), name).toBe(0o600)
  })
})

describe('one output path, one writer: refused with exit 2 before any AWS call', () => {
  async function refused(args: string[], message: RegExp): Promise<void> {
    proxy.reset()
    const result = await cli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect([...proxy.counts.keys()]).toEqual([])
  }

  it('--output naming the journal', async () => {
    await refused(
      ['fix', '--apply', '--yes', '--config', at('named.yaml'), '--journal', 'j.json', '--format', 'json', '--output', 'j.json'],
      /^emr-audit: --journal j\.json and --output j\.json name the same file \(.*j\.json\); give each its own path \(nothing was done\)\n$/,
    )
    expect(existsSync(at('j.json'))).toBe(false)
  })

  it('--output naming the journal through a symlink, and through a hard link to an existing file', async () => {
    await symlink(at('j-new.json'), at('to-journal.json'))
    await refused(
      ['fix', '--apply', '--yes', '--config', at('named.yaml'), '--journal', 'j-new.json', '--format', 'json', '--output', 'to-journal.json'],
      /--journal j-new\.json and --output to-journal\.json name the same file/,
    )
    expect(existsSync(at('j-new.json'))).toBe(false)
    await writeFile(at('kept.json'), 'kept')
    await link(at('kept.json'), at('kept-too.json'))
    await refused(
      ['scan', '--config', at('plain.yaml'), '--output', 'json=kept.json', '--output', 'sarif=kept-too.json'],
      /--output json=kept\.json and --output sarif=kept-too\.json name the same file/,
    )
    expect(await readFile(at('kept.json'), 'utf8')).toBe('kept')
  })

  it('--output naming the reviewed plan it applies, even through a symlink to the plan', async () => {
    await writeFile(at('reviewed.json'), '{"reviewed": true}')
    await symlink(at('reviewed.json'), at('reviewed-link.json'))
    await refused(
      ['fix', '--apply', '--yes', '--plan', 'reviewed-link.json', '--journal', 'j-reviewed.json', '--output', 'reviewed.json'],
      /^emr-audit: --output reviewed\.json and --plan reviewed-link\.json name the same file/,
    )
    expect(await readFile(at('reviewed.json'), 'utf8')).toBe('{"reviewed": true}')
  })

  it('a journal that cannot be created (its directory does not exist): exit 2, no write reaches the account', async () => {
    proxy.reset()
    const before = await ec2RoleInline()
    const result = await cli(['fix', '--apply', '--yes', '--config', at('named.yaml'), '--journal', 'missing-dir/j.json'])
    expect(result.code).toBe(2)
    // Progress lines (off a terminal, one when the scan ends) are not part of what is asserted here.
    expect(result.stderr.replace(/^emr-audit progress: .*\n/gm, '')).toMatch(
      /^emr-audit: journal: missing-dir\/j\.json\nemr-audit: cannot write missing-dir\/j\.json: ENOENT\n$/,
    )
    expect(mutatingCalls()).toEqual([])
    expect(await ec2RoleInline()).toEqual(before)
  })

  it('--save-inventory and --output naming one file', () =>
    refused(
      ['scan', '--config', at('plain.yaml'), '--save-inventory', 'x.json', '--output', 'json=x.json'],
      /^emr-audit: --save-inventory x\.json and --output json=x\.json name the same file/,
    ))

  it('two --outputs naming one file, spelled differently', () =>
    refused(
      ['scan', '--config', at('plain.yaml'), '--output', 'json=a.json', '--output', 'sarif=./sub/../a.json'],
      /--output json=a\.json and --output sarif=\.\/sub\/\.\.\/a\.json name the same file/,
    ))

  it('an output that is a symlink planted towards another file', async () => {
    await writeFile(at('victim.txt'), 'do not overwrite')
    await symlink(at('victim.txt'), at('planted.json'))
    await refused(
      ['scan', '--config', at('plain.yaml'), '--format', 'json', '--output', 'planted.json'],
      /^emr-audit: refusing to write planted\.json: it is a symbolic link \(remove it or choose another path\)\n$/,
    )
    expect(await readFile(at('victim.txt'), 'utf8')).toBe('do not overwrite')
    expect((await lstat(at('planted.json'))).isSymbolicLink()).toBe(true)
  })
})

describe('permissions --fix --plan', () => {
  interface Statement {
    Effect: string
    Action: string[]
    Resource: string | string[]
  }

  it('prints exactly what applying and rolling back the saved plan needs', async () => {
    const result = await cli(['permissions', '--fix', '--plan', 'plan-named.json'])
    expect(result.code).toBe(0)
    const policy = JSON.parse(result.stdout) as {Statement: Statement[]}
    const writes = policy.Statement.filter(
      (statement) => statement.Effect === 'Allow' && !statement.Action.every((action) => READ_ONLY.test(action.split(':')[1] ?? '')),
    )
    expect(writes.map((statement) => [statement.Action, statement.Resource])).toEqual([
      [['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`]],
      [['iam:DeleteRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`]],
    ])
    expect(result.stdout).not.toContain('OrgAdmin')
  })

  it('refuses a plan edited to widen it, with one line and exit 2', async () => {
    const plan = JSON.parse(await readFile(at('plan-named.json'), 'utf8')) as {
      changes: Array<PlanChange & {calls: Array<{parameters: Record<string, unknown>}>}>
    }
    for (const change of plan.changes) for (const call of change.calls) call.parameters['RoleName'] = '*'
    await writeFile(at('plan-wide.json'), JSON.stringify(plan))
    const result = await cli(['permissions', '--fix', '--plan', 'plan-wide.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^emr-audit: plan-wide\.json: refused, nothing was changed: its changes were edited after it was made \(changesDigest differs\)\n$/,
    )
    expect(result.stdout).toBe('')
    // With the digest recomputed, the calls no longer re-derive from the changes: refused all the same.
    await writeFile(at('plan-wide-digest.json'), JSON.stringify({...plan, changesDigest: digestOf(plan.changes)}))
    const forged = await cli(['permissions', '--fix', '--plan', 'plan-wide-digest.json'])
    expect(forged.code).toBe(2)
    expect(forged.stderr).toMatch(
      /^emr-audit: plan-wide-digest\.json: refused, nothing was changed: change [0-9a-f]{12} .*its calls are not the ones its before and after give/,
    )
    expect(forged.stdout).toBe('')
  })
})
