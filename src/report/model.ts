/** The scan report: the JSON document every output format is rendered from. */
import {type Static, Type as T} from '@sinclair/typebox'
import type {Finding, FindingStatus, Severity} from '../findings/types.js'
import {atLeast, FindingSchema, SEVERITIES, SeveritySchema, STATUSES, SuppressionSchema, type Suppression} from '../findings/types.js'
import {NO_CONTROL_CHARACTERS_PATTERN, selectsEverything, type SelectionSummary} from '../rules/selection.js'
import {type Inventory, SourceOutcomeSchema} from '../inventory/schema.js'
import {VERDICTS} from '../preflight/verdict.js'
import {ExitCode} from '../shared/errors.js'
import {TOOL_NAME, toolVersion} from '../shared/version.js'
import {type Wiring, WiringSchema} from './wiring-topology.js'

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

export const AccountSectionSchema = T.Object(
  {
    id: T.String(),
    partition: T.Optional(T.String()),
    status: T.Union([T.Literal('scanned'), T.Literal('failed')]),
    /** Why the account could not be scanned (assume-role refused, credentials, ...). */
    error: T.Optional(T.String()),
    regions: T.Array(T.String()),
    summary: T.Optional(ReportSummarySchema),
  },
  {additionalProperties: false},
)

export const SelectionSchema = T.Object(
  {
    /** Disabled in the config file, each with the reason given there. */
    disabled: T.Array(T.Object({ruleId: T.String(), reason: T.String({pattern: NO_CONTROL_CHARACTERS_PATTERN})}, {additionalProperties: false})),
    /** Left out by --checks, --exclude-checks or --groups. */
    notSelected: T.Array(T.String()),
    /** With --severity: the only severities reported. */
    severities: T.Optional(T.Array(SeveritySchema)),
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
    /** Rules this run did not evaluate, and severities it did not report, so an auditor sees what was off. Absent when everything was checked. */
    selection: T.Optional(SelectionSchema),
    /** Reports over several accounts (`--accounts`, `merge`): one section per account; `account.id` is then "*". */
    accounts: T.Optional(T.Array(AccountSectionSchema)),
    /** How each cluster and Studio is wired (roles, profile, network, security configuration), for the diagrams. */
    wiring: T.Optional(T.Array(WiringSchema)),
    /** `emr-audit preflight`: the verdict on the requested clusters, and where each is described. */
    preflight: T.Optional(
      T.Object(
        {
          verdict: T.Union(VERDICTS.map((verdict) => T.Literal(verdict))),
          input: T.Union([T.Literal('run-job-flow'), T.Literal('terraform'), T.Literal('cloudformation')]),
          /** The request file as given on the command line: SARIF locates each finding in it. */
          file: T.String(),
          clusters: T.Array(T.Object({id: T.String(), address: T.String(), name: T.String()}, {additionalProperties: false})),
        },
        {additionalProperties: false},
      ),
    ),
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
  selection?: SelectionSummary
  wiring?: Wiring[]
}

/** Counts by status, and failing findings by severity. */
export function countFindings(findings: readonly Finding[]): Pick<ReportSummary, 'byStatus' | 'failingBySeverity'> {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<FindingStatus, number>
  const failingBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>
  for (const finding of findings) {
    byStatus[finding.status]++
    if (finding.status === 'fail') failingBySeverity[finding.severity]++
  }
  return {byStatus, failingBySeverity}
}

const order = (finding: Finding): string =>
  `${SEVERITIES.indexOf(finding.severity)}|${STATUSES.indexOf(finding.status)}|${finding.ruleId}|${finding.account ?? ''}|${finding.resource.id}|${finding.subKey ?? ''}`
const byOrder = (a: Finding, b: Finding): number => order(a).localeCompare(order(b))

/** Failing findings new since the baseline, and those it already held. */
function baselineCounts(findings: readonly Finding[]): {new: number; existing: number} {
  const failing = findings.filter((finding) => finding.status === 'fail')
  return {new: failing.filter((finding) => finding.baseline === 'new').length, existing: failing.filter((finding) => finding.baseline === 'existing').length}
}

export function buildReport(inventory: Inventory, findings: Finding[], options: ReportOptions): ScanReport {
  const {byStatus, failingBySeverity} = countFindings(findings)
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {name: TOOL_NAME, version: toolVersion()},
    account: {id: inventory.account.id, partition: inventory.account.partition},
    regions: inventory.regions,
    startedAt: inventory.startedAt,
    finishedAt: inventory.finishedAt,
    ...(options.inventorySource ? {inventorySource: options.inventorySource} : {}),
    coverage: inventory.coverage,
    ...(options.baselineSource ? {baseline: {source: options.baselineSource, ...baselineCounts(findings)}} : {}),
    ...(options.suppressions && (options.suppressions.expired.length > 0 || options.suppressions.stale.length > 0) ? {suppressions: options.suppressions} : {}),
    ...(options.selection && !selectsEverything(options.selection) ? {selection: options.selection} : {}),
    ...(options.wiring && options.wiring.length > 0 ? {wiring: options.wiring} : {}),
    summary: {byStatus, failingBySeverity, coverageGaps: inventory.coverage.filter((outcome) => outcome.status !== 'ok').length},
    findings: findings.filter((finding) => options.includePassed || finding.status !== 'pass').sort(byOrder),
  }
}

export interface AccountFailure {
  id: string
  error: string
}

/** When shards disagree about one finding, the most alarming result wins: a pass never hides a failure. */
const MERGE_PRECEDENCE: readonly FindingStatus[] = ['fail', 'error', 'unknown', 'suppressed', 'pass']

/**
 * How alarming a result is, most alarming first: its status, then (for equal statuses) a failure not
 * already in a baseline over one that is, then the higher severity. Whichever report comes first, a new
 * or more severe failure is never hidden behind a known or milder one.
 */
const alarm = (finding: Finding): number[] => [
  MERGE_PRECEDENCE.indexOf(finding.status),
  finding.baseline === 'existing' ? 1 : 0,
  SEVERITIES.indexOf(finding.severity),
]

function moreAlarming(a: Finding, b: Finding): boolean {
  const [x, y] = [alarm(a), alarm(b)]
  const differing = x.findIndex((value, index) => value !== y[index])
  return differing >= 0 && (x[differing] ?? 0) < (y[differing] ?? 0)
}

function mergeFindings(findings: readonly Finding[]): Finding[] {
  const kept = new Map<string, Finding>()
  for (const finding of findings) {
    const current = kept.get(finding.fingerprint)
    if (!current || moreAlarming(finding, current)) kept.set(finding.fingerprint, finding)
  }
  return [...kept.values()]
}

type Outcome = ScanReport['coverage'][number]

/** One entry per account, source and region; a gap in any shard is kept over an `ok` from another. */
function mergeCoverage(coverage: readonly Outcome[]): Outcome[] {
  const kept = new Map<string, Outcome>()
  for (const outcome of coverage) {
    const key = JSON.stringify([outcome.account ?? '', outcome.source, outcome.region])
    const current = kept.get(key)
    if (!current || (current.status === 'ok' && outcome.status !== 'ok')) kept.set(key, outcome)
  }
  return [...kept.values()]
}

/** The account and region pairs a report covers, from its per-account sections when it has them. */
function coveredPairs(report: ScanReport): Array<{account: string; region: string}> {
  const sections = report.accounts?.filter((section) => section.status === 'scanned') ?? [{id: report.account.id, regions: report.regions}]
  return sections.flatMap((section) => section.regions.map((region) => ({account: section.id, region})))
}

export interface CoverageOverlap {
  account: string
  regions: string[]
  /** Indexes of the reports (in the order given) that all cover this account in these regions. */
  reports: number[]
}

/** Accounts and regions that more than one report covers: two scans of the same place, perhaps at different times. */
export function findOverlaps(reports: readonly ScanReport[]): CoverageOverlap[] {
  const byPair = new Map<string, {account: string; region: string; reports: number[]}>()
  for (const [index, report] of reports.entries()) {
    for (const {account, region} of coveredPairs(report)) {
      const key = JSON.stringify([account, region])
      const entry = byPair.get(key) ?? {account, region, reports: []}
      if (!entry.reports.includes(index)) entry.reports.push(index)
      byPair.set(key, entry)
    }
  }
  const grouped = new Map<string, CoverageOverlap>()
  for (const {account, region, reports: indexes} of byPair.values()) {
    if (indexes.length < 2) continue
    const key = JSON.stringify([account, indexes])
    const entry = grouped.get(key) ?? {account, regions: [], reports: indexes}
    entry.regions.push(region)
    grouped.set(key, entry)
  }
  return [...grouped.values()]
}

/**
 * One report from several: per-account sections, every coverage entry and finding tagged with its account,
 * findings de-duplicated by fingerprint (shards may overlap) keeping the most alarming status, coverage
 * de-duplicated. Summaries are recounted from what is kept.
 */
export function combineReports(reports: readonly ScanReport[], failures: readonly AccountFailure[] = []): ScanReport {
  const [first] = reports
  const findings = mergeFindings(reports.flatMap((report) => report.findings.map((finding) => ({...finding, account: finding.account ?? report.account.id}))))
  const sections = reports.flatMap(
    (report) =>
      report.accounts ?? [
        {id: report.account.id, partition: report.account.partition, status: 'scanned' as const, regions: report.regions, summary: report.summary},
      ],
  )
  const coverage = mergeCoverage(reports.flatMap((report) => report.coverage.map((outcome) => ({...outcome, account: outcome.account ?? report.account.id}))))
  const times = reports.flatMap((report) => [report.startedAt, report.finishedAt]).sort()
  const expired = new Map(reports.flatMap((report) => report.suppressions?.expired ?? []).map((entry) => [JSON.stringify(entry), entry]))
  // A suppression is stale only if it matched nothing in any account.
  const staleEverywhere = (first?.suppressions?.stale ?? []).filter((entry) =>
    reports.every((report) => (report.suppressions?.stale ?? []).some((other) => JSON.stringify(other) === JSON.stringify(entry))),
  )
  const baselines = reports.flatMap((report) => (report.baseline ? [report.baseline] : []))
  const selection = combineSelections(reports)
  const wiring = reports.flatMap((report) => (report.wiring ?? []).map((entry) => ({...entry, account: entry.account ?? report.account.id})))
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: first?.tool ?? {name: TOOL_NAME, version: toolVersion()},
    account: {id: '*', partition: first?.account.partition ?? 'aws'},
    regions: [...new Set(reports.flatMap((report) => report.regions))].sort(),
    startedAt: times[0] ?? new Date().toISOString(),
    finishedAt: times[times.length - 1] ?? new Date().toISOString(),
    coverage,
    ...(baselines.length > 0 ? {baseline: {source: [...new Set(baselines.map((entry) => entry.source))].join(', '), ...baselineCounts(findings)}} : {}),
    ...(expired.size > 0 || staleEverywhere.length > 0 ? {suppressions: {expired: [...expired.values()], stale: staleEverywhere}} : {}),
    ...(selection ? {selection} : {}),
    accounts: [...sections, ...failures.map((failure) => ({id: failure.id, status: 'failed' as const, error: failure.error, regions: []}))],
    ...(wiring.length > 0 ? {wiring} : {}),
    summary: {...countFindings(findings), coverageGaps: coverage.filter((outcome) => outcome.status !== 'ok').length},
    findings: findings.sort(byOrder),
  }
}

/** Shards may have been run with different selections: a rule off in any of them is reported as off. */
function combineSelections(reports: readonly ScanReport[]): ScanReport['selection'] {
  const selections = reports.flatMap((report) => (report.selection ? [report.selection] : []))
  if (selections.length === 0) return undefined
  const disabled = new Map(selections.flatMap((selection) => selection.disabled).map((entry) => [entry.ruleId, entry]))
  const notSelected = [...new Set(selections.flatMap((selection) => selection.notSelected))].filter((id) => !disabled.has(id)).sort()
  const severityLists = selections.flatMap((selection) => (selection.severities ? [selection.severities] : []))
  const severities = severityLists.length > 0 ? SEVERITIES.filter((severity) => severityLists.every((list) => list.includes(severity))) : undefined
  return {disabled: [...disabled.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId)), notSelected, ...(severities ? {severities} : {})}
}

/**
 * 1: failing findings at or above the threshold (not suppressed, and new when a baseline is given); 3: none, but the scan was incomplete (unknown or error
 * results, coverage gaps); 0 otherwise.
 */
export function exitCodeFor(report: ScanReport, failOn: Severity): ExitCode {
  // Suppressed findings never count; with a baseline only new ones do.
  if (report.findings.some((finding) => finding.status === 'fail' && finding.baseline !== 'existing' && atLeast(finding.severity, failOn)))
    return ExitCode.Findings
  const incomplete =
    (report.accounts ?? []).some((account) => account.status === 'failed') ||
    report.summary.byStatus.unknown > 0 ||
    report.summary.byStatus.error > 0 ||
    report.summary.coverageGaps > 0
  return incomplete ? ExitCode.Incomplete : ExitCode.Ok
}
