/** emr-audit as a library: the same pipeline the CLI runs. */
export {analyze, fingerprintOf} from './app/analyze.js'
export {runScan, resolveRegions, type ScanRequest, type ScanResult} from './app/run-scan.js'
export {scanAccount, type ScanOptions} from './app/scan.js'
export {ExitCode, UserInputError} from './shared/errors.js'
export {parseConfig, loadConfig} from './app/load-config.js'
export type {AuditConfig} from './config/schema.js'
export {readInventory, parseInventory} from './inventory/io.js'
export * from './inventory/schema.js'
export type {Finding, Severity, FindingStatus, ResourceRef} from './findings/types.js'
export {RULES} from './rules/index.js'
export {buildReport, exitCodeFor, type ScanReport} from './report/model.js'
export {renderJson} from './report/json.js'
export {renderTable} from './report/table.js'
export {ScanReportSchema} from './report/model.js'
export {FindingSchema} from './findings/types.js'
export {planFixes, type PlanOptions} from './fix/planner.js'
export {type Plan, type Change, type Journal, PlanSchema, JournalSchema} from './fix/types.js'

import {InventorySchema} from './inventory/schema.js'
import {ScanReportSchema} from './report/model.js'
import {JournalSchema, PlanSchema} from './fix/types.js'

/** The published JSON Schemas (schemas/*.schema.json), generated from the same definitions the code uses. */
export function publishedSchemas(): Record<string, unknown> {
  const draft = 'http://json-schema.org/draft-07/schema#'
  return {
    'inventory.schema.json': {$schema: draft, title: 'emr-audit inventory', ...JSON.parse(JSON.stringify(InventorySchema))},
    'report.schema.json': {$schema: draft, title: 'emr-audit scan report (--format json)', ...JSON.parse(JSON.stringify(ScanReportSchema))},
    'plan.schema.json': {$schema: draft, title: 'emr-audit fix plan (fix --format json)', ...JSON.parse(JSON.stringify(PlanSchema))},
    'journal.schema.json': {$schema: draft, title: 'emr-audit fix journal (fix --apply --journal)', ...JSON.parse(JSON.stringify(JournalSchema))},
  }
}
export {renderRuleReferenceMarkdown, withRuleReference} from './report/rule-reference.js'
export {scanPolicy, withScanPolicy} from './app/permission-policy.js'
