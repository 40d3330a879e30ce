import type {Cluster, Inventory} from '../../inventory/schema.js'
import {configurationOf, isRuntimeRoleEnabled} from '../../inventory/security-configuration.js'
import {clusterResource} from '../helpers.js'
import type {InventoryIndex} from '../inventory-index.js'
import {clusterSecurityGroupIds, emrManagedGroupIds, findSecurityGroup, type PortExposure, tcpPortExposures} from '../network.js'
import {defineRule, type RuleOutcome} from '../types.js'

const SSH_PORT = 22

interface SshReach {
  exposures: PortExposure[]
  unreadGroups: string[]
}

/** TCP 22 from anything but the cluster's own EMR-managed groups (EMR's all-TCP/UDP rules between them are not SSH access). */
function sshReach(inventory: Inventory, index: InventoryIndex, cluster: Cluster): SshReach {
  const own = emrManagedGroupIds(cluster)
  const reach: SshReach = {exposures: [], unreadGroups: []}
  for (const id of clusterSecurityGroupIds(cluster)) {
    const group = findSecurityGroup(inventory, index, id, cluster.region)
    if (group.status === 'found') reach.exposures.push(...tcpPortExposures(group.value, SSH_PORT, own))
    else if (group.status === 'unknown') reach.unreadGroups.push(id)
  }
  return reach
}

const describeExposure = (exposure: PortExposure) =>
  exposure.source === 'unrecorded'
    ? `${exposure.rule} in ${exposure.securityGroup} from a source this inventory did not record`
    : `${exposure.rule} in ${exposure.securityGroup} from ${exposure.source}`

function verdict(cluster: Cluster, reach: SshReach): RuleOutcome {
  const resource = clusterResource(cluster)
  const definite = reach.exposures.filter((exposure) => exposure.source !== 'unrecorded')
  const exposures = [...(cluster.keyName ? [`EC2 key pair ${cluster.keyName}`] : []), ...definite.map(describeExposure)]
  const evidence = {keyName: cluster.keyName, sshIngress: reach.exposures, emrManagedGroups: emrManagedGroupIds(cluster)}
  if (exposures.length > 0)
    return {
      status: 'fail',
      resource,
      message: `Runtime-role cluster ${cluster.id} allows SSH (${exposures.join('; ')}); SSH users bypass runtime-role isolation.`,
      evidence,
    }
  const doubts = [...reach.exposures.map(describeExposure), ...reach.unreadGroups.map((id) => `security group ${id} could not be read`)]
  if (doubts.length > 0)
    return {status: 'unknown', resource, message: `Could not tell whether runtime-role cluster ${cluster.id} allows SSH: ${doubts.join('; ')}.`, evidence}
  return {
    status: 'pass',
    resource,
    message: `Runtime-role cluster ${cluster.id} has no key pair and no TCP port-22 ingress from outside its EMR-managed security groups.`,
    evidence,
  }
}

export default defineRule({
  id: 'EMR-CLUSTER-003',
  group: 'CLUSTER',
  title: 'Runtime-role clusters do not expose SSH',
  severity: 'low',
  rationale: 'SSH users bypass per-step role isolation; AWS recommends steps-only access to clusters with runtime roles.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html'],
  remediation: {summary: 'Relaunch without an EC2 key pair and revoke port-22 ingress.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations', 'ec2.securityGroups'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status === 'unknown') {
        outcomes.push({
          status: 'unknown',
          resource: clusterResource(cluster),
          message: `Could not tell whether cluster ${cluster.id} uses runtime roles: security configuration ${configuration.name} ${configuration.reason}.`,
        })
        continue
      }
      if (configuration.status !== 'found' || !isRuntimeRoleEnabled(configuration.body)) continue
      outcomes.push(verdict(cluster, sshReach(inventory, index, cluster)))
    }
    return outcomes
  },
})
