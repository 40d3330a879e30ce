/**
 * Runs rules over an inventory. The engine, not the rules, answers for what was not collected: a rule whose
 * global source is missing is not evaluated (one `unknown` for the account), a regional gap adds an `unknown`
 * for the rule in that region, and a rule that throws becomes an `error` finding for that rule alone.
 */
import {createHash} from 'node:crypto'
import type {AuditConfig} from '../config/schema.js'
import type {Finding, ResourceRef} from '../findings/types.js'
import type {Inventory, SourceId} from '../inventory/schema.js'
import {SOURCE_NAMES, SOURCE_COVERAGE, sliceReady} from '../inventory/sources.js'
import {accountResource} from './helpers.js'
import {buildIndex, type InventoryIndex} from './inventory-index.js'
import {buildScope} from './scope.js'
import type {Rule, RuleContext, RuleOutcome} from './types.js'

/** Stable across runs and machines: the same rule, account, resource and sub-key give the same fingerprint. */
export function fingerprintOf(ruleId: string, accountId: string, resource: ResourceRef, subKey?: string): string {
  const resourceKey = resource.arn ?? `${resource.type}:${resource.region ?? ''}:${resource.id}`
  const parts = [ruleId, accountId, resourceKey, subKey ?? '']
  // A name may hold `|` (EMR's do): joined, `a|x` + `y` and `a` + `x|y` would be one finding, and a new failure
  // could take a baseline's. Such parts are written unambiguously; every other fingerprint stays as it was.
  const key = parts.some((part) => part.includes('|')) ? JSON.stringify(parts) : parts.join('|')
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}

/** Every source a rule may read: what it depends on and what else it reads. The caller identity is always there. */
export function sourcesRead(rule: Rule): SourceId[] {
  return [...new Set<SourceId>(['sts.identity', ...(rule.dependsOn ?? []), ...(rule.reads ?? [])])]
}

export function ruleContext(inventory: Inventory, config: AuditConfig, now: Date): RuleContext {
  const index = buildIndex(inventory)
  // The role scope is built only for rules that use it: in a partial inventory it may not be final yet.
  let scope: RuleContext['scope'] | undefined
  return {
    now,
    config,
    index,
    get scope() {
      return (scope ??= buildScope(inventory, index, config))
    },
  }
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

/** The global sources the rule needs here that were not collected. */
function missingGlobalSources(rule: Rule, inventory: Inventory, context: RuleContext): SourceId[] {
  const global = (rule.dependsOn ?? []).filter((source) => SOURCE_COVERAGE[source] === 'global')
  if (global.length === 0 || (rule.needsGlobalSourcesWhen && !rule.needsGlobalSourcesWhen(inventory, context))) return []
  return global.filter((source) => !context.index.collected(source, 'global'))
}

const sourceNames = (missing: readonly SourceId[]): string => missing.map((source) => SOURCE_NAMES[source] ?? source).join(' and ')
const whatRuleChecks = (rule: Rule): string => rule.checks ?? `"${rule.title}"`

function globalGap(rule: Rule, inventory: Inventory, missing: SourceId[]): RuleOutcome {
  return {
    status: 'unknown',
    resource: accountResource(inventory),
    message: `Could not check ${whatRuleChecks(rule)}: ${sourceNames(missing)} ${missing.length > 1 ? 'were' : 'was'} not collected.`,
  }
}

function errorFinding(rule: Rule, inventory: Inventory, error: unknown): Finding {
  const resource: ResourceRef = {type: 'rule', id: rule.id}
  return {
    ...toFinding(rule, {status: 'unknown', resource, message: ''}, inventory.account.id),
    status: 'error',
    message: `Rule ${rule.id} failed while evaluating and reported nothing: ${(error as Error).message}`,
    evidence: {error: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error)},
  }
}

/** `unknown` for a rule in each region where a regional source it depends on was not collected (unless it said so itself). */
function regionalGaps(rule: Rule, inventory: Inventory, index: InventoryIndex, own: Finding[]): Finding[] {
  const gaps: Finding[] = []
  const seen = new Set(own.map((finding) => finding.fingerprint))
  const regional = (rule.dependsOn ?? []).filter((source) => SOURCE_COVERAGE[source] === 'regional')
  for (const region of inventory.regions) {
    const missing = regional.filter((source) => !index.collected(source, region))
    if (missing.length === 0) continue
    const finding = toFinding(
      rule,
      {
        status: 'unknown',
        resource: accountResource(inventory, region),
        subKey: region,
        message: `Could not check ${whatRuleChecks(rule)} in ${region}: ${sourceNames(missing)} could not be read (see coverage).`,
        evidence: {missingSources: missing},
      },
      inventory.account.id,
    )
    if (!seen.has(finding.fingerprint)) gaps.push(finding)
  }
  return gaps
}

/** What the rule says, or, when a global source it needs is missing, the engine's `unknown` in its place. */
export function ruleOutcomes(rule: Rule, inventory: Inventory, context: RuleContext): RuleOutcome[] {
  const missing = missingGlobalSources(rule, inventory, context)
  return missing.length > 0 ? [globalGap(rule, inventory, missing)] : rule.evaluate(inventory, context)
}

/** One rule's findings; it only reads the sources it declares, so any inventory holding those gives the same. */
export function evaluateRule(rule: Rule, inventory: Inventory, context: RuleContext): Finding[] {
  let outcomes: RuleOutcome[]
  try {
    outcomes = ruleOutcomes(rule, inventory, context)
  } catch (error) {
    return [errorFinding(rule, inventory, error)]
  }
  const own = outcomes.map((outcome) => toFinding(rule, outcome, inventory.account.id))
  return [...own, ...regionalGaps(rule, inventory, context.index, own)]
}

export interface AnalysisOptions {
  config: AuditConfig
  now: Date
}

/** An analysis that starts each rule as soon as the sources it reads are in, while the scan goes on. */
export interface OverlappedAnalysis {
  /** Told by the scan as sources finish; `view` is the inventory of the sources finished so far. */
  sourcesDone(done: ReadonlySet<SourceId>, view: () => Inventory): void
  /** With the scan's inventory: runs the rules not yet run; the findings in rule order, whatever ran first. */
  finish(inventory: Inventory): Promise<Finding[]>
  /** The rules that ran before the scan ended. */
  ranDuringScan(): string[]
}

/** Lets the scan's pending replies be handled between two rules: analysis must not starve the reads. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export function overlappedAnalysis(rules: readonly Rule[], options: AnalysisOptions): OverlappedAnalysis {
  // undefined: not started; a promise of undefined: started on a view that turned out unusable, rerun at the end.
  const started: Array<Promise<Finding[] | undefined> | undefined> = rules.map(() => undefined)
  const early: string[] = []
  let queue: Promise<unknown> = Promise.resolve()
  let scanEnded = false
  const ready = (rule: Rule, done: ReadonlySet<SourceId>) => sourcesRead(rule).every((source) => sliceReady(source, done))
  /** One rule a turn, in the order they became ready. */
  const enqueue = <T>(work: () => T): Promise<T> => {
    const result = queue.then(nextTurn).then(work)
    queue = result.catch(() => undefined)
    return result
  }
  const contextOf = (inventory: Inventory) => {
    let context: RuleContext | undefined
    return () => (context ??= ruleContext(inventory, options.config, options.now))
  }
  return {
    sourcesDone(done, view) {
      const starting = rules.flatMap((rule, index) => (started[index] === undefined && ready(rule, done) ? [index] : []))
      if (starting.length === 0) return
      let inventory: Inventory
      try {
        inventory = view()
      } catch {
        return // these rules wait for the scan's inventory instead
      }
      const context = contextOf(inventory)
      for (const index of starting) {
        const rule = rules[index] as Rule
        started[index] = enqueue(() => {
          if (!scanEnded) early.push(rule.id)
          return evaluateRule(rule, inventory, context())
        }).catch(() => undefined)
      }
    },
    async finish(inventory) {
      scanEnded = true
      const context = contextOf(inventory)
      const findings = await Promise.all(rules.map(async (rule, index) => (await started[index]) ?? enqueue(() => evaluateRule(rule, inventory, context()))))
      return findings.flat()
    },
    ranDuringScan: () => [...early],
  }
}
