/**
 * SARIF 2.1.0 for code scanning (GitHub and others): one rule entry per rule with its metadata, one result
 * per failing (or suppressed) finding, located logically at the AWS resource, fingerprinted so a finding is
 * tracked across runs.
 */
import type {ConfigurationOverride, Location, Log, ReportingDescriptor, Result} from 'sarif'
import type {Finding, Severity} from '../findings/types.js'
import type {RuleMetadata} from '../rules/types.js'
import {jsonText} from '../shared/escape.js'
import type {ScanReport} from './model.js'

/** GitHub ranks security results by `security-severity` (a CVSS-like score as a string). */
const SECURITY_SEVERITY: Record<Severity, string> = {critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0'}
const LEVEL: Record<Severity, Result.level> = {critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note'}

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
const INFORMATION_URI = 'https://github.com/emr-audit/emr-audit'

function descriptor(rule: RuleMetadata): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.id.replace(/-/g, ''),
    shortDescription: {text: rule.title},
    fullDescription: {text: rule.rationale},
    help: {
      text: `${rule.rationale}\n\nRemediation: ${rule.remediation.summary}\nAuto-apply: ${rule.remediation.autoApply}\nSources: ${rule.sources.join('; ')}`,
      markdown: `${rule.rationale}\n\n**Remediation:** ${rule.remediation.summary}\n\n**Auto-apply:** ${rule.remediation.autoApply}\n\n**Sources:** ${rule.sources.join('; ')}`,
    },
    // The page the requirement comes from; viewers link the rule to it.
    ...(rule.sources[0] ? {helpUri: rule.sources[0]} : {}),
    defaultConfiguration: {level: LEVEL[rule.severity]},
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      tags: ['security', 'aws', 'emr', rule.group.toLowerCase()],
      precision: 'high',
      ...(rule.compliance && rule.compliance.length > 0 ? {compliance: rule.compliance} : {}),
    },
  }
}

/** A path segment of a URI; a lone surrogate (which encodeURIComponent rejects) becomes U+FFFD. */
const uriSegment = (text: string): string => encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'))

/**
 * A preflight finding lives in the request file, at the field it came from (a Terraform address, a
 * template logical id, a RunJobFlow field): code scanning shows it on the pull request that changes it.
 */
function requestLocation(finding: Finding, preflight: ScanReport['preflight']): Location | undefined {
  const field = finding.evidence['requestField']
  if (!preflight || typeof field !== 'string') return undefined
  const uri = preflight.file
    .split(/[\\/]/)
    .filter((part) => part !== '' && part !== '.')
    .map(uriSegment)
    .join('/')
  return {logicalLocations: [{fullyQualifiedName: field, name: field, kind: 'member'}], physicalLocation: {artifactLocation: {uri}}}
}

function result(finding: Finding, ruleIndex: number, account: string, preflight?: ScanReport['preflight']): Result {
  const location = finding.resource.arn ?? `${finding.resource.type}/${finding.resource.region ?? 'global'}/${finding.resource.id}`
  const inRequest = requestLocation(finding, preflight)
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: {text: finding.message},
    locations: [
      ...(inRequest ? [inRequest] : []),
      {
        logicalLocations: [{fullyQualifiedName: location, name: finding.resource.name ?? finding.resource.id, kind: finding.resource.type}],
        // Code scanning needs a file location; the account is the "file" an AWS finding lives in.
        physicalLocation: {
          artifactLocation: {
            uri: `aws/${[account, finding.resource.region ?? 'global', finding.resource.type, finding.resource.id].map(uriSegment).join('/')}`,
          },
        },
      },
    ],
    partialFingerprints: {'emrAuditFingerprint/v1': finding.fingerprint},
    ...(finding.status === 'suppressed' && finding.suppression
      ? {suppressions: [{kind: 'external', status: 'accepted', justification: `${finding.suppression.reason} (until ${finding.suppression.expires})`}]}
      : {}),
    ...(finding.baseline ? {baselineState: finding.baseline === 'new' ? 'new' : 'unchanged'} : {}),
    properties: {severity: finding.severity, status: finding.status, account, ...(finding.subKey ? {subKey: finding.subKey} : {}), evidence: finding.evidence},
  }
}

/** Rules the run did not evaluate, in SARIF's own terms (a configuration override disabling each), with why. */
function switchedOff(selection: NonNullable<ScanReport['selection']>, ruleIndex: ReadonlyMap<string, number>): ConfigurationOverride[] {
  const override = (ruleId: string, reason: string): ConfigurationOverride => ({
    descriptor: {id: ruleId, ...(ruleIndex.has(ruleId) ? {index: ruleIndex.get(ruleId)} : {})},
    configuration: {enabled: false},
    properties: {reason},
  })
  return [
    ...selection.disabled.map((entry) => override(entry.ruleId, `disabled in the config: ${entry.reason}`)),
    ...selection.notSelected.map((ruleId) => override(ruleId, 'left out by --checks, --exclude-checks or --groups')),
  ]
}

export function renderSarif(report: ScanReport, rules: readonly RuleMetadata[]): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]))
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(descriptor),
          },
        },
        automationDetails: {id: `emr-audit/${report.account.id === '*' ? 'accounts' : report.account.id}/`},
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            ...(report.selection ? {ruleConfigurationOverrides: switchedOff(report.selection, ruleIndex)} : {}),
            toolExecutionNotifications: report.coverage
              .filter((outcome) => outcome.status !== 'ok')
              .map((outcome) => ({
                level: 'warning' as const,
                message: {
                  text: `${outcome.source} ${outcome.region}: ${outcome.status}${outcome.action ? ` (${outcome.action})` : ''}${outcome.message ? ` — ${outcome.message}` : ''}`,
                },
              })),
          },
        ],
        results: report.findings
          .filter((finding) => finding.status === 'fail' || finding.status === 'suppressed')
          .map((finding) => result(finding, ruleIndex.get(finding.ruleId) ?? 0, finding.account ?? report.account.id, report.preflight)),
        properties: {
          account: report.account.id,
          partition: report.account.partition,
          regions: report.regions,
          ...(report.selection ? {selection: report.selection} : {}),
        },
      },
    ],
  }
  return `${jsonText(log)}\n`
}
