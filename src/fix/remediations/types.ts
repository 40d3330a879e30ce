/** What a remediation module is handed and what it proposes; the planner turns proposals into changes. */
import type {AuditConfig} from '../../config/schema.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import type {InventoryIndex} from '../../rules/inventory-index.js'
import type {Change, ChangeKind, ManualItem} from '../types.js'

export interface PlanContext {
  inventory: Inventory
  index: InventoryIndex
  config: AuditConfig
}

/**
 * A change before the planner settles its id, auto-apply (from the rules' metadata) and disposition, and
 * derives its calls from before and after.
 */
export type Proposal = Omit<Change, 'id' | 'account' | 'autoApply' | 'disposition' | 'reason' | 'calls'> & {
  /** Set when the change cannot be made as planned (size limits, service-linked roles). */
  refusal?: string
}

/** A failing finding the module will not change, and why (shown to the user as a manual item). */
export type Declined = Pick<ManualItem, 'fingerprint' | 'why'>

/**
 * One kind of change a module proposes, and the AWS writes it may lead to: these lists are the executor's
 * and rollback's allow-lists and the actions `permissions --fix` grants (src/fix/remediations/index.ts).
 */
export interface ChangeDeclaration {
  kind: ChangeKind
  /** Every write the change's calls may send (advisory changes included: their calls are shown). */
  writes: readonly string[]
  /** Its inverse: every write undoing it may send, from any state its own calls can leave. */
  inverse: readonly string[]
}

/** A module's default export; the registry finds it by folder (src/fix/remediations/index.ts). */
export interface Remediation {
  /** The catalog rules whose failing findings this module fixes: each must say `autoApply` yes or guarded. */
  ruleIds: readonly string[]
  changes: readonly ChangeDeclaration[]
  /** Pure: failing findings of those rules (one account) → proposals, plus the findings it declines. */
  plan(findings: Finding[], context: PlanContext): {proposals: Proposal[]; declined: Declined[]}
}

export const SERVICE_LINKED_PATH_PREFIX = '/aws-service-role/'

export function defineRemediation(remediation: Remediation): Remediation {
  return remediation
}
