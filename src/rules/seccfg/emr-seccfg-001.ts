import {at} from '../../inventory/security-configuration.js'
import {isPlainObject} from '../../policy/document.js'
import {clusterResource} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'

const KNOWN_KEYS = ['EncryptionConfiguration', 'AuthenticationConfiguration', 'AuthorizationConfiguration', 'InstanceMetadataServiceConfiguration']

export default defineRule({
  id: 'EMR-SECCFG-001',
  group: 'SECCFG',
  title: 'Security configurations parse and references resolve',
  severity: 'high',
  rationale:
    'A cluster that names a missing or unparseable security configuration runs without the security it was meant to have, and cannot be relaunched as is.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html'],
  remediation: {
    summary: 'Security configurations are immutable: elasticmapreduce:CreateSecurityConfiguration under a new name, then relaunch the clusters.',
    autoApply: 'no',
  },
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations'],
  evaluate(inventory) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      if (!cluster.securityConfiguration) continue
      const record = inventory.emr.securityConfigurations.find((entry) => entry.name === cluster.securityConfiguration && entry.region === cluster.region)
      if (record && !record.found) {
        outcomes.push({
          status: 'fail',
          resource: clusterResource(cluster),
          message: `Cluster ${cluster.id} names security configuration ${cluster.securityConfiguration}, which does not exist in ${cluster.region}.`,
          evidence: {securityConfiguration: cluster.securityConfiguration},
        })
      } else if (!record) {
        outcomes.push({
          status: 'unknown',
          resource: clusterResource(cluster),
          message: `Security configuration ${cluster.securityConfiguration} of cluster ${cluster.id} could not be described.`,
        })
      }
    }
    const referenced = new Set(inventory.emr.clusters.map((cluster) => `${cluster.region}|${cluster.securityConfiguration}`))
    for (const configuration of inventory.emr.securityConfigurations.filter((entry) => entry.found)) {
      const resource = {type: 'emr-security-configuration' as const, id: configuration.name, name: configuration.name, region: configuration.region}
      if (configuration.parseError || !isPlainObject(configuration.configuration)) {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Security configuration ${configuration.name} does not parse as a JSON object: ${configuration.parseError ?? 'not an object'}.`,
        })
        continue
      }
      const unknownKeys = Object.keys(configuration.configuration).filter((key) => !KNOWN_KEYS.includes(key))
      const used = referenced.has(`${configuration.region}|${configuration.name}`)
      const evidence = {
        atRestEncryption: at(configuration.configuration, 'EncryptionConfiguration', 'EnableAtRestEncryption') ?? false,
        inTransitEncryption: at(configuration.configuration, 'EncryptionConfiguration', 'EnableInTransitEncryption') ?? false,
        kerberosProvider: at(configuration.configuration, 'AuthenticationConfiguration', 'KerberosConfiguration', 'Provider') ?? null,
        runtimeRoles: at(configuration.configuration, 'AuthorizationConfiguration', 'IAMConfiguration', 'EnableApplicationScopedIAMRole') ?? false,
        emrfsRoleMappings: Array.isArray(at(configuration.configuration, 'AuthorizationConfiguration', 'EmrFsConfiguration', 'RoleMappings')),
        lakeFormation: at(configuration.configuration, 'AuthorizationConfiguration', 'LakeFormationConfiguration') !== undefined,
        usedByActiveCluster: used,
      }
      if (unknownKeys.length > 0) {
        outcomes.push({
          status: 'fail',
          severity: 'info',
          subKey: 'unknown-keys',
          resource,
          message: `Security configuration ${configuration.name} has keys EMR does not document: ${unknownKeys.join(', ')}.`,
          evidence: {...evidence, unknownKeys},
        })
      }
      outcomes.push({
        status: 'pass',
        severity: 'info',
        resource,
        message: `Security configuration ${configuration.name} parses${used ? '' : ' (no active cluster uses it)'}.`,
        evidence,
      })
    }
    return outcomes
  },
})
