/** What every scanner is handed: clients, the scope of the scan, concurrency limits, and an outcome recorder. */
import pLimit, {type LimitFunction} from 'p-limit'
import type {AwsClients} from '../aws/clients.js'
import {classifyAwsError, isCredentialError} from '../aws/errors.js'
import type {AuditConfig} from '../config/schema.js'
import type {SourceId, SourceOutcome} from '../inventory/schema.js'

/** What a scan keeps though nothing in the account uses it yet (preflight: what a launch request names). */
export interface AlsoKeep {
  subnetIds: readonly string[]
  securityGroupIds: readonly string[]
  /** AWS managed policies a plan attaches to roles it creates: read though no existing entity has them. */
  awsManagedPolicyArns?: readonly string[]
}

export interface ScanScope {
  regions: string[]
  config: AuditConfig
  alsoKeep?: AlsoKeep
}

export interface ScanContext {
  clients: AwsClients
  scope: ScanScope
  /** The region used for global services (IAM, STS): the first scanned region. */
  homeRegion: string
  /** One p-limit queue per service and region, all of the same size (--concurrency). */
  limit(service: string, region: string): LimitFunction
  record(outcome: SourceOutcome): void
  /** The actions the running source declares: `call` refuses any other (set by the scheduler). */
  actions?: readonly string[]
}

/** Thrown when the caller's credentials are unusable: the scan stops, the command exits 2. */
export class CredentialsError extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'CredentialsError'
  }
}

/** A source called an action it does not declare: a bug that would make the generated policy too narrow. */
export class UndeclaredActionError extends Error {
  constructor(action: string, declared: readonly string[]) {
    super(`${action} is not among the actions its source declares (${declared.join(', ')})`)
    this.name = 'UndeclaredActionError'
  }
}

/** Errors that stop the scan instead of being recorded as one source's failure. */
export function stopsTheScan(error: unknown): boolean {
  return error instanceof CredentialsError || error instanceof UndeclaredActionError
}

/** An AWS call that failed, with the IAM action it was, so coverage can name what was denied. */
export class ActionError extends Error {
  constructor(
    readonly action: string,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original))
    this.name = 'ActionError'
  }
}

export function createLimiters(concurrency: number): (service: string, region: string) => LimitFunction {
  const limiters = new Map<string, LimitFunction>()
  return (service, region) => {
    const key = `${service}:${region}`
    let limiter = limiters.get(key)
    if (!limiter) {
      limiter = pLimit(concurrency)
      limiters.set(key, limiter)
    }
    return limiter
  }
}

/**
 * Runs one AWS call under the service's limiter. Failures are re-thrown as ActionError naming the IAM
 * action; unusable credentials as CredentialsError, which aborts the whole scan.
 */
export async function call<T>(ctx: ScanContext, service: string, region: string, action: string, send: () => Promise<T>): Promise<T> {
  if (ctx.actions && !ctx.actions.includes(action)) throw new UndeclaredActionError(action, ctx.actions)
  try {
    return await ctx.limit(service, region)(send)
  } catch (error) {
    if (isCredentialError(error)) {
      // The SDK's credential chain found nothing: no request left this machine, so AWS rejected nothing.
      if ((error as Error).name === 'CredentialsProviderError')
        throw new CredentialsError(`no AWS credentials could be loaded (${firstLine(error)}); nothing was sent to AWS`, {cause: error})
      throw new CredentialsError(`AWS rejected the credentials (${(error as Error).name}): ${firstLine(error)}`, {cause: error})
    }
    throw new ActionError(action, error)
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

/**
 * Runs a source for one region and records its outcome. A denied, unsupported or failed source records
 * that status (never an empty "ok") and yields undefined, so the inventory can tell "none" from "unknown".
 */
export async function runSource<T>(ctx: ScanContext, source: SourceId, region: string, collect: () => Promise<T>): Promise<T | undefined> {
  try {
    const result = await collect()
    ctx.record({source, region, status: 'ok'})
    return result
  } catch (error) {
    if (stopsTheScan(error)) throw error
    recordFailure(ctx, source, region, error)
    return undefined
  }
}

/** Records a failed source, naming the action and classifying the error (denied, unsupported, error). */
export function recordFailure(ctx: ScanContext, source: SourceId, region: string, error: unknown, detail?: string): void {
  const action = error instanceof ActionError ? error.action : undefined
  const original = error instanceof ActionError ? error.original : error
  const {status, message} = classifyAwsError(original)
  ctx.record({source, region, status, ...(action ? {action} : {}), message: detail ? `${detail}: ${message}` : message})
}

/** Runs one unit of work inside a source, keeping its failure as a value (credential failures still abort). */
export async function settle<T>(work: () => Promise<T>): Promise<{ok: true; value: T} | {ok: false; error: unknown}> {
  try {
    return {ok: true, value: await work()}
  } catch (error) {
    if (stopsTheScan(error)) throw error
    return {ok: false, error}
  }
}
