/**
 * `--format html`: one self-contained page (no network, no external assets): the summary by severity and
 * rule group, the findings in a table a reader can sort and filter (severity, group, rule, region,
 * status), each expandable to its evidence and remediation, and a diagram of each cluster's and Studio's
 * wiring. A strict Content-Security-Policy allows only the page's own stylesheet and script, by hash.
 * Every text from the report is escaped where it is written; the script's data is JSON with `<` escaped.
 */
import {createHash} from 'node:crypto'
import {forHtml as html, forTerminal, jsonForScript, jsonText} from '../shared/escape.js'
import {type Finding, SEVERITIES, STATUSES} from '../findings/types.js'
import {RULE_GROUPS} from '../rules/types.js'
import {SCRIPT, STYLESHEET} from './html-assets.js'
import {subjectTitle} from './mermaid.js'
import type {ScanReport} from './model.js'
import {selectionLines} from './selection-text.js'
import {wiringSvg} from './svg.js'
import {wiringGraphs} from './wiring.js'

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/** Nothing loads from anywhere; only this stylesheet and script apply; no base URL, form target or framing tricks. */
export function contentSecurityPolicy(style: string, script: string): string {
  return `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; img-src data:; base-uri 'none'; form-action 'none'`
}

// Filter values are compared with the options' values, which are shown (and so escaped) like any text.
const groupOf = (ruleId: string): string => forTerminal(/^EMR-([A-Z]+)-\d{3}$/.exec(ruleId)?.[1] ?? ruleId)
const regionOf = (finding: Finding): string => forTerminal(finding.resource.region ?? 'global')

/** A text with line breaks of its own (indented JSON), each line escaped. */
const htmlLines = (text: string): string => text.split('\n').map(html).join('\n')

function summarySection(report: ScanReport): string {
  const {byStatus, failingBySeverity} = report.summary
  const cards = SEVERITIES.map(
    (severity) => `<li class="sev-${severity}" data-severity="${severity}"><span class="count">${failingBySeverity[severity]}</span>${severity}</li>`,
  ).join('')
  const statusCells = STATUSES.map((status) => `<td class="num" data-status="${status}">${byStatus[status]}</td>`).join('')
  const groups = RULE_GROUPS.flatMap((group) => {
    const inGroup = report.findings.filter((finding) => groupOf(finding.ruleId) === group)
    if (inGroup.length === 0) return []
    const cells = STATUSES.map((status) => `<td class="num">${inGroup.filter((finding) => finding.status === status).length}</td>`).join('')
    return [`<tr data-group="${group}"><th scope="row">${group}</th>${cells}</tr>`]
  })
  const statusHeads = STATUSES.map((status) => `<th class="num" scope="col">${status}</th>`).join('')
  return [
    '<section id="summary"><h2>Summary</h2>',
    '<p class="note">Failing findings by severity</p>',
    `<ul class="cards">${cards}</ul>`,
    `<table class="compact by-status"><thead><tr>${statusHeads}<th class="num" scope="col">coverage gaps</th></tr></thead><tbody><tr>${statusCells}<td class="num">${report.summary.coverageGaps}</td></tr></tbody></table>`,
    groups.length > 0
      ? `<table class="compact by-group"><thead><tr><th scope="col">group</th>${statusHeads}</tr></thead><tbody>${groups.join('')}</tbody></table>`
      : '',
    ...notes(report).map((line) => `<p class="note">${html(line)}</p>`),
    '</section>',
  ].join('\n')
}

/** What the reader must know to trust the numbers: what was left out, baseline, gaps, suppressions. */
function notes(report: ScanReport): string[] {
  const lines = report.selection ? [...selectionLines(report.selection)] : []
  if (report.baseline)
    lines.push(`${report.baseline.new} failing findings are new since the baseline ${report.baseline.source} (${report.baseline.existing} already known).`)
  for (const gap of report.coverage.filter((outcome) => outcome.status !== 'ok')) {
    lines.push(
      `Coverage gap: ${gap.source} in ${gap.region}${gap.account ? ` (account ${gap.account})` : ''} was ${gap.status}${gap.action ? ` (${gap.action})` : ''}; checks that need it are unknown.`,
    )
  }
  for (const suppression of report.suppressions?.expired ?? [])
    lines.push(`Suppression of ${suppression.ruleId} on ${suppression.resource} expired on ${suppression.expires}.`)
  for (const suppression of report.suppressions?.stale ?? []) lines.push(`Suppression of ${suppression.ruleId} on ${suppression.resource} matched nothing.`)
  return lines
}

interface RowData {
  index: number
  severity: string
  severityRank: number
  status: string
  statusRank: number
  group: string
  rule: string
  region: string
  resource: string
}

function rowData(finding: Finding, index: number): RowData {
  return {
    index,
    severity: finding.severity,
    severityRank: SEVERITIES.indexOf(finding.severity),
    status: finding.status,
    statusRank: STATUSES.indexOf(finding.status),
    group: groupOf(finding.ruleId),
    rule: forTerminal(finding.ruleId),
    region: regionOf(finding),
    resource: `${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`,
  }
}

function findingRow(finding: Finding, index: number, multiAccount: boolean): string {
  const resource = [`${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`, ...(finding.resource.arn ? [finding.resource.arn] : [])]
  const status = finding.status === 'fail' && finding.baseline === 'new' ? 'fail (new)' : finding.status
  const details = [
    `<summary>${html(finding.message)}</summary>`,
    '<h4>Evidence</h4>',
    `<pre>${htmlLines(jsonText(finding.evidence))}</pre>`,
    '<h4>Remediation</h4>',
    `<p>${html(finding.remediation.summary)} <span class="note">(automatic fix: ${html(finding.remediation.autoApply)})</span></p>`,
    ...(finding.suppression ? [`<p class="note">Suppressed until ${html(finding.suppression.expires)}: ${html(finding.suppression.reason)}</p>`] : []),
    ...(finding.scope ? [`<p class="note">In scope as ${html(finding.scope.map((reason) => `${reason.class} (${reason.detail})`).join('; '))}</p>`] : []),
    `<p class="note">${html(finding.title)} · fingerprint <code>${html(finding.fingerprint)}</code></p>`,
  ]
  return [
    `<tr data-index="${index}">`,
    `<td class="sev sev-${html(finding.severity)}">${html(finding.severity)}</td>`,
    `<td class="status-${html(finding.status)}">${html(status)}</td>`,
    `<td><code>${html(finding.ruleId)}</code></td>`,
    `<td>${html(groupOf(finding.ruleId))}</td>`,
    `<td>${html(regionOf(finding))}</td>`,
    `<td class="resource">${multiAccount && finding.account ? `${html(finding.account)}<br>` : ''}${resource.map(html).join('<br>')}</td>`,
    `<td><details>${details.join('')}</details></td>`,
    '</tr>',
  ].join('')
}

function filterSelect(key: string, label: string, values: readonly string[]): string {
  const options = values.map((value) => `<option value="${html(value)}">${html(value)}</option>`).join('')
  return `<label>${label}<select data-filter="${key}"><option value="">all</option>${options}</select></label>`
}

const present = (values: readonly string[], order?: readonly string[]): string[] => {
  const unique = [...new Set(values)]
  return order ? order.filter((value) => unique.includes(value)) : unique.sort()
}

function findingsSection(report: ScanReport): string {
  const {findings} = report
  const heads = [
    ['severity', 'Severity'],
    ['status', 'Status'],
    ['rule', 'Rule'],
    ['group', 'Group'],
    ['region', 'Region'],
    ['resource', 'Resource'],
  ]
  const head = `${heads.map(([key, title]) => `<th scope="col"><button type="button" data-sort="${key}">${title}</button></th>`).join('')}<th scope="col">Finding (expand for evidence and remediation)</th>`
  const filters = [
    filterSelect(
      'severity',
      'Severity',
      present(
        findings.map((finding) => finding.severity),
        SEVERITIES,
      ),
    ),
    filterSelect(
      'group',
      'Group',
      present(
        findings.map((finding) => groupOf(finding.ruleId)),
        RULE_GROUPS,
      ),
    ),
    filterSelect('rule', 'Rule', present(findings.map((finding) => forTerminal(finding.ruleId)))),
    filterSelect('region', 'Region', present(findings.map(regionOf))),
    filterSelect(
      'status',
      'Status',
      present(
        findings.map((finding) => finding.status),
        STATUSES,
      ),
    ),
  ]
  const multiAccount = report.account.id === '*'
  return [
    '<section id="findings"><h2>Findings</h2>',
    `<div class="filters">${filters.join('')}<output id="shown">${findings.length} of ${findings.length} findings shown</output></div>`,
    `<table id="findings-table"><thead><tr>${head}</tr></thead><tbody>`,
    ...findings.map((finding, index) => findingRow(finding, index, multiAccount)),
    '</tbody></table>',
    findings.length === 0 ? '<p>No findings.</p>' : '',
    '</section>',
  ].join('\n')
}

function wiringSection(report: ScanReport): string {
  const graphs = wiringGraphs(report).sort((a, b) => Number(b.failing) - Number(a.failing))
  if (graphs.length === 0) return ''
  const figures = graphs.map((graph, index) => {
    const title = subjectTitle(graph)
    return `<figure data-subject="${html(graph.subject.id)}"><figcaption>${html(title)}</figcaption>\n${wiringSvg(graph, `d${index}`, title)}</figure>`
  })
  return [
    '<section id="wiring"><h2>Wiring</h2>',
    '<p class="note">Red: a failing check on that link or resource, with its rule ids.</p>',
    ...figures,
    '</section>',
  ].join('\n')
}

export function renderHtml(report: ScanReport): string {
  const account = report.account.id === '*' ? `${report.accounts?.length ?? 0} accounts` : `account ${report.account.id} (${report.account.partition})`
  const meta = [
    account,
    `regions ${report.regions.join(', ')}`,
    report.finishedAt,
    `${report.tool.name} ${report.tool.version}`,
    ...(report.inventorySource ? [`from ${report.inventorySource}`] : []),
  ].join(' · ')
  const data = {rows: report.findings.map(rowData)}
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(STYLESHEET, SCRIPT)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(`emr-audit: ${account}`)}</title>`,
    `<style>${STYLESHEET}</style>`,
    '</head><body>',
    `<header><h1>emr-audit report</h1><p class="meta">${html(meta)}</p></header>`,
    summarySection(report),
    findingsSection(report),
    wiringSection(report),
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n')
}
