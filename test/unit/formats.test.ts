import {XMLParser} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {exitCodeFor} from '../../src/report/model.js'
import {parseOutputs, render} from '../../src/report/outputs.js'
import {RULES} from '../../src/rules/index.js'
import {sampleReport} from '../fixtures/report.js'
import {sarifProblems} from '../fixtures/sarif.js'

describe('SARIF', () => {
  const report = sampleReport()
  const sarif = JSON.parse(render(report, 'sarif', RULES, false)) as {
    version: string
    $schema: string
    runs: Array<{tool: {driver: {rules: Array<{id: string; properties: Record<string, string>}>}}; results: Array<{ruleId: string; level: string; partialFingerprints: Record<string, string>; suppressions?: unknown[]; locations: Array<{logicalLocations: Array<{fullyQualifiedName: string}>}>}>}>
  }
  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(sarifProblems(sarif)).toEqual([])
    // Rules left out are SARIF configuration overrides of the invocation.
    const selected = JSON.parse(render({...report, selection: {disabled: [{ruleId: 'EMR-SECCFG-006', reason: 'no realm'}], notSelected: ['EMR-ROLE-001'], severities: ['high']}}, 'sarif', RULES, false)) as {runs: Array<{invocations: Array<{ruleConfigurationOverrides: unknown[]}>}>}
    expect(sarifProblems(selected)).toEqual([])
    expect(selected.runs[0]?.invocations[0]?.ruleConfigurationOverrides).toHaveLength(2)
  })
  it('has one rule per rule with a security-severity, and one result per failing or suppressed finding', () => {
    const [run] = sarif.runs
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id))
    expect(run?.tool.driver.rules.every((rule) => Number(rule.properties['security-severity']) >= 0)).toBe(true)
    expect(run?.results.map((result) => result.ruleId)).toEqual(['EMR-PROFILE-001', 'EMR-TAG-001', 'EMR-TRUST-002'])
    expect(run?.results[0]?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe('arn:aws:iam::123456789012:role/ec2-a')
    expect(run?.results.map((result) => result.partialFingerprints['emrAuditFingerprint/v1'])).toEqual(
      report.findings.filter((finding) => finding.status === 'fail' || finding.status === 'suppressed').map((finding) => finding.fingerprint),
    )
    expect(run?.results[1]?.suppressions).toHaveLength(1)
  })
})

describe('JUnit', () => {
  it('parses, with a suite per rule group and counts that agree with the JSON report', () => {
    const report = sampleReport()
    const xml = render(report, 'junit', RULES, false)
    const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(xml) as {testsuites: {tests: string; failures: string; errors: string; skipped?: string; testsuite: Array<{name: string; testcase: unknown}>}}
    const suites = parsed.testsuites.testsuite
    expect(suites.map((suite) => suite.name)).toEqual(['emr-audit PROFILE', 'emr-audit ROLE', 'emr-audit TAG', 'emr-audit TRUST'])
    expect(Number(parsed.testsuites.tests)).toBe(report.findings.length)
    expect(Number(parsed.testsuites.failures)).toBe(report.summary.byStatus.fail)
    expect(Number(parsed.testsuites.errors)).toBe(report.summary.byStatus.error)
    expect(xml).toContain('&amp; &lt;xml> &quot;chars&quot;') // escaped, so the document stays well-formed
  })
})

describe('Markdown', () => {
  it('summarises counts and lists every non-passing finding, escaping pipes', () => {
    const report = sampleReport()
    const markdown = render(report, 'markdown', RULES, false)
    // critical, high, medium, low, info failing; then unknown, errors, suppressed, passed.
    expect(markdown).toContain('| 1 | 0 | 1 | 0 | 0 | 1 | 1 | 1 | 1 |')
    const rows = markdown.split('\n').filter((line) => /^\| (critical|high|medium|low|info) \| (fail|unknown|error|suppressed)/.test(line))
    expect(rows).toHaveLength(report.findings.filter((finding) => finding.status !== 'pass').length)
    expect(markdown).toContain('\\| with a pipe')
    expect(markdown).toContain('`emr.studios` us-east-1: unsupported')
  })
})

describe('every format agrees with the JSON report', () => {
  it('the same rule ids appear in each rendering', () => {
    const report = sampleReport()
    const failing = [...new Set(report.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.ruleId))]
    for (const format of ['json', 'sarif', 'junit', 'markdown', 'table', 'html'] as const) {
      const text = render(report, format, RULES, false)
      for (const ruleId of failing) expect(text, `${format} lacks ${ruleId}`).toContain(ruleId)
    }
  })
})

describe('--output targets', () => {
  it('parses FILE and FORMAT=FILE, rejecting unknown formats and repeats', () => {
    expect(parseOutputs([], 'table')).toEqual([{format: 'table'}])
    expect(parseOutputs(['r.json'], 'json')).toEqual([{format: 'json', path: 'r.json'}])
    expect(parseOutputs(['sarif=r.sarif', 'junit=r.xml'], 'table')).toEqual([{format: 'sarif', path: 'r.sarif'}, {format: 'junit', path: 'r.xml'}])
    expect(() => parseOutputs(['pdf=r.pdf'], 'table')).toThrow("unknown format 'pdf'")
    expect(() => parseOutputs(['json=r', 'sarif=r'], 'table')).toThrow('r is named twice')
  })
  it('- is standard output, once', () => {
    expect(parseOutputs(['table=-', 'sarif=r.sarif'], 'json')).toEqual([{format: 'table'}, {format: 'sarif', path: 'r.sarif'}])
    expect(() => parseOutputs(['table=-', 'json=-'], 'table')).toThrow('- is named twice')
  })
})

describe('exit codes with suppressions and baselines', () => {
  it('suppressed and existing findings do not count for --fail-on', () => {
    const report = sampleReport()
    expect(exitCodeFor(report, 'critical')).toBe(1)
    report.findings = report.findings.map((finding) => (finding.ruleId === 'EMR-PROFILE-001' ? {...finding, baseline: 'existing' as const} : finding))
    expect(exitCodeFor(report, 'critical')).toBe(3) // the unknown, error and the coverage gap remain
    expect(exitCodeFor(report, 'medium')).toBe(1) // EMR-TRUST-002 is new
    expect(exitCodeFor({...report, findings: report.findings.filter((finding) => finding.ruleId !== 'EMR-TRUST-002')}, 'info')).toBe(3)
  })
})
