/** The human report: findings grouped by severity, coverage gaps said plainly, one summary line. */
import {styleText} from 'node:util'
import type {Finding, Severity} from '../findings/types.js'
import {SEVERITIES, STATUSES} from '../findings/types.js'
import {forLog as text} from '../shared/escape.js'
import type {ScanReport} from './model.js'
import {selectionLines} from './selection-text.js'

type Style = Parameters<typeof styleText>[0]

/** Node 22 strips styles itself when the stream is not a TTY; the caller has already decided, so say so. */
const styled = styleText as (style: Style, text: string, options?: {validateStream?: boolean}) => string

export interface TableOptions {
  color: boolean
}

/**
 * --color / --no-color first; then FORCE_COLOR (as Node reads it: "0" or "false" off, anything else on),
 * which beats NO_COLOR as in Node; then no colour when NO_COLOR is set (https://no-color.org) or TERM=dumb;
 * otherwise colour only on a terminal.
 */
export function shouldColor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
  if (flag !== undefined) return flag
  const force = env['FORCE_COLOR']
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  return Boolean(stream.isTTY) && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '') && env['TERM'] !== 'dumb'
}

export type Paint = (style: Style, text: string) => string

export function painter(color: boolean): Paint {
  return (style, text) => (color ? styled(style, text, {validateStream: false}) : text)
}

const severityStyle: Record<Severity, Style> = {critical: ['bold', 'red'], high: 'red', medium: 'yellow', low: 'cyan', info: 'gray'}
const statusMark = {fail: '✖', unknown: '?', error: '!', suppressed: '~', pass: '✔'} as const

function resourceLabel(finding: Finding): string {
  const region = finding.resource.region ? ` (${finding.resource.region})` : ''
  return text(`${finding.resource.type} ${finding.resource.name ?? finding.resource.id}${region}`)
}

/** Headings count by status in the summary's words, so "6 failing" under HIGH is the summary's "6 high". */
function statusCounts(group: readonly Finding[]): string {
  const labels: Record<Finding['status'], string> = {fail: 'failing', unknown: 'unknown', error: 'errors', suppressed: 'suppressed', pass: 'passed'}
  return STATUSES.flatMap((status) => {
    const count = group.filter((finding) => finding.status === status).length
    return count > 0 ? [`${count} ${labels[status]}`] : []
  }).join(', ')
}

export function renderTable(report: ScanReport, options: TableOptions): string {
  const paint = painter(options.color)
  const lines: string[] = []
  lines.push(
    paint('bold', `emr-audit ${text(report.tool.version)}`) +
      text(` · account ${report.account.id || 'unknown'} (${report.account.partition}) · ${report.regions.join(', ')} · ${report.finishedAt}`) +
      (report.inventorySource ? text(` · from ${report.inventorySource}`) : ''),
  )
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((finding) => finding.severity === severity)
    if (group.length === 0) continue
    lines.push('', paint(severityStyle[severity], `${severity.toUpperCase()} (${statusCounts(group)})`))
    // A fold, not a spread: a group may hold more findings than a call takes arguments.
    const idWidth = group.reduce((widest, finding) => Math.max(widest, text(finding.ruleId).length), 0)
    for (const finding of group) {
      const mark = finding.status === 'fail' ? paint(severityStyle[severity], statusMark.fail) : statusMark[finding.status]
      const tags = [...(finding.status === 'fail' ? [] : [finding.status]), ...(finding.baseline === 'existing' ? ['in baseline'] : [])]
      lines.push(`  ${mark} ${text(finding.ruleId).padEnd(idWidth)}  ${resourceLabel(finding)}${tags.length ? paint('dim', `  [${tags.join(', ')}]`) : ''}`)
      lines.push(`    ${text(finding.message)}`)
    }
  }
  for (const suppression of report.suppressions?.expired ?? []) {
    lines.push(
      '',
      paint('yellow', text(`⚠ suppression of ${suppression.ruleId} on ${suppression.resource} expired on ${suppression.expires}; it no longer applies`)),
    )
  }
  for (const suppression of report.suppressions?.stale ?? []) {
    lines.push('', paint('yellow', text(`⚠ suppression of ${suppression.ruleId} on ${suppression.resource} matched nothing (stale)`)))
  }
  const gaps = report.coverage.filter((outcome) => outcome.status !== 'ok')
  if (gaps.length > 0) {
    lines.push('', paint(['bold', 'yellow'], `Coverage gaps (${gaps.length}): these sources were not fully read, so checks that need them are unknown`))
    for (const gap of gaps) {
      const action = gap.action ? ` ${gap.action}` : ''
      lines.push(`  ⚠ ${text(`${gap.source} ${gap.region}: ${gap.status}${action}${gap.message ? ` — ${gap.message}` : ''}`)}`)
    }
  }
  if (report.selection) lines.push('', ...selectionLines(report.selection).map((line) => paint('dim', text(line))))
  const {byStatus, failingBySeverity} = report.summary
  const failingParts = SEVERITIES.filter((severity) => failingBySeverity[severity] > 0).map((severity) => `${failingBySeverity[severity]} ${severity}`)
  lines.push(
    '',
    `Summary: ${byStatus.fail} failing${failingParts.length ? ` (${failingParts.join(', ')})` : ''}, ${byStatus.unknown} unknown, ${byStatus.error} errors, ${byStatus.suppressed} suppressed, ${byStatus.pass} passed · ${gaps.length} coverage gaps` +
      (report.baseline ? ` · ${report.baseline.new} new since the baseline` : ''),
  )
  return `${lines.join('\n')}\n`
}
