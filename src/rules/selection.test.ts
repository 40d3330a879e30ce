import {describe, expect, it} from 'vitest'
import {readInventory} from '../inventory/io.js'
import {DEMO_INVENTORY} from '../app/demo.js'
import {parseConfig} from '../app/load-config.js'
import {RULES} from './index.js'
import {analyze} from '../app/analyze.js'
import {UserInputError} from '../shared/errors.js'
import {disabledRules, matchesAnyRule, selectRules, selectsEverything} from './selection.js'

const ids = (selection: Parameters<typeof selectRules>[1], config = {}) => selectRules(RULES, selection, config).rules.map((rule) => rule.id)

describe('choosing checks', () => {
  it('--checks takes ids and globs, case-insensitive', () => {
    expect(ids({checks: ['emr-seccfg-00?', 'EMR-TAG-001']})).toEqual([
      'EMR-TAG-001',
      'EMR-SECCFG-001',
      'EMR-SECCFG-002',
      'EMR-SECCFG-003',
      'EMR-SECCFG-004',
      'EMR-SECCFG-005',
      'EMR-SECCFG-006',
    ])
  })

  it('--exclude-checks wins over --checks and --groups; --groups narrows by group', () => {
    expect(ids({groups: ['seccfg'], excludeChecks: ['emr-seccfg-006']})).toEqual([
      'EMR-SECCFG-001',
      'EMR-SECCFG-002',
      'EMR-SECCFG-003',
      'EMR-SECCFG-004',
      'EMR-SECCFG-005',
    ])
    expect(ids({groups: ['SLR', 'ROLE'], checks: ['EMR-ROLE-*', 'EMR-TAG-001']})).toEqual(['EMR-ROLE-001', 'EMR-ROLE-002'])
  })

  it('treats glob characters other than * and ? literally', () => {
    expect(() => ids({checks: ['EMR-SECCFG-00[1]']})).toThrow(UserInputError)
    expect(() => ids({checks: ['EMR.ROLE.001']})).toThrow(/no rule matches "EMR.ROLE.001"/)
  })

  it.each([
    [{checks: ['EMR-SECFG-006']}, '--checks: no rule matches "EMR-SECFG-006" (did you mean EMR-SECCFG-006?)'],
    [{excludeChecks: ['emr-trust-07']}, '--exclude-checks: no rule matches "emr-trust-07" (did you mean EMR-TRUST-001?)'],
    [{groups: ['TRUTS']}, '--groups: no rule group "TRUTS" (did you mean TRUST?)'],
    [{severities: ['severe']}, '--severity: "severe" is not a severity (use critical, high, medium, low, info)'],
    [{checks: ['EMR-\u001b[2J']}, '--checks: no rule matches "EMR-\\u001b[2J"; run'],
    [{checks: ['']}, '--checks: no rule matches ""; run'],
    [{checks: ['EMR-*'], excludeChecks: ['emr-*']}, 'no rule is left to evaluate'],
    [{groups: ['SLR'], checks: ['EMR-ROLE-*']}, 'no rule is left to evaluate'],
  ])('refuses %j, naming the closest known name when there is one', (selection, message) => {
    expect(() => ids(selection)).toThrow(message)
  })

  it('says in the summary what was left out and why', () => {
    const config = parseConfig('rules:\n  emr-seccfg-006: {enabled: false, reason: "no Kerberos realm"}\n  EMR-TAG-001: {enabled: true}\n', 'audit.yaml')
    const {rules, summary} = selectRules(RULES, {groups: ['SECCFG', 'SLR'], severities: ['HIGH', 'critical']}, config)
    expect(rules.map((rule) => rule.id)).toEqual([
      'EMR-SECCFG-001',
      'EMR-SECCFG-002',
      'EMR-SECCFG-003',
      'EMR-SECCFG-004',
      'EMR-SECCFG-005',
      'EMR-SLR-001',
      'EMR-SLR-002',
    ])
    expect(summary.disabled).toEqual([{ruleId: 'EMR-SECCFG-006', reason: 'no Kerberos realm'}])
    expect(summary.notSelected).toHaveLength(RULES.length - 8)
    expect(summary.notSelected).not.toContain('EMR-SECCFG-006')
    expect(summary.severities).toEqual(['critical', 'high'])
  })

  it('never reports a rule it did not evaluate, not even as a pass or an unknown', async () => {
    const inventory = await readInventory(DEMO_INVENTORY)
    const everything = new Set(analyze(inventory, {config: {}}).map((finding) => finding.ruleId))
    expect(everything).toContain('EMR-SECCFG-006')
    expect(everything).toContain('EMR-SLR-001')
    const config = parseConfig('rules:\n  EMR-SECCFG-006: {enabled: false, reason: "no Kerberos realm"}\n', 'audit.yaml')
    const {rules} = selectRules(RULES, {groups: ['SECCFG']}, config)
    const evaluated = new Set(analyze(inventory, {config, rules}).map((finding) => finding.ruleId))
    expect(evaluated).toEqual(
      new Set(['EMR-SECCFG-001', 'EMR-SECCFG-002', 'EMR-SECCFG-003', 'EMR-SECCFG-004', 'EMR-SECCFG-005'].filter((id) => everything.has(id))),
    )
  })
})

describe('disabling a rule in the config', () => {
  const parse = (text: string) => () => parseConfig(text, 'audit.yaml')

  it.each([
    ['without a reason', 'rules:\n  EMR-SECCFG-006: {enabled: false}\n', 'audit.yaml: rules.EMR-SECCFG-006: a disabled rule needs a reason'],
    ['with a blank reason', 'rules:\n  EMR-SECCFG-006: {enabled: false, reason: "  "}\n', 'a disabled rule needs a reason'],
    [
      'with an expiry',
      'rules:\n  EMR-SECCFG-006: {enabled: false, reason: r, expires: 2030-01-01}\n',
      'audit.yaml: rules.EMR-SECCFG-006.expires: a disabled rule takes no expiry',
    ],
    ['for a key that is no rule id at all (no guess offered)', 'rules:\n  __proto__: {enabled: false, reason: r}\n', /unknown rule "__proto__"$/],
    [
      'for an unknown rule',
      'rules:\n  EMR-SECFG-006: {enabled: false, reason: r}\n',
      'audit.yaml: rules: unknown rule "EMR-SECFG-006" (did you mean EMR-SECCFG-006?)',
    ],
    [
      'with an escape sequence in the reason',
      'rules:\n  EMR-SECCFG-006: {enabled: false, reason: "ok\\e[2J"}\n',
      'rules.EMR-SECCFG-006.reason: control characters and bidirectional overrides are not allowed',
    ],
    [
      'with a bidirectional override in the reason',
      'rules:\n  EMR-SECCFG-006: {enabled: false, reason: "ok \\u202Eevil"}\n',
      'control characters and bidirectional overrides are not allowed',
    ],
    ['with enabled missing', 'rules:\n  EMR-SECCFG-006: {reason: r}\n', /audit\.yaml: rules\.EMR-SECCFG-006/],
  ])('is refused %s', (_case, text, message) => {
    expect(parse(text)).toThrow(UserInputError)
    expect(parse(text)).toThrow(message)
  })
})

describe('what a report says about the selection', () => {
  it('selects everything only with nothing disabled, left out or filtered by severity', () => {
    expect(selectsEverything(selectRules(RULES, {}, {}).summary)).toBe(true)
    expect(selectsEverything({disabled: [{ruleId: 'EMR-TAG-001', reason: 'r'}], notSelected: []})).toBe(false)
    expect(selectsEverything({disabled: [], notSelected: ['EMR-TAG-001']})).toBe(false)
    expect(selectsEverything({disabled: [], notSelected: [], severities: ['high']})).toBe(false)
  })

  it('lists the rules left out by id, and hands the severities on', () => {
    const {summary, severities} = selectRules(RULES, {excludeChecks: ['EMR-TAG-*'], severities: ['low']}, {})
    expect(summary.notSelected.every((id) => id.startsWith('EMR-TAG-'))).toBe(true)
    expect(summary.notSelected).toContain('EMR-TAG-001')
    expect(severities).toEqual(new Set(['low']))
    expect(selectRules(RULES, {}, {})).not.toHaveProperty('severities')
  })

  it('names the config in errors unless told another label', () => {
    expect(() => disabledRules(RULES, {rules: {'EMR-NOPE-001': {enabled: false, reason: 'r'}}})).toThrow(/^config: rules: unknown rule/)
  })

  it('a suppression glob names a rule as suppressions match it', () => {
    expect(matchesAnyRule('EMR-TAG-*', RULES)).toBe(true)
    expect(matchesAnyRule('EMR-NOPE-*', RULES)).toBe(false)
  })
})
