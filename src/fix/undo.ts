/**
 * Undoing one journaled change. Pure. Rollback acts only on a target the change's own calls could have
 * left (all of them, or the first ones of a change that stopped part way), and sends the calls from that
 * state back to the change's before: never what the journal says the target looked like, which a
 * hand-edited journal could make up. It sends only the writes the change's module declares as its inverse.
 */
import {transitionCalls} from './calls.js'
import {undeclaredCall} from './remediations/index.js'
import {holdsAfter} from './state.js'
import type {Call, Change, TargetState} from './types.js'

/** Could this change's calls (or the first of them) have left the target so, other than untouched? */
export function leftByChange(change: Change, state: TargetState): boolean {
  const {before} = change
  // AWS names the service-linked role it creates (emulators differently): exactly one new role.
  if (state.kind === 'service-linked-role' && before.kind === 'service-linked-role')
    return holdsAfter(change, state) && state.roles.length === before.roles.length + 1
  // CreateInstanceProfile went through, AddRoleToInstanceProfile did not.
  if (state.kind === 'instance-profile' && before.kind === 'instance-profile' && !before.exists && state.exists && state.roles.length === 0) return true
  return holdsAfter(change, state)
}

/** The calls from `current` (a state the change left) back to the change's before, or why not. */
export function undoCalls(change: Change, current: TargetState): Call[] | string {
  const calls = transitionCalls(change, current, change.before)
  if (typeof calls === 'string') return calls
  const undeclared = undeclaredCall(change.kind, 'undo', calls)
  return undeclared === undefined ? calls : `undoing it would send ${undeclared}, which no remediation declares as an inverse for ${change.kind} changes`
}
