import type {ScanReport} from './model.js'

/** What the run left out, for the auditor: rules disabled in the config (with why), not selected, severities hidden. */
export function selectionLines(selection: NonNullable<ScanReport['selection']>): string[] {
  return [
    ...selection.disabled.map((entry) => `Not evaluated: ${entry.ruleId}, disabled in the config: ${entry.reason}`),
    ...(selection.notSelected.length > 0
      ? [`Not evaluated (${selection.notSelected.length} rules left out by --checks, --exclude-checks or --groups): ${selection.notSelected.join(', ')}`]
      : []),
    ...(selection.severities ? [`Only ${selection.severities.join(', ')} findings reported (--severity)`] : []),
  ]
}
