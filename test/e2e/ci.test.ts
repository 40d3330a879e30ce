/**
 * What a scheduled CI job does: one scan, several reports, a step summary, a baseline that lets only new
 * findings fail the build, and suppressions that lapse on their own.
 */
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {XMLParser} from 'fast-xml-parser'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {UpdateAssumeRolePolicyCommand} from '@aws-sdk/client-iam'
import {allowAws, allowService, clients, cluster, instanceProfile, network, role, type Seeder, trust} from './seed.js'

interface Report {
  summary: {byStatus: Record<string, number>}
  baseline?: {new: number; existing: number}
  findings: Array<{ruleId: string; status: string; fingerprint: string; baseline?: string; resource: {id: string}}>
}

let emulator: Emulator
let seed: Seeder
let dir: string

beforeAll(async () => {
  emulator = await startFrontedEmulator()
  seed = clients(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-ci-'))
  // An EC2 role whose instance profile has another name: EMR-PROFILE-001 and -002 fail (critical).
  await role(seed, 'EMR_DefaultRole', [allowService('elasticmapreduce.amazonaws.com')], {
    managed: ['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'],
  })
  await role(seed, 'custom-ec2', [allowService('ec2.amazonaws.com')])
  await instanceProfile(seed, 'custom-profile', 'custom-ec2')
  const {subnetId} = await network(seed)
  await cluster(seed, {name: 'c', serviceRole: 'EMR_DefaultRole', instanceProfile: 'custom-profile', subnetId})
}, 90_000)

afterAll(async () => {
  await emulator?.stop()
})

async function scan(args: string[], extraEnv: Record<string, string> = {}) {
  return runCli(['scan', '--region', 'us-east-1', ...args], {...emulatorEnv(emulator.endpoint), ...extraEnv})
}

describe('one scan, every report', () => {
  it('writes SARIF, JUnit, Markdown and JSON that agree, and appends the step summary', async () => {
    const summary = join(dir, 'summary.md')
    await writeFile(summary, '# earlier step\n')
    const paths = {sarif: join(dir, 'r.sarif'), junit: join(dir, 'r.xml'), markdown: join(dir, 'r.md'), json: join(dir, 'r.json')}
    const result = await scan(
      Object.entries(paths).flatMap(([format, path]) => ['--output', `${format}=${path}`]),
      {GITHUB_STEP_SUMMARY: summary},
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    const json = JSON.parse(await readFile(paths.json, 'utf8')) as Report
    const failing = json.findings.filter((finding) => finding.status === 'fail')
    expect(failing.map((finding) => finding.ruleId)).toContain('EMR-PROFILE-001')

    const sarif = JSON.parse(await readFile(paths.sarif, 'utf8')) as {
      version: string
      runs: Array<{results: Array<{partialFingerprints: Record<string, string>}>}>
    }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]?.results.map((entry) => entry.partialFingerprints['emrAuditFingerprint/v1']).sort()).toEqual(
      failing.map((finding) => finding.fingerprint).sort(),
    )

    const junit = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(await readFile(paths.junit, 'utf8')) as {
      testsuites: {tests: string; failures: string}
    }
    expect(Number(junit.testsuites.failures)).toBe(failing.length)
    expect(Number(junit.testsuites.tests)).toBe(json.findings.length)

    const markdown = await readFile(paths.markdown, 'utf8')
    for (const finding of failing) expect(markdown).toContain(finding.ruleId)
    expect(await readFile(summary, 'utf8')).toBe(`# earlier step\n${markdown}`)
  })

  it('exit codes follow each --fail-on threshold', async () => {
    const report = JSON.parse((await scan(['--format', 'json'])).stdout) as {findings: Array<{status: string; severity: string}>}
    const order = ['info', 'low', 'medium', 'high', 'critical']
    for (const threshold of order) {
      const failing = report.findings.some((finding) => finding.status === 'fail' && order.indexOf(finding.severity) >= order.indexOf(threshold))
      // Without a failure at the threshold, the emulator's missing APIs leave the scan incomplete (3).
      expect((await scan(['--fail-on', threshold, '--format', 'json'])).code, threshold).toBe(failing ? 1 : 3)
    }
  })

  it('exit codes follow --fail-on', async () => {
    expect((await scan(['--fail-on', 'critical', '--format', 'json'])).code).toBe(1)
    // With every failing finding suppressed nothing fails, but the emulator's missing APIs leave the scan incomplete.
    const config = join(dir, 'suppress-all.yaml')
    await writeFile(config, 'suppressions:\n  - {ruleId: "EMR-*", resource: "*", reason: everything accepted for this test, expires: 2999-12-31}\n')
    expect((await scan(['--config', config, '--fail-on', 'info'])).code).toBe(3)
    // --strict: an incomplete scan fails the build.
    expect((await scan(['--config', config, '--fail-on', 'info', '--strict'])).code).toBe(1)
  })
})

describe('baselines', () => {
  it('nothing new since the baseline: failing findings no longer fail the build', async () => {
    const baseline = join(dir, 'baseline.json')
    await scan(['--format', 'json', '--output', baseline])
    const result = await scan(['--format', 'json', '--baseline', baseline, '--fail-on', 'low'])
    const report = JSON.parse(result.stdout) as Report
    expect(report.baseline?.new).toBe(0)
    expect(report.findings.filter((finding) => finding.status === 'fail').every((finding) => finding.baseline === 'existing')).toBe(true)
    expect(result.code).toBe(3)
  })

  it('one new defect fails the build and is the only one marked new', async () => {
    const baseline = join(dir, 'baseline-2.json')
    await scan(['--format', 'json', '--output', baseline])
    // New defect: a second instance profile holding a role of another name, used by a new cluster.
    await role(seed, 'other-ec2', [allowService('ec2.amazonaws.com')])
    await instanceProfile(seed, 'other-profile', 'other-ec2')
    await cluster(seed, {name: 'new', serviceRole: 'EMR_DefaultRole', instanceProfile: 'other-profile'})
    const result = await scan(['--format', 'json', '--baseline', baseline, '--fail-on', 'critical'])
    const report = JSON.parse(result.stdout) as Report
    const fresh = report.findings.filter((finding) => finding.baseline === 'new' && finding.status === 'fail')
    expect(fresh.map((finding) => finding.resource.id)).toContain('other-ec2')
    expect(fresh.map((finding) => finding.resource.id)).not.toContain('custom-ec2')
    expect(result.code).toBe(1)
  })

  // A baseline holds failures only: what passed, or was suppressed, when it was made is new when it fails.
  const finding = (report: Report, ruleId: string, id: string) => report.findings.find((entry) => entry.ruleId === ruleId && entry.resource.id === id)

  it('a check that passed in an --include-passed baseline and fails now is new and fails the build', async () => {
    const baseline = join(dir, 'baseline-passed.json')
    await scan(['--format', 'json', '--include-passed', '--output', baseline])
    expect(finding(JSON.parse(await readFile(baseline, 'utf8')) as Report, 'EMR-TRUST-005', 'custom-ec2')?.status).toBe('pass')
    // Whoever can edit the role opens its trust to everyone.
    await seed.iam.send(new UpdateAssumeRolePolicyCommand({RoleName: 'custom-ec2', PolicyDocument: trust([allowService('ec2.amazonaws.com'), allowAws('*')])}))
    try {
      const result = await scan(['--format', 'json', '--baseline', baseline, '--fail-on', 'critical'])
      expect(finding(JSON.parse(result.stdout) as Report, 'EMR-TRUST-005', 'custom-ec2')).toMatchObject({status: 'fail', baseline: 'new'})
      expect(result.code).toBe(1)
    } finally {
      await seed.iam.send(new UpdateAssumeRolePolicyCommand({RoleName: 'custom-ec2', PolicyDocument: trust([allowService('ec2.amazonaws.com')])}))
    }
  })

  it('a finding suppressed in the baseline whose suppression has expired is new and fails the build', async () => {
    const suppress = async (name: string, expires: string) => {
      const path = join(dir, name)
      await writeFile(path, `suppressions:\n  - {ruleId: EMR-PROFILE-001, resource: custom-ec2, reason: accepted, expires: ${expires}}\n`)
      return path
    }
    const baseline = join(dir, 'baseline-suppressed.json')
    await scan(['--config', await suppress('active.yaml', '2999-01-01'), '--format', 'json', '--output', baseline])
    expect(finding(JSON.parse(await readFile(baseline, 'utf8')) as Report, 'EMR-PROFILE-001', 'custom-ec2')?.status).toBe('suppressed')
    const result = await scan(['--config', await suppress('lapsed.yaml', '2020-01-01'), '--format', 'json', '--baseline', baseline, '--fail-on', 'critical'])
    expect(finding(JSON.parse(result.stdout) as Report, 'EMR-PROFILE-001', 'custom-ec2')).toMatchObject({status: 'fail', baseline: 'new'})
    expect(result.code).toBe(1)
  })

  it('a missing or foreign baseline is an error, not an empty baseline', async () => {
    const missing = await scan(['--baseline', join(dir, 'none.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^emr-audit: cannot read baseline .*none\.json: ENOENT\n$/)
    const foreign = join(dir, 'foreign.json')
    await writeFile(foreign, '{"results": []}')
    expect((await scan(['--baseline', foreign])).stderr).toMatch(/not an emr-audit JSON report/)
  })
})

describe('suppressions', () => {
  it('active ones suppress, expired ones warn and no longer apply, unused ones are stale', async () => {
    const config = join(dir, 'suppressions.yaml')
    await writeFile(
      config,
      [
        'suppressions:',
        '  - {ruleId: EMR-PROFILE-001, resource: custom-ec2, reason: migrating to the default role, expires: 2999-01-01}',
        '  - {ruleId: EMR-PROFILE-002, resource: "j-*", reason: was accepted last year, expires: 2020-01-01}',
        '  - {ruleId: EMR-TAG-003, resource: "sg-*", reason: nothing like this exists, expires: 2999-01-01}',
        '',
      ].join('\n'),
    )
    const result = await scan(['--config', config, '--format', 'json'])
    const report = JSON.parse(result.stdout) as Report & {suppressions: {expired: Array<{ruleId: string}>; stale: Array<{ruleId: string}>}}
    const status = (ruleId: string, id: string) => report.findings.find((finding) => finding.ruleId === ruleId && finding.resource.id.startsWith(id))?.status
    expect(status('EMR-PROFILE-001', 'custom-ec2')).toBe('suppressed')
    expect(status('EMR-PROFILE-002', 'j-')).toBe('fail')
    expect(report.suppressions.expired.map((entry) => entry.ruleId)).toEqual(['EMR-PROFILE-002'])
    expect(report.suppressions.stale.map((entry) => entry.ruleId)).toEqual(['EMR-TAG-003'])
    expect(result.stderr).toContain('the suppression of EMR-PROFILE-002 on j-* expired on 2020-01-01')
    expect(result.stderr).toContain('the suppression of EMR-TAG-003 on sg-* matched no finding (stale)')
    expect(report.summary.byStatus['suppressed']).toBeGreaterThan(0)
  })
})

describe('--all-regions', () => {
  // Also a regression test: this report is over 200 KB, and an exit before stdout drained used to cut it short.
  it('scans every region the account has enabled, each with its own coverage', async () => {
    const result = await runCli(['scan', '--all-regions', '--region', 'us-east-1', '--format', 'json', '--fail-on', 'critical'], emulatorEnv(emulator.endpoint))
    const report = JSON.parse(result.stdout) as {regions: string[]; coverage: Array<{source: string; region: string}>}
    expect(report.regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']))
    expect(report.regions.length).toBeGreaterThan(10)
    for (const region of report.regions) expect(report.coverage).toContainEqual(expect.objectContaining({source: 'emr.clusters', region}))
  }, 120_000)
})
