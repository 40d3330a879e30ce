/** Markdown for `$GITHUB_STEP_SUMMARY` and pull-request comments: a summary, then the findings table. */
import {SEVERITIES} from '../findings/types.js'
import {forMarkdown as md} from '../shared/escape.js'
import type {ScanReport} from './model.js'
import {wiringMarkdown} from './mermaid.js'
import {selectionLines} from './selection-text.js'

export function renderMarkdown(report: ScanReport): string {
  const {byStatus, failingBySeverity} = report.summary
  const lines = [
    `## emr-audit: account ${md(report.account.id)}`,
    '',
    `Regions ${md(report.regions.join(', '))} · ${md(report.finishedAt)} · emr-audit ${md(report.tool.version)}`,
    '',
    '| critical | high | medium | low | info | unknown | errors | suppressed | passed |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${SEVERITIES.map((severity) => failingBySeverity[severity]).join(' | ')} | ${byStatus.unknown} | ${byStatus.error} | ${byStatus.suppressed} | ${byStatus.pass} |`,
    '',
  ]
  if (report.selection) lines.push(...selectionLines(report.selection).map((line) => `> ${md(line)}`), '')
  if (report.baseline) lines.push(`**${report.baseline.new} new** since the baseline (${report.baseline.existing} already known).`, '')
  const listed = report.findings.filter((finding) => finding.status !== 'pass')
  if (listed.length > 0) {
    lines.push('| severity | status | rule | resource | finding |', '|---|---|---|---|---|')
    for (const finding of listed) {
      const status = finding.baseline === 'new' && finding.status === 'fail' ? 'fail (new)' : finding.status
      lines.push(
        `| ${finding.severity} | ${status} | ${md(finding.ruleId)} | ${md(`${finding.resource.type} ${finding.resource.name ?? finding.resource.id}${finding.resource.region ? ` (${finding.resource.region})` : ''}`)} | ${md(finding.message)} |`,
      )
    }
    lines.push('')
  } else lines.push('No findings.', '')
  lines.push(...wiringMarkdown(report))
  const gaps = report.coverage.filter((outcome) => outcome.status !== 'ok')
  if (gaps.length > 0) {
    lines.push(`<details><summary>${gaps.length} coverage gaps: checks that need these sources are unknown</summary>`, '')
    for (const gap of gaps) lines.push(`- \`${gap.source}\` ${md(gap.region)}: ${gap.status}${gap.action ? ` (${md(gap.action)})` : ''}`)
    lines.push('', '</details>', '')
  }
  for (const suppression of report.suppressions?.expired ?? [])
    lines.push(`> ⚠ Suppression of ${md(suppression.ruleId)} on ${md(suppression.resource)} expired on ${md(suppression.expires)}.`, '')
  for (const suppression of report.suppressions?.stale ?? [])
    lines.push(`> ⚠ Suppression of ${md(suppression.ruleId)} on ${md(suppression.resource)} matched nothing.`, '')
  return `${lines.join('\n')}`
}
