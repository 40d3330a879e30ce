import {configurationOf, isRuntimeRoleEnabled} from '../../inventory/security-configuration.js'
import {clusterResource} from '../helpers.js'
import {clusterSecurityGroupIds, coversPort, findSecurityGroup} from '../network.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-CLUSTER-003',
  group: 'CLUSTER',
  title: 'Runtime-role clusters do not expose SSH',
  severity: 'low',
  rationale: 'SSH users bypass per-step role isolation; AWS recommends steps-only access to clusters with runtime roles.',
  sources: ['seed 003'],
  remediation: {summary: 'Relaunch without an EC2 key pair and revoke port-22 ingress.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status === 'unknown') {
        outcomes.push({status: 'unknown', resource: clusterResource(cluster), message: `Could not tell whether cluster ${cluster.id} uses runtime roles: security configuration ${configuration.name} ${configuration.reason}.`})
        continue
      }
      if (configuration.status !== 'found' || !isRuntimeRoleEnabled(configuration.body)) continue
      const sshGroups = clusterSecurityGroupIds(cluster).filter((id) => {
        const group = findSecurityGroup(inventory, index, id, cluster.region)
        return group.status === 'found' && group.value.ingress.some((rule) => coversPort(rule, 22))
      })
      const exposures = [...(cluster.keyName ? [`EC2 key pair ${cluster.keyName}`] : []), ...sshGroups.map((id) => `port 22 open in ${id}`)]
      outcomes.push(
        exposures.length > 0
          ? {status: 'fail', resource: clusterResource(cluster), message: `Runtime-role cluster ${cluster.id} allows SSH (${exposures.join(', ')}); SSH users bypass runtime-role isolation.`, evidence: {keyName: cluster.keyName, sshSecurityGroups: sshGroups}}
          : {status: 'pass', resource: clusterResource(cluster), message: `Runtime-role cluster ${cluster.id} has no key pair and no port-22 ingress.`},
      )
    }
    return outcomes
  },
})
