/**
 * fix, apply, journal and rollback end to end: the built CLI against the emulator, through a counting
 * forwarding server, on an account with planted defects. Every claim is checked against the account
 * itself (a dump of everything the fixer may touch), not against what the tool says it did.
 */
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateTagsCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2'
import {GetBlockPublicAccessConfigurationCommand} from '@aws-sdk/client-emr'
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam'
import {CreateSecretCommand, ListSecretsCommand, TagResourceCommand} from '@aws-sdk/client-secrets-manager'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Proxy} from '../../bench/proxy.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {digestOf} from '../../src/fix/state.js'
import type {Journal, JournalEntry} from '../../src/fix/types.js'
import {journalDigest} from '../../src/fix/verify.js'
import {startProxiedEmulator} from './proxied.js'
import {onTerminal} from './terminal.js'
import {
  allowService,
  blockPublicAccess,
  clients,
  cluster,
  emrServiceLinkedRole,
  instanceProfile,
  network,
  REGION,
  role,
  type Seeder,
  V2_SERVICE_POLICY,
} from './seed.js'

const TAG_CONDITIONED_SECRETS = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: 'arn:aws:secretsmanager:*:*:secret:*',
      Condition: {StringEquals: {'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true'}},
    },
  ],
}
/** The emulator gives every instance a public IP (EMR-CLUSTER-004), whatever the seed. */
const EMULATOR_ARTIFACTS = new Set(['EMR-CLUSTER-004'])
const READ_ONLY = /^(Get|List|Describe)/
/** Wide grants a hostile file would smuggle in (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html: {"AWS":"*"} is everyone). */
const ADMIN_POLICY = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}
const TRUST_EVERYONE = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: '*'}, Action: 'sts:AssumeRole'}]}

/** A journal with its digest recomputed, as a careful attacker leaves it. */
const sealed = (journal: Journal): Journal => ({...journal, digest: journalDigest(journal)})

const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

function answerOnTerminal(answer: string, args: string[]) {
  return onTerminal([process.execPath, RUN, ...args], {prompt: '[y/N]', answer, env: env(), cwd: dir})
}

let emulator: Emulator
let proxy: Proxy
let seed: Seeder
let dir: string
let configPath: string
let ids: {subnetId: string; groupId: string; slaveGroupId: string; serviceAccessGroupId: string}

interface Finding {
  ruleId: string
  status: string
  resource: {id: string}
}
interface Plan {
  changes: Array<{id: string; kind: string; disposition: string; ruleIds: string[]; target: {id: string}; reason?: string}>
  manual: Array<{ruleId: string}>
}

const env = () => emulatorEnv(proxy.endpoint)

async function cli(args: string[]) {
  return runCli([...args, '--debug'], env(), dir)
}

function mutatingCalls(): string[] {
  return [...proxy.counts.keys()].filter((key) => !READ_ONLY.test(key.split(':')[1] ?? '') && key !== 'sts:GetCallerIdentity')
}

async function failing(): Promise<string[]> {
  const result = await cli(['scan', '--region', REGION, '--config', configPath, '--format', 'json', '--fail-on', 'critical'])
  const report = JSON.parse(result.stdout) as {findings: Finding[]}
  return report.findings
    .filter((finding) => finding.status === 'fail' && !EMULATOR_ARTIFACTS.has(finding.ruleId))
    .map((finding) => `${finding.ruleId} ${finding.resource.id}`)
    .sort()
}

const parsed = (document: string | undefined) => (document ? JSON.parse(decodeURIComponent(document)) : null)

/** Everything the fixer may touch, read straight from the account. */
async function dump(): Promise<string> {
  const roles = []
  for (const entry of (await seed.iam.send(new ListRolesCommand({MaxItems: 1000}))).Roles ?? []) {
    const name = entry.RoleName ?? ''
    const got = await seed.iam.send(new GetRoleCommand({RoleName: name}))
    const inline = []
    for (const policyName of (await seed.iam.send(new ListRolePoliciesCommand({RoleName: name}))).PolicyNames ?? []) {
      inline.push([policyName, parsed((await seed.iam.send(new GetRolePolicyCommand({RoleName: name, PolicyName: policyName}))).PolicyDocument)])
    }
    const attached = ((await seed.iam.send(new ListAttachedRolePoliciesCommand({RoleName: name}))).AttachedPolicies ?? []).map((policy) => policy.PolicyArn)
    roles.push({name, path: entry.Path, trust: parsed(got.Role?.AssumeRolePolicyDocument), inline, attached})
  }
  const profiles = ((await seed.iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles ?? []).map((profile) => ({
    name: profile.InstanceProfileName,
    roles: (profile.Roles ?? []).map((entry) => entry.RoleName),
  }))
  const tags = (list: Array<{Key?: string; Value?: string}> | undefined) => (list ?? []).map((tag) => `${tag.Key}=${tag.Value}`).sort()
  const vpcs = ((await seed.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((vpc) => [vpc.VpcId, tags(vpc.Tags)])
  const subnets = ((await seed.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((subnet) => [subnet.SubnetId, tags(subnet.Tags)])
  const groups = ((await seed.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((group) => [group.GroupId, tags(group.Tags)])
  const secrets = ((await seed.secrets.send(new ListSecretsCommand({}))).SecretList ?? []).map((secret) => [secret.Name, tags(secret.Tags)])
  const bpa = (await seed.emr.send(new GetBlockPublicAccessConfigurationCommand({}))).BlockPublicAccessConfiguration
  return JSON.stringify({roles: roles.sort((a, b) => a.name.localeCompare(b.name)), profiles, vpcs, subnets, groups, secrets, bpa}, null, 1)
}

beforeAll(async () => {
  ;({emulator, proxy} = await startProxiedEmulator())
  seed = clients(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-fix-'))

  // Planted defects: a v2 service role with a custom EC2 role (no PassRole for it, no same-name profile),
  // EMR trust without confused-deputy conditions, an untagged network, Spot without its service-linked
  // role, and an untagged Studio Git secret.
  await role(seed, 'custom-svc', [allowService('elasticmapreduce.amazonaws.com')], {managed: [V2_SERVICE_POLICY]})
  await role(seed, 'custom-ec2', [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, 'custom-ec2-profile', 'custom-ec2')
  await role(seed, 'studio-svc', [allowService('elasticmapreduce.amazonaws.com')], {inline: {secrets: TAG_CONDITIONED_SECRETS}})
  ids = await network(seed)
  await cluster(seed, {
    name: 'planted',
    serviceRole: 'custom-svc',
    instanceProfile: 'custom-ec2-profile',
    subnetId: ids.subnetId,
    masterGroup: ids.groupId,
    slaveGroup: ids.slaveGroupId,
    serviceAccessGroup: ids.serviceAccessGroupId,
    spot: true,
  })
  await blockPublicAccess(seed)
  await emrServiceLinkedRole(seed)
  await seed.secrets.send(new CreateSecretCommand({Name: 'emr-studio-git', SecretString: 'not-read-by-emr-audit'}))
  configPath = join(dir, 'emr-audit.yaml')
  await writeFile(
    configPath,
    `regions: [${REGION}]\nstudios:\n  - id: es-config\n    region: ${REGION}\n    serviceRole: studio-svc\n    gitSecrets: [emr-studio-git]\n`,
  )
}, 120_000)

afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
})

/** The planted defects --apply must fix (rule and resource), and nothing else. */
const FIXED = () =>
  [
    'EMR-PASSROLE-001 custom-svc',
    'EMR-PROFILE-001 custom-ec2',
    'EMR-SLR-002 j-',
    'EMR-TAG-001 ' + ids.subnetId,
    'EMR-TAG-002 ' + ids.groupId,
    'EMR-TAG-002 ' + ids.slaveGroupId,
    'EMR-TAG-002 ' + ids.serviceAccessGroupId,
    'EMR-TRUST-002 custom-svc',
    'EMR-TRUST-002 studio-svc',
    'EMR-STUDIO-003 emr-studio-git',
  ].sort()

describe('emr-audit fix against the emulator', () => {
  let original: string[]
  let planPath: string

  it('finds the planted defects', async () => {
    original = await failing()
    for (const defect of FIXED())
      expect(
        original.some((entry) => entry.startsWith(defect)),
        defect,
      ).toBe(true)
  })

  it('dry run: prints the plan, sends no mutating call, leaves the account byte-for-byte unchanged', async () => {
    const before = await dump()
    proxy.reset()
    const result = await cli(['fix', '--region', REGION, '--config', configPath, '--format', 'json'])
    expect(result.code, result.stderr).toBe(0)
    expect(mutatingCalls()).toEqual([])
    expect(await dump()).toBe(before)
    const plan = JSON.parse(result.stdout) as Plan
    expect(
      plan.changes
        .filter((change) => change.disposition === 'apply')
        .map((change) => `${change.kind} ${change.target.id}`)
        .sort(),
    ).toEqual(
      [
        'create-service-linked-role AWSServiceRoleForEC2Spot',
        'instance-profile custom-ec2',
        'put-role-policy custom-svc',
        'tag-ec2-resource ' + ids.groupId,
        'tag-ec2-resource ' + ids.serviceAccessGroupId,
        'tag-ec2-resource ' + ids.slaveGroupId,
        'tag-ec2-resource ' + ids.subnetId,
        'tag-secret emr-studio-git',
        'update-trust-policy custom-svc',
        'update-trust-policy studio-svc',
      ].sort(),
    )
    planPath = join(dir, 'plan.json')
    await writeFile(planPath, result.stdout)
    // The table form reads as a plan: the change, its call, and the diff of the trust policy.
    const table = await cli(['fix', '--region', REGION, '--config', configPath])
    expect(table.stdout).toContain('dry run: nothing is changed')
    expect(table.stdout).toMatch(/\[apply\] Limit EMR's use of custom-svc/)
    expect(table.stdout).toMatch(/\+ +"aws:SourceAccount": "123456789012"/)
    expect(table.stdout).toContain(`ec2:CreateTags {"Resources":["${ids.subnetId}"]`)
  }, 120_000)

  it('refuses --apply without --yes off a terminal, and over --max-changes, changing nothing', async () => {
    const before = await dump()
    proxy.reset()
    const noYes = await cli(['fix', '--region', REGION, '--config', configPath, '--apply'])
    expect(noYes.code).toBe(2)
    expect(noYes.stderr).toContain('--apply without a terminal needs --yes')
    const tooMany = await cli([
      'fix',
      '--region',
      REGION,
      '--config',
      configPath,
      '--apply',
      '--yes',
      '--max-changes',
      '3',
      '--journal',
      join(dir, 'never.json'),
    ])
    expect(tooMany.code).toBe(2)
    expect(tooMany.stderr).toMatch(/the plan has 10 changes to make, over --max-changes 3/)
    expect(mutatingCalls()).toEqual([])
    expect(existsSync(join(dir, 'never.json'))).toBe(false)
    expect(await dump()).toBe(before)
  }, 120_000)

  it('on a terminal, --apply asks first; anything but yes changes nothing', async () => {
    const before = await dump()
    proxy.reset()
    const declined = await answerOnTerminal('n', ['fix', '--region', REGION, '--config', configPath, '--apply', '--journal', join(dir, 'declined.json')])
    expect(declined.output).toContain('Apply 10 change(s) to account 123456789012? [y/N]')
    expect(declined.output).toContain('not confirmed; nothing was changed')
    expect(declined.code).toBe(2)
    expect(mutatingCalls()).toEqual([])
    expect(existsSync(join(dir, 'declined.json'))).toBe(false)
    expect(await dump()).toBe(before)
  }, 120_000)

  let firstJournal: string
  let secondJournal: string
  let modified: string

  it('applies a saved plan, skipping a target changed since it was planned', async () => {
    await seed.secrets.send(new TagResourceCommand({SecretId: 'emr-studio-git', Tags: [{Key: 'owner', Value: 'data-team'}]}))
    modified = await dump()
    firstJournal = join(dir, 'first.json')
    const result = await cli(['fix', '--apply', '--yes', '--plan', planPath, '--journal', firstJournal, '--format', 'json'])
    expect(result.code, result.stderr).toBe(0)
    const outcome = JSON.parse(result.stdout) as {outcomes: Array<{summary: string; status: string; detail?: string}>}
    const skipped = outcome.outcomes.filter((entry) => entry.status === 'skipped')
    expect(skipped.map((entry) => entry.summary)).toEqual(['Tag secret emr-studio-git with for-use-with-amazon-emr-managed-policies=true'])
    expect(skipped[0]?.detail).toMatch(/changed since the scan/)
    expect(outcome.outcomes.filter((entry) => entry.status === 'applied')).toHaveLength(9)
    const journal = JSON.parse(await readFile(firstJournal, 'utf8')) as {entries: unknown[]}
    expect(journal.entries).toHaveLength(9)
  }, 120_000)

  it('a fresh plan picks up the skipped target; then every planted defect is gone and nothing new fails', async () => {
    secondJournal = join(dir, 'second.json')
    const result = await cli(['fix', '--region', REGION, '--config', configPath, '--apply', '--yes', '--journal', secondJournal])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/applied +Tag secret emr-studio-git/)
    expect(result.stderr).toContain(`undo with: emr-audit rollback ${secondJournal}`)
    const after = await failing()
    expect(after.filter((entry) => !original.includes(entry))).toEqual([])
    for (const defect of FIXED())
      expect(
        after.some((entry) => entry.startsWith(defect)),
        defect,
      ).toBe(false)
  }, 120_000)

  it('a second apply makes no mutating call and writes no journal', async () => {
    proxy.reset()
    const third = join(dir, 'third.json')
    const result = await cli(['fix', '--region', REGION, '--config', configPath, '--apply', '--yes', '--journal', third])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('nothing to apply')
    expect(mutatingCalls()).toEqual([])
    expect(existsSync(third)).toBe(false)
  }, 120_000)

  it('rollback restores the account and the original findings; a second rollback does nothing', async () => {
    for (const journal of [secondJournal, firstJournal]) {
      const result = await cli(['rollback', journal, '--yes'])
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
      expect(result.stdout).toMatch(/\d+ restored, 0 refused, 0 failed/)
    }
    expect(await dump()).toBe(modified)
    expect(await failing()).toEqual(original)
    proxy.reset()
    const again = await cli(['rollback', firstJournal, '--yes'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('9 already rolled back')
    expect(mutatingCalls()).toEqual([])
  }, 180_000)

  it('rollback refuses a target changed since the apply and leaves it alone', async () => {
    const journal = join(dir, 'fourth.json')
    const applied = await cli(['fix', '--region', REGION, '--config', configPath, '--apply', '--yes', '--only', 'EMR-TAG-001', '--journal', journal])
    expect(applied.code, applied.stderr).toBe(0)
    await seed.ec2.send(new CreateTagsCommand({Resources: [ids.subnetId], Tags: [{Key: 'team', Value: 'data'}]}))
    const result = await cli(['rollback', journal, '--yes'])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/refused .*changed since it was applied/)
    const subnet = (await seed.ec2.send(new DescribeSubnetsCommand({SubnetIds: [ids.subnetId]}))).Subnets?.[0]
    expect((subnet?.Tags ?? []).map((tag) => tag.Key).sort()).toEqual(['for-use-with-amazon-emr-managed-policies', 'team'])
  }, 120_000)

  it('refuses a journal that is not one, and a plan or journal of another account, naming the problem', async () => {
    const bogus = join(dir, 'bogus.json')
    await writeFile(bogus, '{"schemaVersion": 2, "entries": "nope"}')
    const result = await cli(['rollback', bogus, '--yes'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/invalid journal at/)
    proxy.reset()
    // Digests recomputed, as someone moving a plan or journal to another account on purpose would.
    const foreignPlan = join(dir, 'foreign-plan.json')
    const moved = JSON.parse((await readFile(planPath, 'utf8')).replaceAll('123456789012', '999999999999')) as {changes: unknown[]}
    await writeFile(foreignPlan, JSON.stringify({...moved, changesDigest: digestOf(moved.changes)}))
    const applied = await cli(['fix', '--apply', '--yes', '--plan', foreignPlan, '--journal', join(dir, 'foreign.json')])
    expect(applied.code).toBe(2)
    expect(applied.stderr).toContain('the plan is for account 999999999999, but the credentials are for account 123456789012; nothing was changed')
    const foreignJournal = join(dir, 'foreign-journal.json')
    await writeFile(
      foreignJournal,
      JSON.stringify(sealed(JSON.parse((await readFile(firstJournal, 'utf8')).replaceAll('123456789012', '999999999999')) as Journal)),
    )
    const rolledBack = await cli(['rollback', foreignJournal, '--yes'])
    expect(rolledBack.code).toBe(2)
    expect(rolledBack.stderr).toContain('records changes in account 999999999999, but the credentials are for account 123456789012')
    expect(mutatingCalls()).toEqual([])
  })

  it('refuses whole, before any AWS call, a journal edited to make rollback grant Action:* and trust everyone on an unrelated role', async () => {
    await role(seed, 'Victim', [allowService('ec2.amazonaws.com')])
    const before = await dump()
    // The attacker keeps the journal's harmless summaries and afters, points its entries at Victim and makes
    // their "before" (what rollback writes back) an admin policy and a trust in everyone; digest recomputed.
    const genuine = JSON.parse(await readFile(firstJournal, 'utf8')) as Journal
    const retarget = (entry: JournalEntry, document: Record<string, unknown>): JournalEntry => {
      const {rolledBackAt: _done, ...rest} = entry
      const change = {
        ...entry.change,
        target: {type: 'iam-role' as const, id: 'Victim', name: 'Victim', arn: 'arn:aws:iam::123456789012:role/Victim'},
        before: {kind: 'policy-document' as const, document},
      }
      return {...rest, change, beforeImage: change.before}
    }
    const policy = genuine.entries.find((entry) => entry.change.kind === 'put-role-policy')
    const trust = genuine.entries.find((entry) => entry.change.kind === 'update-trust-policy')
    if (!policy || !trust) throw new Error('the first apply journaled no policy or trust change')
    const hostile = join(dir, 'hostile-journal.json')
    await writeFile(hostile, JSON.stringify(sealed({...genuine, entries: [retarget(policy, ADMIN_POLICY), retarget(trust, TRUST_EVERYONE)]}), null, 2))
    proxy.reset()
    const result = await cli(['rollback', hostile, '--yes'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `hostile-journal.json: refused, nothing was changed: change ${policy.change.id} (iam-role "Victim"): its policy after is not its policy before plus the statements emr-audit adds\n`,
    )
    expect(result.stdout).toBe('')
    expect([...proxy.counts.keys()]).toEqual([])
    expect(await dump()).toBe(before)
    // The same edit without the digest recomputed is caught by the digest.
    await writeFile(hostile, JSON.stringify({...genuine, entries: [retarget(policy, ADMIN_POLICY)]}))
    const careless = await cli(['rollback', hostile, '--yes'])
    expect(careless.code).toBe(2)
    expect(careless.stderr).toMatch(/refused, nothing was changed: it was edited after emr-audit wrote it \(its digest differs\)/)
    expect([...proxy.counts.keys()]).toEqual([])
    expect(await dump()).toBe(before)
  }, 120_000)

  it('refuses, before any AWS call, a saved plan whose call sends another document than its diff shows', async () => {
    const before = await dump()
    const saved = JSON.parse(await readFile(planPath, 'utf8')) as {
      changes: Array<{kind: string; calls: Array<{parameters: Record<string, unknown>}>; id: string; target: {name: string}}>
      changesDigest: string
    }
    const swapped = structuredClone(saved)
    const change = swapped.changes.find((entry) => entry.kind === 'put-role-policy')
    const call = change?.calls[0]
    if (!change || !call) throw new Error('the plan has no inline policy change')
    call.parameters['PolicyDocument'] = JSON.stringify(ADMIN_POLICY)
    const onlyCall = join(dir, 'swapped-call.json')
    await writeFile(onlyCall, JSON.stringify(swapped))
    const forgedPath = join(dir, 'swapped-call-forged-digest.json')
    await writeFile(forgedPath, JSON.stringify({...swapped, changesDigest: digestOf(swapped.changes)}))
    proxy.reset()
    const stale = await cli(['fix', '--apply', '--yes', '--plan', onlyCall, '--journal', join(dir, 'never-swapped.json')])
    expect(stale.code).toBe(2)
    expect(stale.stderr).toMatch(/swapped-call\.json: refused, nothing was changed: its changes were edited after it was made \(changesDigest differs\)\n/)
    const forgedRun = await cli(['fix', '--apply', '--yes', '--plan', forgedPath, '--journal', join(dir, 'never-forged.json')])
    expect(forgedRun.code).toBe(2)
    expect(forgedRun.stderr).toContain(
      `refused, nothing was changed: change ${change.id} (iam-role "${change.target.name}"): its calls are not the ones its before and after give`,
    )
    // Shown without --apply it is refused too: the plan on screen is never one whose calls differ.
    const shown = await cli(['fix', '--plan', forgedPath])
    expect(shown.code).toBe(2)
    expect(shown.stdout).toBe('')
    expect([...proxy.counts.keys()]).toEqual([])
    expect(existsSync(join(dir, 'never-swapped.json')) || existsSync(join(dir, 'never-forged.json'))).toBe(false)
    expect(await dump()).toBe(before)
  }, 120_000)
})
