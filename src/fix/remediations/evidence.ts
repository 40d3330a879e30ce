/** Typed reads of the evidence rules recorded; a finding without what a remediation needs is declined. */
import type {Finding} from '../../findings/types.js'

export function evidenceString(finding: Finding, key: string): string | undefined {
  const value = finding.evidence[key]
  return typeof value === 'string' ? value : undefined
}

export function evidenceGuard(finding: Finding, name: string): boolean | undefined {
  const guard = finding.evidence['guard']
  if (!guard || typeof guard !== 'object') return undefined
  const value = (guard as Record<string, unknown>)[name]
  return typeof value === 'boolean' ? value : undefined
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
