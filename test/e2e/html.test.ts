/**
 * The HTML report in a real browser (Debian's headless Chromium driven by playwright-core): the demo
 * account, whose service role cannot pass its custom-named EC2 role (EMR-PASSROLE-001), with a cluster and
 * a security group renamed to hostile text. One scan writes the JSON and the HTML report; the page must
 * agree with the JSON, filter and sort, draw the failing link red, and show the hostile names as text.
 * The screenshot is kept under test-artifacts/ (ignored by git) for a person to look at, nothing more.
 */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {type Browser, chromium, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ScanReport} from '../../src/report/model.js'
import {emulatorEnv, runCli} from './cli.js'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ARTIFACTS = join(ROOT, 'test-artifacts')
const HOSTILE_CLUSTER = `adhoc"><img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>`
const HOSTILE_GROUP = `emr-master'><svg onload="window.pwned=3">`
const PLANTED = {cluster: 'j-OD74ELR2MILR2', serviceRole: 'analytics-emr-service', ec2Role: 'analytics-ec2', ruleId: 'EMR-PASSROLE-001'}

let browser: Browser
let page: Page
let report: ScanReport
const requests: string[] = []
const consoleErrors: string[] = []

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install -y --no-install-recommends chromium; .ci/run does it) or set CHROMIUM_PATH`,
    )
  }
  const dir = await mkdtemp(join(tmpdir(), 'emr-audit-html-'))
  const inventory = JSON.parse(await readFile(join(ROOT, 'examples/demo/inventory.json'), 'utf8')) as {
    emr: {clusters: Array<{id: string; name: string}>}
    ec2: {securityGroups: Array<{id: string; name: string}>}
  }
  const planted = inventory.emr.clusters.find((entry) => entry.id === PLANTED.cluster)
  const group = inventory.ec2.securityGroups[0]
  if (!planted || !group) throw new Error('the demo inventory changed: it no longer has the cluster and security group this test renames')
  planted.name = HOSTILE_CLUSTER
  group.name = HOSTILE_GROUP
  await writeFile(join(dir, 'inventory.json'), JSON.stringify(inventory))
  const htmlPath = join(dir, 'report.html')
  const jsonPath = join(dir, 'report.json')
  const scan = await runCli(
    [
      'scan',
      '--inventory',
      join(dir, 'inventory.json'),
      '--config',
      join(ROOT, 'examples/demo/emr-audit.yaml'),
      '--output',
      `json=${jsonPath}`,
      '--output',
      `html=${htmlPath}`,
    ],
    emulatorEnv('http://127.0.0.1:9'),
  )
  expect(scan.stderr).toBe('')
  expect(scan.code).toBe(1)
  report = JSON.parse(await readFile(jsonPath, 'utf8')) as ScanReport
  browser = await chromium.launch({executablePath: CHROMIUM, chromiumSandbox: false, args: ['--disable-gpu']})
  page = await browser.newPage({viewport: {width: 1400, height: 1000}})
  page.on('request', (request) => requests.push(request.url()))
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  await page.goto(pathToFileURL(htmlPath).href)
}, 90_000)

afterAll(async () => {
  if (page) {
    await mkdir(ARTIFACTS, {recursive: true})
    await page.screenshot({path: join(ARTIFACTS, 'html-report.png'), fullPage: true})
  }
  await browser?.close()
})

/** The project type-checks without the DOM library: the little of it these page functions use, typed here. */
interface Row {
  hidden: boolean
  cells: ArrayLike<{textContent: string | null}>
}
type BrowserGlobal = {getComputedStyle(element: unknown): {stroke: string}; pwned?: number}

const visibleRows = (target: Page) =>
  target.$$eval('#findings-table tbody tr', (rows) =>
    (rows as unknown as Row[]).filter((row) => !row.hidden).map((row) => Array.from(row.cells, (cell) => cell.textContent?.trim() ?? '')),
  )
// Page functions are sent to the browser as source: they may use only what is defined there.
const strokeOf = (path: unknown): string => (globalThis as unknown as BrowserGlobal).getComputedStyle(path).stroke

describe('the HTML report in Chromium', () => {
  it('loads nothing but itself, and its policy blocks nothing of its own', () => {
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatch(/^file:\/\/.*report\.html$/)
    expect(consoleErrors).toEqual([])
  })

  it('shows the same counts per severity as the JSON report', async () => {
    const shown = await page.$$eval('#summary [data-severity]', (items) =>
      items.map((item) => [item.getAttribute('data-severity'), Number(item.querySelector('.count')?.textContent)]),
    )
    expect(Object.fromEntries(shown)).toEqual(report.summary.failingBySeverity)
    expect(await visibleRows(page)).toHaveLength(report.findings.length)
  })

  it('filtered to severity high, lists exactly the high findings; sorted by rule, in rule order', async () => {
    await page.selectOption('[data-filter="severity"]', 'high')
    const high = await visibleRows(page)
    const expected = report.findings.filter((finding) => finding.severity === 'high')
    expect(expected.length).toBeGreaterThan(0)
    expect(high.map((cells) => `${cells[0]} ${cells[2]}`).sort()).toEqual(expected.map((finding) => `high ${finding.ruleId}`).sort())
    expect(await page.textContent('#shown')).toBe(`${expected.length} of ${report.findings.length} findings shown`)
    await page.click('button[data-sort="rule"]')
    const rules = (await visibleRows(page)).map((cells) => cells[2] ?? '')
    expect(rules).toEqual([...rules].sort())
    await page.selectOption('[data-filter="severity"]', '')
    expect(await visibleRows(page)).toHaveLength(report.findings.length)
  })

  it('opens a finding to its evidence and remediation', async () => {
    const row = page.locator('#findings-table tbody tr', {hasText: PLANTED.ruleId}).first()
    await row.locator('summary').click()
    await expect.poll(() => row.locator('pre').isVisible()).toBe(true)
    expect(await row.locator('pre').textContent()).toContain(`"passedRole": "arn:aws:iam::123456789012:role/${PLANTED.ec2Role}"`)
    expect(await row.locator('details').textContent()).toContain('iam:PutRolePolicy')
  })

  it('draws the planted defect as a red link from the service role to the EC2 role, labelled with its rule id', async () => {
    const figure = page.locator(`figure[data-subject="${PLANTED.cluster}"]`)
    const link = figure.locator(`g.edge.fail[data-from="${PLANTED.serviceRole}"][data-to="${PLANTED.ec2Role}"]`)
    await expect.poll(() => link.count()).toBe(1)
    expect(await link.locator('text').textContent()).toBe(`passes: ${PLANTED.ruleId}`)
    expect(await link.locator('path').evaluate(strokeOf)).toBe('rgb(198, 40, 40)')
    const box = await link.locator('path').boundingBox()
    expect(box?.width).toBeGreaterThan(50)
    // Links that pass are grey.
    const passing = figure.locator(`g.edge:not(.fail)[data-to="${PLANTED.serviceRole}"] path`)
    expect(await passing.evaluate(strokeOf)).toBe('rgb(140, 149, 159)')
  })

  it('shows hostile names as text: no element, handler or script comes from them', async () => {
    const caption = page.locator(`figure[data-subject="${PLANTED.cluster}"] figcaption`)
    expect(await caption.textContent()).toBe(`cluster ${HOSTILE_CLUSTER} (${PLANTED.cluster}, us-east-1)`)
    const labels = await page.$$eval('svg.wiring g.node', (nodes) =>
      nodes.map((node) => [node.getAttribute('data-label'), node.querySelector('title')?.textContent ?? '']),
    )
    const groupNodes = labels.filter(([label]) => label?.endsWith(`(${HOSTILE_GROUP})`))
    expect(groupNodes.length).toBeGreaterThan(0)
    for (const [label, title] of groupNodes) expect(title.startsWith(`${label} (security group`)).toBe(true)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('script').count()).toBe(2)
    expect(await page.locator('svg').count()).toBe(report.wiring?.length ?? -1)
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobal).pwned)).toBeUndefined()
  })
})
