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

/** `resource: name:PATTERN` matches resource names (only together with `resourceType`). */
export const NAME_PREFIX = 'name:'

/**
 * Security configurations and secrets have no id but their name, which anyone with EMR or Secrets Manager
 * rights chooses (a security configuration's may be `j-JONWWH8219OTF`, or a cluster's ARN). Rules such as
 * EMR-SECCFG-001 report on them and on clusters alike, so an id or ARN meant for a cluster must not reach
 * them: they match a plain pattern only under their `resourceType`, or a bare `*`, or their own ARN.
 */
const CHOSEN_NAME_IDS: ReadonlySet<string> = new Set(['emr-security-configuration', 'secret'])
const MATCHES_ANY = /^\*+$/

/**
 * By id or ARN, which AWS assigns and which are unique; by name only when the suppression says `name:`
 * and names the resource type. Anyone who can launch a cluster chooses its name, so a name must never
 * match by accident: a cluster named `j-JONWWH8219OTF` is not the cluster with that id.
 */
function matchesResource(suppression: Suppression, finding: Finding): boolean {
  const {resource: pattern, resourceType} = suppression
  if (resourceType !== undefined && resourceType !== finding.resource.type) return false
  if (pattern.startsWith(NAME_PREFIX))
    return resourceType !== undefined && finding.resource.name !== undefined && stringLike(pattern.slice(NAME_PREFIX.length), finding.resource.name)
  const idIsChosenName = CHOSEN_NAME_IDS.has(finding.resource.type)
  if (pattern.startsWith('arn:'))
    return [finding.resource.arn, ...(idIsChosenName ? [] : [finding.resource.id])].some(
      (candidate) => candidate?.startsWith('arn:') === true && stringLike(pattern, candidate),
    )
  if (idIsChosenName && resourceType === undefined && !MATCHES_ANY.test(pattern)) return false
  return stringLike(pattern, finding.resource.id)
}

export function applySuppressions(findings: Finding[], suppressions: readonly Suppression[], now: Date): SuppressionResult {
  const today = utcDay(now)
  const expired = suppressions.filter((suppression) => suppression.expires < today)
  const active = suppressions.filter((suppression) => suppression.expires >= today)
  const used = new Set<Suppression>()
  const result = findings.map((finding) => {
    if (finding.status !== 'fail') return finding
    const suppression = active.find((candidate) => stringLike(candidate.ruleId, finding.ruleId) && matchesResource(candidate, finding))
    if (!suppression) return finding
    used.add(suppression)
    return {...finding, status: 'suppressed' as const, suppression}
  })
  return {findings: result, expired, stale: active.filter((suppression) => !used.has(suppression))}
}

/**
 * Marks each failing finding new or existing against the fingerprints that failed in a baseline report.
 * Other results are not failures, so they are neither.
 */
export function applyBaseline(findings: Finding[], baselineFingerprints: ReadonlySet<string>): Finding[] {
  return findings.map((finding) =>
    finding.status === 'fail' ? {...finding, baseline: baselineFingerprints.has(finding.fingerprint) ? ('existing' as const) : ('new' as const)} : finding,
  )
}
