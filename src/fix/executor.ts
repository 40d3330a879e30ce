/**
 * The executor: the only writer. Before each write it re-reads the target and acts only if it is still as
 * the scan saw it; it journals every change it makes with both images; one failure never stops the others.
 * Rollback walks a journal backwards and restores each target that still looks as the apply left it.
 */
import pLimit from 'p-limit'
import type {AwsClients} from '../aws/clients.js'
import {isCredentialError} from '../aws/errors.js'
import {redact} from '../shared/redact.js'
import {readState, sendCall} from './aws.js'
import type {JournalFile} from './journal.js'
import {holdsAfter, sameState} from './state.js'
import type {Change, ChangeOutcome, JournalEntry, Plan, TargetState} from './types.js'
import {leftByChange, undoCalls} from './undo.js'
import {transitionCalls} from './calls.js'
import {undeclaredCall} from './remediations/index.js'

export interface ExecutorOptions {
  clients: AwsClients
  /** The region IAM calls go through. */
  homeRegion: string
  concurrency: number
  now?: () => Date
  /** IAM is eventually consistent: how long to wait between re-reads after a write (ms). */
  settleDelays?: number[]
  onOutcome?: (outcome: ChangeOutcome) => void
  /** Stops starting new changes (Ctrl-C); changes in flight still finish and are journaled. */
  signal?: AbortSignal
}

const DEFAULT_SETTLE_DELAYS = [250, 500, 1000, 2000, 4000]

function message(error: unknown): string {
  return redact(((error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] ?? '').replace(/^Error: /, ''))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Re-reads until the target shows `wanted` or the delays run out; returns the last state read. */
async function settled(read: () => Promise<TargetState>, wanted: (state: TargetState) => boolean, delays: number[]): Promise<TargetState> {
  let state = await read()
  for (const delay of delays) {
    if (wanted(state)) return state
    await sleep(delay)
    state = await read()
  }
  return state
}

/** Thrown on a credential failure: the run stops (nothing more can be done with these credentials). */
export class ExecutorCredentialsError extends Error {}

/** The target's current state, or why it could not be read; unusable credentials stop the whole run. */
async function readCurrent(read: () => Promise<TargetState>): Promise<{state: TargetState} | {problem: string}> {
  try {
    return {state: await read()}
  } catch (error) {
    if (isCredentialError(error)) throw new ExecutorCredentialsError(message(error))
    return {problem: `could not re-read the target: ${message(error)}`}
  }
}

async function applyOne(change: Change, journal: JournalFile, options: ExecutorOptions): Promise<ChangeOutcome> {
  const now = options.now ?? (() => new Date())
  const read = () => readState(options.clients, change, options.homeRegion)
  const found = await readCurrent(read)
  if ('problem' in found) return {change, status: 'failed', detail: found.problem}
  const current = found.state
  if (holdsAfter(change, current)) return {change, status: 'skipped', detail: 'already in the planned state; nothing sent'}
  if (!sameState(current, change.before))
    return {change, status: 'skipped', detail: 'the target changed since the scan; re-run fix to plan against its current state'}
  // Sent: the calls derived from before and after (what the plan's diff shows), never the stored ones.
  const calls = transitionCalls(change, change.before, change.after)
  if (typeof calls === 'string') return {change, status: 'failed', detail: `not sent: ${calls}`}
  // Also checked when a plan is loaded; here too, so no caller can send a write its kind does not declare.
  const undeclared = undeclaredCall(change.kind, 'apply', calls)
  if (undeclared !== undefined) return {change, status: 'failed', detail: `not sent: ${undeclared} is not a write declared for ${change.kind} changes`}
  // Intent first, flushed: if the run dies mid-change, the journal still names the target and its before-image.
  const entry: JournalEntry = {change: {...change, calls}, state: 'intent', beforeImage: current, appliedAt: now().toISOString()}
  await journal.record(entry)
  let failure: string | undefined
  let sent = 0
  for (const call of calls) {
    try {
      await sendCall(options.clients, change, options.homeRegion, call)
      sent += 1
    } catch (error) {
      if (isCredentialError(error) && sent === 0) {
        await journal.discard(entry)
        throw new ExecutorCredentialsError(message(error))
      }
      failure = `${call.operation} failed: ${message(error)}`
      break
    }
  }
  // What the target is now, even after a failure (a call may fail after AWS acted on it): the journal records what was read.
  let afterImage: TargetState
  try {
    afterImage = await settled(read, (state) => holdsAfter(change, state), failure ? [] : (options.settleDelays ?? DEFAULT_SETTLE_DELAYS))
  } catch (error) {
    if (sent === 0) {
      await journal.discard(entry)
      return {change, status: 'failed', detail: failure ?? 'no call was sent'}
    }
    await journal.update(entry, {state: failure ? 'partial' : 'mismatch'})
    return {
      change,
      status: 'failed',
      detail: `${failure ? `${failure}; ` : 'sent, but '}the target could not be read back (${message(error)}); journaled for rollback`,
    }
  }
  if (failure && sameState(afterImage, current)) {
    await journal.discard(entry)
    return {change, status: 'failed', detail: `${failure} (the target is unchanged)`}
  }
  // Only a read-back equal to the plan's after is "applied": anything else may not be what was reviewed.
  const confirmed = !failure && holdsAfter(change, afterImage)
  await journal.update(entry, {state: failure ? 'partial' : confirmed ? 'applied' : 'mismatch', afterImage})
  if (failure) return {change, status: 'failed', detail: `${failure} (partly applied and journaled)`}
  if (!confirmed)
    return {change, status: 'failed', detail: 'sent, but the target reads back differently from the planned after (what was read is in the journal)'}
  return {change, status: 'applied'}
}

/**
 * Executes the plan's `apply` changes; every other change is reported as not applied. Once `signal` is
 * aborted (Ctrl-C), changes in flight finish and are journaled, and no new one starts.
 */
export async function applyPlan(plan: Plan, journal: JournalFile, options: ExecutorOptions): Promise<ChangeOutcome[]> {
  const limit = pLimit(options.concurrency)
  const report = (outcome: ChangeOutcome) => {
    options.onOutcome?.(outcome)
    return outcome
  }
  return Promise.all(
    plan.changes.map((change) =>
      change.disposition === 'apply'
        ? limit(async () =>
            report(
              options.signal?.aborted ? {change, status: 'not-applied', detail: 'interrupted before it started'} : await applyOne(change, journal, options),
            ),
          )
        : Promise.resolve(report({change, status: 'not-applied', detail: change.reason ?? change.disposition})),
    ),
  )
}

export interface RollbackOutcome {
  entry: JournalEntry
  status: 'restored' | 'refused' | 'failed' | 'already-rolled-back'
  detail?: string
}

async function rollbackOne(entry: JournalEntry, journal: JournalFile, options: ExecutorOptions): Promise<RollbackOutcome> {
  if (entry.rolledBackAt) return {entry, status: 'already-rolled-back', detail: `rolled back at ${entry.rolledBackAt}`}
  const read = () => readState(options.clients, entry.change, options.homeRegion)
  const found = await readCurrent(read)
  if ('problem' in found) return {entry, status: 'failed', detail: found.problem}
  const current = found.state
  const {change} = entry
  const now = options.now ?? (() => new Date())
  if (sameState(current, change.before)) {
    await journal.markRolledBack(entry, now().toISOString())
    return {entry, status: 'restored', detail: 'already back to its before-image; nothing sent'}
  }
  // No blind overwrite: only a target exactly as this change's calls leave it is put back.
  if (!leftByChange(change, current)) {
    const detail =
      entry.state === 'intent'
        ? 'the run stopped during this change and the target is neither as before nor as planned'
        : 'the target changed since it was applied'
    return {entry, status: 'refused', detail: `${detail}; left alone: restore it by hand from the journal`}
  }
  const calls = undoCalls(change, current)
  if (typeof calls === 'string') return {entry, status: 'refused', detail: calls}
  for (const call of calls) {
    try {
      await sendCall(options.clients, entry.change, options.homeRegion, call)
    } catch (error) {
      if (isCredentialError(error)) throw new ExecutorCredentialsError(message(error))
      return {entry, status: 'failed', detail: `${call.operation} failed: ${message(error)}`}
    }
  }
  let restored = false
  try {
    restored = sameState(await settled(read, (state) => sameState(state, change.before), options.settleDelays ?? DEFAULT_SETTLE_DELAYS), change.before)
  } catch {
    // Verification is best effort; the calls were accepted.
  }
  await journal.markRolledBack(entry, now().toISOString())
  return {entry, status: 'restored', ...(restored ? {} : {detail: 'calls accepted; AWS does not show the result yet (eventual consistency)'})}
}

/** Undoes a journal's changes newest first, one at a time (later changes may depend on earlier ones). */
export async function rollbackJournal(journal: JournalFile, options: ExecutorOptions): Promise<RollbackOutcome[]> {
  const outcomes: RollbackOutcome[] = []
  for (const entry of [...journal.journal.entries].reverse()) outcomes.push(await rollbackOne(entry, journal, options))
  return outcomes
}
