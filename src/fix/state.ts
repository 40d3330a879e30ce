/** Canonical comparison of target states: tag order, key order and role order never count as a change. */
import {createHash} from 'node:crypto'
import type {Change, TargetState} from './types.js'

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      // Keys whose value is undefined stay: every reader goes through JSON.stringify, which leaves them out.
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, canonical(entry)]),
    )
  }
  return value
}

function normalised(state: TargetState): unknown {
  switch (state.kind) {
    case 'tags':
      return {kind: state.kind, tags: [...state.tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))}
    case 'instance-profile':
      return {...state, roles: [...state.roles].sort()}
    case 'service-linked-role':
      return {...state, roles: [...state.roles].sort()}
    default:
      return state
  }
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value))
}

/** sha256 of the canonical JSON: what plans and journals record to notice an edit. */
export function digestOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`
}

/**
 * A value from a plan or journal, quoted for a message: JSON escapes C0 controls; DEL, C1 controls (a lone
 * U+009B starts a terminal sequence too) and line or bidi separators are escaped here.
 */
export function quoted(value: unknown): string {
  return (JSON.stringify(value) ?? 'undefined').replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

export function sameState(a: TargetState, b: TargetState): boolean {
  return JSON.stringify(canonical(normalised(a))) === JSON.stringify(canonical(normalised(b)))
}

/**
 * Does the target now hold what the change promised? A created service-linked role is named by AWS (and
 * differently by emulators), so any role under the service's path counts.
 */
export function holdsAfter(change: Change, state: TargetState): boolean {
  if (change.after.kind === 'service-linked-role' && state.kind === 'service-linked-role') return state.roles.length > 0
  return sameState(change.after, state)
}

/** IAM counts policy size without whitespace. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length
}
