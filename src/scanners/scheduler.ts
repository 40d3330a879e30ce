/**
 * Runs declared sources: each once (or once per region), all started at once, each awaiting only the
 * sources it declares. The AWS calls inside stay bounded by the per-service limiters of the context.
 */
import {sdkLoaded, serviceOfAction} from '../aws/sdk.js'
import type {SourceId} from '../inventory/schema.js'
import type {ScanContext} from './context.js'
import type {Source, SourceContext, SourceResults} from './source.js'

export const GLOBAL = 'global'

export interface SourceRun {
  /** A finished source's result in one region ('global' for a global source). */
  result<K extends SourceId>(id: K, region: string): SourceResults[K] | undefined
  /** Sources finished in every region they run in. */
  done: ReadonlySet<SourceId>
}

export interface ScheduleOptions {
  /** Told when a source has finished in every region it runs in (after its coverage is recorded). */
  onSourceDone?(id: SourceId, run: SourceRun): void
}

/** Checks the declarations: unique ids, known dependencies, no cycle. */
export function checkSources(sources: readonly Source[]): void {
  const byId = new Map<SourceId, Source>()
  for (const source of sources) {
    if (byId.has(source.id)) throw new Error(`source ${source.id} is declared twice`)
    byId.set(source.id, source)
  }
  const visiting = new Set<SourceId>()
  const visited = new Set<SourceId>()
  const visit = (id: SourceId, path: SourceId[]): void => {
    if (visited.has(id)) return
    if (visiting.has(id)) throw new Error(`sources depend on each other in a cycle: ${[...path, id].join(' → ')}`)
    const source = byId.get(id)
    if (!source) throw new Error(`source ${path.at(-1) ?? '?'} depends on ${id}, which is not declared`)
    visiting.add(id)
    for (const dependency of source.dependsOn) visit(dependency, [...path, id])
    visiting.delete(id)
    visited.add(id)
  }
  for (const source of sources) visit(source.id, [])
}

export async function runSources(sources: readonly Source[], ctx: ScanContext, options: ScheduleOptions = {}): Promise<SourceRun> {
  checkSources(sources)
  const byId = new Map(sources.map((source) => [source.id, source]))
  const regionsOf = (source: Source): string[] => (source.scope === 'global' ? [GLOBAL] : ctx.scope.regions)
  const runs = new Map<string, Promise<unknown>>()
  const results = new Map<string, unknown>()
  const remaining = new Map(sources.map((source) => [source.id, regionsOf(source).length]))
  const done = new Set<SourceId>()
  const view: SourceRun = {result: (id, region) => results.get(`${id}|${region}`) as never, done}

  const run = (source: Source, region: string): Promise<unknown> => {
    const key = `${source.id}|${region}`
    let started = runs.get(key)
    if (!started) {
      started = whenSdkLoaded(source)
        .then(() => source.collect(contextFor(source, region)))
        .then((value) => {
          results.set(key, value)
          const left = (remaining.get(source.id) ?? 1) - 1
          remaining.set(source.id, left)
          if (left === 0) {
            done.add(source.id)
            options.onSourceDone?.(source.id, view)
          }
          return value
        })
      runs.set(key, started)
    }
    return started
  }
  const dependency = (source: Source, id: SourceId): Source => {
    const target = byId.get(id)
    if (!target || !source.dependsOn.includes(id)) throw new Error(`source ${source.id} awaits ${id} without declaring it in dependsOn`)
    return target
  }
  const contextFor = (source: Source, region: string): SourceContext => ({
    ...ctx,
    actions: source.actions,
    region,
    input: (id) => {
      const target = dependency(source, id)
      if (target.scope === 'regional' && source.scope === 'global') throw new Error(`global source ${source.id} reads regional ${id} with inputByRegion`)
      return run(target, target.scope === 'global' ? GLOBAL : region) as never
    },
    inputByRegion: async (id) => {
      const target = dependency(source, id)
      const regions = regionsOf(target)
      const values = await Promise.all(regions.map((each) => run(target, each)))
      return regions.map((each, index) => ({region: each, value: values[index]})) as never
    },
  })

  await Promise.all(sources.flatMap((source) => regionsOf(source).map((region) => run(source, region))))
  return view
}

/** A source starts once its service's SDK package is in: sdk.ts loads them IAM first, one per event-loop turn. */
function whenSdkLoaded(source: Source): Promise<void> {
  const [action] = source.actions
  const service = action === undefined ? undefined : serviceOfAction(action)
  return service ? sdkLoaded(service) : Promise.resolve()
}
