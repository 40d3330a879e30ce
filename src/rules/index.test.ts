/**
 * The rules are found by convention and match the catalog (REQUIREMENTS.md, read live): every catalog id
 * has exactly one rule, in catalog order, and every module under src/rules/<group>/ that exports a rule is
 * registered, so adding a rule touches its module and its test only.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {CATALOG, CATALOG_IDS, CATALOG_PATH, SHARED_CATALOG_PATH} from '../../test/fixtures/catalog.js'
import {RULES} from './index.js'
import {RULE_GROUPS} from './types.js'

const RULES_DIR = new URL('./', import.meta.url)

/** Every source module in a group folder whose text default-exports something (helpers export none). */
function exportingModules(): string[] {
  return RULE_GROUPS.flatMap((group) => {
    const folder = group.toLowerCase()
    return readdirSync(new URL(`${folder}/`, RULES_DIR))
      .filter((file) => /^[a-z0-9-]+\.ts$/.test(file) && /^export default /m.test(readFileSync(new URL(`${folder}/${file}`, RULES_DIR), 'utf8')))
      .map((file) => `${folder}/${file}`)
  })
}

describe('the rules, found by convention', () => {
  it("the project's copy of the catalog is the maintainers' shared catalog, where this machine has it", () => {
    // A clone elsewhere tests against its own copy; here, the copy may not lag behind the source of truth.
    if (SHARED_CATALOG_PATH) expect(readFileSync(CATALOG_PATH, 'utf8')).toBe(readFileSync(SHARED_CATALOG_PATH, 'utf8'))
    expect(readFileSync(CATALOG_PATH, 'utf8')).toMatch(/^#### EMR-ROLE-001 /m)
  })

  it('every catalog id has exactly one rule, in catalog order, and no rule is outside the catalog', () => {
    expect(CATALOG_IDS.length).toBeGreaterThan(40)
    expect(RULES.map((rule) => rule.id)).toEqual(CATALOG_IDS)
  })

  it('every module under src/rules/<group>/ that exports a rule is registered, as the rule its name promises', () => {
    const modules = exportingModules()
    expect([...modules].sort()).toEqual(RULES.map((rule) => `${rule.group.toLowerCase()}/${rule.id.toLowerCase()}.ts`).sort())
    expect(modules).toHaveLength(CATALOG_IDS.length)
  })

  it('metadata is complete and each rule sits in its group', () => {
    for (const rule of RULES) {
      expect(rule.id.startsWith(`EMR-${rule.group}-`), rule.id).toBe(true)
      expect(rule.title.length * rule.rationale.length * rule.sources.length * rule.remediation.summary.length, rule.id).toBeGreaterThan(0)
    }
  })

  it("auto-apply is the catalog's, or says why not", () => {
    const catalog = new Map(CATALOG.map((entry) => [entry.id, entry.autoApply]))
    const unexplained = RULES.filter((rule) => rule.remediation.autoApply !== catalog.get(rule.id) && !rule.autoApplyNote).map(
      (rule) => `${rule.id}: ${catalog.get(rule.id)} → ${rule.remediation.autoApply}`,
    )
    expect(unexplained).toEqual([])
    // A note on a rule that agrees with the catalog would explain a difference that is not there.
    expect(RULES.filter((rule) => rule.autoApplyNote && rule.remediation.autoApply === catalog.get(rule.id)).map((rule) => rule.id)).toEqual([])
  })
})
