/**
 * AWS Security Finding Format (ASFF, schema 2018-10-08): the findings as Security Hub takes them from
 * BatchImportFindings. `--format asff` writes the array; the Security Hub importer builds its batches from
 * `toAsffFindings`. Field limits are those of the Security Hub API reference,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html (required fields:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html): longer account
 * text is cut to the limit with an ellipsis, so an import never fails on a long name.
 */
import type {Finding, FindingStatus, Severity} from '../findings/types.js'
import {jsonText} from '../shared/escape.js'
import {controlsOf} from '../rules/compliance.js'
import type {RuleMetadata} from '../rules/types.js'
import {AWS_RESOURCE_TYPES} from './aws-resource-types.js'
import type {ScanReport} from './model.js'

export const ASFF_SCHEMA_VERSION = '2018-10-08'

/** Maximum lengths (characters) and counts of the fields emr-audit fills. */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  types: 50,
  resources: 32,
  relatedRequirements: 32,
  productFields: 50,
  productFieldValue: 2048,
  otherDetailValue: 1024,
} as const

export type AsffComplianceStatus = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE'

/** The subset of AwsSecurityFinding emr-audit writes. */
export interface AsffFinding {
  SchemaVersion: typeof ASFF_SCHEMA_VERSION
  Id: string
  ProductArn: string
  ProductName: string
  CompanyName: string
  GeneratorId: string
  AwsAccountId: string
  Region: string
  Types: string[]
  CreatedAt: string
  UpdatedAt: string
  Severity: {Label: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'; Original: string}
  Title: string
  Description: string
  SourceUrl?: string
  Remediation: {Recommendation: {Text: string; Url?: string}}
  ProductFields: Record<string, string>
  Resources: Array<{Type: string; Id: string; Partition: string; Region: string; Details?: {Other: Record<string, string>}}>
  Compliance: {Status: AsffComplianceStatus; SecurityControlId?: string; RelatedRequirements?: string[]}
  Workflow?: {Status: 'SUPPRESSED'}
  RecordState: 'ACTIVE'
}

export interface AsffOptions {
  /** Passing results too (Compliance.Status PASSED), as the importer needs to close what was fixed. */
  includePassed: boolean
  rules: readonly RuleMetadata[]
  /** Where findings on global (IAM) resources go; defaults to the report's first region. */
  homeRegion?: string
}

/** Cut to `max` characters (code points, never half a surrogate pair), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const characters = Array.from(text)
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`
}

const LABEL: Record<Severity, AsffFinding['Severity']['Label']> = {info: 'INFORMATIONAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL'}

/**
 * WARNING: the check ran but could not decide (a source was denied, data missing). NOT_AVAILABLE: the
 * check itself could not be performed (the rule failed). Suppressed findings stay FAILED, with the
 * workflow status SUPPRESSED.
 */
const COMPLIANCE_STATUS: Record<FindingStatus, AsffComplianceStatus> = {
  fail: 'FAILED',
  suppressed: 'FAILED',
  pass: 'PASSED',
  unknown: 'WARNING',
  error: 'NOT_AVAILABLE',
}

const BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices'
const FSBP_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices'
/** How Security Hub writes NIST SP 800-53 r5 controls in RelatedRequirements. */
const NIST_PREFIX = 'NIST.800-53.r5 '

function compliance(finding: Finding, rule: RuleMetadata | undefined): AsffFinding['Compliance'] {
  const [control] = controlsOf(rule?.compliance, 'AWS-FSBP')
  const related = controlsOf(rule?.compliance, 'NIST-800-53-r5').map((nist) => `${NIST_PREFIX}${nist}`)
  return {
    Status: COMPLIANCE_STATUS[finding.status],
    ...(control ? {SecurityControlId: control} : {}),
    ...(related.length > 0 ? {RelatedRequirements: related.slice(0, ASFF_LIMITS.relatedRequirements)} : {}),
  }
}

function productFields(finding: Finding): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    'emr-audit/RuleId': finding.ruleId,
    'emr-audit/Status': finding.status,
    'emr-audit/Fingerprint': finding.fingerprint,
    'emr-audit/AutoApply': finding.remediation.autoApply,
    'emr-audit/ResourceType': finding.resource.type,
    'emr-audit/SubKey': finding.subKey,
    'emr-audit/Baseline': finding.baseline,
    'emr-audit/SuppressionReason': finding.suppression?.reason,
  }
  return Object.fromEntries(
    Object.entries(fields).flatMap(([key, value]) => (value === undefined ? [] : [[key, truncate(value, ASFF_LIMITS.productFieldValue)]])),
  )
}

function resource(finding: Finding, partition: string, region: string): AsffFinding['Resources'][number] {
  const {resource: ref} = finding
  const type = AWS_RESOURCE_TYPES[ref.type].asff
  return {
    Type: type,
    // An account has no ARN: Security Hub names it AWS::::Account:<id> in its own findings.
    Id: truncate(ref.arn ?? (ref.type === 'account' ? `AWS::::Account:${ref.id}` : ref.id), ASFF_LIMITS.id),
    Partition: partition,
    Region: region,
    // Security Hub has no details type for these: say what the resource is in `Other`.
    ...(type === 'Other'
      ? {
          Details: {
            Other: {
              resourceType: ref.type,
              id: truncate(ref.id, ASFF_LIMITS.otherDetailValue),
              ...(ref.name ? {name: truncate(ref.name, ASFF_LIMITS.otherDetailValue)} : {}),
            },
          },
        }
      : {}),
  }
}

function toAsff(finding: Finding, report: ScanReport, rule: RuleMetadata | undefined, homeRegion: string): AsffFinding {
  const account = finding.account ?? report.account.id
  const {partition} = report.account
  const region = finding.resource.region ?? homeRegion
  const url = rule?.sources[0]
  const hasFsbp = controlsOf(rule?.compliance, 'AWS-FSBP').length > 0
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: truncate(`emr-audit/${finding.fingerprint}`, ASFF_LIMITS.id),
    ProductArn: `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`,
    ProductName: report.tool.name,
    CompanyName: report.tool.name,
    GeneratorId: finding.ruleId,
    AwsAccountId: account,
    Region: region,
    Types: [BEST_PRACTICES, ...(hasFsbp ? [FSBP_TYPE] : [])],
    CreatedAt: report.finishedAt,
    UpdatedAt: report.finishedAt,
    // Security Hub reports a passed check as informational, whatever the rule's severity.
    Severity: {Label: finding.status === 'pass' ? 'INFORMATIONAL' : LABEL[finding.severity], Original: finding.severity},
    Title: truncate(`${finding.ruleId} ${finding.title}`, ASFF_LIMITS.title),
    Description: truncate(finding.message, ASFF_LIMITS.description),
    ...(url ? {SourceUrl: url} : {}),
    Remediation: {Recommendation: {Text: truncate(finding.remediation.summary, ASFF_LIMITS.recommendationText), ...(url ? {Url: url} : {})}},
    ProductFields: productFields(finding),
    Resources: [resource(finding, partition, region)],
    Compliance: compliance(finding, rule),
    ...(finding.status === 'suppressed' ? {Workflow: {Status: 'SUPPRESSED' as const}} : {}),
    RecordState: 'ACTIVE',
  }
}

/** One ASFF finding per finding of the report (passes only with `includePassed`), for the importer and `--format asff`. */
export function toAsffFindings(report: ScanReport, options: AsffOptions): AsffFinding[] {
  const byId = new Map(options.rules.map((rule) => [rule.id, rule]))
  const homeRegion = options.homeRegion ?? report.regions[0] ?? 'us-east-1'
  return report.findings
    .filter((finding) => options.includePassed || finding.status !== 'pass')
    .map((finding) => toAsff(finding, report, byId.get(finding.ruleId), homeRegion))
}

export function renderAsff(report: ScanReport, rules: readonly RuleMetadata[]): string {
  // The report already holds passes only when --include-passed asked for them.
  return `${jsonText(toAsffFindings(report, {includePassed: true, rules}))}\n`
}
