/** Typed reads of the evidence rules recorded; a finding without what a remediation needs is declined. */
import type {Finding} from '../../findings/types.js'

export function evidenceString(finding: Finding, key: string): string | undefined {
  const value = finding.evidence[key]
  return typeof value === 'string' ? value : undefined
}

/** Findings grouped by the resource they are on (one change per target). */
export function byResource(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const finding of findings) {
    const key = finding.resource.arn ?? finding.resource.id
    groups.set(key, [...(groups.get(key) ?? []), finding])
  }
  return groups
}
