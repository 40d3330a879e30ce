/** The scan use case, without oclif: resolve regions, scan (or load a saved inventory), analyse, report. */
import {createAwsClients, isWellFormedRegion, sdkDefaultRegion} from '../aws/clients.js'
import type {AuditConfig} from '../config/schema.js'
import type {Finding} from '../findings/types.js'
import {readInventory, writeJsonFile} from '../inventory/io.js'
import type {Inventory} from '../inventory/schema.js'
import {CredentialsError} from '../scanners/context.js'
import {enabledRegions} from '../scanners/regions.js'
import {applyBaseline, applySuppressions} from '../findings/suppressions.js'
import {readBaselineFingerprints} from '../report/baseline.js'
import {buildReport, type ScanReport} from '../report/model.js'
import {analyze} from './analyze.js'
import {UserInputError} from './errors.js'
import {scanAccount} from './scan.js'

export interface ScanRequest {
  config: AuditConfig
  regions: string[]
  /** Scan every region enabled for the account (ec2:DescribeRegions) instead of the given ones. */
  allRegions?: boolean
  profile?: string
  endpoint?: string
  inventoryPath?: string
  saveInventoryPath?: string
  concurrency: number
  includePassed: boolean
  baselinePath?: string
  now?: Date
  progress?: (message: string) => void
}

export interface ScanResult {
  inventory: Inventory
  findings: Finding[]
  report: ScanReport
}

/** --region flags, else the config's regions, else the SDK's own default region. Each must be a region name. */
export async function resolveRegions(flagRegions: string[], config: AuditConfig, profile?: string): Promise<string[]> {
  for (const region of flagRegions) {
    if (!isWellFormedRegion(region)) throw new UserInputError(`--region: '${region}' is not an AWS region (expected a name such as us-east-1)`)
  }
  const chosen = flagRegions.length > 0 ? flagRegions : (config.regions ?? [])
  if (chosen.length > 0) return [...new Set(chosen)]
  const fallback = await sdkDefaultRegion(profile)
  if (!fallback) throw new UserInputError('no region: pass --region, set regions in the config file, or set AWS_REGION')
  if (!isWellFormedRegion(fallback)) throw new UserInputError(`the SDK's default region '${fallback}' is not an AWS region; pass --region`)
  return [fallback]
}

export async function runScan(request: ScanRequest): Promise<ScanResult> {
  // Read the baseline first: a bad baseline must fail before minutes of scanning, not after.
  const baseline = request.baselinePath ? await readBaselineFingerprints(request.baselinePath) : undefined
  let inventory: Inventory
  if (request.inventoryPath) {
    inventory = await readInventory(request.inventoryPath)
  } else {
    const requested = await resolveRegions(request.regions, request.config, request.profile)
    const clients = await createAwsClients({...(request.profile ? {profile: request.profile} : {}), ...(request.endpoint ? {endpoint: request.endpoint} : {})})
    const regions = request.allRegions ? await enabledRegions(clients, requested[0] as string) : requested
    try {
      inventory = await scanAccount({clients, regions, config: request.config, concurrency: request.concurrency, ...(request.progress ? {progress: request.progress} : {})})
    } catch (error) {
      if (error instanceof CredentialsError) throw new UserInputError(error.message, {cause: error})
      throw error
    }
  }
  if (request.saveInventoryPath) await writeJsonFile(request.saveInventoryPath, inventory)
  const now = request.now ?? new Date()
  const suppressed = applySuppressions(analyze(inventory, {config: request.config, now}), request.config.suppressions ?? [], now)
  const findings = baseline ? applyBaseline(suppressed.findings, baseline) : suppressed.findings
  const report = buildReport(inventory, findings, {
    includePassed: request.includePassed,
    ...(request.inventoryPath ? {inventorySource: request.inventoryPath} : {}),
    ...(request.baselinePath ? {baselineSource: request.baselinePath} : {}),
    suppressions: {expired: suppressed.expired, stale: suppressed.stale},
  })
  return {inventory, findings, report}
}
