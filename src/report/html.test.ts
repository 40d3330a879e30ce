import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {cluster, emptyInventory, role, roleArn, withRoles} from '../../test/fixtures/inventory.js'
import {finding, sampleReport} from '../../test/fixtures/report.js'
import {SEVERITIES} from '../findings/types.js'
import {renderHtml} from './html.js'
import {buildReport, type ScanReport} from './model.js'
import {wiringTopology} from './wiring-topology.js'

const HOSTILE = {
  message: '</script><script>alert(1)</script> \u202e done',
  cluster: '"><img src=x onerror=alert(1)><svg onload=alert(2)>',
  role: "x'onmouseover='alert(3)",
}

function hostileReport(): ScanReport {
  const inventory = withRoles(emptyInventory(), role({name: 'svc'}), role({name: 'ec2', profiles: [{name: 'ec2'}]}))
  inventory.emr.clusters.push(cluster({id: 'j-1', name: HOSTILE.cluster, serviceRole: 'svc', instanceProfile: 'ec2'}))
  const findings = [
    finding('EMR-PASSROLE-001', 'critical', 'fail', 'svc', {message: HOSTILE.message, evidence: {passedRole: roleArn('ec2'), note: HOSTILE.message}}),
    finding('EMR-TRUST-002', 'medium', 'fail', HOSTILE.role),
  ]
  return buildReport(inventory, findings, {includePassed: true, wiring: wiringTopology(inventory, {})})
}

const inlineBlocks = (page: string, tag: 'style' | 'script'): string[] =>
  [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1] ?? '')
const hashOf = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

describe('the HTML report', () => {
  it('allows by hash exactly its own stylesheet and script, and loads nothing', () => {
    const page = renderHtml(sampleReport())
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? ''
    const [style = '', ...otherStyles] = inlineBlocks(page, 'style')
    const [script = '', ...otherScripts] = inlineBlocks(page, 'script')
    expect(otherStyles).toEqual([])
    expect(otherScripts).toEqual([])
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `style-src ${hashOf(style)}`,
      `script-src ${hashOf(script)}`,
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
    ])
    // No attribute that loads or runs anything, and no inline style the policy would block.
    expect(page).not.toMatch(/\s(src|href|style|on[a-z]+)=/i)
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/)
  })

  it('writes account text as text: no markup, attribute or script can be injected', () => {
    const page = renderHtml(hostileReport())
    expect(page.match(/<script/g)).toHaveLength(2)
    expect(page.match(/<svg/g)).toHaveLength(1)
    expect(page).not.toMatch(/<img/i)
    // No element carries an event handler (account text may say "onerror=", as text or inside a quoted value).
    expect(page.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z][^<>]*\son[a-z]+=/i)
    expect(page).not.toContain('\u202e')
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; \\u202e done')
    expect(page).toContain('data-label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;svg onload=alert(2)&gt;"')
    expect(page).toContain('x&#39;onmouseover=&#39;alert(3)')
  })

  it("embeds the script's data as JSON with no `<`, one entry per finding row", () => {
    const report = hostileReport()
    const page = renderHtml(report)
    const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page)?.[1] ?? ''
    const data = JSON.parse(json) as {rows: Array<{rule: string; resource: string}>}
    expect(data.rows.map((row) => row.rule)).toEqual(report.findings.map((entry) => entry.ruleId))
    expect(data.rows.map((row) => row.resource)).toContain(`iam-role ${HOSTILE.role}`)
    expect(page.match(/<tr data-index="\d+">/g)).toHaveLength(report.findings.length)
  })

  it('summarises failing findings by severity and every finding by group, as the JSON report counts them', () => {
    const report = sampleReport()
    const page = renderHtml(report)
    for (const severity of SEVERITIES) {
      expect(page).toContain(`<li class="sev-${severity}" data-severity="${severity}"><span class="count">${report.summary.failingBySeverity[severity]}</span>`)
    }
    // PROFILE: 1 fail; TAG: 1 suppressed; TRUST: 1 fail, 1 unknown, 1 pass; ROLE: 1 error.
    expect(page).toMatch(
      /<tr data-group="TRUST"><th scope="row">TRUST<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">1<\/td><\/tr>/,
    )
    expect(page).toContain('emr.studios in us-east-1 was unsupported (elasticmapreduce:ListStudios)')
  })

  it('draws the failing link of each cluster in red with its rule id', () => {
    const page = renderHtml(hostileReport())
    expect(page).toMatch(
      /<g class="edge fail" data-from="svc" data-to="ec2" data-rules="EMR-PASSROLE-001"><path d="[^"]+" marker-end="url\(#d0-fail\)"\/><text[^>]*>passes: EMR-PASSROLE-001<\/text><\/g>/,
    )
    expect(page.match(/<g class="edge fail"/g)).toHaveLength(1)
  })
})
