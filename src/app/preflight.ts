/**
 * `emr-audit preflight FILE`: the account as the scan sees it (or a saved inventory), the request's
 * cluster and what its plan or template creates laid over it, the catalog's rules and the launch-only
 * checks run on the result, and a verdict.
 */
import type {AuditConfig} from '../config/schema.js'
import type {Severity} from '../findings/types.js'
import {applySuppressions} from '../findings/suppressions.js'
import {parseLaunchInput} from '../preflight/input.js'
import {launchRuleCatalog, launchRules} from '../preflight/launch-rules.js'
import {overlay} from '../preflight/overlay.js'
import {PROVISIONAL_ACCOUNT} from '../preflight/planned.js'
import {findingsForLaunch, type Verdict, verdictOf} from '../preflight/verdict.js'
import {buildReport, type ScanReport} from '../report/model.js'
import {RULES} from '../rules/index.js'
import {selectRules, type CheckSelection} from '../rules/selection.js'
import type {RuleMetadata} from '../rules/types.js'
import {UserInputError} from '../shared/errors.js'
import {forLog} from '../shared/escape.js'
import {DOCUMENT_MAX_BYTES, readRegularFile} from '../shared/files.js'
import {analyze} from './analyze.js'
import {runScan} from './run-scan.js'

export interface PreflightRequest {
  file: string
  config: AuditConfig
  regions: string[]
  profile?: string
  endpoint?: string
  inventoryPath?: string
  /** The principal that will launch; default: the caller the scan identified. */
  launcherArn?: string
  parameters: Record<string, string>
  failOn: Severity
  includePassed: boolean
  concurrency: number
  selection?: CheckSelection
  now?: Date
}

export interface PreflightResult {
  verdict: Verdict
  report: ScanReport
  /** The launch-only checks, described beside the catalog in reports that list rules. */
  launchRules: RuleMetadata[]
}

/** More AWS managed policies than any role may have attached (20 at most by quota) for a few roles. */
const MAX_PLANNED_MANAGED_POLICIES = 100

async function readInput(path: string): Promise<string> {
  try {
    return await readRegularFile(path, DOCUMENT_MAX_BYTES)
  } catch (error) {
    if (error instanceof UserInputError) throw error
    throw new UserInputError(`cannot read ${forLog(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

export async function runPreflight(request: PreflightRequest): Promise<PreflightResult> {
  // The request is read and checked before anything is sent to AWS.
  const parsed = parseLaunchInput(await readInput(request.file), request.file, {parameters: request.parameters})
  // Built once with a stand-in account, so a reference that resolves to nothing is reported before any AWS call.
  const provisional = parsed.build({...PROVISIONAL_ACCOUNT, region: request.regions[0] ?? PROVISIONAL_ACCOUNT.region})
  const named = provisional.clusters.flatMap((cluster) =>
    cluster.securityConfiguration && !cluster.securityConfiguration.startsWith('arn:') ? [cluster.securityConfiguration] : [],
  )
  // The scan describes the security configurations the request names, even if no cluster uses them yet.
  const config: AuditConfig = {...request.config, securityConfigurations: [...new Set([...(request.config.securityConfigurations ?? []), ...named])]}
  // The scan's own findings are not used: the request's cluster is judged on the overlaid account below.
  const {inventories} = await runScan({
    config,
    regions: request.regions,
    ...(request.profile ? {profile: request.profile} : {}),
    ...(request.endpoint ? {endpoint: request.endpoint} : {}),
    ...(request.inventoryPath ? {inventoryPath: request.inventoryPath} : {}),
    concurrency: request.concurrency,
    includePassed: request.includePassed,
    alsoKeep: {
      subnetIds: provisional.clusters.flatMap((cluster) => cluster.subnetIds),
      securityGroupIds: provisional.clusters.flatMap((cluster) =>
        [
          cluster.masterSecurityGroup,
          cluster.slaveSecurityGroup,
          cluster.serviceAccessSecurityGroup,
          ...cluster.additionalMasterSecurityGroups,
          ...cluster.additionalSlaveSecurityGroups,
        ].filter((id): id is string => Boolean(id)),
      ),
      // Bounded: each is one IAM read, and the list comes from the file.
      awsManagedPolicyArns: [...new Set(provisional.planned.roles.flatMap((role) => role.attachedPolicies.map((policy) => policy.arn)))].slice(
        0,
        MAX_PLANNED_MANAGED_POLICIES,
      ),
    },
  })
  const [scanned] = inventories
  if (!scanned) throw new UserInputError('no inventory to check the request against')
  const region = request.regions[0] ?? scanned.regions[0]
  if (!region || !scanned.regions.includes(region))
    throw new UserInputError(`--region ${forLog(region ?? '')}: the inventory covers ${scanned.regions.join(', ') || 'no region'}`)
  const launch = parsed.build({id: scanned.account.id, partition: scanned.account.partition, region})
  const {inventory, clusters} = overlay(scanned, launch, region)
  const plannedNetwork = new Set([...launch.planned.subnets.map((subnet) => subnet.id), ...launch.planned.securityGroups.map((group) => group.id)])
  const launcherArn = request.launcherArn ?? inventory.account.callerArn
  const selected = selectRules(RULES, request.selection ?? {}, config)
  const now = request.now ?? new Date()
  const all = analyze(inventory, {
    config,
    now,
    rules: [
      ...selected.rules,
      ...launchRules({clusters, plannedNetwork, networkComplete: request.inventoryPath === undefined, ...(launcherArn ? {launcherArn} : {})}),
    ],
  })
  const suppressed = applySuppressions(all, config.suppressions ?? [], now)
  const planned = clusters.flatMap((entry) => {
    const cluster = inventory.emr.clusters.find((candidate) => candidate.id === entry.id)
    return cluster ? [{cluster, planned: entry}] : []
  })
  const findings = findingsForLaunch(suppressed.findings, planned, inventory)
  const verdict = verdictOf(findings, request.failOn)
  const report = buildReport(inventory, findings, {
    includePassed: request.includePassed,
    ...(request.inventoryPath ? {inventorySource: request.inventoryPath} : {}),
    selection: selected.summary,
  })
  return {
    verdict,
    launchRules: launchRuleCatalog(),
    report: {
      ...report,
      preflight: {
        verdict,
        input: launch.format,
        file: request.file,
        clusters: clusters.map((entry) => ({id: entry.id, address: entry.requested.address, name: entry.requested.name})),
      },
    },
  }
}
