import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {scanPolicy, withScanPolicy} from '../../src/app/permission-policy.js'
import {withRuleReference} from '../../src/report/rule-reference.js'
import {RULES} from '../../src/rules/index.js'

describe('the README rule reference', () => {
  it('is exactly what the rule metadata generates (regenerate with npm run docs)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toBe(withRuleReference(readme, RULES))
    for (const rule of RULES) expect(readme).toContain(`| ${rule.id} | ${rule.severity} |`)
  })
})

describe('the README scan policy', () => {
  it('is exactly the generated policy (regenerate with npm run docs)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toBe(withScanPolicy(readme))
    expect(scanPolicy().Statement.flatMap((statement) => statement.Action)).toContain('elasticmapreduce:ListClusters')
    expect(readme).toContain('"Sid": "EmrAuditTagNetworkWithV2TagOnly"')
  })
})
