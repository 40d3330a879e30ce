/** What a remediation module is handed and what it proposes; the planner turns proposals into changes. */
import type {AuditConfig} from '../../config/schema.js'
import type {Finding} from '../../findings/types.js'
import type {Inventory} from '../../inventory/schema.js'
import type {InventoryIndex} from '../../rules/inventory-index.js'
import type {Change, ManualItem} from '../types.js'

export interface PlanContext {
  inventory: Inventory
  index: InventoryIndex
  config: AuditConfig
}

/** A change before the planner settles its id and disposition, and derives its calls from before and after. */
export type Proposal = Omit<Change, 'id' | 'account' | 'disposition' | 'reason' | 'calls'> & {
  /** Set when the change cannot be made as planned (size limits, service-linked roles). */
  refusal?: string
}

/** A failing finding the module will not change, and why (shown to the user as a manual item). */
export type Declined = Pick<ManualItem, 'fingerprint' | 'why'>

export interface Remediation {
  /** The catalog rules whose failing findings this module fixes. */
  ruleIds: readonly string[]
  /** Pure: failing findings of those rules (one account) → proposals, plus the findings it declines. */
  plan(findings: Finding[], context: PlanContext): {proposals: Proposal[]; declined: Declined[]}
}

export const SERVICE_LINKED_PATH_PREFIX = '/aws-service-role/'
