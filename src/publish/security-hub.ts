/**
 * Sends this run's findings to AWS Security Hub and closes the ones that are fixed. AWS I/O at the edge:
 * the decisions are in `security-hub-plan.ts`.
 *
 * Per region: DescribeHub (a region where Security Hub is off, or the caller may not use it, is a coverage
 * gap, never a crash), GetFindings for the ACTIVE findings this tool imported earlier (filtered by the
 * account's default product ARN and ProductName, and checked again here since the filter is the service's),
 * then BatchImportFindings in batches, paced under the documented 10 requests a second
 * (https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html).
 * Every finding the service refuses is reported by Id with its error code.
 */
import type {AwsSecurityFinding, AwsSecurityFindingFilters, SecurityHubClient} from '@aws-sdk/client-securityhub'
import {BatchImportFindingsCommand, DescribeHubCommand, GetFindingsCommand} from '@aws-sdk/client-securityhub'
import {batchesOf, type ImportedFinding, planImport} from './security-hub-plan.js'

export const PRODUCT_NAME = 'emr-audit'

/** Whatever the service returns, a run never reads more pages than this (100 findings each). */
const MAX_PAGES = 2_000
/** Under the documented 10 TPS per account and region: one call every 120 ms. */
const MIN_CALL_INTERVAL_MS = 120

export interface RegionPublication {
  region: string
  imported: number
  resolved: number
  /** Open in Security Hub, not evaluated to pass or fail this run: left as they are. */
  leftOpen: number
  failures: {id: string; code: string; message: string}[]
  /** Set when the region could not be used at all (disabled, denied, unreachable). */
  gap?: {status: 'denied' | 'unsupported' | 'error'; action: string; message: string}
}

export interface PublishRequest {
  client: (region: string) => SecurityHubClient
  accountId: string
  partition: string
  /** Every result of this run as ASFF, passes included, each with its Region. */
  findings: readonly AwsSecurityFinding[]
  /** The regions this run scanned: each is visited even without findings, so fixed findings there are closed. */
  regions: readonly string[]
  now: string
  sleep?: (ms: number) => Promise<void>
}

export const productArn = (partition: string, region: string, accountId: string): string =>
  `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

interface AwsError {
  name?: string
  Code?: string
  message?: string
}

function gapOf(error: unknown, action: string): NonNullable<RegionPublication['gap']> {
  const {name = 'Error', message = String(error)} = (error ?? {}) as AwsError
  // Security Hub answers InvalidAccessException when the account is not subscribed in that region.
  const status = /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name) ? 'denied' : name === 'InvalidAccessException' ? 'unsupported' : 'error'
  return {status, action, message: `${name}: ${message}`.split('\n')[0] ?? name}
}

/** Paced calls: the first goes at once, each next one at least MIN_CALL_INTERVAL_MS after the last. */
function pacer(sleep: (ms: number) => Promise<void>): () => Promise<void> {
  let last = -Infinity
  return async () => {
    const due = last + MIN_CALL_INTERVAL_MS - Date.now()
    if (due > 0) await sleep(due)
    last = Date.now()
  }
}

async function previouslyImported(client: SecurityHubClient, arn: string, accountId: string, paced: () => Promise<void>): Promise<ImportedFinding[]> {
  const Filters: AwsSecurityFindingFilters = {
    ProductArn: [{Value: arn, Comparison: 'EQUALS'}],
    ProductName: [{Value: PRODUCT_NAME, Comparison: 'EQUALS'}],
    AwsAccountId: [{Value: accountId, Comparison: 'EQUALS'}],
    RecordState: [{Value: 'ACTIVE', Comparison: 'EQUALS'}],
  }
  const found: ImportedFinding[] = []
  const seenTokens = new Set<string>()
  let NextToken: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    await paced()
    const response = await client.send(new GetFindingsCommand({Filters, MaxResults: 100, ...(NextToken ? {NextToken} : {})}))
    for (const finding of response.Findings ?? []) {
      // The filter is the service's promise; this is ours: only findings of this product, account and tool.
      if (
        typeof finding.Id !== 'string' ||
        finding.ProductArn !== arn ||
        finding.AwsAccountId !== accountId ||
        finding.ProductName !== PRODUCT_NAME ||
        finding.RecordState !== 'ACTIVE'
      )
        continue
      found.push({
        id: finding.Id,
        ...(typeof finding.CreatedAt === 'string' ? {createdAt: finding.CreatedAt} : {}),
        ...(finding.Compliance?.Status ? {complianceStatus: finding.Compliance.Status} : {}),
        recordState: finding.RecordState,
      })
    }
    NextToken = response.NextToken || undefined
    if (!NextToken) return found
    if (seenTokens.has(NextToken)) throw new Error('GetFindings returned a NextToken it had already returned; stopped reading')
    seenTokens.add(NextToken)
  }
  throw new Error(`GetFindings returned more than ${MAX_PAGES} pages; stopped reading`)
}

async function publishRegion(request: PublishRequest, region: string, findings: readonly AwsSecurityFinding[]): Promise<RegionPublication> {
  const client = request.client(region)
  const paced = pacer(request.sleep ?? wait)
  const result: RegionPublication = {region, imported: 0, resolved: 0, leftOpen: 0, failures: []}
  const arn = productArn(request.partition, region, request.accountId)
  try {
    await paced()
    await client.send(new DescribeHubCommand({}))
  } catch (error) {
    return {...result, gap: gapOf(error, 'securityhub:DescribeHub')}
  }
  let previous: ImportedFinding[]
  try {
    previous = await previouslyImported(client, arn, request.accountId, paced)
  } catch (error) {
    return {...result, gap: gapOf(error, 'securityhub:GetFindings')}
  }
  const plan = planImport(findings, previous, request.now)
  result.leftOpen = plan.leftOpen.length
  for (const id of plan.oversized) result.failures.push({id, code: 'TooLarge', message: 'the finding is larger than the 240 KB Security Hub accepts; not sent'})
  const resolving = new Set(plan.resolved.map((finding) => finding.Id))
  for (const batch of batchesOf([...plan.failing, ...plan.resolved])) {
    try {
      await paced()
      const response = await client.send(new BatchImportFindingsCommand({Findings: batch}))
      const refused = new Map((response.FailedFindings ?? []).map((failure) => [String(failure.Id), failure]))
      for (const failure of refused.values())
        result.failures.push({id: String(failure.Id), code: String(failure.ErrorCode ?? 'Unknown'), message: String(failure.ErrorMessage ?? '')})
      for (const finding of batch) {
        if (refused.has(String(finding.Id))) continue
        if (resolving.has(finding.Id)) result.resolved++
        else result.imported++
      }
    } catch (error) {
      const gap = gapOf(error, 'securityhub:BatchImportFindings')
      for (const finding of batch) result.failures.push({id: String(finding.Id), code: gap.status, message: gap.message})
      // A denied import will be denied for every batch: stop sending.
      if (gap.status === 'denied') return {...result, gap}
    }
  }
  return result
}

/** One region at a time, in the order given (each finding's own Region); deterministic output. */
export async function publishToSecurityHub(request: PublishRequest): Promise<RegionPublication[]> {
  const byRegion = new Map<string, AwsSecurityFinding[]>(request.regions.map((region) => [region, []]))
  for (const finding of request.findings) {
    if (!finding.Region) continue
    const list = byRegion.get(finding.Region) ?? []
    list.push(finding)
    byRegion.set(finding.Region, list)
  }
  const results: RegionPublication[] = []
  for (const region of [...byRegion.keys()].sort()) results.push(await publishRegion(request, region, byRegion.get(region) ?? []))
  return results
}
