import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {withRuleReference} from '../../src/report/rule-reference.js'
import {RULES} from '../../src/rules/index.js'

describe('the README rule reference', () => {
  it('is exactly what the rule metadata generates (regenerate with npm run docs)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toBe(withRuleReference(readme, RULES))
    for (const rule of RULES) expect(readme).toContain(`| ${rule.id} | ${rule.severity} |`)
  })
})
