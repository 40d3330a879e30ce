import {at, configurationOf} from '../../inventory/security-configuration.js'
import {clusterResource} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-SECCFG-006',
  group: 'SECCFG',
  title: 'Kerberos authentication for multi-user clusters',
  severity: 'low',
  rationale: 'Without Kerberos, users on the cluster are not authenticated to Hadoop services (most important where runtime roles are not used).',
  sources: [
    'https://docs.aws.amazon.com/config/latest/developerguide/emr-kerberos-enabled.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html',
  ],
  remediation: {summary: 'Create a security configuration with a Kerberos provider (cluster-dedicated or external KDC) and relaunch.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations'],
  evaluate(inventory, {index}) {
    return inventory.emr.clusters.map((cluster): RuleOutcome => {
      const resource = clusterResource(cluster)
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status === 'unknown')
        return {
          status: 'unknown',
          resource,
          message: `Could not check Kerberos on cluster ${cluster.id}: security configuration ${configuration.name} ${configuration.reason}.`,
        }
      const kerberos = configuration.status === 'found' ? at(configuration.body, 'AuthenticationConfiguration', 'KerberosConfiguration') : undefined
      const provider = at(kerberos, 'Provider')
      if (provider === 'ClusterDedicatedKdc' || provider === 'ExternalKdc') {
        const lifetime = at(kerberos, 'ClusterDedicatedKdcConfiguration', 'TicketLifetimeInHours')
        const crossRealm = at(kerberos, 'ClusterDedicatedKdcConfiguration', 'CrossRealmTrustConfiguration')
        return {
          status: 'pass',
          resource,
          message: `Cluster ${cluster.id} authenticates users with Kerberos (${provider}).`,
          evidence: {provider, ticketLifetimeInHours: lifetime ?? null, crossRealmTrust: crossRealm !== undefined},
        }
      }
      return {
        status: 'fail',
        resource,
        message: `Cluster ${cluster.id} has no Kerberos authentication; users on it are not authenticated to Hadoop services.`,
        evidence: {provider: provider ?? null},
      }
    })
  },
})
