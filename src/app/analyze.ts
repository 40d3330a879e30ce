/** Runs the rules over an inventory. A rule that throws becomes an `error` finding for that rule alone. */
import {createHash} from 'node:crypto'
import type {AuditConfig} from '../config/schema.js'
import type {Finding, ResourceRef} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import {RULES, type Rule, type RuleOutcome} from '../rules/index.js'
import {buildIndex, type InventoryIndex} from '../rules/inventory-index.js'
import {accountResource} from '../rules/helpers.js'
import {buildScope} from '../rules/scope.js'

export interface AnalyzeOptions {
  config: AuditConfig
  rules?: readonly Rule[]
  now?: Date
}

/** Stable across runs and machines: the same rule, account, resource and sub-key give the same fingerprint. */
export function fingerprintOf(ruleId: string, accountId: string, resource: ResourceRef, subKey?: string): string {
  const resourceKey = resource.arn ?? `${resource.type}:${resource.region ?? ''}:${resource.id}`
  const parts = [ruleId, accountId, resourceKey, subKey ?? '']
  // A name may hold `|` (EMR's do): joined, `a|x` + `y` and `a` + `x|y` would be one finding, and a new failure
  // could take a baseline's. Such parts are written unambiguously; every other fingerprint stays as it was.
  const key = parts.some((part) => part.includes('|')) ? JSON.stringify(parts) : parts.join('|')
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}

function toFinding(rule: Rule, outcome: RuleOutcome, accountId: string): Finding {
  return {
    ruleId: rule.id,
    account: accountId,
    title: rule.title,
    severity: outcome.severity ?? rule.severity,
    status: outcome.status,
    resource: outcome.resource,
    message: outcome.message,
    evidence: outcome.evidence ?? {},
    remediation: rule.remediation,
    ...(outcome.scope && outcome.scope.length > 0 ? {scope: outcome.scope} : {}),
    ...(outcome.subKey ? {subKey: outcome.subKey} : {}),
    fingerprint: fingerprintOf(rule.id, accountId, outcome.resource, outcome.subKey),
  }
}

export function analyze(inventory: Inventory, options: AnalyzeOptions): Finding[] {
  const index = buildIndex(inventory)
  const context = {now: options.now ?? new Date(), config: options.config, index, scope: buildScope(inventory, index, options.config)}
  const findings: Finding[] = []
  for (const rule of options.rules ?? RULES) {
    let outcomes: RuleOutcome[]
    try {
      outcomes = rule.evaluate(inventory, context)
    } catch (error) {
      const resource: ResourceRef = {type: 'rule', id: rule.id}
      findings.push({
        ...toFinding(rule, {status: 'unknown', resource, message: ''}, inventory.account.id),
        status: 'error',
        message: `Rule ${rule.id} failed while evaluating and reported nothing: ${(error as Error).message}`,
        evidence: {error: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error)},
      })
      continue
    }
    const own = outcomes.map((outcome) => toFinding(rule, outcome, inventory.account.id))
    findings.push(...own, ...gapFindings(rule, inventory, index, own))
  }
  return findings
}

/** `unknown` for a rule in each region where a source it depends on was not collected (unless it said so itself). */
function gapFindings(rule: Rule, inventory: Inventory, index: InventoryIndex, own: Finding[]): Finding[] {
  const gaps: Finding[] = []
  const seen = new Set(own.map((finding) => finding.fingerprint))
  for (const region of inventory.regions) {
    const missing = (rule.dependsOn ?? []).filter((source) => !index.collected(source, region))
    if (missing.length === 0) continue
    const finding = toFinding(
      rule,
      {
        status: 'unknown',
        resource: accountResource(inventory, region),
        subKey: region,
        message: `Could not check "${rule.title}" in ${region}: ${missing.join(', ')} could not be read (see coverage).`,
        evidence: {missingSources: missing},
      },
      inventory.account.id,
    )
    if (!seen.has(finding.fingerprint)) gaps.push(finding)
  }
  return gaps
}
