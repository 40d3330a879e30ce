/** The scan report: the JSON document every output format is rendered from. */
import {type Static, Type as T} from '@sinclair/typebox'
import type {Finding, FindingStatus, Severity} from '../findings/types.js'
import {atLeast, FindingSchema, SEVERITIES, STATUSES, SuppressionSchema, type Suppression} from '../findings/types.js'
import {type Inventory, SourceOutcomeSchema} from '../inventory/schema.js'
import {ExitCode} from '../core/errors.js'
import {TOOL_NAME, toolVersion} from '../core/version.js'

export const REPORT_SCHEMA_VERSION = 1

const counts = (keys: readonly string[]) => T.Object(Object.fromEntries(keys.map((key) => [key, T.Integer({minimum: 0})])), {additionalProperties: false})

export const ReportSummarySchema = T.Object(
  {
    /** Every result, listed or not (passes are listed only with --include-passed). */
    byStatus: counts(STATUSES),
    /** Failing findings by severity. */
    failingBySeverity: counts(SEVERITIES),
    /** Sources that were denied, unsupported or failed in some region. */
    coverageGaps: T.Integer({minimum: 0}),
  },
  {additionalProperties: false},
)

/** The `--format json` document, the source every other rendering comes from. */
export const ScanReportSchema = T.Object(
  {
    schemaVersion: T.Literal(REPORT_SCHEMA_VERSION),
    tool: T.Object({name: T.String(), version: T.String()}, {additionalProperties: false}),
    account: T.Object({id: T.String(), partition: T.String()}, {additionalProperties: false}),
    regions: T.Array(T.String()),
    startedAt: T.String(),
    finishedAt: T.String(),
    /** Set when the report was produced from a saved inventory rather than a live scan. */
    inventorySource: T.Optional(T.String()),
    coverage: T.Array(SourceOutcomeSchema),
    /** With --baseline: the report compared against, and how many findings are new or already known. */
    baseline: T.Optional(T.Object({source: T.String(), new: T.Integer({minimum: 0}), existing: T.Integer({minimum: 0})}, {additionalProperties: false})),
    /** Suppressions from the config that expired (no longer applied) or matched nothing (stale). */
    suppressions: T.Optional(T.Object({expired: T.Array(SuppressionSchema), stale: T.Array(SuppressionSchema)}, {additionalProperties: false})),
    summary: ReportSummarySchema,
    findings: T.Array(FindingSchema),
  },
  {additionalProperties: false, $id: 'https://github.com/emr-audit/emr-audit/schemas/report.schema.json'},
)

export interface ReportSummary {
  byStatus: Record<FindingStatus, number>
  failingBySeverity: Record<Severity, number>
  coverageGaps: number
}

export type ScanReport = Omit<Static<typeof ScanReportSchema>, 'summary'> & {summary: ReportSummary}

export interface ReportOptions {
  includePassed: boolean
  inventorySource?: string
  baselineSource?: string
  suppressions?: {expired: Suppression[]; stale: Suppression[]}
}

export function buildReport(inventory: Inventory, findings: Finding[], options: ReportOptions): ScanReport {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<FindingStatus, number>
  const failingBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>
  for (const finding of findings) {
    byStatus[finding.status]++
    if (finding.status === 'fail') failingBySeverity[finding.severity]++
  }
  const order = (finding: Finding): string => `${SEVERITIES.indexOf(finding.severity)}|${STATUSES.indexOf(finding.status)}|${finding.ruleId}|${finding.resource.id}|${finding.subKey ?? ''}`
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {name: TOOL_NAME, version: toolVersion()},
    account: {id: inventory.account.id, partition: inventory.account.partition},
    regions: inventory.regions,
    startedAt: inventory.startedAt,
    finishedAt: inventory.finishedAt,
    ...(options.inventorySource ? {inventorySource: options.inventorySource} : {}),
    coverage: inventory.coverage,
    ...(options.baselineSource
      ? {baseline: {source: options.baselineSource, new: findings.filter((finding) => finding.baseline === 'new' && finding.status !== 'pass').length, existing: findings.filter((finding) => finding.baseline === 'existing' && finding.status !== 'pass').length}}
      : {}),
    ...(options.suppressions && (options.suppressions.expired.length > 0 || options.suppressions.stale.length > 0) ? {suppressions: options.suppressions} : {}),
    summary: {byStatus, failingBySeverity, coverageGaps: inventory.coverage.filter((outcome) => outcome.status !== 'ok').length},
    findings: findings.filter((finding) => options.includePassed || finding.status !== 'pass').sort((a, b) => order(a).localeCompare(order(b))),
  }
}

/**
 * 1: failing findings at or above the threshold (not suppressed, and new when a baseline is given); 3: none, but the scan was incomplete (unknown or error
 * results, coverage gaps); 0 otherwise.
 */
export function exitCodeFor(report: ScanReport, failOn: Severity): ExitCode {
  // Suppressed findings never count; with a baseline only new ones do.
  if (report.findings.some((finding) => finding.status === 'fail' && finding.baseline !== 'existing' && atLeast(finding.severity, failOn))) return ExitCode.Findings
  const incomplete = report.summary.byStatus.unknown > 0 || report.summary.byStatus.error > 0 || report.summary.coverageGaps > 0
  return incomplete ? ExitCode.Incomplete : ExitCode.Ok
}
