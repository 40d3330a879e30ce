import {at, configurationOf, isRuntimeRoleEnabled, isTrue} from '../../inventory/security-configuration.js'
import {clusterResource} from '../helpers.js'
import {securityHubControl} from '../compliance.js'
import {defineRule, type RuleOutcome} from '../types.js'

function inTransitProblems(body: unknown): string[] {
  if (!isTrue(at(body, 'EncryptionConfiguration', 'EnableInTransitEncryption'))) return ['EnableInTransitEncryption is not true']
  const tls = at(body, 'EncryptionConfiguration', 'InTransitEncryptionConfiguration', 'TLSCertificateConfiguration')
  const type = at(tls, 'CertificateProviderType')
  if (type === 'PEM') return at(tls, 'S3Object') ? [] : ['PEM certificates without S3Object']
  if (type === 'Custom')
    return at(tls, 'S3Object') && at(tls, 'CertificateProviderClass') ? [] : ['Custom certificates without S3Object and CertificateProviderClass']
  return [`CertificateProviderType is ${JSON.stringify(type ?? null)}, not PEM or Custom`]
}

export default defineRule({
  id: 'EMR-SECCFG-003',
  group: 'SECCFG',
  title: 'In-transit encryption is enabled (mandatory-grade when runtime roles are on)',
  severity: 'high',
  rationale:
    'Traffic between nodes and to clients travels in plain text without it; AWS recommends always enabling it with runtime roles, and Studio/SageMaker runtime-role use requires it.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html',
  ],
  compliance: securityHubControl('EMR.4'),
  remediation: {summary: 'Create a security configuration with in-transit encryption (PEM or custom certificate provider) and relaunch.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations'],
  evaluate(inventory, {index}) {
    return inventory.emr.clusters.flatMap((cluster): RuleOutcome[] => {
      const resource = clusterResource(cluster)
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status === 'none' || configuration.status === 'missing')
        return [
          {
            status: 'fail',
            resource,
            severity: 'medium',
            message: `Cluster ${cluster.id} has no usable security configuration, so traffic is not encrypted in transit.`,
          },
        ]
      if (configuration.status === 'unknown')
        return [
          {
            status: 'unknown',
            resource,
            message: `Could not check in-transit encryption of cluster ${cluster.id}: security configuration ${configuration.name} ${configuration.reason}.`,
          },
        ]
      const runtime = isRuntimeRoleEnabled(configuration.body)
      const problems = inTransitProblems(configuration.body)
      const severity = runtime ? ('high' as const) : ('medium' as const)
      const evidence = {securityConfiguration: configuration.name, runtimeRolesEnabled: runtime, problems}
      return [
        problems.length > 0
          ? {
              status: 'fail',
              resource,
              severity,
              message: `Cluster ${cluster.id} (${configuration.name}) does not encrypt in transit: ${problems.join('; ')}${runtime ? '; with runtime roles on this matters most' : ''}.`,
              evidence,
            }
          : {status: 'pass', resource, severity, message: `Cluster ${cluster.id} encrypts traffic in transit.`, evidence},
      ]
    })
  },
})
