import {mkdtemp, readFile, stat, symlink} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse as parseCsv} from 'csv-parse/sync'
import {XMLParser} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {ASFF_LIMITS, type AsffFinding, toAsffFindings, truncate} from '../../src/report/asff.js'
import {countFindings, exitCodeFor, type ScanReport} from '../../src/report/model.js'
import {formatForFileName, parseOutputs, render, writeOutputs} from '../../src/report/outputs.js'
import {RULES} from '../../src/rules/index.js'
import {finding, sampleReport} from '../fixtures/report.js'
import {ocsfProblems} from '../fixtures/ocsf.js'
import {sarifProblems} from '../fixtures/sarif.js'

describe('SARIF', () => {
  const report = sampleReport()
  const sarif = JSON.parse(render(report, 'sarif', RULES, false)) as {
    version: string
    $schema: string
    runs: Array<{
      tool: {driver: {rules: Array<{id: string; properties: Record<string, string>}>}}
      results: Array<{
        ruleId: string
        level: string
        partialFingerprints: Record<string, string>
        suppressions?: unknown[]
        locations: Array<{logicalLocations: Array<{fullyQualifiedName: string}>}>
      }>
    }>
  }
  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(sarifProblems(sarif)).toEqual([])
    // Rules left out are SARIF configuration overrides of the invocation.
    const selected = JSON.parse(
      render(
        {...report, selection: {disabled: [{ruleId: 'EMR-SECCFG-006', reason: 'no realm'}], notSelected: ['EMR-ROLE-001'], severities: ['high']}},
        'sarif',
        RULES,
        false,
      ),
    ) as {runs: Array<{invocations: Array<{ruleConfigurationOverrides: unknown[]}>}>}
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
    const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(xml) as {
      testsuites: {tests: string; failures: string; errors: string; skipped?: string; testsuite: Array<{name: string; testcase: unknown}>}
    }
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

describe('CSV', () => {
  const hostile = (): ReturnType<typeof sampleReport> => {
    const report = sampleReport()
    report.findings.push(
      finding('EMR-TAG-002', 'low', 'fail', 'sg-1', {
        resource: {type: 'ec2-security-group', id: 'sg-1', name: '=HYPERLINK("http://x","y")', region: 'eu-west-1'},
        message: 'line one\nline "two", three',
      }),
      finding('EMR-TAG-002', 'low', 'fail', 'sg-2', {resource: {type: 'ec2-security-group', id: 'sg-2', name: '+1+1'}, message: '-2+3', title: '@SUM(A1)'}),
      finding('EMR-TAG-002', 'low', 'fail', 'sg-3', {resource: {type: 'ec2-security-group', id: 'sg-3', name: '\t=1', arn: '\r=2'}}),
    )
    return report
  }
  it('has a header naming the documented columns and one row per finding, CRLF-terminated', () => {
    const report = hostile()
    const text = render(report, 'csv', RULES, false)
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/)
    const [header, ...rows] = parseCsv(text) as string[][]
    expect(header).toEqual([
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
    ])
    expect(rows).toHaveLength(report.findings.length)
    expect(rows.map((row) => [row[2], row[1], row[17]])).toEqual(report.findings.map((entry) => [entry.ruleId, entry.status, entry.fingerprint]))
  })
  it('quotes per RFC 4180 and shows line breaks as escapes, so one finding stays one row', () => {
    const text = render(hostile(), 'csv', RULES, false)
    expect(text).toContain('"line one\\nline ""two"", three"')
    const rows = parseCsv(text) as string[][]
    expect(rows.find((row) => row[7] === 'sg-1')?.[11]).toBe('line one\\nline "two", three')
  })
  it('prefixes cells a spreadsheet would run as a formula with a quote', () => {
    const rows = parseCsv(render(hostile(), 'csv', RULES, false)) as string[][]
    const sg1 = rows.find((row) => row[7] === 'sg-1')
    const sg2 = rows.find((row) => row[7] === 'sg-2')
    const sg3 = rows.find((row) => row[7] === 'sg-3')
    expect(sg1?.[8]).toBe(`'=HYPERLINK("http://x","y")`)
    expect([sg2?.[3], sg2?.[8], sg2?.[11]]).toEqual([`'@SUM(A1)`, `'+1+1`, `'-2+3`])
    // Tab and CR never reach the file raw: they are shown as escapes, which no spreadsheet runs.
    expect([sg3?.[8], sg3?.[9]]).toEqual(['\\t=1', '\\r=2'])
  })
  it("carries the rule's compliance controls", () => {
    const report = sampleReport()
    report.findings.push(finding('EMR-CLUSTER-004', 'high', 'fail', 'j-1', {resource: {type: 'emr-cluster', id: 'j-1', region: 'us-east-1'}}))
    const rows = parseCsv(render(report, 'csv', RULES, false)) as string[][]
    expect(rows.find((row) => row[2] === 'EMR-CLUSTER-004')?.[14]).toMatch(/^AWS-FSBP EMR\.1; NIST-800-53-r5 AC-21, AC-3, /)
  })
})

describe('OCSF', () => {
  const report = (): ReturnType<typeof sampleReport> => {
    const sample = sampleReport()
    sample.findings.push(
      finding('EMR-CLUSTER-004', 'high', 'fail', 'j-1', {
        resource: {type: 'emr-cluster', id: 'j-1', region: 'eu-west-1'},
        evidence: {primaryInstances: [{id: 'i-1'}]},
      }),
    )
    return sample
  }
  interface OcsfEvent extends Record<string, unknown> {
    finding_info: {uid: string; analytic: {uid: string}; src_url?: string}
    metadata: {version: string}
    cloud: {account: unknown; region?: string}
    remediation: {desc: string}
    unmapped: {compliance?: unknown[]}
  }
  const events = (): OcsfEvent[] => JSON.parse(render(report(), 'ocsf', RULES, false)) as OcsfEvent[]
  it('is one Detection Finding per finding that meets the OCSF 1.7.0 schema', () => {
    const all = events()
    expect(all).toHaveLength(report().findings.length)
    for (const event of all) expect(ocsfProblems(event, 'detection_finding')).toEqual([])
    expect(all.map((event) => [event['class_uid'], event['category_uid'], event['type_uid'], event['metadata'].version])).toEqual(
      all.map(() => [2004, 2, 200401, '1.7.0']),
    )
  })
  it('the schema check finds what is missing or not defined', () => {
    const [event] = events()
    if (!event) throw new Error('no event')
    const {finding_info: _omitted, ...withoutInfo} = event
    expect(ocsfProblems(withoutInfo, 'detection_finding')).toContain('detection_finding.finding_info: required, missing')
    expect(ocsfProblems({...event, compliance: {}}, 'detection_finding')).toContain('detection_finding.compliance: not defined by the schema')
    expect(ocsfProblems({...event, severity_id: 7}, 'detection_finding')).toContain('detection_finding.severity_id: 7 is not one of 0, 1, 2, 3, 4, 5, 6, 99')
    expect(ocsfProblems({...event, metadata: {...event['metadata'], product: {}}}, 'detection_finding')).toContain(
      'detection_finding.metadata.product: needs at least one of name, uid',
    )
  })
  it('maps severity, status, resource, account, remediation and compliance', () => {
    const byRule = new Map(events().map((event) => [`${event['finding_info'].analytic.uid}|${event['status_code']}`, event]))
    const failing = byRule.get('EMR-PROFILE-001|fail')
    expect([failing?.['severity_id'], failing?.['status_id']]).toEqual([5, 1])
    expect(failing?.['resources']).toEqual([
      {uid: 'arn:aws:iam::123456789012:role/ec2-a', uid_alt: 'ec2-a', name: 'ec2-a', type: 'AWS::IAM::Role', cloud_partition: 'aws'},
    ])
    expect(failing?.['cloud'].account).toEqual({uid: '123456789012', type_id: 10, type: 'AWS Account'})
    expect(failing?.['remediation'].desc).toBe('fix it')
    expect(failing?.['finding_info'].uid).toBe(report().findings.find((entry) => entry.ruleId === 'EMR-PROFILE-001')?.fingerprint)
    expect([
      byRule.get('EMR-TAG-001|suppressed')?.['status_id'],
      byRule.get('EMR-TRUST-001|pass')?.['status_id'],
      byRule.get('EMR-TRUST-006|unknown')?.['status_id'],
    ]).toEqual([3, 4, 99])
    const cluster = byRule.get('EMR-CLUSTER-004|fail')
    expect(cluster?.['unmapped'].compliance).toContainEqual({framework: 'AWS-FSBP', control: 'EMR.1'})
    expect(cluster?.['cloud'].region).toBe('eu-west-1')
    expect(cluster?.['finding_info'].src_url).toBe('https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html')
  })
})

describe('ASFF', () => {
  const report = (): ReturnType<typeof sampleReport> => {
    const sample = sampleReport()
    sample.regions = ['eu-west-1', 'us-east-1']
    sample.findings.push(
      finding('EMR-CLUSTER-004', 'high', 'fail', 'j-1', {resource: {type: 'emr-cluster', id: 'j-1', name: 'etl', region: 'us-east-1'}}),
      finding('EMR-TAG-002', 'low', 'fail', 'sg-1', {
        resource: {type: 'ec2-security-group', id: 'sg-1', arn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1', region: 'us-east-1'},
        title: 'x'.repeat(300),
        message: 'm'.repeat(2000),
        remediation: {summary: `${'r'.repeat(510)}😀😀😀`, autoApply: 'guarded'},
      }),
    )
    return sample
  }
  const asff = (): AsffFinding[] => JSON.parse(render(report(), 'asff', RULES, false)) as AsffFinding[]
  const byRule = (ruleId: string, status = 'fail'): AsffFinding | undefined =>
    asff().find((entry) => entry.GeneratorId === ruleId && entry.ProductFields['emr-audit/Status'] === status)

  // https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
  const REQUIRED = [
    'AwsAccountId',
    'CreatedAt',
    'Description',
    'GeneratorId',
    'Id',
    'ProductArn',
    'Resources',
    'SchemaVersion',
    'Severity',
    'Title',
    'Types',
    'UpdatedAt',
  ]
  it('is one finding per finding with every required top-level attribute', () => {
    const all = asff()
    expect(all).toHaveLength(report().findings.length)
    for (const entry of all) for (const attribute of REQUIRED) expect(entry, attribute).toHaveProperty(attribute)
    const first = byRule('EMR-PROFILE-001')
    expect(first?.SchemaVersion).toBe('2018-10-08')
    expect(first?.ProductArn).toBe('arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default')
    expect(first?.Region).toBe('eu-west-1') // IAM is global: the report's first region
    expect(first?.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices'])
    expect([first?.CreatedAt, first?.UpdatedAt]).toEqual([report().finishedAt, report().finishedAt])
    expect(first?.Id).toBe(`emr-audit/${report().findings.find((entry) => entry.ruleId === 'EMR-PROFILE-001')?.fingerprint}`)
    expect(new Set(asff().map((entry) => entry.Id)).size).toBe(asff().length)
  })
  it('maps status, severity and resource types', () => {
    expect([
      byRule('EMR-PROFILE-001')?.Compliance.Status,
      byRule('EMR-TAG-001', 'suppressed')?.Compliance.Status,
      byRule('EMR-TRUST-006', 'unknown')?.Compliance.Status,
      byRule('EMR-ROLE-001', 'error')?.Compliance.Status,
      byRule('EMR-TRUST-001', 'pass')?.Compliance.Status,
    ]).toEqual(['FAILED', 'FAILED', 'WARNING', 'NOT_AVAILABLE', 'PASSED'])
    expect(byRule('EMR-TAG-001', 'suppressed')?.Workflow).toEqual({Status: 'SUPPRESSED'})
    expect([byRule('EMR-PROFILE-001')?.Severity, byRule('EMR-TRUST-001', 'pass')?.Severity]).toEqual([
      {Label: 'CRITICAL', Original: 'critical'},
      {Label: 'INFORMATIONAL', Original: 'critical'},
    ])
    expect(byRule('EMR-PROFILE-001')?.Resources).toEqual([
      {Type: 'AwsIamRole', Id: 'arn:aws:iam::123456789012:role/ec2-a', Partition: 'aws', Region: 'eu-west-1'},
    ])
    expect(byRule('EMR-TAG-002')?.Resources[0]?.Type).toBe('AwsEc2SecurityGroup')
    const account = toAsffFindings(
      {
        ...report(),
        findings: [finding('EMR-CLUSTER-001', 'high', 'fail', '123456789012', {resource: {type: 'account', id: '123456789012', region: 'us-east-1'}})],
      },
      {includePassed: true, rules: RULES},
    )
    expect(account[0]?.Resources).toEqual([{Type: 'AwsAccount', Id: 'AWS::::Account:123456789012', Partition: 'aws', Region: 'us-east-1'}])
    expect(byRule('EMR-CLUSTER-004')?.Resources).toEqual([
      {Type: 'Other', Id: 'j-1', Partition: 'aws', Region: 'us-east-1', Details: {Other: {resourceType: 'emr-cluster', id: 'j-1', name: 'etl'}}},
    ])
  })
  it('carries the FSBP control and its NIST requirements, and the remediation page', () => {
    const cluster = byRule('EMR-CLUSTER-004')
    expect(cluster?.Compliance.SecurityControlId).toBe('EMR.1')
    expect(cluster?.Compliance.RelatedRequirements).toContain('NIST.800-53.r5 SC-7(4)')
    expect(cluster?.Types).toContain('Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices')
    expect(cluster?.Remediation.Recommendation.Url).toBe('https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html')
    expect(byRule('EMR-PROFILE-001')?.Compliance).toEqual({Status: 'FAILED'})
  })
  it('cuts text to the API limits without splitting a character', () => {
    const long = byRule('EMR-TAG-002')
    expect(Array.from(long?.Title ?? '')).toHaveLength(ASFF_LIMITS.title)
    expect(Array.from(long?.Description ?? '')).toHaveLength(ASFF_LIMITS.description)
    const text = long?.Remediation.Recommendation.Text ?? ''
    expect(Array.from(text)).toHaveLength(512)
    expect(text.endsWith('r😀…')).toBe(true)
    expect(truncate('short', 10)).toBe('short')
  })
  it('leaves passes out unless asked, for the importer', () => {
    expect(toAsffFindings(report(), {includePassed: false, rules: RULES}).map((entry) => entry.Compliance.Status)).not.toContain('PASSED')
    expect(
      toAsffFindings(report(), {includePassed: true, rules: RULES, homeRegion: 'ap-south-1'}).find((entry) => entry.GeneratorId === 'EMR-TRUST-001')?.Region,
    ).toBe('ap-south-1')
  })
})

describe('every format agrees with the JSON report', () => {
  it('the same rule ids appear in each rendering', () => {
    const report = sampleReport()
    const failing = [...new Set(report.findings.filter((finding) => finding.status === 'fail').map((finding) => finding.ruleId))]
    for (const format of ['json', 'sarif', 'junit', 'markdown', 'table', 'csv', 'ocsf', 'asff', 'html'] as const) {
      const text = render(report, format, RULES, false)
      for (const ruleId of failing) expect(text, `${format} lacks ${ruleId}`).toContain(ruleId)
    }
  })
  it('csv, ocsf and asff hold exactly the findings of the JSON report, with the same statuses and counts', () => {
    const sample = sampleReport()
    sample.findings.push(
      finding('EMR-CLUSTER-004', 'high', 'fail', 'j-1', {account: '210987654321', resource: {type: 'emr-cluster', id: 'j-1', region: 'us-east-1'}}),
    )
    sample.summary = {...sample.summary, ...countFindings(sample.findings)}
    const json = JSON.parse(render(sample, 'json', RULES, false)) as ScanReport
    const expected = json.findings.map((entry) => [entry.fingerprint, entry.ruleId, entry.status, entry.account ?? json.account.id])
    const [header = [], ...rows] = parseCsv(render(sample, 'csv', RULES, false)) as string[][]
    const column = (name: string) => header.indexOf(name)
    const csv = rows.map((row) => [row[column('fingerprint')], row[column('rule_id')], row[column('status')], row[column('account')]])
    const ocsf = (
      JSON.parse(render(sample, 'ocsf', RULES, false)) as Array<{
        finding_info: {uid: string; analytic: {uid: string}}
        status_code: string
        cloud: {account: {uid: string}}
      }>
    ).map((event) => [event.finding_info.uid, event.finding_info.analytic.uid, event.status_code, event.cloud.account.uid])
    const asff = (JSON.parse(render(sample, 'asff', RULES, false)) as AsffFinding[]).map((entry) => [
      entry.ProductFields['emr-audit/Fingerprint'],
      entry.GeneratorId,
      entry.ProductFields['emr-audit/Status'],
      entry.AwsAccountId,
    ])
    for (const [format, rendered] of Object.entries({csv, ocsf, asff})) expect(rendered, format).toEqual(expected)
    const counted = (statuses: readonly unknown[]) =>
      Object.fromEntries(Object.keys(json.summary.byStatus).map((status) => [status, statuses.filter((entry) => entry === status).length]))
    // Every result is listed here (the sample report includes passes), so the counts are the summary's.
    for (const [format, rendered] of Object.entries({csv, ocsf, asff}))
      expect(counted(rendered.map((entry) => entry[2])), format).toEqual(json.summary.byStatus)
    const complianceByStatus = {fail: 'FAILED', suppressed: 'FAILED', pass: 'PASSED', unknown: 'WARNING', error: 'NOT_AVAILABLE'}
    expect((JSON.parse(render(sample, 'asff', RULES, false)) as AsffFinding[]).map((entry) => entry.Compliance.Status)).toEqual(
      json.findings.map((entry) => complianceByStatus[entry.status]),
    )
  })
})

describe('--output targets', () => {
  it('parses FILE and FORMAT=FILE, rejecting unknown formats and repeats', () => {
    expect(parseOutputs([], undefined, 'table')).toEqual([{format: 'table'}])
    expect(parseOutputs([], 'csv', 'table')).toEqual([{format: 'csv'}])
    expect(parseOutputs(['r.txt'], 'json', 'table')).toEqual([{format: 'json', path: 'r.txt'}])
    expect(parseOutputs(['sarif=r.sarif', 'junit=r.xml'], undefined, 'table')).toEqual([
      {format: 'sarif', path: 'r.sarif'},
      {format: 'junit', path: 'r.xml'},
    ])
    expect(() => parseOutputs(['pdf=r.pdf'], undefined, 'table')).toThrow("unknown format 'pdf'")
    expect(() => parseOutputs(['json=r', 'sarif=r'], undefined, 'table')).toThrow('r is named twice')
  })
  it('- is standard output, once', () => {
    expect(parseOutputs(['table=-', 'sarif=r.sarif'], 'json', 'table')).toEqual([{format: 'table'}, {format: 'sarif', path: 'r.sarif'}])
    expect(parseOutputs(['-'], undefined, 'table')).toEqual([{format: 'table'}])
    expect(() => parseOutputs(['table=-', 'json=-'], undefined, 'table')).toThrow('- is named twice')
  })
  it('without FORMAT= or --format, takes the format from the file name', () => {
    const inferred = (name: string) => parseOutputs([name], undefined, 'table')[0]?.format
    expect(['r.json', 'out/R.JSON', 'r.sarif', 'r.sarif.json', 'r.xml', 'r.md', 'r.csv', 'r.asff.json', 'r.ocsf.json'].map(inferred)).toEqual([
      'json',
      'json',
      'sarif',
      'sarif',
      'junit',
      'markdown',
      'csv',
      'asff',
      'ocsf',
    ])
    expect(formatForFileName('report.html')).toBe('html')
    expect(formatForFileName('.json')).toBeUndefined()
    expect(() => parseOutputs(['r.txt'], undefined, 'table')).toThrow(
      '--output r.txt: cannot tell the format from the file name; end it in .asff.json, .ocsf.json, .sarif.json, .json, .sarif, .xml, .md, .csv, .html, or write FORMAT=r.txt or --format',
    )
    expect(() => parseOutputs(['report'], undefined, 'json')).toThrow('cannot tell the format')
  })
  it('creates a missing folder, private, and still refuses to write through a symbolic link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emr-audit-outputs-'))
    const path = join(dir, 'new', 'deeper', 'r.csv')
    await writeOutputs(sampleReport(), parseOutputs([path], undefined, 'table'), RULES, {color: false})
    expect((await readFile(path, 'utf8')).startsWith('severity,status,rule_id,')).toBe(true)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o700)
    await symlink(join(dir, 'elsewhere.json'), join(dir, 'new', 'link.json'))
    await expect(writeOutputs(sampleReport(), parseOutputs([join(dir, 'new', 'link.json')], undefined, 'table'), RULES, {color: false})).rejects.toThrow(
      /it is a symbolic link/,
    )
    await expect(stat(join(dir, 'elsewhere.json'))).rejects.toThrow()
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
