/** The bundled demo (examples/demo) must load with this version and keep showing what it documents. */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {DEMO_MISTAKES} from '../e2e/demo-account.js'
import {loadConfig} from '../../src/app/load-config.js'
import {analyze} from '../../src/app/analyze.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../../src/app/demo.js'
import {readInventory} from '../../src/inventory/io.js'

describe('the bundled demo account (regenerate with npm run demo:generate)', () => {
  it('loads, and yields exactly the failing findings examples/demo/expected-findings.json documents', async () => {
    const inventory = await readInventory(DEMO_INVENTORY)
    const findings = analyze(inventory, {config: await loadConfig(DEMO_CONFIG_FILE), now: new Date('2026-11-23T00:00:00Z')})
    const failing = [...new Set(findings.filter((finding) => finding.status === 'fail').map((finding) => `${finding.ruleId} ${finding.resource.id}`))].sort()
    const expected = JSON.parse(readFileSync(new URL('../../examples/demo/expected-findings.json', import.meta.url), 'utf8')) as string[]
    expect(failing).toEqual(expected)
  })

  it('shows every mistake it was built with, across the rule groups', () => {
    const expected = JSON.parse(readFileSync(new URL('../../examples/demo/expected-findings.json', import.meta.url), 'utf8')) as string[]
    for (const ruleId of Object.keys(DEMO_MISTAKES))
      expect(
        expected.some((entry) => entry.startsWith(`${ruleId} `)),
        ruleId,
      ).toBe(true)
    expect(new Set(Object.keys(DEMO_MISTAKES).map((ruleId) => ruleId.split('-')[1])).size).toBeGreaterThanOrEqual(8)
  })
})
