/**
 * Choosing checks, as a user coming from Prowler or Checkov would: --checks / --exclude-checks / --groups /
 * --severity narrow what is evaluated and shown; the config's `rules:` switches a rule off for a reason
 * every report repeats. Offline, on the bundled demo account.
 */
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'
import {CATALOG_IDS} from '../fixtures/catalog.js'
import {runCli} from './cli.js'

const bare = {
  PATH: process.env['PATH'],
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  NO_COLOR: '1',
}
const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url))
const RULE_COUNT = CATALOG_IDS.length

interface Report {
  findings: Array<{ruleId: string; severity: string; status: string}>
  summary: {byStatus: Record<string, number>}
  selection?: {disabled: Array<{ruleId: string; reason: string}>; notSelected: string[]; severities?: string[]}
}

const scanJson = async (...args: string[]) => {
  const result = await runCli(['scan', '--format', 'json', ...args], bare)
  return {...result, report: JSON.parse(result.stdout || '{}') as Report}
}

let dir: string
let config: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emr-audit-selection-'))
  config = join(dir, 'audit.yaml')
  const demoConfig = await readFile(join(DEMO, 'emr-audit.yaml'), 'utf8')
  await writeFile(config, `${demoConfig}\nrules:\n  emr-seccfg-006: {enabled: false, reason: "No Kerberos realm in this organisation (SEC-123)"}\n`)
})

describe('choosing checks on the command line', () => {
  it('--checks evaluates only the rules named (globs, any case); the others are neither failures nor passes', async () => {
    const {code, report} = await scanJson('--demo', '--checks', 'emr-seccfg-*,EMR-TAG-001', '--include-passed')
    expect(code).toBe(1)
    const ruleIds = new Set(report.findings.map((finding) => finding.ruleId))
    expect([...ruleIds].every((id) => id.startsWith('EMR-SECCFG-') || id === 'EMR-TAG-001')).toBe(true)
    expect(ruleIds).toContain('EMR-SECCFG-006')
    expect(ruleIds).toContain('EMR-TAG-001')
    expect(report.summary.byStatus['pass']).toBe(report.findings.filter((finding) => finding.status === 'pass').length)
    expect(report.selection?.notSelected).toHaveLength(RULE_COUNT - 7)
    expect(report.selection?.notSelected).toContain('EMR-PROFILE-001')
  })

  it('--exclude-checks and --groups narrow too, --severity filters what is shown', async () => {
    const excluded = await scanJson('--demo', '--groups', 'seccfg,cluster', '--exclude-checks', 'EMR-SECCFG-006')
    expect(new Set(excluded.report.findings.map((finding) => finding.ruleId.split('-')[1]))).toEqual(new Set(['SECCFG', 'CLUSTER']))
    expect(excluded.report.findings.map((finding) => finding.ruleId)).not.toContain('EMR-SECCFG-006')
    const high = await scanJson('--demo', '--severity', 'critical,HIGH')
    expect(high.report.findings.length).toBeGreaterThan(0)
    expect(new Set(high.report.findings.map((finding) => finding.severity))).toEqual(new Set(['critical', 'high']))
    expect(high.report.selection?.severities).toEqual(['critical', 'high'])
  })

  it('an unknown id, group or severity is a usage error naming the closest known one', async () => {
    const checks = await runCli(['scan', '--demo', '--checks', 'EMR-SECFG-006'], bare)
    expect(checks.code).toBe(2)
    expect(checks.stderr).toBe('emr-audit: --checks: no rule matches "EMR-SECFG-006" (did you mean EMR-SECCFG-006?); run `emr-audit rules` for the list\n')
    expect(checks.stdout).toBe('')
    const groups = await runCli(['fix', '--demo', '--groups', 'TAGS'], bare)
    expect(groups.code).toBe(2)
    expect(groups.stderr).toContain('did you mean TAG?')
  })

  it('fix plans only the chosen checks', async () => {
    const all = await runCli(['fix', '--demo', '--format', 'json'], bare)
    const only = await runCli(['fix', '--demo', '--format', 'json', '--checks', 'EMR-TAG-001'], bare)
    expect(only.code).toBe(0)
    const rulesOf = (text: string) => new Set((JSON.parse(text) as {changes: Array<{ruleIds: string[]}>}).changes.flatMap((change) => change.ruleIds))
    expect(rulesOf(all.stdout).size).toBeGreaterThan(1)
    expect(rulesOf(only.stdout)).toEqual(new Set(['EMR-TAG-001']))
  })
})

describe('disabling a rule in the config', () => {
  const inventory = () => join(DEMO, 'inventory.json')

  it('leaves it out of every format, and every format says so with the reason', async () => {
    const sarifPath = join(dir, 'report.sarif')
    const markdownPath = join(dir, 'report.md')
    const jsonPath = join(dir, 'report.json')
    const result = await runCli(
      [
        'scan',
        '--inventory',
        inventory(),
        '-c',
        config,
        '--output',
        `sarif=${sarifPath}`,
        '--output',
        `markdown=${markdownPath}`,
        '--output',
        `json=${jsonPath}`,
        '--output',
        'table=-',
      ],
      bare,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(/✖ EMR-SECCFG-006/)
    expect(result.stdout).toContain('Not evaluated: EMR-SECCFG-006, disabled in the config: No Kerberos realm in this organisation (SEC-123)')
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain('EMR-SECCFG-006')
    expect(report.selection).toEqual({disabled: [{ruleId: 'EMR-SECCFG-006', reason: 'No Kerberos realm in this organisation (SEC-123)'}], notSelected: []})
    const sarif = JSON.parse(await readFile(sarifPath, 'utf8')) as {
      runs: Array<{
        results: Array<{ruleId: string}>
        invocations: Array<{ruleConfigurationOverrides?: Array<{descriptor: {id: string}; configuration: {enabled: boolean}; properties: {reason: string}}>}>
      }>
    }
    expect(sarif.runs[0]?.results.map((entry) => entry.ruleId)).not.toContain('EMR-SECCFG-006')
    expect(sarif.runs[0]?.invocations[0]?.ruleConfigurationOverrides).toEqual([
      {
        descriptor: {id: 'EMR-SECCFG-006', index: expect.any(Number) as number},
        configuration: {enabled: false},
        properties: {reason: 'disabled in the config: No Kerberos realm in this organisation (SEC-123)'},
      },
    ])
    expect(await readFile(markdownPath, 'utf8')).toContain(
      '> Not evaluated: EMR-SECCFG-006, disabled in the config: No Kerberos realm in this organisation \\(SEC-123\\)',
    )
  })

  it.each([
    ['no reason', '  EMR-SECCFG-006: {enabled: false}\n', 'a disabled rule needs a reason'],
    ['an expiry', '  EMR-SECCFG-006: {enabled: false, reason: r, expires: 2099-01-01}\n', 'a disabled rule takes no expiry'],
    ['an unknown rule', '  EMR-SECCFG-0006: {enabled: false, reason: r}\n', 'unknown rule "EMR-SECCFG-0006" (did you mean EMR-SECCFG-006?)'],
  ])('refuses a disable with %s (exit 2, before any work)', async (_case, entry, message) => {
    const path = join(dir, `bad-${_case.replace(/\W/g, '')}.yaml`)
    await writeFile(path, `rules:\n${entry}`)
    const result = await runCli(['scan', '--inventory', inventory(), '-c', path], bare)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stdout).toBe('')
  })
})
