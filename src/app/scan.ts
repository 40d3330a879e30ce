/** A scan of one account: the declared sources run by the scheduler, then put together into one inventory. */
import {type AwsClients} from '../aws/clients.js'
import type {AuditConfig} from '../config/schema.js'
import type {Inventory, SourceId, SourceOutcome} from '../inventory/schema.js'
import {assembleInventory} from '../scanners/assemble.js'
import {type AlsoKeep, createLimiters, type ScanContext} from '../scanners/context.js'
import {runSources, type SourceRun} from '../scanners/scheduler.js'
import {SOURCES} from '../scanners/sources.js'

export interface ScanOptions {
  clients: AwsClients
  regions: string[]
  config: AuditConfig
  concurrency: number
  /** Told when the scan starts, as each source finishes, and at the end (progress on stderr). */
  observer?: ScanObserver
  /** Names this account in the observer's calls: the account id when several accounts are scanned. */
  label?: string
  now?: () => Date
  /** Network resources and AWS managed policies to keep though nothing uses them yet (preflight). */
  alsoKeep?: AlsoKeep
  /** Told as sources finish, with the inventory of those finished so far: analysis can start before the scan ends. */
  onSourcesDone?(done: ReadonlySet<SourceId>, view: () => Inventory): void
}

export interface ExpectedSource {
  source: SourceId
  region: string
}

/** Sources a scan reads, once each: on a terminal, "9/13 sources" per region. */
export function expectedSources(regions: readonly string[]): ExpectedSource[] {
  const counted = (scope: 'global' | 'regional') => SOURCES.filter((source) => (source.progress ?? source.scope) === scope).map((source) => source.id)
  return [
    ...counted('global').map((source) => ({source, region: 'global'})),
    ...regions.flatMap((region) => counted('regional').map((source) => ({source, region}))),
  ]
}

export interface ScanObserver {
  started(label: string, expected: readonly ExpectedSource[]): void
  sourceDone(label: string, outcome: SourceOutcome): void
  /** `scanned` false: the scan stopped (its error is reported on its own). */
  finished(label: string, scanned: boolean): void
}

export async function scanAccount(options: ScanOptions): Promise<Inventory> {
  const now = options.now ?? (() => new Date())
  const startedAt = now().toISOString()
  const coverage: SourceOutcome[] = []
  const label = options.label ?? ''
  const [homeRegion] = options.regions
  if (!homeRegion) throw new Error('scanAccount needs at least one region')
  const ctx: ScanContext = {
    clients: options.clients,
    scope: {regions: options.regions, config: options.config, ...(options.alsoKeep ? {alsoKeep: options.alsoKeep} : {})},
    homeRegion,
    limit: createLimiters(options.concurrency),
    record: (outcome) => {
      coverage.push(outcome)
      options.observer?.sourceDone(label, outcome)
    },
  }
  options.observer?.started(label, expectedSources(options.regions))
  let inventory: Inventory | undefined
  try {
    const frame = (finishedAt: string) => ({
      regions: options.regions,
      startedAt,
      finishedAt,
      coverage,
      ...(options.alsoKeep ? {alsoKeep: options.alsoKeep} : {}),
    })
    const onSourcesDone = options.onSourcesDone
    const run: SourceRun = await runSources(
      SOURCES,
      ctx,
      onSourcesDone ? {onSourceDone: (_id, partial) => onSourcesDone(partial.done, () => assembleInventory(partial, frame(startedAt)))} : {},
    )
    inventory = assembleInventory(run, frame(now().toISOString()))
    return inventory
  } finally {
    options.observer?.finished(label, inventory !== undefined)
  }
}
