/**
 * `scan --security-hub`: the report's results as ASFF, sent with the publisher, and what happened folded
 * back into the report (a region that could not be used, or findings refused, is a coverage gap: exit 3).
 */
import type {AwsSecurityFinding, SecurityHubClient} from '@aws-sdk/client-securityhub'
import {type ClientOptions, createSecurityHubClients} from '../aws/clients.js'
import {forLog} from '../shared/escape.js'
import type {Finding} from '../findings/types.js'
import type {SourceOutcome} from '../inventory/schema.js'
import {type AsffFinding, toAsffFindings} from '../report/asff.js'
import type {ScanReport} from '../report/model.js'
import {RULES} from '../rules/index.js'
import {PRODUCT_NAME, publishToSecurityHub, type RegionPublication} from './security-hub.js'

export interface PublishOptions {
  clientOptions: ClientOptions
  /** Tests give their own clients. */
  client?: (region: string) => SecurityHubClient
  now?: Date
}

/** The ASFF renderer's findings, as the SDK types them (its field values are the ASFF enums' strings). */
const asOurs = (finding: AsffFinding): AwsSecurityFinding => ({...finding, ProductName: PRODUCT_NAME, CompanyName: PRODUCT_NAME}) as AwsSecurityFinding

function outcomesOf(publication: RegionPublication): SourceOutcome[] {
  if (publication.gap) return [{source: 'securityhub.import', region: publication.region, ...publication.gap}]
  if (publication.failures.length === 0) return []
  const [first] = publication.failures
  const message = `${publication.failures.length} finding(s) not imported; first: ${first?.id}: ${first?.code} ${first?.message}`
  return [{source: 'securityhub.import', region: publication.region, status: 'error', action: 'securityhub:BatchImportFindings', message}]
}

function linesOf(publication: RegionPublication): string[] {
  const head = publication.gap
    ? `security hub ${publication.region}: not used (${publication.gap.action}: ${publication.gap.message})`
    : `security hub ${publication.region}: ${publication.imported} failing imported, ${publication.resolved} resolved, ${publication.leftOpen} left open (not evaluated this run), ${publication.failures.length} refused`
  return [head, ...publication.failures.map((failure) => `security hub ${publication.region}: refused ${failure.id}: ${failure.code} ${failure.message}`)].map(
    (line) => `emr-audit: ${forLog(line)}`,
  )
}

/**
 * `findings` are all of this run's results (passes included, whatever --include-passed says): passes
 * are what close earlier imports. Suppressed findings are not sent: a person decided about them.
 */
export async function publishReport(report: ScanReport, findings: readonly Finding[], options: PublishOptions): Promise<{report: ScanReport; lines: string[]}> {
  const sendable = findings.filter((finding) => finding.status !== 'suppressed')
  const asff = toAsffFindings({...report, findings: sendable}, {includePassed: true, rules: RULES}).map(asOurs)
  const client = options.client ?? (await createSecurityHubClients(options.clientOptions))
  const publications = await publishToSecurityHub({
    client,
    accountId: report.account.id,
    partition: report.account.partition,
    findings: asff,
    regions: report.regions,
    now: (options.now ?? new Date()).toISOString(),
  })
  const gaps = publications.flatMap(outcomesOf)
  const coverage = [...report.coverage, ...gaps]
  return {
    report: {...report, coverage, summary: {...report.summary, coverageGaps: coverage.filter((outcome) => outcome.status !== 'ok').length}},
    lines: publications.flatMap(linesOf),
  }
}
