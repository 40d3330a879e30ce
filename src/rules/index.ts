/**
 * Every rule emr-audit ships, in catalog order: the default export of each `<group>/emr-<group>-<nnn>`
 * module (adding a rule touches its module and its test only). A module there that does not export the
 * rule its file name promises stops the tool at load, never silently drops a check.
 */
import {defaultExportsIn} from './discover.js'
import {type Rule, RULE_GROUPS, withAccessScope} from './types.js'

function isRule(value: unknown): value is Rule {
  const candidate = value as Partial<Rule> | undefined
  return typeof candidate?.id === 'string' && typeof candidate.evaluate === 'function'
}

async function rulesOf(group: string): Promise<Rule[]> {
  const folder = group.toLowerCase()
  const found = await defaultExportsIn(new URL(`./${folder}/`, import.meta.url), new RegExp(`^emr-${folder}-\\d{3}$`))
  return found.map(({name, value}) => {
    if (!isRule(value) || value.id !== name.toUpperCase() || value.group !== group)
      throw new Error(`src/rules/${folder}/${name} does not export rule ${name.toUpperCase()} as its default`)
    return value
  })
}

export const RULES: readonly Rule[] = (await Promise.all(RULE_GROUPS.map(rulesOf))).flat().map(withAccessScope)

export type {Rule, RuleContext, RuleMetadata, RuleOutcome} from './types.js'
