/**
 * OCSF 1.7.0 for security data lakes and SIEMs (Amazon Security Lake and others): a JSON array with one
 * Detection Finding (class 2004) per finding of the report, with the `cloud` profile. The compliance
 * controls go under `unmapped`: OCSF defines `compliance` on the Compliance Finding class, not on this one.
 */
import type {Finding, FindingStatus, Severity} from '../findings/types.js'
import {jsonText} from '../shared/escape.js'
import type {RuleMetadata} from '../rules/types.js'
import {AWS_RESOURCE_TYPES} from './aws-resource-types.js'
import type {ScanReport} from './model.js'

export const OCSF_VERSION = '1.7.0'
const PRODUCT_URL = 'https://github.com/emr-audit/emr-audit'

const FINDINGS_CATEGORY = {category_uid: 2, category_name: 'Findings'}
const DETECTION_FINDING = {class_uid: 2004, class_name: 'Detection Finding'}
const CREATE = {activity_id: 1, activity_name: 'Create'}

const SEVERITY: Record<Severity, {severity_id: number; severity: string}> = {
  info: {severity_id: 1, severity: 'Informational'},
  low: {severity_id: 2, severity: 'Low'},
  medium: {severity_id: 3, severity: 'Medium'},
  high: {severity_id: 4, severity: 'High'},
  critical: {severity_id: 5, severity: 'Critical'},
}

/**
 * The finding's workflow state. A result emr-audit could not decide (unknown, error) is no workflow
 * state: OCSF's "Other" (99), named by the source.
 */
const STATUS: Record<FindingStatus, {status_id: number; status: string}> = {
  fail: {status_id: 1, status: 'New'},
  suppressed: {status_id: 3, status: 'Suppressed'},
  pass: {status_id: 4, status: 'Resolved'},
  unknown: {status_id: 99, status: 'Unknown'},
  error: {status_id: 99, status: 'Error'},
}

function resource(finding: Finding, partition: string): Record<string, unknown> {
  const {resource: ref} = finding
  return {
    uid: ref.arn ?? ref.id,
    ...(ref.arn ? {uid_alt: ref.id} : {}),
    name: ref.name ?? ref.id,
    type: AWS_RESOURCE_TYPES[ref.type].cloudFormation,
    cloud_partition: partition,
    ...(ref.region ? {region: ref.region} : {}),
  }
}

function detectionFinding(finding: Finding, report: ScanReport, rule: RuleMetadata | undefined, time: number): Record<string, unknown> {
  const account = finding.account ?? report.account.id
  const {partition} = report.account
  const region = finding.resource.region
  return {
    ...CREATE,
    ...FINDINGS_CATEGORY,
    ...DETECTION_FINDING,
    type_uid: DETECTION_FINDING.class_uid * 100 + CREATE.activity_id,
    type_name: `${DETECTION_FINDING.class_name}: ${CREATE.activity_name}`,
    time,
    ...SEVERITY[finding.severity],
    ...STATUS[finding.status],
    status_code: finding.status,
    message: finding.message,
    finding_info: {
      uid: finding.fingerprint,
      title: finding.title,
      ...(rule ? {desc: rule.rationale} : {}),
      types: [`EMR ${rule?.group ?? 'audit'} check`],
      analytic: {uid: finding.ruleId, name: finding.ruleId, type_id: 1, type: 'Rule'},
      ...(rule?.sources[0] ? {src_url: rule.sources[0]} : {}),
    },
    resources: [resource(finding, partition)],
    remediation: {desc: finding.remediation.summary, ...(rule ? {references: rule.sources} : {})},
    cloud: {provider: 'AWS', account: {uid: account, type_id: 10, type: 'AWS Account'}, cloud_partition: partition, ...(region ? {region} : {})},
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      uid: finding.fingerprint,
      product: {name: report.tool.name, vendor_name: report.tool.name, version: report.tool.version, url_string: PRODUCT_URL},
    },
    unmapped: {
      autoApply: finding.remediation.autoApply,
      evidence: finding.evidence,
      ...(rule?.compliance && rule.compliance.length > 0 ? {compliance: rule.compliance} : {}),
      ...(finding.subKey ? {subKey: finding.subKey} : {}),
      ...(finding.baseline ? {baseline: finding.baseline} : {}),
      ...(finding.suppression ? {suppression: finding.suppression} : {}),
    },
  }
}

export function toOcsfFindings(report: ScanReport, rules: readonly RuleMetadata[]): Array<Record<string, unknown>> {
  const byId = new Map(rules.map((rule) => [rule.id, rule]))
  const time = Date.parse(report.finishedAt)
  return report.findings.map((finding) => detectionFinding(finding, report, byId.get(finding.ruleId), time))
}

export function renderOcsf(report: ScanReport, rules: readonly RuleMetadata[]): string {
  return `${jsonText(toOcsfFindings(report, rules))}\n`
}
