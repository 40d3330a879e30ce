/** The rule catalog as commands see it: metadata only, so no command reaches a rule's evaluate function. */
import {RULES} from '../rules/index.js'
import type {RuleMetadata} from '../rules/types.js'
import {UserInputError} from '../shared/errors.js'

export function ruleCatalog(): RuleMetadata[] {
  return RULES.map(({evaluate: _evaluate, ...metadata}) => metadata)
}

/** A misspelt rule id would otherwise select nothing and look like "nothing to fix". */
export function assertKnownRuleIds(ids: readonly string[], flag: string): void {
  const known = new Set(RULES.map((rule) => rule.id))
  for (const id of ids) if (!known.has(id)) throw new UserInputError(`${flag}: unknown rule '${id}' (see emr-audit rules)`)
}
