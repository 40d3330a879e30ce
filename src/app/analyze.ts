/** Runs the rules over an inventory (the engine is src/rules/engine.ts). */
import type {AuditConfig} from '../config/schema.js'
import type {Finding} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import {evaluateRule, ruleContext} from '../rules/engine.js'
import {RULES, type Rule} from '../rules/index.js'

export {fingerprintOf} from '../rules/engine.js'

export interface AnalyzeOptions {
  config: AuditConfig
  rules?: readonly Rule[]
  now?: Date
}

export function analyze(inventory: Inventory, options: AnalyzeOptions): Finding[] {
  const context = ruleContext(inventory, options.config, options.now ?? new Date())
  return (options.rules ?? RULES).flatMap((rule) => evaluateRule(rule, inventory, context))
}
