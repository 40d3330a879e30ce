/**
 * Whoever can name a cluster, tag a subnet or write a policy controls text that emr-audit prints. Hostile
 * text in every account-controlled field of the demo inventory must not reach a terminal, a CI log or a
 * step summary raw, and every machine format must still parse. The CI rules come from GitHub's workflow
 * commands (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands), the
 * Markdown ones from GFM (https://github.github.com/gfm/#tables-extension-).
 */
import {readFileSync} from 'node:fs'
import {parse as parseCsv} from 'csv-parse/sync'
import fc from 'fast-check'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../../src/app/load-config.js'
import {analyze} from '../../src/app/analyze.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../../src/app/demo.js'
import {planFixes} from '../../src/fix/planner.js'
import type {Cluster, Inventory} from '../../src/inventory/schema.js'
import {parseInventory} from '../../src/inventory/io.js'
import {buildReport, type ScanReport} from '../../src/report/model.js'
import {render} from '../../src/report/outputs.js'
import {renderOutcome, renderPlan, renderRollbackOutcome} from '../../src/report/plan.js'
import {painter} from '../../src/report/table.js'
import {RULES} from '../../src/rules/index.js'
import {cluster, emptyInventory} from '../fixtures/inventory.js'
import {ocsfProblems} from '../fixtures/ocsf.js'
import {sarifProblems} from '../fixtures/sarif.js'

const NOW = new Date('2026-11-23T00:00:00Z')
const demoText = readFileSync(DEMO_INVENTORY, 'utf8')
const config = await loadConfig(DEMO_CONFIG_FILE)

const FRAGMENTS = [
  '\x1b[2J',
  '\x1b]8;;https://evil.example\x07',
  '\r\n::warning title=injected::x',
  '\r  ✔ ok',
  '\n::add-mask::secret',
  '##[error]x',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\x7f',
  '\x9b',
  '|',
  '\\|',
  '<img src=x onerror=alert(1)>',
  '@team',
  '#1',
  '[l](https://evil.example)',
  '`',
  '\ud800',
]
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({unit: 'binary', maxLength: 6})), {minLength: 1, maxLength: 5})
  .map((parts) => parts.join(''))
  .filter((text) => text.length > 0)

/** Every name, id and tag value of the demo account with `text` appended, the same way everywhere it occurs, so references still resolve. */
function poisonedDemo(text: string): Inventory {
  const demo = JSON.parse(demoText) as Inventory
  const names = new Set<string>()
  for (const role of demo.iam.roles) for (const name of [role.name, ...role.inlinePolicies.map((policy) => policy.name)]) names.add(name)
  for (const profile of demo.iam.instanceProfiles) names.add(profile.name)
  for (const entry of demo.emr.clusters) names.add(entry.id).add(entry.name)
  for (const entry of demo.emr.securityConfigurations) names.add(entry.name)
  for (const group of demo.ec2.securityGroups) names.add(group.name)
  for (const secret of demo.secrets) names.add(secret.name)
  const alternatives = [...names]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  // Whole names only (inside ARNs too), never a part of another word such as `secrets` in `secretsmanager`.
  const pattern = new RegExp(`(?<![\\w.-])(?:${alternatives.join('|')})(?![\\w.-])`, 'g')
  const inventory = parseInventory(
    JSON.parse(demoText, (_key, value: unknown) => (typeof value === 'string' ? value.replace(pattern, (name) => `${name}${text}`) : value)),
    'poisoned',
  )
  for (const entry of inventory.emr.clusters) entry.tags.push({key: text, value: text})
  for (const group of inventory.ec2.securityGroups) group.tags.push({key: 'Name', value: text})
  for (const role of inventory.iam.roles)
    for (const policy of role.inlinePolicies)
      policy.document = {
        Version: '2012-10-17',
        Statement: [{Sid: text, Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::123456789012:role/${text}`}],
      }
  inventory.coverage.push({source: 'emr.steps', region: 'us-east-1', status: 'error', action: text, message: text})
  return inventory
}

function reportOf(inventory: Inventory, text: string): ScanReport {
  const suppression = {ruleId: text, resource: text, reason: text, expires: '2020-01-01'}
  return buildReport(inventory, analyze(inventory, {config, now: NOW}), {
    includePassed: true,
    inventorySource: text,
    baselineSource: text,
    suppressions: {expired: [suppression], stale: [suppression]},
  })
}

/** The text shown to a person on a terminal, in a CI log and in a step summary. */
function humanOutputs(inventory: Inventory, report: ScanReport, text: string): Record<string, string> {
  const plan = planFixes(report.findings, inventory, {config, now: NOW})
  const [change] = plan.changes
  const paint = painter(false)
  const outcomes = change
    ? [
        renderOutcome({change, status: 'failed', detail: text}, paint),
        renderRollbackOutcome({entry: {change, state: 'applied', beforeImage: change.before, appliedAt: text}, status: 'refused', detail: text}, paint),
      ]
    : []
  // With colour, the only escape sequences are the renderer's own SGR codes; removed here, the rest must be as clean as without.
  const coloured = render(report, 'table', RULES, true).replace(new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g'), '')
  return {
    coloured,
    table: render(report, 'table', RULES, false),
    plan: renderPlan(plan, {color: false, applying: false}),
    outcomes: outcomes.join('\n'),
    markdown: render(report, 'markdown', RULES, false),
  }
}

/** No raw control below 0x20 but the renderer's own newlines, no DEL or C1, no invisible format character. */
const RAW_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u
function rawControls(output: string): string[] {
  return [...output]
    .filter((character) => character !== '\n' && RAW_CONTROL.test(character))
    .map((character) => `U+${(character.codePointAt(0) ?? 0).toString(16)}`)
}

/** Lines the Actions runner would read as a workflow command: `::` first after blanks, or `##[` anywhere. */
const workflowCommands = (output: string): string[] => output.split('\n').filter((line) => /^\s*::/.test(line) || line.includes('##['))

/** The cells of a GFM table row: a `|` preceded by a backslash escape is content, not a separator. */
function cellCount(row: string): number {
  let separators = 0
  for (let index = 0; index < row.length; index++) {
    if (row[index] === '\\') index++
    else if (row[index] === '|') separators++
  }
  return separators - 1
}

function expectSafe(inventory: Inventory, text: string): void {
  const report = reportOf(inventory, text)
  // The hostile text reached the report: the assertions below are about it, not about an empty run.
  expect(JSON.stringify(report)).toContain(JSON.stringify(text).slice(1, -1))
  const outputs = humanOutputs(inventory, report, text)
  for (const [name, output] of Object.entries(outputs)) {
    expect(rawControls(output), name).toEqual([])
    expect(workflowCommands(output), name).toEqual([])
  }
  const rows =
    outputs['markdown']?.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| critical') && !line.startsWith('| severity')) ?? []
  expect(rows.length).toBeGreaterThan(0)
  for (const row of rows) expect(cellCount(row), row).toBe(/^\| \d/.test(row) ? 9 : 5)
  const markdown = (outputs['markdown'] ?? '').replace(/<\/?(details|summary)>/g, '').replace(/^> /gm, '')
  expect(markdown).not.toMatch(/[<>]/)
  expect(markdown).not.toMatch(/@(?!&#8203;)/)
  const json = render(report, 'json', RULES, false)
  const sarif = render(report, 'sarif', RULES, false)
  // The same values, but nothing invisible or controlling written raw, even inside strings.
  expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)))
  expect(sarifProblems(JSON.parse(sarif))).toEqual([])
  for (const [name, output] of Object.entries({json, sarif})) expect(rawControls(output), name).toEqual([])
  const junit = render(report, 'junit', RULES, false)
  const csv = render(report, 'csv', RULES, false)
  const ocsf = render(report, 'ocsf', RULES, false)
  const asff = render(report, 'asff', RULES, false)
  // `scan --format json|sarif|junit|csv|ocsf|asff` and `fix --format json` print to a CI log too.
  for (const [name, output] of Object.entries({json, sarif, junit, csv, ocsf, asff})) expect(workflowCommands(output), name).toEqual([])
  for (const [name, output] of Object.entries({csv, ocsf, asff})) expect(rawControls(output.replaceAll('\r\n', '\n')), name).toEqual([])
  expect(parseCsv(csv)).toHaveLength(report.findings.length + 1)
  for (const event of JSON.parse(ocsf) as Array<Record<string, unknown>>) expect(ocsfProblems(event, 'detection_finding')).toEqual([])
  expect(JSON.parse(asff)).toHaveLength(report.findings.length)
  expect(XMLValidator.validate(junit)).toBe(true)
  expect(Number((new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(junit) as {testsuites: {tests: string}}).testsuites.tests)).toBe(
    report.findings.length,
  )
}

describe('account-controlled text in every output', () => {
  it('random hostile text in names, tags, policies and endpoint errors never reaches a terminal, log or summary raw, and every format parses', () => {
    fc.assert(
      fc.property(hostile, (text) => expectSafe(poisonedDemo(text), text)),
      {numRuns: 30},
    )
    // Each run analyses, plans and renders the whole demo account in six formats.
  }, 60_000)

  function withClusterNamed(name: string): Inventory {
    const inventory = emptyInventory()
    inventory.emr.clusters.push(cluster({id: 'j-1', name, serviceRole: 'missing-role'}) as Cluster)
    return inventory
  }

  it('a cluster named to forge an annotation shows its escapes on one line', () => {
    const table = render(reportOf(withClusterNamed('etl\r\n::warning title=injected::x'), 'x'), 'table', RULES, false)
    expect(table).toContain('etl\\r\\n::warning title=injected::x')
    expect(workflowCommands(table)).toEqual([])
  })

  it('a cluster named with a legacy workflow command forges nothing when a machine format is printed to the log', () => {
    // The runner reads `##[command]` anywhere in a line (actions/runner ActionCommand, `_actionCommandPrefix = "##["`).
    const report = reportOf(withClusterNamed('etl ##[add-mask]ok ##[error]forged'), 'x')
    for (const format of ['json', 'sarif', 'junit'] as const) {
      const output = render(report, format, RULES, false)
      expect(workflowCommands(output), format).toEqual([])
    }
    const json = render(report, 'json', RULES, false)
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)))
  })

  it('a cluster named to overwrite its own ✖ line with a ✔ cannot return the cursor', () => {
    const table = render(reportOf(withClusterNamed('etl\r  ✔ ok'), 'x'), 'table', RULES, false)
    expect(table).toContain('etl\\r  ✔ ok')
    expect(table).not.toContain('\r')
  })
})
