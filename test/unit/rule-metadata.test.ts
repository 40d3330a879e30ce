/** Rule metadata as users see it: documentation URLs, compliance controls, and the places that show them. */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {render} from '../../src/report/outputs.js'
import {
  complianceMapping,
  renderComplianceMapping,
  renderRuleDetail,
  renderRuleReferenceMarkdown,
  RULES_END,
  RULES_START,
} from '../../src/report/rule-reference.js'
import {frameworkNamed} from '../../src/rules/compliance.js'
import {RULES} from '../../src/rules/index.js'
import {sampleReport} from '../fixtures/report.js'

const byId = (id: string) => {
  const rule = RULES.find((entry) => entry.id === id)
  if (!rule) throw new Error(`no rule ${id}`)
  return rule
}

describe('rule sources', () => {
  it('are AWS documentation pages, never internal notes', () => {
    for (const rule of RULES) {
      expect(rule.sources.length, rule.id).toBeGreaterThan(0)
      for (const source of rule.sources) expect(source, rule.id).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/[\w./-]+\.html$/)
    }
  })
  it('no internal "seed" note reaches the rules command, the SARIF rules or the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const ruleReference = readme.slice(readme.indexOf(RULES_START), readme.indexOf(RULES_END))
    const shown = [JSON.stringify(RULES), ...RULES.map(renderRuleDetail), render(sampleReport(), 'sarif', RULES, false), ruleReference]
    for (const text of shown) expect(text).not.toMatch(/\bseed\b/i)
  })
})

/**
 * Expected values copied from AWS Security Hub's "Security Hub CSPM controls for Amazon EMR",
 * https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html ("Related requirements"
 * of EMR.1 to EMR.4, NIST.800-53.r5 entries), and the FSBP standard's control list,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html (EMR.1 to EMR.4 are in it).
 */
const PUBLIC_NIST = [
  'AC-21',
  'AC-3',
  'AC-3(7)',
  'AC-4',
  'AC-4(21)',
  'AC-6',
  'SC-7',
  'SC-7(11)',
  'SC-7(16)',
  'SC-7(20)',
  'SC-7(21)',
  'SC-7(3)',
  'SC-7(4)',
  'SC-7(9)',
]
const EXPECTED: Record<string, {fsbp: string; nist: string[]}> = {
  'EMR-CLUSTER-004': {fsbp: 'EMR.1', nist: PUBLIC_NIST},
  'EMR-CLUSTER-001': {fsbp: 'EMR.2', nist: PUBLIC_NIST},
  'EMR-SECCFG-002': {fsbp: 'EMR.3', nist: ['CA-9(1)', 'CP-9(8)', 'SI-12']},
  'EMR-SECCFG-003': {fsbp: 'EMR.4', nist: ['AC-4', 'SC-7(4)', 'SC-8', 'SC-8(1)', 'SC-8(2)', 'SC-13', 'SC-23', 'SC-23(3)']},
}

describe('rule compliance', () => {
  it('maps exactly the rules that check what FSBP EMR.1-EMR.4 check, with the NIST controls Security Hub relates to them', () => {
    const mapped = RULES.filter((rule) => (rule.compliance ?? []).length > 0).map((rule) => rule.id)
    expect(mapped.sort()).toEqual(Object.keys(EXPECTED).sort())
    for (const [id, {fsbp, nist}] of Object.entries(EXPECTED)) {
      expect(byId(id).compliance).toEqual([{framework: 'AWS-FSBP', control: fsbp}, ...nist.map((control) => ({framework: 'NIST-800-53-r5', control}))])
    }
  })
  it('accepts the framework by its short names, in any case', () => {
    expect(['AWS-FSBP', 'fsbp', 'FSBP'].map(frameworkNamed)).toEqual(['AWS-FSBP', 'AWS-FSBP', 'AWS-FSBP'])
    expect(['NIST-800-53-r5', 'nist'].map(frameworkNamed)).toEqual(['NIST-800-53-r5', 'NIST-800-53-r5'])
    expect(frameworkNamed('PCI')).toBeUndefined()
  })
  it('lists each control with the rules that check it', () => {
    expect(complianceMapping(RULES, 'AWS-FSBP')).toEqual([
      {framework: 'AWS-FSBP', control: 'EMR.1', rules: ['EMR-CLUSTER-004']},
      {framework: 'AWS-FSBP', control: 'EMR.2', rules: ['EMR-CLUSTER-001']},
      {framework: 'AWS-FSBP', control: 'EMR.3', rules: ['EMR-SECCFG-002']},
      {framework: 'AWS-FSBP', control: 'EMR.4', rules: ['EMR-SECCFG-003']},
    ])
    const nist = complianceMapping(RULES, 'NIST-800-53-r5')
    expect(nist.find((entry) => entry.control === 'AC-4')?.rules.sort()).toEqual(['EMR-CLUSTER-001', 'EMR-CLUSTER-004', 'EMR-SECCFG-003'])
    expect(nist.find((entry) => entry.control === 'SI-12')?.rules).toEqual(['EMR-SECCFG-002'])
    const text = renderComplianceMapping(complianceMapping(RULES, 'AWS-FSBP'), 'AWS-FSBP')
    expect(text).toMatch(/^EMR\.1 +EMR-CLUSTER-004$/m)
    expect(text).toContain('https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html')
  })
  it('is shown by `rules ID`, in the rule reference and in the SARIF rule properties', () => {
    expect(renderRuleDetail(byId('EMR-SECCFG-003'))).toContain('Compliance:  AWS-FSBP: EMR.4\n             NIST-800-53-r5: AC-4, SC-7(4), SC-8')
    expect(renderRuleDetail(byId('EMR-TAG-001'))).not.toContain('Compliance:')
    expect(renderRuleReferenceMarkdown(RULES)).toMatch(
      /\| EMR-CLUSTER-004 \|.*\| AWS-FSBP: EMR\.1<br>NIST-800-53-r5: AC-21, .* \| \[emr-controls\]\(https:\/\/docs\.aws\.amazon\.com\/securityhub\/latest\/userguide\/emr-controls\.html\)/,
    )
    const sarif = JSON.parse(render(sampleReport(), 'sarif', RULES, false)) as {
      runs: Array<{tool: {driver: {rules: Array<{id: string; helpUri?: string; properties: {compliance?: unknown}}>}}}>
    }
    const descriptors = sarif.runs[0]?.tool.driver.rules ?? []
    for (const descriptor of descriptors) expect(descriptor.helpUri, descriptor.id).toBe(byId(descriptor.id).sources[0])
    expect(descriptors.find((entry) => entry.id === 'EMR-CLUSTER-001')?.properties.compliance).toEqual(byId('EMR-CLUSTER-001').compliance)
    expect(descriptors.find((entry) => entry.id === 'EMR-TAG-001')?.properties.compliance).toBeUndefined()
  })
})
