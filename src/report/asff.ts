/**
 * PLACEHOLDER until the ASFF renderer of `--format asff` lands (same export, fuller field set): the
 * Security Hub publisher needs only Id, Region, account, Compliance.Status and the required attributes.
 */
import type {AwsSecurityFinding} from '@aws-sdk/client-securityhub'
import type {ScanReport} from './model.js'

const STATUS = {fail: 'FAILED', pass: 'PASSED', unknown: 'NOT_AVAILABLE', error: 'NOT_AVAILABLE', suppressed: 'WARNING'} as const
const LABEL = {critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL'} as const

export function toAsffFindings(report: ScanReport, options: {includePassed: boolean}): AwsSecurityFinding[] {
  const home = report.regions[0] ?? 'us-east-1'
  return report.findings
    .filter((finding) => options.includePassed || finding.status !== 'pass')
    .map((finding) => {
      const account = finding.account ?? report.account.id
      const region = finding.resource.region ?? home
      return {
        SchemaVersion: '2018-10-08',
        Id: `emr-audit/${account}/${finding.fingerprint}`,
        ProductArn: `arn:${report.account.partition}:securityhub:${region}:${account}:product/${account}/default`,
        GeneratorId: finding.ruleId,
        AwsAccountId: account,
        Region: region,
        Types: ['Software and Configuration Checks/AWS Security Best Practices'],
        CreatedAt: report.finishedAt,
        UpdatedAt: report.finishedAt,
        Severity: {Label: LABEL[finding.severity]},
        Title: finding.title.slice(0, 256),
        Description: finding.message.slice(0, 1024),
        Resources: [{Type: 'Other', Id: finding.resource.arn ?? finding.resource.id}],
        Compliance: {Status: STATUS[finding.status]},
      }
    })
}
