/**
 * Suppressions (from the config) and baselines (a previous JSON report): pure functions over findings.
 * A suppression is a dated exception: once its date has passed it stops applying and the run warns.
 */
import {stringLike} from '../policy/match.js'
import type {Finding, Suppression} from './types.js'

export interface SuppressionResult {
  findings: Finding[]
  /** Suppressions whose date has passed: they no longer apply. */
  expired: Suppression[]
  /** Active suppressions that matched no failing finding: probably left over. */
  stale: Suppression[]
}

/** The day in UTC, YYYY-MM-DD: a suppression applies through its `expires` day. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10)
}

function matchesResource(pattern: string, finding: Finding): boolean {
  const candidates = [finding.resource.id, finding.resource.name, finding.resource.arn].filter((value): value is string => Boolean(value))
  return candidates.some((candidate) => stringLike(pattern, candidate))
}

export function applySuppressions(findings: Finding[], suppressions: readonly Suppression[], now: Date): SuppressionResult {
  const today = utcDay(now)
  const expired = suppressions.filter((suppression) => suppression.expires < today)
  const active = suppressions.filter((suppression) => suppression.expires >= today)
  const used = new Set<Suppression>()
  const result = findings.map((finding) => {
    if (finding.status !== 'fail') return finding
    const suppression = active.find((candidate) => stringLike(candidate.ruleId, finding.ruleId) && matchesResource(candidate.resource, finding))
    if (!suppression) return finding
    used.add(suppression)
    return {...finding, status: 'suppressed' as const, suppression}
  })
  return {findings: result, expired, stale: active.filter((suppression) => !used.has(suppression))}
}

/** Marks each finding new or existing against the fingerprints of a baseline report. */
export function applyBaseline(findings: Finding[], baselineFingerprints: ReadonlySet<string>): Finding[] {
  return findings.map((finding) => ({...finding, baseline: baselineFingerprints.has(finding.fingerprint) ? ('existing' as const) : ('new' as const)}))
}
