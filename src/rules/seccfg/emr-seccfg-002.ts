import {at, configurationOf, isTrue} from '../../inventory/security-configuration.js'
import {clusterResource} from '../helpers.js'
import {securityHubControl} from '../compliance.js'
import {defineRule, type RuleOutcome} from '../types.js'

const S3_MODES = ['SSE-S3', 'SSE-KMS', 'CSE-KMS', 'CSE-Custom']

/** What is missing from an at-rest encryption block; empty when complete. */
export function atRestProblems(body: unknown): string[] {
  if (!isTrue(at(body, 'EncryptionConfiguration', 'EnableAtRestEncryption'))) return ['EnableAtRestEncryption is not true']
  const atRest = at(body, 'EncryptionConfiguration', 'AtRestEncryptionConfiguration')
  const problems: string[] = []
  const s3 = at(atRest, 'S3EncryptionConfiguration')
  const mode = at(s3, 'EncryptionMode')
  if (typeof mode !== 'string' || !S3_MODES.includes(mode))
    problems.push(`S3 EncryptionMode is ${JSON.stringify(mode ?? null)}, not one of ${S3_MODES.join(', ')}`)
  if ((mode === 'SSE-KMS' || mode === 'CSE-KMS') && !at(s3, 'AwsKmsKey')) problems.push(`${mode} without AwsKmsKey`)
  if (mode === 'CSE-Custom' && (!at(s3, 'S3Object') || !at(s3, 'EncryptionKeyProviderClass')))
    problems.push('CSE-Custom without S3Object and EncryptionKeyProviderClass')
  if (!at(atRest, 'LocalDiskEncryptionConfiguration', 'EncryptionKeyProviderType')) problems.push('local disk EncryptionKeyProviderType is not set')
  return problems
}

export default defineRule({
  id: 'EMR-SECCFG-002',
  group: 'SECCFG',
  title: 'At-rest encryption is enabled for active clusters',
  severity: 'medium',
  rationale: 'Without it, data on node disks and EMRFS writes to S3 may be unencrypted.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html',
  ],
  compliance: securityHubControl('EMR.3'),
  remediation: {
    summary: 'Create a security configuration with at-rest encryption (S3 and local disk, EBS recommended) and relaunch the cluster with it.',
    autoApply: 'no',
  },
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations'],
  evaluate(inventory, {index}) {
    return inventory.emr.clusters.map((cluster): RuleOutcome => {
      const resource = clusterResource(cluster)
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status === 'none')
        return {status: 'fail', resource, message: `Cluster ${cluster.id} has no security configuration, so nothing is encrypted at rest by EMR.`}
      if (configuration.status === 'missing')
        return {status: 'fail', resource, message: `Cluster ${cluster.id} names security configuration ${configuration.name}, which does not exist.`}
      if (configuration.status === 'unknown')
        return {
          status: 'unknown',
          resource,
          message: `Could not check at-rest encryption of cluster ${cluster.id}: security configuration ${configuration.name} ${configuration.reason}.`,
        }
      const problems = atRestProblems(configuration.body)
      const ebs = isTrue(
        at(configuration.body, 'EncryptionConfiguration', 'AtRestEncryptionConfiguration', 'LocalDiskEncryptionConfiguration', 'EnableEbsEncryption'),
      )
      const evidence = {securityConfiguration: configuration.name, problems, enableEbsEncryption: ebs}
      if (problems.length > 0)
        return {
          status: 'fail',
          resource,
          message: `At-rest encryption of cluster ${cluster.id} (${configuration.name}) is incomplete: ${problems.join('; ')}.`,
          evidence,
        }
      return {
        status: 'pass',
        resource,
        message: `Cluster ${cluster.id} encrypts S3 data and local disks at rest${ebs ? ', EBS included' : ' (enabling EBS encryption is recommended)'}.`,
        evidence,
      }
    })
  },
})
