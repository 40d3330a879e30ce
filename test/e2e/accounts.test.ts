/**
 * Several accounts in one run. The emulator serves account X's data to credentials obtained by assuming a
 * role in account X, so --assume-role is exercised over the wire, and so is merging sharded reports.
 */
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateAccountCommand, CreateOrganizationCommand, ListAccountsCommand, OrganizationsClient} from '@aws-sdk/client-organizations'
import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {ACCOUNT, allowService, clients, cluster, instanceProfile, REGION, role, type Seeder} from './seed.js'

const OTHER = '111111111111'
const AUDIT_ROLE = 'EmrAuditReadOnly'

interface Report {
  account: {id: string}
  accounts?: Array<{id: string; status: string; error?: string}>
  coverage: Array<{account?: string}>
  findings: Array<{ruleId: string; status: string; account?: string; fingerprint: string; resource: {id: string}}>
}

let emulator: Emulator
let dir: string

/** An EC2 role in a profile of another name: EMR-PROFILE-001 fails for it. */
async function seedMismatchedProfile(seed: Seeder, prefix: string): Promise<void> {
  await role(seed, `${prefix}-service`, [allowService('elasticmapreduce.amazonaws.com')], {
    managed: ['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'],
  })
  await role(seed, `${prefix}-ec2`, [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, `${prefix}-profile`, `${prefix}-ec2`)
  await cluster(seed, {name: prefix, serviceRole: `${prefix}-service`, instanceProfile: `${prefix}-profile`})
}

beforeAll(async () => {
  emulator = await startFrontedEmulator()
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-accounts-'))
  await seedMismatchedProfile(clients(emulator.endpoint), 'home')
  const sts = new STSClient({endpoint: emulator.endpoint, region: REGION, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  const assumed = await sts.send(new AssumeRoleCommand({RoleArn: `arn:aws:iam::${OTHER}:role/${AUDIT_ROLE}`, RoleSessionName: 'seed'}))
  const credentials = {
    accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
    secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
    sessionToken: assumed.Credentials?.SessionToken ?? '',
  }
  await seedMismatchedProfile(clients(emulator.endpoint, credentials), 'other')
}, 90_000)

afterAll(async () => {
  await emulator?.stop()
})

async function scan(args: string[]): Promise<{code: number; report: Report; stderr: string}> {
  const result = await runCli(['scan', '--region', REGION, '--assume-role', AUDIT_ROLE, '--format', 'json', ...args], emulatorEnv(emulator.endpoint))
  return {code: result.code, report: JSON.parse(result.stdout || '{}') as Report, stderr: result.stderr}
}

describe('several accounts', () => {
  it('scans each account through the role into one report, every finding and coverage entry tagged with its account', async () => {
    const {code, report} = await scan(['--accounts', `${ACCOUNT},${OTHER}`])
    expect(report.account.id).toBe('*')
    expect(report.accounts?.map((account) => [account.id, account.status]).sort()).toEqual([
      [OTHER, 'scanned'],
      [ACCOUNT, 'scanned'],
    ])
    const profileFindings = report.findings.filter((finding) => finding.ruleId === 'EMR-PROFILE-001' && finding.status === 'fail')
    expect(profileFindings.map((finding) => `${finding.account} ${finding.resource.id}`).sort()).toEqual([`${OTHER} other-ec2`, `${ACCOUNT} home-ec2`])
    expect(report.findings.every((finding) => finding.account === ACCOUNT || finding.account === OTHER)).toBe(true)
    expect(report.coverage.every((outcome) => outcome.account === ACCOUNT || outcome.account === OTHER)).toBe(true)
    expect(code).toBe(1)
  })

  it('reads the accounts from a file', async () => {
    const file = join(dir, 'accounts.txt')
    await writeFile(file, `# production\n${OTHER}\n\n${ACCOUNT}  # sandbox\n`)
    const {report} = await scan(['--accounts-file', file])
    expect(report.accounts?.map((account) => account.id).sort()).toEqual([OTHER, ACCOUNT])
  })

  it('sharded scans merged give the same findings as one combined scan', async () => {
    const combined = (await scan(['--accounts', `${ACCOUNT},${OTHER}`])).report
    const shards = [join(dir, 'a.json'), join(dir, 'b.json')]
    await scan(['--accounts', ACCOUNT, '--output', shards[0] as string])
    await scan(['--accounts', OTHER, '--output', shards[1] as string])
    // The same shard twice: merging de-duplicates by fingerprint.
    const merged = await runCli(['merge', ...(shards as string[]), shards[0] as string, '--format', 'json'], emulatorEnv(emulator.endpoint))
    const report = JSON.parse(merged.stdout) as Report
    expect(report.findings.map((finding) => finding.fingerprint).sort()).toEqual(combined.findings.map((finding) => finding.fingerprint).sort())
    expect(merged.code).toBe(1)
    expect(merged.stderr).toContain(`emr-audit: warning: ${shards[0]} and ${shards[0]} both cover account ${ACCOUNT} in ${REGION}`)
    expect(merged.stderr).not.toContain(OTHER)
    const strict = await runCli(['merge', ...(shards as string[]), shards[0] as string, '--fail-on-overlap'], emulatorEnv(emulator.endpoint))
    expect(strict.code).toBe(2)
    expect(strict.stderr).toMatch(/both cover account \d{12} in us-east-1 \(--fail-on-overlap\)\n$/)
  })

  it('--organization scans every active account the organization lists', async () => {
    const organizations = new OrganizationsClient({
      endpoint: emulator.endpoint,
      region: REGION,
      credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
    })
    await organizations.send(new CreateOrganizationCommand({FeatureSet: 'ALL'}))
    await organizations.send(new CreateAccountCommand({AccountName: 'analytics', Email: 'analytics@example.com'}))
    const listed = (await organizations.send(new ListAccountsCommand({}))).Accounts?.map((account) => account.Id).sort()
    const {report} = await scan(['--organization'])
    expect(report.accounts?.map((account) => account.id).sort()).toEqual(listed)
    expect(listed?.length).toBe(2)
  })

  it('rejects bad account input with one line', async () => {
    const bad = await scan(['--accounts', '12345'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe("emr-audit: --accounts: '12345' is not an AWS account id (12 digits)\n")
    const noRole = await runCli(['scan', '--region', REGION, '--accounts', ACCOUNT], emulatorEnv(emulator.endpoint))
    expect(noRole.stderr).toBe('emr-audit: --accounts and --organization need --assume-role ROLE_NAME (a role every account has)\n')
    const file = join(dir, 'bad-accounts.txt')
    await writeFile(file, `${ACCOUNT}\nnot-an-id\n`)
    expect((await scan(['--accounts-file', file])).stderr).toMatch(/bad-accounts\.txt: line 2: 'not-an-id' is not an AWS account id/)
  })
})
