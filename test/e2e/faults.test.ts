/**
 * The read side under faults, over the wire: a forwarding server in front of the emulator answers chosen
 * calls with each service's real error shapes (denials, throttling, server errors, unimplemented actions,
 * dropped connections, hangs, expired tokens). A scan must never turn a fault into a pass: it completes,
 * names what it could not read, and exits 3 — or stops with exit 2 when the credentials are unusable.
 */
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import type {Proxy} from '../../bench/proxy.js'
import {emulatorEnv, runCli} from './cli.js'
import type {Emulator} from './moto.js'
import {startProxiedEmulator} from './proxied.js'
import {allowService, blockPublicAccess, clients, cluster, emrConditions, emrServiceLinkedRole, instanceProfile, network, REGION, role, V2_TAG} from './seed.js'

interface Finding {
  ruleId: string
  status: string
  fingerprint: string
  resource: {id: string}
  evidence: {evidence?: string}
}
interface Report {
  findings: Finding[]
  coverage: Array<{source: string; region: string; status: string; action?: string}>
}

let emulator: Emulator
let proxy: Proxy
let baseline: Report
let baselineCalls: string[]

async function scan(extraEnv: Record<string, string> = {}) {
  const result = await runCli(['scan', '--region', REGION, '--format', 'json', '--fail-on', 'critical', '--include-passed'], {
    ...emulatorEnv(proxy.endpoint),
    ...extraEnv,
  })
  return {...result, report: result.stdout ? (JSON.parse(result.stdout) as Report) : undefined}
}

const statusByFingerprint = (report: Report) => new Map(report.findings.map((finding) => [finding.fingerprint, finding.status]))

beforeAll(async () => {
  ;({emulator, proxy} = await startProxiedEmulator({seed: 7, maxConsecutiveThrottles: 3}))
  const seed = clients(emulator.endpoint)
  await role(seed, 'EMR_DefaultRole_V2', [allowService('elasticmapreduce.amazonaws.com', emrConditions)], {
    managed: ['arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'],
  })
  await role(seed, 'EMR_EC2_DefaultRole', [allowService('ec2.amazonaws.com')], {
    managed: ['arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role'],
  })
  await instanceProfile(seed, 'EMR_EC2_DefaultRole', 'EMR_EC2_DefaultRole')
  const ids = await network(seed, [V2_TAG])
  await cluster(seed, {
    name: 'c',
    serviceRole: 'EMR_DefaultRole_V2',
    instanceProfile: 'EMR_EC2_DefaultRole',
    subnetId: ids.subnetId,
    masterGroup: ids.groupId,
    slaveGroup: ids.slaveGroupId,
    serviceAccessGroup: ids.serviceAccessGroupId,
  })
  await blockPublicAccess(seed)
  await emrServiceLinkedRole(seed)
  proxy.reset()
  const clean = await scan()
  // The emulator lacks two EMR listings: the only gaps of a clean scan, so it exits 3 (incomplete).
  expect(clean.code, clean.stderr).toBe(3)
  baseline = clean.report as Report
  baselineCalls = [...proxy.counts.keys()].filter((key) => key !== 'sts:GetCallerIdentity').sort()
}, 120_000)

afterEach(() => {
  proxy.clearFaults()
  proxy.options.throttle = 0
})

afterAll(async () => {
  await proxy?.close()
  await emulator?.stop()
})

/**
 * No fault may create a pass, and whatever was not passing must still be visible: failing or unknown
 * itself, or its rule reported unknown as a whole. The one pass a fault may lead to is the catalog's own
 * fallback (EMR-CLUSTER-004 judges by the subnet when instances cannot be listed), which says so.
 */
function expectNothingHidden(report: Report): void {
  const fallback = new Set(report.findings.filter((entry) => /could not be listed/.test(entry.evidence.evidence ?? '')).map((entry) => entry.fingerprint))
  const before = statusByFingerprint(baseline)
  for (const finding of report.findings.filter((entry) => entry.status === 'pass' && !fallback.has(entry.fingerprint))) {
    expect(before.get(finding.fingerprint), `${finding.ruleId} ${finding.resource.id} became a pass`).toBe('pass')
  }
  const now = statusByFingerprint(report)
  const unknownRules = new Set(report.findings.filter((finding) => finding.status === 'unknown').map((finding) => finding.ruleId))
  for (const finding of baseline.findings.filter((entry) => entry.status !== 'pass' && !fallback.has(entry.fingerprint))) {
    const status = now.get(finding.fingerprint)
    const visible = status === 'fail' || status === 'unknown' || unknownRules.has(finding.ruleId)
    expect(
      visible,
      `${finding.ruleId} ${finding.resource.id} (${finding.status}) disappeared; coverage: ${JSON.stringify(report.coverage.filter((outcome) => outcome.status !== 'ok'))}`,
    ).toBe(true)
  }
}

describe('scan under faults', () => {
  it('the clean scan reads every source but the two the emulator lacks, and nothing fails at --fail-on critical', () => {
    expect(baseline.coverage.filter((outcome) => outcome.status !== 'ok').map((outcome) => `${outcome.status} ${outcome.action}`)).toEqual([
      'unsupported elasticmapreduce:ListSecurityConfigurations',
      'unsupported elasticmapreduce:ListStudios',
    ])
    expect(baselineCalls.length).toBeGreaterThan(10)
  })

  it('a denial of any one action: the scan completes, names the action, hides nothing, and exits 3', async () => {
    for (const action of baselineCalls) {
      proxy.clearFaults()
      proxy.inject({match: action, kind: 'denied'})
      const {code, report, stderr} = await scan()
      expect(code, `${action}: ${stderr}`).toBe(3)
      expect(report?.coverage, action).toContainEqual(expect.objectContaining({status: 'denied', action}))
      expectNothingHidden(report as Report)
    }
    proxy.clearFaults()
  }, 300_000)

  it("30% of calls throttled with each service's own error: identical findings", async () => {
    proxy.options.throttle = 0.3
    proxy.reset()
    const {code, report} = await scan()
    proxy.options.throttle = 0
    expect(proxy.throttled).toBeGreaterThan(5)
    expect(code).toBe(3)
    expect((report as Report).coverage.filter((outcome) => outcome.status !== 'ok' && outcome.status !== 'unsupported')).toEqual([])
    expect(statusByFingerprint(report as Report)).toEqual(statusByFingerprint(baseline))
  }, 180_000)

  it('a server error that persists is retried, then reported as an error of that action', async () => {
    proxy.reset()
    proxy.inject({match: 'ec2:DescribeSubnets', kind: 'server-error'})
    const {code, report} = await scan()
    proxy.clearFaults()
    expect(code).toBe(3)
    expect(proxy.faulted.get('ec2:DescribeSubnets')).toBe(8)
    expect(report?.coverage).toContainEqual(expect.objectContaining({source: 'ec2.subnets', status: 'error', action: 'ec2:DescribeSubnets'}))
    expectNothingHidden(report as Report)
  }, 120_000)

  it("an unimplemented action (HTTP 501, or the emulator's HTML 500 page) is unsupported, not a crash or a pass", async () => {
    for (const kind of ['not-implemented', 'emulator-missing'] as const) {
      proxy.inject({match: 'elasticmapreduce:GetBlockPublicAccessConfiguration', kind})
      const {code, report} = await scan()
      proxy.clearFaults()
      expect(code, kind).toBe(3)
      expect(report?.coverage).toContainEqual(
        expect.objectContaining({source: 'emr.blockPublicAccess', status: 'unsupported', action: 'elasticmapreduce:GetBlockPublicAccessConfiguration'}),
      )
      expect(report?.findings.find((finding) => finding.ruleId === 'EMR-CLUSTER-001')?.status).toBe('unknown')
    }
  }, 120_000)

  it('dropped connections are retried to the same result; a connection that always drops is reported', async () => {
    proxy.inject({match: 'iam:GetAccountAuthorizationDetails', kind: 'reset', times: 2})
    const retried = await scan()
    expect(retried.code).toBe(3)
    expect(statusByFingerprint(retried.report as Report)).toEqual(statusByFingerprint(baseline))
    proxy.clearFaults()
    proxy.inject({match: 'ec2:DescribeVpcs', kind: 'reset'})
    const dropped = await scan()
    proxy.clearFaults()
    expect(dropped.code).toBe(3)
    expect(dropped.report?.coverage).toContainEqual(expect.objectContaining({source: 'ec2.vpcs', status: 'error', action: 'ec2:DescribeVpcs'}))
  }, 120_000)

  it('a call that never answers times out, is retried, and at worst is reported — the scan never hangs', async () => {
    const shortTimeout = {EMR_AUDIT_REQUEST_TIMEOUT_MS: '1000'}
    proxy.inject({match: 'elasticmapreduce:ListClusters', kind: 'hang', times: 1})
    const retried = await scan(shortTimeout)
    expect(retried.code).toBe(3)
    expect(statusByFingerprint(retried.report as Report)).toEqual(statusByFingerprint(baseline))
    proxy.clearFaults()
    proxy.inject({match: 'secretsmanager:ListSecrets', kind: 'hang'})
    const started = Date.now()
    const hung = await scan(shortTimeout)
    proxy.clearFaults()
    expect(Date.now() - started).toBeLessThan(45_000)
    expect(hung.code).toBe(3)
    expect(hung.report?.coverage).toContainEqual(
      expect.objectContaining({source: 'secretsmanager.secrets', status: 'error', action: 'secretsmanager:ListSecrets'}),
    )
  }, 120_000)

  it('expired credentials stop the scan at once with exit 2 and one line', async () => {
    proxy.inject({match: () => true, kind: 'expired-token'})
    const started = Date.now()
    const {code, stdout, stderr} = await runCli(['scan', '--region', REGION, '--format', 'json'], emulatorEnv(proxy.endpoint))
    proxy.clearFaults()
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(/^emr-audit: AWS rejected the credentials \(ExpiredToken/)
    expect(Date.now() - started).toBeLessThan(15_000)
  }, 60_000)
})
