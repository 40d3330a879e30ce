/** The scan report: the JSON document every output format is rendered from. */
import type {Finding, FindingStatus, Severity} from '../findings/types.js'
import {atLeast, SEVERITIES, STATUSES} from '../findings/types.js'
import type {Inventory, SourceOutcome} from '../inventory/schema.js'
import {ExitCode} from '../core/errors.js'
import {TOOL_NAME, toolVersion} from '../core/version.js'

export const REPORT_SCHEMA_VERSION = 1

export interface ReportSummary {
  byStatus: Record<FindingStatus, number>
  /** Failing findings by severity. */
  failingBySeverity: Record<Severity, number>
  coverageGaps: number
}

export interface ScanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  tool: {name: string; version: string}
  account: {id: string; partition: string}
  regions: string[]
  startedAt: string
  finishedAt: string
  /** Set when the report was produced from a saved inventory rather than a live scan. */
  inventorySource?: string
  coverage: SourceOutcome[]
  summary: ReportSummary
  findings: Finding[]
}

export function buildReport(inventory: Inventory, findings: Finding[], options: {includePassed: boolean; inventorySource?: string}): ScanReport {
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
    summary: {byStatus, failingBySeverity, coverageGaps: inventory.coverage.filter((outcome) => outcome.status !== 'ok').length},
    findings: findings.filter((finding) => options.includePassed || finding.status !== 'pass').sort((a, b) => order(a).localeCompare(order(b))),
  }
}

/**
 * 1: failing findings at or above the threshold; 3: none, but the scan was incomplete (unknown or error
 * results, coverage gaps); 0 otherwise.
 */
export function exitCodeFor(report: ScanReport, failOn: Severity): ExitCode {
  if (report.findings.some((finding) => finding.status === 'fail' && atLeast(finding.severity, failOn))) return ExitCode.Findings
  const incomplete = report.summary.byStatus.unknown > 0 || report.summary.byStatus.error > 0 || report.summary.coverageGaps > 0
  return incomplete ? ExitCode.Incomplete : ExitCode.Ok
}
