/**
 * The planner: failing findings and the inventory they came from → a plan of changes, each with its exact
 * calls, before and after, guards and disposition. Pure: no AWS, no clock but the one handed in.
 */
import {createHash} from 'node:crypto'
import type {AuditConfig} from '../config/schema.js'
import type {AutoApply, Finding} from '../findings/types.js'
import type {Inventory} from '../inventory/schema.js'
import {buildIndex} from '../rules/inventory-index.js'
import {RULES} from '../rules/index.js'
import {changeCalls} from './calls.js'
import {digestOf} from './state.js'
import {changeProblem, type Scope} from './verify.js'
import {REMEDIATIONS} from './remediations/index.js'
import type {Declined, Proposal} from './remediations/types.js'
import {type Change, type ManualItem, type Plan, PLAN_SCHEMA_VERSION} from './types.js'

export interface PlanOptions {
  config: AuditConfig
  now: Date
  /** Only these rules (exact ids). */
  only?: string[]
  /** Only findings on these resources (id, name or ARN). */
  resources?: string[]
}

function changeId(proposal: Proposal, account: string): string {
  return createHash('sha256')
    .update([proposal.kind, account, proposal.region, proposal.target.arn ?? proposal.target.id, proposal.policyName ?? ''].join('|'))
    .digest('hex')
    .slice(0, 12)
}

const RULE_BY_ID = new Map(RULES.map((rule) => [rule.id, rule]))
const CAUTION: readonly AutoApply[] = ['yes', 'guarded', 'no']

/** What the rules' metadata allows for a change fixing all of them: the most cautious (an unknown rule: advisory). */
function autoApplyOf(ruleIds: readonly string[]): AutoApply {
  const levels = ruleIds.map((id) => CAUTION.indexOf(RULE_BY_ID.get(id)?.remediation.autoApply ?? 'no'))
  return CAUTION[Math.max(0, ...levels)] ?? 'no'
}

/** Why a rule's fix is never applied: the catalog's word, or emr-audit's own reason where it is stricter. */
function advisoryReason(ruleIds: readonly string[]): string {
  const note = ruleIds.map((id) => RULE_BY_ID.get(id)).find((rule) => rule?.remediation.autoApply === 'no' && rule.autoApplyNote)?.autoApplyNote
  return note ? note.replace(/\.$/, '') : 'the catalog marks this remediation advisory'
}

function settle(proposal: Proposal, scope: Scope): Change {
  const {account} = scope
  const {refusal, ...rest} = proposal
  const autoApply = autoApplyOf(proposal.ruleIds)
  const failed = proposal.guards.filter((guard) => guard.held !== true)
  let disposition: Change['disposition'] = 'apply'
  let reason: string | undefined
  if (refusal) {
    disposition = 'refused'
    reason = refusal
  } else if (autoApply === 'no') {
    disposition = 'advisory'
    reason = advisoryReason(proposal.ruleIds)
  } else if (failed.length > 0) {
    disposition = 'advisory'
    reason = failed.map((guard) => `guard ${guard.name} ${guard.held === false ? 'did not hold' : 'could not be decided'}`).join('; ')
  }
  const change: Change = {id: changeId(proposal, account), account, ...rest, calls: changeCalls(proposal), autoApply, disposition, ...(reason ? {reason} : {})}
  // The same check a saved plan meets on load: --apply never runs a change it could not prove from a file.
  const unproven = disposition === 'apply' ? changeProblem(change, scope) : undefined
  return unproven ? {...change, disposition: 'refused', reason: `emr-audit cannot prove this change safe: ${unproven}`} : change
}

function matchesResource(finding: Finding, resources: string[]): boolean {
  const names = [finding.resource.id, finding.resource.name, finding.resource.arn].filter((value): value is string => Boolean(value))
  return resources.some((wanted) => names.includes(wanted))
}

export function planFixes(findings: Finding[], inventory: Inventory, options: PlanOptions): Plan {
  const account = inventory.account.id
  // Suppressed findings were accepted on purpose; unknown ones are not known to be wrong.
  const failing = findings.filter(
    (finding) =>
      finding.status === 'fail' &&
      (finding.account === undefined || finding.account === account) &&
      (!options.only || options.only.includes(finding.ruleId)) &&
      (!options.resources || matchesResource(finding, options.resources)),
  )
  const context = {inventory, index: buildIndex(inventory), config: options.config}
  const changes: Change[] = []
  const declined = new Map<string, string>()
  const covered = new Set<string>()
  for (const remediation of REMEDIATIONS) {
    const own = failing.filter((finding) => remediation.ruleIds.includes(finding.ruleId))
    if (own.length === 0) continue
    const result = remediation.plan(own, context)
    for (const proposal of result.proposals) {
      changes.push(settle(proposal, {account, partition: inventory.account.partition}))
      for (const fingerprint of proposal.findings) covered.add(fingerprint)
    }
    for (const entry of result.declined as Declined[]) declined.set(entry.fingerprint, entry.why)
  }
  const manual: ManualItem[] = failing
    .filter((finding) => declined.has(finding.fingerprint) || !covered.has(finding.fingerprint))
    .map((finding) => {
      const remediation = RULE_BY_ID.get(finding.ruleId)?.remediation
      const why =
        declined.get(finding.fingerprint) ?? (remediation?.autoApply === 'no' ? advisoryReason([finding.ruleId]) : 'emr-audit has no automatic fix for it yet')
      return {
        ruleId: finding.ruleId,
        resource: finding.resource,
        fingerprint: finding.fingerprint,
        message: finding.message,
        remediation: remediation?.summary ?? '',
        why,
      }
    })
  const order = {apply: 0, advisory: 1, refused: 2}
  changes.sort((a, b) => order[a.disposition] - order[b.disposition] || a.kind.localeCompare(b.kind) || a.target.id.localeCompare(b.target.id))
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    account,
    partition: inventory.account.partition,
    homeRegion: inventory.regions[0] ?? 'us-east-1',
    generatedAt: options.now.toISOString(),
    inventoryDigest: digestOf(inventory),
    changesDigest: digestOf(changes),
    changes,
    manual,
  }
}
