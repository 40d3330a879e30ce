/**
 * CSV for spreadsheets: one row per finding, RFC 4180 (CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled), a header row naming the columns. Account text ends up in a spreadsheet
 * here (and in CI logs), so controls and workflow commands are shown as escapes (one cell stays one
 * line), and a cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
 * is prefixed with `'`.
 */
import {stringify} from 'csv-stringify/sync'
import type {Finding} from '../findings/types.js'
import {forLog} from '../shared/escape.js'
import {controlsOf} from '../rules/compliance.js'
import type {RuleMetadata} from '../rules/types.js'
import type {ScanReport} from './model.js'

/** The columns, in order; the README documents each. */
export const CSV_COLUMNS = [
  'severity',
  'status',
  'rule_id',
  'title',
  'account',
  'region',
  'resource_type',
  'resource_id',
  'resource_name',
  'resource_arn',
  'sub_key',
  'message',
  'remediation',
  'auto_apply',
  'compliance',
  'baseline',
  'suppressed_until',
  'fingerprint',
] as const
type Column = (typeof CSV_COLUMNS)[number]

/** `AWS-FSBP EMR.1; NIST-800-53-r5 AC-3, SC-7`: the rule's controls, one framework after another. */
function complianceCell(rule: RuleMetadata | undefined): string {
  if (!rule?.compliance) return ''
  const frameworks = [...new Set(rule.compliance.map((entry) => entry.framework))]
  return frameworks.map((framework) => `${framework} ${controlsOf(rule.compliance, framework).join(', ')}`).join('; ')
}

function row(finding: Finding, account: string, rule: RuleMetadata | undefined): Record<Column, string> {
  return {
    severity: finding.severity,
    status: finding.status,
    rule_id: finding.ruleId,
    title: finding.title,
    account: finding.account ?? account,
    region: finding.resource.region ?? '',
    resource_type: finding.resource.type,
    resource_id: finding.resource.id,
    resource_name: finding.resource.name ?? '',
    resource_arn: finding.resource.arn ?? '',
    sub_key: finding.subKey ?? '',
    message: finding.message,
    remediation: finding.remediation.summary,
    auto_apply: finding.remediation.autoApply,
    compliance: complianceCell(rule),
    baseline: finding.baseline ?? '',
    suppressed_until: finding.suppression?.expires ?? '',
    fingerprint: finding.fingerprint,
  }
}

export function renderCsv(report: ScanReport, rules: readonly RuleMetadata[]): string {
  const byId = new Map(rules.map((rule) => [rule.id, rule]))
  const rows = report.findings.map((finding) => {
    const cells = row(finding, report.account.id, byId.get(finding.ruleId))
    return CSV_COLUMNS.map((column) => forLog(cells[column]))
  })
  return stringify(rows, {header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', escape_formulas: true})
}
