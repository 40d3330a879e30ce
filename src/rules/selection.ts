/**
 * Which rules a run evaluates: --checks / --exclude-checks / --groups narrow the rule set, the config's
 * `rules:` disables rules for a stated reason, --severity narrows what is reported. Pure: no I/O.
 */
import {closest, distance} from 'fastest-levenshtein'
import type {AuditConfig} from '../config/schema.js'
import {SEVERITIES, type Severity} from '../findings/types.js'
import {actionMatches as caseInsensitiveGlob, stringLike} from '../policy/match.js'
import {RULE_GROUPS, type Rule} from './types.js'
import {UserInputError} from '../shared/errors.js'

export interface CheckSelection {
  /** Rule ids or globs (`*`, `?`), case-insensitive; only these are evaluated. */
  checks?: readonly string[]
  /** Rule ids or globs left out. */
  excludeChecks?: readonly string[]
  groups?: readonly string[]
  /** Only findings of these severities are reported. */
  severities?: readonly string[]
}

export interface DisabledRule {
  ruleId: string
  reason: string
}

/** What a report says about the rules that were not evaluated, so an auditor sees what was off. */
export interface SelectionSummary {
  /** Disabled in the config, with the reason given there. */
  disabled: DisabledRule[]
  /** Left out by --checks, --exclude-checks or --groups. */
  notSelected: string[]
  /** With --severity: the only severities reported. */
  severities?: Severity[]
}

export interface SelectedRules {
  rules: Rule[]
  severities?: ReadonlySet<Severity>
  summary: SelectionSummary
}

/**
 * No control characters, line separators or bidirectional overrides (which reorder what a terminal shows).
 * Also the report schema's pattern for reasons, so a merged report cannot smuggle them in either.
 */
export const NO_CONTROL_CHARACTERS_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]*$'
const NO_CONTROL_CHARACTERS = new RegExp(NO_CONTROL_CHARACTERS_PATTERN)

/** Whether a suppression's rule-id glob names any of these rules (matched as suppressions match it). */
export function matchesAnyRule(pattern: string, rules: readonly Rule[]): boolean {
  return rules.some((rule) => stringLike(pattern, rule.id))
}

/** The closest known name, when it is close enough to be the one meant (a typo, not a guess). */
function didYouMean(value: string, known: readonly string[]): string {
  const candidate = closest(value.toUpperCase(), [...known])
  return distance(value.toUpperCase(), candidate) <= Math.max(2, Math.floor(candidate.length / 3)) ? ` (did you mean ${candidate}?)` : ''
}

/** Rules matching any of the patterns; a pattern matching no rule is an error naming the closest id. */
function matching(rules: readonly Rule[], patterns: readonly string[], flag: string): Set<string> {
  const ids = rules.map((rule) => rule.id)
  const matched = new Set<string>()
  for (const pattern of patterns) {
    // Case-insensitive globs, exactly as IAM matches action names.
    const hits = ids.filter((id) => caseInsensitiveGlob(pattern, id))
    if (hits.length === 0)
      throw new UserInputError(`${flag}: no rule matches ${JSON.stringify(pattern)}${didYouMean(pattern, ids)}; run \`emr-audit rules\` for the list`)
    for (const id of hits) matched.add(id)
  }
  return matched
}

function parseGroups(groups: readonly string[]): Set<string> {
  return new Set(
    groups.map((group) => {
      const upper = group.toUpperCase()
      if (!(RULE_GROUPS as readonly string[]).includes(upper))
        throw new UserInputError(`--groups: no rule group ${JSON.stringify(group)}${didYouMean(group, RULE_GROUPS)}`)
      return upper
    }),
  )
}

function parseSeverities(values: readonly string[]): Set<Severity> {
  return new Set(
    values.map((value) => {
      const lower = value.toLowerCase()
      if (!(SEVERITIES as readonly string[]).includes(lower))
        throw new UserInputError(`--severity: ${JSON.stringify(value)} is not a severity (use ${SEVERITIES.join(', ')})`)
      return lower as Severity
    }),
  )
}

/** The config's `rules:` entries with `enabled: false`, checked against the catalog. */
export function disabledRules(rules: readonly Rule[], config: AuditConfig, label = 'config'): DisabledRule[] {
  const ids = rules.map((rule) => rule.id)
  return Object.entries(config.rules ?? {}).flatMap(([key, entry]) => {
    const ruleId = ids.find((id) => id.toLowerCase() === key.toLowerCase())
    if (!ruleId) throw new UserInputError(`${label}: rules: unknown rule ${JSON.stringify(key)}${didYouMean(key, ids)}`)
    if (entry.enabled) return []
    const reason = entry.reason?.trim()
    if (!reason) throw new UserInputError(`${label}: rules.${ruleId}: a disabled rule needs a reason (reason: "why it is off")`)
    // Every report repeats the reason, terminals included: no escape sequences.
    if (!NO_CONTROL_CHARACTERS.test(reason))
      throw new UserInputError(`${label}: rules.${ruleId}.reason: control characters and bidirectional overrides are not allowed`)
    return [{ruleId, reason}]
  })
}

export function selectRules(rules: readonly Rule[], selection: CheckSelection, config: AuditConfig): SelectedRules {
  const chosen = selection.checks?.length ? matching(rules, selection.checks, '--checks') : undefined
  const excluded = selection.excludeChecks?.length ? matching(rules, selection.excludeChecks, '--exclude-checks') : new Set<string>()
  const groups = selection.groups?.length ? parseGroups(selection.groups) : undefined
  const severities = selection.severities?.length ? parseSeverities(selection.severities) : undefined
  const disabled = disabledRules(rules, config)
  const off = new Set(disabled.map((entry) => entry.ruleId))
  const wanted = (rule: Rule) => (!chosen || chosen.has(rule.id)) && !excluded.has(rule.id) && (!groups || groups.has(rule.group))
  const evaluated = rules.filter((rule) => wanted(rule) && !off.has(rule.id))
  // A run that checks nothing would pass everything: refuse it.
  if (evaluated.length === 0)
    throw new UserInputError("no rule is left to evaluate: --checks, --exclude-checks, --groups and the config's rules: together exclude them all")
  return {
    rules: evaluated,
    ...(severities ? {severities} : {}),
    summary: {
      disabled,
      notSelected: rules.filter((rule) => !wanted(rule) && !off.has(rule.id)).map((rule) => rule.id),
      ...(severities ? {severities: SEVERITIES.filter((severity) => severities.has(severity))} : {}),
    },
  }
}

/** True when the run evaluated and reported everything (nothing for a report to mention). */
export function selectsEverything(summary: SelectionSummary): boolean {
  return summary.disabled.length === 0 && summary.notSelected.length === 0 && !summary.severities
}
