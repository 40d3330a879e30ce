import {BatchImportFindingsCommand, DescribeHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding} from '@aws-sdk/client-securityhub'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'
import {SECURITY_HUB_ACTIONS} from './actions.js'
import {PRODUCT_NAME, productArn, publishToSecurityHub} from './security-hub.js'

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
const NOW = '2026-11-29T12:00:00.000Z'
const hub = mockClient(SecurityHubClient)
const client = new SecurityHubClient({region: REGION, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}})
const noSleep = async () => {}

const asff = (id: string, status: string, region = REGION): AwsSecurityFinding =>
  ({
    Id: id,
    Region: region,
    AwsAccountId: ACCOUNT,
    ProductName: PRODUCT_NAME,
    CreatedAt: NOW,
    UpdatedAt: NOW,
    Compliance: {Status: status},
  }) as AwsSecurityFinding
const imported = (id: string, extra: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding =>
  ({
    Id: id,
    ProductArn: productArn('aws', REGION, ACCOUNT),
    AwsAccountId: ACCOUNT,
    ProductName: PRODUCT_NAME,
    RecordState: 'ACTIVE',
    CreatedAt: '2026-01-01T00:00:00.000Z',
    Compliance: {Status: 'FAILED'},
    ...extra,
  }) as AwsSecurityFinding
const awsError = (name: string, message = name) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: 403}})

const publish = (findings: AwsSecurityFinding[], regions = [REGION]) =>
  publishToSecurityHub({client: () => client, accountId: ACCOUNT, partition: 'aws', findings, regions, now: NOW, sleep: noSleep})
const sentIds = () => hub.commandCalls(BatchImportFindingsCommand).flatMap((call) => (call.args[0].input.Findings ?? []).map((f) => f.Id))

beforeEach(() => {
  hub.reset()
  hub.on(DescribeHubCommand).resolves({HubArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`})
  hub.on(GetFindingsCommand).resolves({Findings: []})
  hub.on(BatchImportFindingsCommand).callsFake((input: {Findings: unknown[]}) => ({SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: []}))
})

describe('publishToSecurityHub', () => {
  it('imports failures, closes what passes now, and asks only for ACTIVE findings of this product and account', async () => {
    hub.on(GetFindingsCommand).resolves({Findings: [imported('fixed')]})
    const [result] = await publish([asff('open', 'FAILED'), asff('fixed', 'PASSED'), asff('never-failed', 'PASSED')])
    expect(result).toMatchObject({region: REGION, imported: 1, resolved: 1, failures: []})
    expect(result?.gap).toBeUndefined()
    expect(sentIds()).toEqual(['open', 'fixed'])
    const filters = hub.commandCalls(GetFindingsCommand)[0]?.args[0].input.Filters
    expect(filters?.ProductArn).toEqual([{Value: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`, Comparison: 'EQUALS'}])
    expect(filters?.RecordState).toEqual([{Value: 'ACTIVE', Comparison: 'EQUALS'}])
    expect(filters?.AwsAccountId).toEqual([{Value: ACCOUNT, Comparison: 'EQUALS'}])
  })

  it('never closes a finding another product or tool imported, whatever the service returns for the filter', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        imported('x', {ProductName: 'other-tool'}),
        imported('y', {AwsAccountId: '999999999999'}),
        imported('z', {ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty'}),
      ],
    })
    const [result] = await publish([asff('x', 'PASSED'), asff('y', 'PASSED'), asff('z', 'PASSED')])
    expect(sentIds()).toEqual([])
    expect(result?.resolved).toBe(0)
  })

  it('a region where Security Hub is not enabled is a coverage gap, and nothing is sent there', async () => {
    hub.on(DescribeHubCommand).rejects(awsError('InvalidAccessException', 'Account 123456789012 is not subscribed to AWS Security Hub'))
    const [result] = await publish([asff('open', 'FAILED')])
    expect(result?.gap).toMatchObject({status: 'unsupported', action: 'securityhub:DescribeHub'})
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0)
  })

  it('a denied import is a gap; the remaining batches are not sent', async () => {
    hub.on(BatchImportFindingsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform securityhub:BatchImportFindings'))
    const findings = Array.from({length: 150}, (_, index) => asff(`f${index}`, 'FAILED'))
    const [result] = await publish(findings)
    expect(result?.gap).toMatchObject({status: 'denied', action: 'securityhub:BatchImportFindings'})
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(1)
    expect(result?.imported).toBe(0)
  })

  it('reports each finding the service refuses, by Id, and counts only the others', async () => {
    hub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 1,
      FailedCount: 1,
      FailedFindings: [{Id: 'bad', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding must contain at least one resource'}],
    })
    const [result] = await publish([asff('good', 'FAILED'), asff('bad', 'FAILED')])
    expect(result?.imported).toBe(1)
    expect(result?.failures).toEqual([{id: 'bad', code: 'InvalidInput', message: 'Finding must contain at least one resource'}])
  })

  it('stops reading when GetFindings repeats a page token (never loops)', async () => {
    hub.on(GetFindingsCommand).resolves({Findings: [], NextToken: 'same'})
    const [result] = await publish([asff('open', 'FAILED')])
    expect(result?.gap).toMatchObject({status: 'error', action: 'securityhub:GetFindings'})
    expect(hub.commandCalls(GetFindingsCommand).length).toBeLessThanOrEqual(2)
  })

  it('visits a scanned region without findings, so what was fixed there is closed', async () => {
    await publish([asff('a', 'FAILED', REGION)], [REGION, 'eu-west-1'])
    expect(hub.commandCalls(DescribeHubCommand)).toHaveLength(2)
  })

  it('paces its calls under 10 a second in each region', async () => {
    const waits: number[] = []
    const findings = Array.from({length: 350}, (_, index) => asff(`f${index}`, 'FAILED'))
    await publishToSecurityHub({
      client: () => client,
      accountId: ACCOUNT,
      partition: 'aws',
      findings,
      regions: [REGION],
      now: NOW,
      sleep: async (ms) => void waits.push(ms),
    })
    const calls = hub.calls().length
    expect(calls).toBe(1 + 1 + 4)
    // Every call after the first waited (the mock answers at once), each for at most the interval.
    expect(waits).toHaveLength(calls - 1)
    for (const ms of waits) expect(ms).toBeGreaterThan(0)
  })

  it('sends only actions it declares for `permissions --security-hub`', async () => {
    hub.on(GetFindingsCommand).resolves({Findings: [imported('fixed')]})
    await publish([asff('open', 'FAILED'), asff('fixed', 'PASSED')])
    const sent = new Set(hub.calls().map((call) => `securityhub:${(call.args[0] as object).constructor.name.replace(/Command$/, '')}`))
    expect([...sent].sort()).toEqual([...SECURITY_HUB_ACTIONS].sort())
  })
})
