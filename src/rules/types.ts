/** A rule: its metadata, once, beside a pure evaluate() over the inventory. Rules never import the AWS SDK. */
import type {AuditConfig} from '../config/schema.js'
import type {AutoApply, ResourceRef, ScopeReason, Severity} from '../findings/types.js'
import type {Inventory, SourceId} from '../inventory/schema.js'
import type {InventoryIndex} from './inventory-index.js'
import type {RoleScope} from './scope.js'

/** The catalog's groups, one folder each under src/rules/. */
export const RULE_GROUPS = ['ROLE', 'PROFILE', 'TRUST', 'POLICY', 'PASSROLE', 'TAG', 'STUDIO', 'RUNTIME', 'SECCFG', 'CLUSTER', 'SLR'] as const
/** LAUNCH: preflight's launch-only checks (src/preflight), built per run and never part of a scan. */
export type RuleGroup = (typeof RULE_GROUPS)[number] | 'LAUNCH'

export const COMPLIANCE_FRAMEWORKS = ['AWS-FSBP', 'NIST-800-53-r5'] as const
export type ComplianceFramework = (typeof COMPLIANCE_FRAMEWORKS)[number]

/** One control of a compliance framework that a rule checks the same thing as. */
export interface ComplianceMapping {
  framework: ComplianceFramework
  /** As the framework writes it: `EMR.1`, `SC-7(4)`. */
  control: string
}

export interface RuleMetadata {
  /** Exactly as in REQUIREMENTS.md, e.g. EMR-TRUST-001. */
  id: string
  group: RuleGroup
  title: string
  /** The highest severity the rule reports; an outcome may report lower (e.g. heuristic scope). */
  severity: Severity
  /** Why it matters, one or two sentences. */
  rationale: string
  /** The AWS documentation pages the requirement comes from (URLs, most specific first). */
  sources: string[]
  /** Controls that check the same thing (AWS Security Hub's mapping); absent when none does. */
  compliance?: readonly ComplianceMapping[]
  /** `autoApply` yes or guarded: a module in src/fix/remediations/ fixes it (a test holds the two together). */
  remediation: {summary: string; autoApply: AutoApply}
  /**
   * Why `autoApply` differs from the catalog's Auto-apply, shown by `rules ID` and the rule reference.
   * Required wherever they differ (a test compares them with REQUIREMENTS.md).
   */
  autoApplyNote?: string
  /**
   * Sources the rule cannot answer without; the engine, not the rule, reports their gaps, so a fault never
   * reads as "nothing to report". A global one (the IAM snapshot) not collected: the rule is not evaluated
   * and answers one `unknown` for the account ("Could not check <checks>: … was not collected"). A
   * regional one not collected in a region: an `unknown` for the rule there, beside its other findings.
   */
  dependsOn?: readonly SourceId[]
  /** Further sources the rule reads, whose gaps it handles itself (a policy not read leaves a decision unknown). */
  reads?: readonly SourceId[]
  /** Completes "Could not check …" when a global source it depends on is missing. */
  checks?: string
  /**
   * Where the global sources in dependsOn are needed: only where this holds (say, only when Studios exist).
   * Elsewhere the rule is evaluated without them, and must not read them. Unset: everywhere.
   */
  needsGlobalSourcesWhen?(inventory: Inventory, context: RuleContext): boolean
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
      rule
        .evaluate(inventory, context)
        .map((outcome) => (outcome.status === 'unknown' ? outcome : {...outcome, evidence: {...outcome.evidence, policiesEvaluated: POLICIES_EVALUATED}})),
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
