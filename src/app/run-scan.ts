/** The scan use case, without oclif: resolve regions, scan (or load a saved inventory), analyse, report. */
import pLimit from 'p-limit'
import {assumedRoleCredentials, type AwsClients, createAwsClients, isWellFormedRegion, partitionOfRegion, sdkDefaultRegion} from '../aws/clients.js'
import type {AuditConfig} from '../config/schema.js'
import type {Finding} from '../findings/types.js'
import {readInventory} from '../inventory/io.js'
import {writeJsonFile} from '../shared/files.js'
import type {Inventory} from '../inventory/schema.js'
import {type AlsoKeep, CredentialsError} from '../scanners/context.js'
import type {ScanObserver} from './scan.js'
import {applyBaseline, applySuppressions} from '../findings/suppressions.js'
import {readBaselineFingerprints} from '../report/baseline.js'
import {type AccountFailure, buildReport, combineReports, type ScanReport} from '../report/model.js'
import {type AnalysisOptions, overlappedAnalysis} from '../rules/engine.js'
import {RULES, type Rule} from '../rules/index.js'
import {wiringTopology} from '../report/wiring-topology.js'
import {analyze} from './analyze.js'
import {type CheckSelection, matchesAnyRule, selectRules} from '../rules/selection.js'
import {UserInputError} from '../shared/errors.js'

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
  /** Several accounts, each scanned through `assumeRole` (a role name present in every account). */
  accounts?: string[]
  organization?: boolean
  assumeRole?: string
  externalId?: string
  /** How many accounts are scanned at once. */
  accountConcurrency?: number
  /** Progress: told as each account's scan starts, as sources finish, and when it ends. */
  observer?: ScanObserver
  /** Which rules are evaluated and which severities reported (--checks, --groups, config `rules:` ...). */
  selection?: CheckSelection
  /** Also import the findings into Security Hub and close the fixed ones (single account, live scans). */
  securityHub?: boolean
  /** What the scan keeps though nothing uses it yet (preflight: the request's network and planned policies). */
  alsoKeep?: AlsoKeep
}

export interface ScanResult {
  inventories: Inventory[]
  findings: Finding[]
  report: ScanReport
  /** Lines for stderr about what the run did besides reporting (the Security Hub import), already escaped. */
  notes: string[]
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

/**
 * The scanners (and with them the AWS SDK clients) load only when a live scan runs: offline analysis and
 * --help stay fast.
 */
let scannerModules: Promise<[typeof import('./scan.js'), typeof import('../scanners/regions.js')]> | undefined
const loadScanners = () => (scannerModules ??= Promise.all([import('./scan.js'), import('../scanners/regions.js')]))

interface Analysed {
  inventory: Inventory
  findings: Finding[]
}

/** Scans one account, its rules each starting as soon as the sources they read are in. */
async function scanWith(
  clients: AwsClients,
  requested: string[],
  request: ScanRequest,
  analysis: AnalysisOptions & {rules: readonly Rule[]},
  label?: string,
): Promise<Analysed> {
  const [{scanAccount}, {enabledRegions}] = await loadScanners()
  const regions = request.allRegions ? await enabledRegions(clients, requested[0] as string) : requested
  const rules = overlappedAnalysis(analysis.rules, analysis)
  try {
    const inventory = await scanAccount({
      clients,
      regions,
      config: request.config,
      concurrency: request.concurrency,
      ...(request.alsoKeep ? {alsoKeep: request.alsoKeep} : {}),
      onSourcesDone: (done, view) => rules.sourcesDone(done, view),
      ...(request.observer ? {observer: request.observer} : {}),
      ...(label ? {label} : {}),
    })
    return {inventory, findings: await rules.finish(inventory)}
  } catch (error) {
    if (error instanceof CredentialsError) throw new UserInputError(error.message, {cause: error})
    throw error
  }
}

/**
 * Each account through the role it shares, a bounded number at a time. One account's failure (the role
 * cannot be assumed, credentials, an unexpected error) is recorded for that account and the others go on.
 */
async function scanAccounts(
  request: ScanRequest,
  requested: string[],
  analysis: AnalysisOptions & {rules: readonly Rule[]},
): Promise<{scanned: Analysed[]; failures: AccountFailure[]}> {
  const home = requested[0] as string
  const {organizationAccounts} = await import('../scanners/accounts.js')
  const ids =
    request.accounts ??
    (await organizationAccounts({
      region: home,
      ...(request.endpoint ? {endpoint: request.endpoint} : {}),
      ...(request.profile ? {profile: request.profile} : {}),
    }))
  const partition = partitionOfRegion(home)
  const limit = pLimit(request.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY)
  const results = await Promise.all(
    ids.map((id) =>
      limit(async (): Promise<{scanned: Analysed} | {failure: AccountFailure}> => {
        try {
          const credentials = await assumedRoleCredentials({
            roleArn: `arn:${partition}:iam::${id}:role/${request.assumeRole}`,
            region: home,
            ...(request.externalId ? {externalId: request.externalId} : {}),
            ...(request.profile ? {profile: request.profile} : {}),
            ...(request.endpoint ? {endpoint: request.endpoint} : {}),
          })
          const clients = await createAwsClients({credentials, ...(request.endpoint ? {endpoint: request.endpoint} : {})})
          const scanned = await scanWith(clients, requested, request, analysis, id)
          if (scanned.inventory.account.id !== id) throw new Error(`assuming ${request.assumeRole} led to account ${scanned.inventory.account.id}, not ${id}`)
          return {scanned}
        } catch (error) {
          return {failure: {id, error: (error as Error).message.split('\n')[0] ?? String(error)}}
        }
      }),
    ),
  )
  return {
    scanned: results.flatMap((result) => ('scanned' in result ? [result.scanned] : [])),
    failures: results.flatMap((result) => ('failure' in result ? [result.failure] : [])),
  }
}

export const DEFAULT_ACCOUNT_CONCURRENCY = 4

export async function runScan(request: ScanRequest): Promise<ScanResult> {
  // Read the baseline first: a bad baseline must fail before minutes of scanning, not after.
  const baseline = request.baselinePath ? await readBaselineFingerprints(request.baselinePath) : undefined
  const selected = selectRules(RULES, request.selection ?? {}, request.config)
  const multiAccount = request.accounts !== undefined || request.organization === true
  if (multiAccount && !request.assumeRole) throw new UserInputError('--accounts and --organization need --assume-role ROLE_NAME (a role every account has)')
  if (multiAccount && request.saveInventoryPath)
    throw new UserInputError('--save-inventory saves one account; scan the accounts one by one to keep their inventories')
  // One time for the whole run: rules start while the scan still reads.
  const now = request.now ?? new Date()
  const analysis = {config: request.config, now, rules: selected.rules}
  let scanned: Analysed[]
  let failures: AccountFailure[] = []
  if (request.inventoryPath) {
    const inventory = await readInventory(request.inventoryPath)
    scanned = [{inventory, findings: analyze(inventory, analysis)}]
  } else {
    const requested = await resolveRegions(request.regions, request.config, request.profile)
    if (multiAccount) {
      ;({scanned, failures} = await scanAccounts(request, requested, analysis))
      if (scanned.length === 0 && failures.length > 0)
        throw new UserInputError(`no account could be scanned; first failure: ${failures[0]?.id}: ${failures[0]?.error}`)
    } else {
      const clients = await createAwsClients({
        ...(request.profile ? {profile: request.profile} : {}),
        ...(request.endpoint ? {endpoint: request.endpoint} : {}),
      })
      scanned = [await scanWith(clients, requested, request, analysis)]
    }
  }
  const inventories = scanned.map((entry) => entry.inventory)
  if (request.saveInventoryPath && inventories[0]) await writeJsonFile(request.saveInventoryPath, inventories[0])
  const raw = scanned.flatMap((entry) => entry.findings)
  const suppressed = applySuppressions(raw, request.config.suppressions ?? [], now)
  const reported = selected.severities ? suppressed.findings.filter((finding) => selected.severities?.has(finding.severity)) : suppressed.findings
  const findings = baseline ? applyBaseline(reported, baseline) : reported
  // A suppression of a rule that was not evaluated did not go stale: it had nothing to match this time.
  const stale = suppressed.stale.filter((suppression) => matchesAnyRule(suppression.ruleId, selected.rules))
  const options = {
    includePassed: request.includePassed,
    ...(request.inventoryPath ? {inventorySource: request.inventoryPath} : {}),
    ...(request.baselinePath ? {baselineSource: request.baselinePath} : {}),
    suppressions: {expired: suppressed.expired, stale},
    selection: selected.summary,
  }
  const reports = inventories.map((inventory) =>
    buildReport(
      inventory,
      findings.filter((finding) => finding.account === inventory.account.id),
      {...options, wiring: wiringTopology(inventory, request.config)},
    ),
  )
  const report = multiAccount ? combineReports(reports, failures) : (reports[0] as ScanReport)
  if (!request.securityHub) return {inventories, findings, report, notes: []}
  if (multiAccount || request.inventoryPath) throw new UserInputError('--security-hub imports a live scan of one account')
  // Loaded only when asked for: the Security Hub SDK stays out of every other run.
  const {publishReport} = await import('../publish/publish-report.js')
  const published = await publishReport(report, findings, {
    clientOptions: {...(request.profile ? {profile: request.profile} : {}), ...(request.endpoint ? {endpoint: request.endpoint} : {})},
  })
  return {inventories, findings, report: published.report, notes: published.lines}
}
