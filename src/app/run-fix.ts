/** The fix use cases, without oclif: plan from a scan (or a saved inventory), apply a plan, roll back a journal. */
import {createAwsClients, type ClientOptions} from '../aws/clients.js'
import {isCredentialError} from '../aws/errors.js'
import type {AuditConfig} from '../config/schema.js'
import type {RollbackOutcome} from '../fix/executor.js'
import {planFixes} from '../fix/planner.js'
import {type ChangeOutcome, type Plan, PLAN_SCHEMA_VERSION, PlanSchema} from '../fix/types.js'
import {readVersionedDocument} from '../shared/validate.js'
import {forLog} from '../shared/escape.js'
import {UserInputError} from '../shared/errors.js'
import {runScan} from './run-scan.js'

// The journal's default name is chosen before the scan, so `fix` can refuse a colliding --output at once.
export {defaultJournalPath} from '../fix/journal.js'
import type {ScanObserver} from './scan.js'
import type {CheckSelection} from '../rules/selection.js'

export interface PlanRequest {
  config: AuditConfig
  regions: string[]
  profile?: string
  endpoint?: string
  inventoryPath?: string
  concurrency: number
  only?: string[]
  resources?: string[]
  now?: Date
  observer?: ScanObserver
  selection?: CheckSelection
}

export async function planFromScan(request: PlanRequest): Promise<Plan> {
  const now = request.now ?? new Date()
  const {inventories, findings} = await runScan({
    config: request.config,
    regions: request.regions,
    ...(request.profile ? {profile: request.profile} : {}),
    ...(request.endpoint ? {endpoint: request.endpoint} : {}),
    ...(request.inventoryPath ? {inventoryPath: request.inventoryPath} : {}),
    concurrency: request.concurrency,
    includePassed: false,
    now,
    ...(request.observer ? {observer: request.observer} : {}),
    ...(request.selection ? {selection: request.selection} : {}),
  })
  const inventory = inventories[0]
  if (!inventory) throw new Error('the scan produced no inventory')
  return planFixes(findings, inventory, {
    config: request.config,
    now,
    ...(request.only ? {only: request.only} : {}),
    ...(request.resources ? {resources: request.resources} : {}),
  })
}

/**
 * A plan saved with `fix --format json --output FILE`, for `fix --plan FILE` (shown) and `fix --apply
 * --plan FILE`: refused whole unless its digest holds and every change's calls and after re-derive from its
 * before (src/fix/verify.ts), so what is shown is what would be sent.
 */
export async function readPlan(path: string): Promise<Plan> {
  const plan = await readVersionedDocument<Plan>(path, 'plan', PlanSchema, PLAN_SCHEMA_VERSION, 're-plan with this emr-audit (fix --format json --output FILE)')
  const {planProblem} = await import('../fix/verify.js')
  const problem = planProblem(plan)
  if (problem) throw new UserInputError(`${forLog(path)}: refused, nothing was changed: ${forLog(problem)}`)
  return plan
}

function clientOptions(request: {profile?: string; endpoint?: string}): ClientOptions {
  return {...(request.profile ? {profile: request.profile} : {}), ...(request.endpoint ? {endpoint: request.endpoint} : {})}
}

function credentialsFailure(error: unknown): never {
  throw new UserInputError(`AWS rejected the credentials: ${(error as Error).message.split('\n')[0]}`, {cause: error})
}

/**
 * Clients for the credentials, checked to belong to `expected`: a saved plan or a journal may be used with
 * other credentials, and emr-audit never writes into an account the document was not made for.
 */
async function clientsFor(request: {profile?: string; endpoint?: string}, region: string, expected: string, mismatch: (actual: string) => string) {
  const {callerAccount} = await import('../fix/aws.js')
  const clients = await createAwsClients(clientOptions(request))
  let account: string
  try {
    account = await callerAccount(clients, region)
  } catch (error) {
    if (isCredentialError(error)) credentialsFailure(error)
    throw error
  }
  if (account !== expected) throw new UserInputError(mismatch(account))
  return clients
}

export interface ApplyRequest {
  profile?: string
  endpoint?: string
  journalPath: string
  concurrency: number
  onOutcome?: (outcome: ChangeOutcome) => void
  now?: () => Date
  /** Aborted on Ctrl-C: changes in flight finish and are journaled, no new one starts. */
  signal?: AbortSignal
}

/** Creates the journal first (a journal that cannot be written stops the run before any change). */
export async function applyFixPlan(plan: Plan, request: ApplyRequest): Promise<ChangeOutcome[]> {
  const [{JournalFile}, {applyPlan, ExecutorCredentialsError}] = await Promise.all([import('../fix/journal.js'), import('../fix/executor.js')])
  const now = request.now ?? (() => new Date())
  const clients = await clientsFor(
    request,
    plan.homeRegion,
    plan.account,
    (account) => `the plan is for account ${plan.account}, but the credentials are for account ${account}; nothing was changed`,
  )
  const journal = await JournalFile.create(request.journalPath, {
    account: plan.account,
    partition: plan.partition,
    homeRegion: plan.homeRegion,
    startedAt: now().toISOString(),
  })
  try {
    return await applyPlan(plan, journal, {
      clients,
      homeRegion: plan.homeRegion,
      concurrency: request.concurrency,
      now,
      ...(request.onOutcome ? {onOutcome: request.onOutcome} : {}),
      ...(request.signal ? {signal: request.signal} : {}),
    })
  } catch (error) {
    if (error instanceof ExecutorCredentialsError) credentialsFailure(error)
    throw error
  } finally {
    await journal.finish(now().toISOString())
  }
}

export interface RollbackRequest {
  journalPath: string
  profile?: string
  endpoint?: string
  /** Called once the journal is read and the account checked, before anything is undone; false stops. */
  confirm: (pending: number, account: string) => Promise<boolean>
  onOutcome?: (outcome: RollbackOutcome) => void
}

export async function rollbackFromJournal(request: RollbackRequest): Promise<RollbackOutcome[] | undefined> {
  const [{JournalFile}, {rollbackJournal, ExecutorCredentialsError}] = await Promise.all([import('../fix/journal.js'), import('../fix/executor.js')])
  const journal = await JournalFile.open(request.journalPath)
  const {account, homeRegion} = journal.journal
  const clients = await clientsFor(
    request,
    homeRegion,
    account,
    (actual) => `${request.journalPath} records changes in account ${account}, but the credentials are for account ${actual}`,
  )
  const pending = journal.journal.entries.filter((entry) => !entry.rolledBackAt).length
  if (pending > 0 && !(await request.confirm(pending, account))) return undefined
  try {
    const outcomes = await rollbackJournal(journal, {clients, homeRegion, concurrency: 1})
    for (const outcome of outcomes) request.onOutcome?.(outcome)
    return outcomes
  } catch (error) {
    if (error instanceof ExecutorCredentialsError) credentialsFailure(error)
    throw error
  }
}
