/**
 * The plan for a person: each change with its rule, target, exact calls, before and after (tags as
 * added/changed keys, policy documents as a line diff), guards and whether --apply will run it; then the
 * findings that need a person. And the outcome of --apply / rollback, one line a change.
 */
import {diffLines} from 'diff'
import type {RollbackOutcome} from '../fix/executor.js'
import type {Change, ChangeOutcome, Plan, TargetState} from '../fix/types.js'
import {forLog as text} from '../shared/escape.js'
import {type Paint, painter} from './table.js'

const DISPOSITION_STYLE = {apply: 'green', advisory: 'yellow', refused: 'red'} as const

function documentText(document: Record<string, unknown> | null): string {
  return document === null ? '' : `${JSON.stringify(document, null, 2)}\n`
}

/** Before → after as the lines a reviewer reads: changed tags, or a diff of the documents. */
export function describeStateChange(before: TargetState, after: TargetState, paint: Paint): string[] {
  if (before.kind === 'tags' && after.kind === 'tags') {
    const old = new Map(before.tags.map((tag) => [tag.key, tag.value]))
    return after.tags
      .filter((tag) => old.get(tag.key) !== tag.value)
      .map((tag) =>
        old.has(tag.key)
          ? paint('yellow', `~ ${text(tag.key)}: ${text(old.get(tag.key) ?? '')} → ${text(tag.value)}`)
          : paint('green', `+ ${text(tag.key)}=${text(tag.value)}`),
      )
  }
  if (before.kind === 'policy-document' && after.kind === 'policy-document') {
    const lines: string[] = []
    if (before.document === null) lines.push(paint('dim', '(new document)'))
    for (const part of diffLines(documentText(before.document), documentText(after.document))) {
      const prefix = part.added ? '+ ' : part.removed ? '- ' : '  '
      const style = part.added ? 'green' : part.removed ? 'red' : 'dim'
      for (const line of part.value.replace(/\n$/, '').split('\n')) lines.push(paint(style, `${prefix}${text(line)}`))
    }
    return lines
  }
  if (before.kind === 'instance-profile' && after.kind === 'instance-profile') {
    const state = (value: typeof before) => (value.exists ? `exists, roles [${text(value.roles.join(', '))}]` : 'does not exist')
    return [`${paint('red', `- ${state(before)}`)}`, `${paint('green', `+ ${state(after)}`)}`]
  }
  if (before.kind === 'service-linked-role' && after.kind === 'service-linked-role') {
    return [paint('red', '- does not exist'), paint('green', `+ ${text(after.roles.join(', '))}`)]
  }
  if (before.kind === 'block-public-access' && after.kind === 'block-public-access') {
    const ranges = (value: typeof before) =>
      value.permittedRanges.map((range) => (range.max === undefined || range.max === range.min ? `${range.min}` : `${range.min}-${range.max}`)).join(', ') ||
      'none'
    return [
      paint('red', `- block: ${before.blockPublicSecurityGroupRules ?? 'not set'}, permitted ports: ${ranges(before)}`),
      paint('green', `+ block: ${after.blockPublicSecurityGroupRules}, permitted ports: ${ranges(after)}`),
    ]
  }
  return []
}

/**
 * Each call exactly as sent, a policy document as the very string IAM receives, on a line of its own (a
 * loaded plan's calls are checked to be the ones its before and after give, so this and the diff agree).
 */
function callText(change: Change): string[] {
  return change.calls.flatMap((call) => {
    const {PolicyDocument: document, ...parameters} = call.parameters
    const line = text(`${call.operation} ${JSON.stringify(parameters)}`)
    return document === undefined ? [line] : [line, text(`  PolicyDocument ${typeof document === 'string' ? document : JSON.stringify(document)}`)]
  })
}

function renderChange(change: Change, paint: Paint): string[] {
  const label = paint(DISPOSITION_STYLE[change.disposition], `[${change.disposition}]`)
  const target = text(
    `${change.target.type} ${change.target.name ?? change.target.id}${change.region === 'global' ? '' : ` (${change.region})`}${change.policyName ? ` · inline policy ${change.policyName}` : ''}`,
  )
  const lines = [`${label} ${text(change.summary)}`, `  rules    ${text(change.ruleIds.join(', '))}`, `  target   ${target}`]
  for (const [index, call] of callText(change).entries()) lines.push(`  ${index === 0 ? 'call' : '    '}     ${call}`)
  const state = describeStateChange(change.before, change.after, paint)
  for (const [index, line] of state.entries()) lines.push(`  ${index === 0 ? 'change' : '      '}   ${line}`)
  for (const guard of change.guards)
    lines.push(
      `  guard    ${guard.held === true ? paint('green', '✔') : guard.held === false ? paint('red', '✖') : paint('yellow', '?')} ${text(`${guard.name}: ${guard.detail}`)}`,
    )
  if (change.reason) lines.push(`  ${change.disposition === 'refused' ? 'refused' : 'why    '}  ${text(change.reason)}`)
  lines.push(paint('dim', `  auto-apply ${text(change.autoApply)} · id ${text(change.id)}`))
  return lines
}

export function countByDisposition(plan: Plan): Record<Change['disposition'], number> {
  const counts = {apply: 0, advisory: 0, refused: 0}
  for (const change of plan.changes) counts[change.disposition] += 1
  return counts
}

export function renderPlan(plan: Plan, options: {color: boolean; applying: boolean}): string {
  const paint = painter(options.color)
  const counts = countByDisposition(plan)
  const lines = [
    paint('bold', `emr-audit fix · account ${text(plan.account)} · ${options.applying ? 'apply' : 'dry run: nothing is changed'}`),
    `${counts.apply} change(s) --apply would make, ${counts.advisory} advisory, ${counts.refused} refused; ${plan.manual.length} finding(s) need a person.`,
  ]
  for (const change of plan.changes) lines.push('', ...renderChange(change, paint))
  if (plan.manual.length > 0) {
    lines.push('', paint('bold', 'Needs a person'))
    for (const item of plan.manual) {
      lines.push(
        `  ${text(`${item.ruleId}  ${item.resource.type} ${item.resource.name ?? item.resource.id}${item.resource.region ? ` (${item.resource.region})` : ''}`)}`,
      )
      const why = `${item.why.charAt(0).toUpperCase()}${item.why.slice(1)}`
      lines.push(`    ${text(item.message)}`, paint('dim', `    ${text(`${why}. Remediation: ${item.remediation}`)}`))
    }
  }
  if (plan.changes.length === 0 && plan.manual.length === 0) lines.push('', 'Nothing to fix: no failing finding.')
  else if (!options.applying && counts.apply > 0) lines.push('', `Run again with --apply to make the ${counts.apply} change(s) marked [apply].`)
  return `${lines.join('\n')}\n`
}

const OUTCOME_STYLE = {
  applied: 'green',
  skipped: 'yellow',
  failed: 'red',
  'not-applied': 'dim',
  restored: 'green',
  refused: 'red',
  'already-rolled-back': 'dim',
} as const

export function renderOutcome(outcome: ChangeOutcome, paint: Paint): string {
  return `${paint(OUTCOME_STYLE[outcome.status], outcome.status.padEnd(11))} ${text(`${outcome.change.summary} [${outcome.change.id}]`)}${outcome.detail ? paint('dim', ` — ${text(outcome.detail)}`) : ''}`
}

export function renderRollbackOutcome(outcome: RollbackOutcome, paint: Paint): string {
  return `${paint(OUTCOME_STYLE[outcome.status], outcome.status.padEnd(11))} ${text(`${outcome.entry.change.summary} [${outcome.entry.change.id}]`)}${outcome.detail ? paint('dim', ` — ${text(outcome.detail)}`) : ''}`
}

/** The closing lines of an apply: counts, and where the journal is and how to undo it. */
export function renderOutcomeSummary(outcomes: ChangeOutcome[], journalPath: string | undefined): string {
  const count = (status: ChangeOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length
  const lines = [
    `${count('applied')} applied, ${count('skipped')} skipped, ${count('failed')} failed, ${count('not-applied')} not applied (advisory or refused).`,
  ]
  if (journalPath && count('applied') + count('failed') > 0) lines.push(text(`Journal: ${journalPath} — undo with: emr-audit rollback ${journalPath}`))
  return `${lines.join('\n')}\n`
}
