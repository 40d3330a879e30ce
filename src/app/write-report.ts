/** Writes a report in each requested format; SARIF describes each rule, so the catalog is handed over here. */
import type {ScanReport} from '../report/model.js'
import {type OutputTarget, writeOutputs} from '../report/outputs.js'
import {RULES} from '../rules/index.js'
import type {RuleMetadata} from '../rules/types.js'

export async function writeReport(
  report: ScanReport,
  targets: OutputTarget[],
  options: {color: boolean; stepSummary?: string; extraRules?: readonly RuleMetadata[]},
): Promise<void> {
  const {extraRules = [], ...rest} = options
  await writeOutputs(report, targets, [...RULES, ...extraRules], rest)
}
