import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {schemaProblems} from '../../src/shared/validate.js'
import {ScanReportSchema} from '../../src/report/model.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startFrontedEmulator} from './proxied.js'
import {
  ACCOUNT,
  allowAws,
  allowService,
  clients,
  cluster,
  emrConditions,
  instanceProfile,
  network,
  REGION,
  role,
  type Seeder,
  V2_SERVICE_POLICY,
} from './seed.js'

interface ReportFinding {
  ruleId: string
  status: string
  severity: string
  resource: {type: string; id: string; arn?: string; region?: string}
  subKey?: string
  message: string
  fingerprint: string
  scope?: Array<{class: string; via: string; detail: string}>
}
interface Report {
  schemaVersion: number
  tool: {name: string; version: string}
  account: {id: string; partition: string}
  regions: string[]
  coverage: Array<{source: string; region: string; status: string; action?: string}>
  summary: {byStatus: Record<string, number>; failingBySeverity: Record<string, number>; coverageGaps: number}
  findings: ReportFinding[]
}

const V1_EC2_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role'

let emulator: Emulator
let seed: Seeder
let workdir: string
let clusterBroken: string
let clusterHealthy: string

/**
 * One account with typical mistakes next to a correctly built cluster:
 * - cluster "broken": custom service role without confused-deputy conditions, an instance profile whose
 *   name differs from its role, an auto scaling role that does not exist;
 * - the EC2 role of that profile may pass any role (privilege escalation);
 * - the default auto scaling role trusts only EMR;
 * - configured runtime roles: one trusts a foreign account, one trusts a deleted role (unique id);
 * - cluster "healthy": default roles built as AWS documents them.
 */
beforeAll(async () => {
  emulator = await startFrontedEmulator()
  seed = clients(emulator.endpoint)
  workdir = await mkdtemp(join(tmpdir(), 'emr-audit-e2e-'))

  await role(seed, 'emr-custom-service', [allowService('elasticmapreduce.amazonaws.com')], {managed: [V2_SERVICE_POLICY]})
  const ec2RoleArn = await role(seed, 'emr-custom-ec2', [allowService('ec2.amazonaws.com')], {
    managed: [V1_EC2_POLICY],
    inline: {'pass-anything': {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}]}},
  })
  await instanceProfile(seed, 'emr-custom-profile', 'emr-custom-ec2')
  const {subnetId} = await network(seed)
  clusterBroken = await cluster(seed, {
    name: 'broken',
    serviceRole: 'emr-custom-service',
    instanceProfile: 'emr-custom-profile',
    autoScalingRole: 'emr-deleted-autoscaling',
    subnetId,
  })

  await role(seed, 'EMR_DefaultRole', [allowService('elasticmapreduce.amazonaws.com', emrConditions)], {managed: [V2_SERVICE_POLICY]})
  await role(seed, 'EMR_EC2_DefaultRole', [allowService('ec2.amazonaws.com')], {managed: [V1_EC2_POLICY]})
  await instanceProfile(seed, 'EMR_EC2_DefaultRole', 'EMR_EC2_DefaultRole')
  clusterHealthy = await cluster(seed, {
    name: 'healthy',
    serviceRole: `arn:aws:iam::${ACCOUNT}:role/EMR_DefaultRole`,
    instanceProfile: 'EMR_EC2_DefaultRole',
    subnetId,
  })

  await role(seed, 'EMR_AutoScaling_DefaultRole', [allowService('elasticmapreduce.amazonaws.com')])
  await role(seed, 'runtime-foreign', [allowAws(ec2RoleArn), allowAws('arn:aws:iam::999999999999:root')])
  await role(seed, 'runtime-orphaned', [allowAws('AROAXXXXXXXXXXXXXXXXX')])
  await writeFile(
    join(workdir, 'config.yaml'),
    'regions: [us-east-1]\nruntimeRoles:\n  - runtime-foreign\n  - arn:aws:iam::123456789012:role/runtime-orphaned\n',
  )
}, 90_000)

afterAll(async () => {
  await emulator?.stop()
})

async function scanJson(extra: string[] = []): Promise<{code: number; report: Report; stderr: string}> {
  const result = await runCli(['scan', '--config', join(workdir, 'config.yaml'), '--format', 'json', ...extra], emulatorEnv(emulator.endpoint))
  expect(result.stderr).not.toMatch(/at .*\.js:\d+/) // no stack traces
  return {code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr}
}

const failing = (report: Report, ruleId: string): ReportFinding[] => report.findings.filter((finding) => finding.ruleId === ruleId && finding.status === 'fail')

describe('emr-audit scan against the emulator', () => {
  let report: Report
  let code: number

  beforeAll(async () => {
    ;({report, code} = await scanJson())
  })

  it('exits 1 because critical findings fail at the default threshold (high)', () => {
    expect(code).toBe(1)
  })

  it('reports the documented JSON shape', () => {
    expect(schemaProblems(ScanReportSchema, report)).toEqual([])
    expect(report.schemaVersion).toBe(1)
    expect(report.tool.name).toBe('emr-audit')
    expect(report.account).toEqual({id: ACCOUNT, partition: 'aws'})
    expect(report.regions).toEqual([REGION])
    for (const finding of report.findings) {
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/)
      expect(['fail', 'unknown', 'error']).toContain(finding.status)
      expect(finding.message.length).toBeGreaterThan(10)
    }
    expect(report.summary.byStatus['fail']).toBe(report.findings.filter((finding) => finding.status === 'fail').length)
  })

  it('says plainly which APIs the emulator lacks, instead of passing silently', () => {
    const gaps = report.coverage.filter((outcome) => outcome.status !== 'ok')
    expect(gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({source: 'emr.securityConfigurations', status: 'unsupported', action: 'elasticmapreduce:ListSecurityConfigurations'}),
        expect.objectContaining({source: 'emr.studios', status: 'unsupported', action: 'elasticmapreduce:ListStudios'}),
      ]),
    )
    expect(report.coverage).toEqual(expect.arrayContaining([expect.objectContaining({source: 'iam.authorizationDetails', status: 'ok'})]))
    expect(report.summary.coverageGaps).toBe(gaps.length)
  })

  it('EMR-ROLE-001: the auto scaling role the broken cluster names does not exist', () => {
    const findings = failing(report, 'EMR-ROLE-001')
    expect(findings.map((finding) => [finding.resource.id, finding.subKey])).toEqual([[clusterBroken, 'AutoScalingRole']])
    expect(findings[0]?.severity).toBe('critical')
  })

  it('EMR-PROFILE-001 and -002: the profile and its role have different names', () => {
    expect(failing(report, 'EMR-PROFILE-001').map((finding) => finding.resource.id)).toEqual(['emr-custom-ec2'])
    expect(failing(report, 'EMR-PROFILE-001')[0]?.severity).toBe('critical')
    expect(failing(report, 'EMR-PROFILE-002').map((finding) => finding.resource.id)).toEqual([clusterBroken])
  })

  it('EMR-PROFILE-003: the EC2 role may pass any role', () => {
    const [finding] = failing(report, 'EMR-PROFILE-003')
    expect(finding?.resource.id).toBe('emr-custom-ec2')
    expect(finding?.message).toContain('iam:PassRole')
    expect(failing(report, 'EMR-PROFILE-003').map((entry) => entry.resource.id)).not.toContain('EMR_EC2_DefaultRole')
  })

  it('EMR-TRUST-002: only the service role without conditions fails, with the reason it is in scope', () => {
    const findings = failing(report, 'EMR-TRUST-002')
    expect(findings.map((finding) => finding.resource.id)).toEqual(['emr-custom-service'])
    expect(findings[0]?.scope).toEqual([expect.objectContaining({class: 'SVC', via: 'reference'})])
  })

  it('EMR-TRUST-004: the default auto scaling role trusts only EMR', () => {
    const findings = failing(report, 'EMR-TRUST-004')
    expect(findings.map((finding) => [finding.resource.id, finding.subKey])).toEqual([['EMR_AutoScaling_DefaultRole', 'principals']])
    expect(findings[0]?.message).toContain('application-autoscaling.amazonaws.com')
  })

  it('EMR-TRUST-005 and -006: foreign and deleted principals in runtime role trust', () => {
    expect(failing(report, 'EMR-TRUST-005').map((finding) => finding.resource.id)).toEqual(['runtime-foreign'])
    expect(failing(report, 'EMR-TRUST-005')[0]?.message).toContain('999999999999')
    expect(failing(report, 'EMR-TRUST-006').map((finding) => finding.resource.id)).toEqual(['runtime-orphaned'])
  })

  it('finds no role, profile or trust problem with the cluster built from the default roles', () => {
    const healthyResources = new Set([clusterHealthy, 'EMR_DefaultRole', 'EMR_EC2_DefaultRole'])
    const roleChainRules = /^EMR-(ROLE|PROFILE|TRUST)-/
    expect(
      report.findings.filter((finding) => finding.status === 'fail' && roleChainRules.test(finding.ruleId) && healthyResources.has(finding.resource.id)),
    ).toEqual([])
  })

  it('keeps fingerprints stable across runs', async () => {
    const again = await scanJson()
    expect(again.report.findings.map((finding) => finding.fingerprint).sort()).toEqual(report.findings.map((finding) => finding.fingerprint).sort())
  })

  it('--fail-on critical still exits 1; info threshold counts everything', async () => {
    expect((await scanJson(['--fail-on', 'critical'])).code).toBe(1)
  })

  it('--include-passed lists the passing checks too', async () => {
    const {report: withPassed} = await scanJson(['--include-passed'])
    const passed = withPassed.findings.filter((finding) => finding.status === 'pass')
    expect(passed.map((finding) => `${finding.ruleId} ${finding.resource.id}`)).toEqual(
      expect.arrayContaining(['EMR-TRUST-001 EMR_DefaultRole', 'EMR-PROFILE-001 EMR_EC2_DefaultRole', `EMR-PROFILE-002 ${clusterHealthy}`]),
    )
  })

  it('round-trips through --save-inventory and --inventory with the same findings, offline', async () => {
    const inventoryPath = join(workdir, 'inventory.json')
    const live = await scanJson(['--save-inventory', inventoryPath])
    const saved = JSON.parse(await readFile(inventoryPath, 'utf8')) as {schemaVersion: number; iam: {roles: Array<{name: string; trustPolicy: unknown}>}}
    expect(saved.schemaVersion).toBe(1)
    // Policy documents in the inventory are decoded and parsed, not strings.
    expect(typeof saved.iam.roles.find((entry) => entry.name === 'EMR_DefaultRole')?.trustPolicy).toBe('object')

    // No endpoint, no credentials: the offline analysis must not call AWS at all.
    const offline = await runCli(['scan', '--inventory', inventoryPath, '--config', join(workdir, 'config.yaml'), '--format', 'json'], {
      PATH: process.env['PATH'],
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    })
    expect(offline.stderr).toBe('')
    expect(offline.code).toBe(live.code)
    const offlineReport = JSON.parse(offline.stdout) as Report
    expect(offlineReport.findings.map((finding) => finding.fingerprint)).toEqual(live.report.findings.map((finding) => finding.fingerprint))
  })

  it('renders a table for people, grouped by severity, with the gaps and a summary', async () => {
    const result = await runCli(['scan', '--config', join(workdir, 'config.yaml')], emulatorEnv(emulator.endpoint))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^CRITICAL \(\d+ failing.*\)$/m)
    expect(result.stdout).toContain('Coverage gaps')
    expect(result.stdout).toMatch(/^Summary: \d+ failing/m)
    expect(result.stdout).not.toContain('\u001b[') // NO_COLOR and not a TTY
  })

  it('writes the report to --output and nothing to stdout', async () => {
    const output = join(workdir, 'report.json')
    const result = await runCli(['scan', '--config', join(workdir, 'config.yaml'), '--format', 'json', '--output', output], emulatorEnv(emulator.endpoint))
    expect(result.stdout).toBe('')
    expect((JSON.parse(await readFile(output, 'utf8')) as Report).findings.length).toBeGreaterThan(0)
  })
})
