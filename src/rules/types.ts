/** A rule: its metadata, once, beside a pure evaluate() over the inventory. Rules never import the AWS SDK. */
import type {AuditConfig} from '../config/schema.js'
import type {AutoApply, ResourceRef, ScopeReason, Severity} from '../findings/types.js'
import type {Inventory, SourceId} from '../inventory/schema.js'
import type {InventoryIndex} from './inventory-index.js'
import type {RoleScope} from './scope.js'

export const RULE_GROUPS = ['ROLE', 'PROFILE', 'TRUST', 'POLICY', 'PASSROLE', 'TAG', 'STUDIO', 'RUNTIME', 'SECCFG', 'CLUSTER', 'SLR', 'LAUNCH'] as const
export type RuleGroup = (typeof RULE_GROUPS)[number]

export interface RuleMetadata {
  /** Exactly as in REQUIREMENTS.md, e.g. EMR-TRUST-001. */
  id: string
  group: RuleGroup
  title: string
  /** The highest severity the rule reports; an outcome may report lower (e.g. heuristic scope). */
  severity: Severity
  /** Why it matters, one or two sentences. */
  rationale: string
  /** Seed files and AWS pages the requirement comes from. */
  sources: string[]
  remediation: {summary: string; autoApply: AutoApply}
  /**
   * Regional sources the rule's answer depends on. Where one was not collected (denied, failed), the
   * analysis adds an `unknown` for the rule in that region, so a fault never reads as "nothing to report".
   */
  dependsOn?: readonly SourceId[]
  /** Its verdicts say what IAM policies allow: their evidence carries the limit of that answer (POLICIES_EVALUATED). */
  decidesAccess?: true
}

/** What an "allowed" or "denied" rests on, once for every rule that decides access (README: Known limits). */
export const POLICIES_EVALUATED = "this account's identity, boundary, trust and key policies only; SCPs, RCPs and session policies are not evaluated"

/** Adds the shared `policiesEvaluated` evidence to the decided (pass/fail) outcomes of a rule that decides access. */
export function withAccessScope(rule: Rule): Rule {
  if (!rule.decidesAccess) return rule
  return {
    ...rule,
    evaluate: (inventory, context) =>
      rule.evaluate(inventory, context).map((outcome) => (outcome.status === 'unknown' ? outcome : {...outcome, evidence: {...outcome.evidence, policiesEvaluated: POLICIES_EVALUATED}})),
  }
}

export interface RuleContext {
  now: Date
  config: AuditConfig
  scope: RoleScope
  index: InventoryIndex
}

export interface RuleOutcome {
  status: 'pass' | 'fail' | 'unknown'
  resource: ResourceRef
  message: string
  evidence?: Record<string, unknown>
  severity?: Severity
  subKey?: string
  scope?: ScopeReason[]
}

export interface Rule extends RuleMetadata {
  evaluate(inventory: Inventory, context: RuleContext): RuleOutcome[]
}

export function defineRule(rule: Rule): Rule {
  return rule
}
