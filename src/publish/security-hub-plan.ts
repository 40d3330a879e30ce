/**
 * What one Security Hub import sends, decided from this run's findings and the ones emr-audit imported
 * before: pure, so the resolution logic is tested without AWS.
 *
 * AWS's guidance for finding providers (https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html):
 * at most 100 findings and 6 MB per batch, 240 KB per finding; a provider keeps a finding's state so it can
 * send the update when the resource moves back into compliance. Provider updates go through
 * BatchImportFindings with the same Id; closing one is `Compliance.Status PASSED` with `RecordState ARCHIVED`
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html#asff-recordstate).
 */
import type {AwsSecurityFinding} from '@aws-sdk/client-securityhub'

export const MAX_FINDINGS_PER_BATCH = 100
export const MAX_FINDING_BYTES = 240 * 1024
export const MAX_BATCH_BYTES = 6 * 1024 * 1024

/** A finding emr-audit imported in an earlier run, as Security Hub returns it (only what the plan needs). */
export interface ImportedFinding {
  id: string
  createdAt?: string
  complianceStatus?: string
  recordState?: string
}

export interface ImportPlan {
  /** Failing now: imported (again) as ACTIVE, keeping the first CreatedAt. */
  failing: AwsSecurityFinding[]
  /** Imported before, still open, and passing now: re-imported PASSED and ARCHIVED so Security Hub shows them closed. */
  resolved: AwsSecurityFinding[]
  /** Open in Security Hub but not evaluated to pass or fail in this run (not selected, unknown, resource gone): left as they are. */
  leftOpen: string[]
  /** Too large for Security Hub (240 KB): never sent. */
  oversized: string[]
}

const byteLength = (finding: AwsSecurityFinding): number => Buffer.byteLength(JSON.stringify(finding), 'utf8')

/**
 * `current` holds every result of this run as ASFF (passes included); `previous` the ACTIVE findings this
 * tool imported earlier. An inconclusive result (NOT_AVAILABLE, WARNING) never overwrites an earlier
 * FAILED one: only a pass closes a finding.
 */
export function planImport(current: readonly AwsSecurityFinding[], previous: readonly ImportedFinding[], now: string): ImportPlan {
  const earlier = new Map(previous.map((finding) => [finding.id, finding]))
  const evaluated = new Set<string>()
  const plan: ImportPlan = {failing: [], resolved: [], leftOpen: [], oversized: []}
  for (const finding of current) {
    const status = finding.Compliance?.Status
    const before = finding.Id === undefined ? undefined : earlier.get(finding.Id)
    let outgoing: AwsSecurityFinding | undefined
    if (status === 'FAILED') {
      outgoing = {...finding, RecordState: 'ACTIVE', UpdatedAt: now, ...(before?.createdAt ? {CreatedAt: before.createdAt} : {})}
    } else if (status === 'PASSED' && before && !(before.complianceStatus === 'PASSED' && before.recordState === 'ARCHIVED')) {
      outgoing = {...finding, RecordState: 'ARCHIVED', UpdatedAt: now, ...(before.createdAt ? {CreatedAt: before.createdAt} : {})}
    }
    if (finding.Id !== undefined && (status === 'FAILED' || status === 'PASSED')) evaluated.add(finding.Id)
    if (!outgoing) continue
    if (byteLength(outgoing) > MAX_FINDING_BYTES) {
      plan.oversized.push(String(finding.Id))
      continue
    }
    ;(status === 'FAILED' ? plan.failing : plan.resolved).push(outgoing)
  }
  plan.leftOpen = previous
    .filter((finding) => !evaluated.has(finding.id))
    .map((finding) => finding.id)
    .sort()
  return plan
}

/** Batches in order, each within 100 findings and 6 MB. */
export function batchesOf(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding[][] {
  const batches: AwsSecurityFinding[][] = []
  let batch: AwsSecurityFinding[] = []
  let bytes = 0
  for (const finding of findings) {
    const size = byteLength(finding)
    // The request wraps the findings in {"Findings":[...]}: a margin covers that and the commas.
    if (batch.length === MAX_FINDINGS_PER_BATCH || (batch.length > 0 && bytes + size + batch.length + 64 > MAX_BATCH_BYTES)) {
      batches.push(batch)
      batch = []
      bytes = 0
    }
    batch.push(finding)
    bytes += size
  }
  if (batch.length > 0) batches.push(batch)
  return batches
}
