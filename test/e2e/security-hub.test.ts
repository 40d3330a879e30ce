/**
 * `scan --security-hub` against the emulator's Security Hub: findings are imported, a defect is fixed in
 * the account, the next scan closes that finding (Compliance PASSED, RecordState ARCHIVED: how a finding
 * provider resolves a finding, https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html#asff-recordstate)
 * and leaves the others open. A region where Security Hub is off is a coverage gap, never a crash.
 */
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateTagsCommand} from '@aws-sdk/client-ec2'
import {type AwsSecurityFinding, EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient} from '@aws-sdk/client-securityhub'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emulatorEnv, runCli} from './cli.js'
import {seedDemoAccount} from './demo-account.js'
import {startEmulator, type Emulator} from './moto.js'
import {clients, REGION, V2_TAG} from './seed.js'

let emulator: Emulator
let env: NodeJS.ProcessEnv
let dir: string
let hub: SecurityHubClient

interface ReportFinding {
  ruleId: string
  status: string
  fingerprint: string
  resource: {id: string; type: string}
}
interface Report {
  findings: ReportFinding[]
  coverage: Array<{source: string; region: string; status: string; action?: string}>
}

async function allFindings(): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = []
  let NextToken: string | undefined
  do {
    const page = await hub.send(new GetFindingsCommand({MaxResults: 100, ...(NextToken ? {NextToken} : {})}))
    found.push(...(page.Findings ?? []))
    NextToken = page.NextToken || undefined
  } while (NextToken)
  return found
}

async function scan(name: string, regions = [REGION]): Promise<{code: number; stderr: string; report: Report}> {
  const output = join(dir, `${name}.json`)
  const result = await runCli(['scan', ...regions.flatMap((region) => ['--region', region]), '--security-hub', '--format', 'json', '--output', output], env)
  return {code: result.code, stderr: result.stderr, report: JSON.parse(await readFile(output, 'utf8')) as Report}
}

const idOf = (finding: ReportFinding) => `emr-audit/${finding.fingerprint}`

beforeAll(async () => {
  emulator = await startEmulator()
  const seed = clients(emulator.endpoint)
  await seedDemoAccount(seed)
  hub = new SecurityHubClient({endpoint: emulator.endpoint, region: REGION, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}})
  await hub.send(new EnableSecurityHubCommand({}))
  env = emulatorEnv(emulator.endpoint)
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-securityhub-'))
}, 120_000)

afterAll(async () => {
  await emulator?.stop()
})

describe('scan --security-hub', () => {
  it('imports every failing finding, then closes the one fixed in the account and keeps the others open', async () => {
    const first = await scan('first')
    expect(first.code, first.stderr).toBe(1)
    const failing = first.report.findings.filter((finding) => finding.status === 'fail')
    const untaggedSubnet = failing.find((finding) => finding.ruleId === 'EMR-TAG-001' && finding.resource.type === 'ec2-subnet')
    expect(untaggedSubnet, 'the demo account has an untagged cluster subnet').toBeDefined()

    const imported = await allFindings()
    expect(imported.map((finding) => finding.Id).sort()).toEqual(failing.map((finding) => idOf(finding)).sort())
    for (const finding of imported) {
      expect(finding).toMatchObject({
        SchemaVersion: '2018-10-08',
        ProductArn: `arn:aws:securityhub:${REGION}:123456789012:product/123456789012/default`,
        AwsAccountId: '123456789012',
        RecordState: 'ACTIVE',
        Compliance: {Status: 'FAILED'},
      })
    }
    expect(first.stderr).toContain(`security hub ${REGION}: ${failing.length} failing imported, 0 resolved`)

    // Fix one defect the way a person would: tag the subnet.
    await clients(emulator.endpoint).ec2.send(new CreateTagsCommand({Resources: [untaggedSubnet?.resource.id ?? ''], Tags: [V2_TAG]}))
    const second = await scan('second')
    const stillFailing = second.report.findings.filter((finding) => finding.status === 'fail')
    expect(stillFailing.map((finding) => finding.fingerprint)).not.toContain(untaggedSubnet?.fingerprint)
    expect(second.stderr).toContain(`${stillFailing.length} failing imported, 1 resolved`)

    const after = new Map((await allFindings()).map((finding) => [finding.Id, finding]))
    expect(after.get(idOf(untaggedSubnet as ReportFinding))).toMatchObject({RecordState: 'ARCHIVED', Compliance: {Status: 'PASSED'}})
    for (const finding of stillFailing) expect(after.get(idOf(finding))).toMatchObject({RecordState: 'ACTIVE', Compliance: {Status: 'FAILED'}})
    // The first import's time is kept: Security Hub's CreatedAt is when the issue was first seen.
    const firstSeen = imported.find((finding) => finding.Id === idOf(untaggedSubnet as ReportFinding))?.CreatedAt
    expect(after.get(idOf(untaggedSubnet as ReportFinding))?.CreatedAt).toBe(firstSeen)

    // A third scan sends the closed finding no more.
    const third = await scan('third')
    expect(third.stderr).toContain(`${stillFailing.length} failing imported, 0 resolved`)
  })

  it('a region where Security Hub is not enabled is a coverage gap in the report, and the scan still completes', async () => {
    const result = await scan('disabled', [REGION, 'eu-west-1'])
    expect(result.report.coverage).toContainEqual({
      source: 'securityhub.import',
      region: 'eu-west-1',
      status: 'unsupported',
      action: 'securityhub:DescribeHub',
      message: expect.stringContaining('InvalidAccessException'),
    })
    expect(result.report.coverage.filter((outcome) => outcome.source === 'securityhub.import' && outcome.region === REGION)).toEqual([])
    expect(result.stderr).toContain('security hub eu-west-1: not used (securityhub:DescribeHub')
    expect([1, 3]).toContain(result.code)
  })
})
