import {clusterResource} from '../helpers.js'
import {findSubnet} from '../network.js'
import {securityHubControl} from '../compliance.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-CLUSTER-004',
  group: 'CLUSTER',
  title: 'Primary nodes have no public IP address',
  severity: 'high',
  rationale: 'A primary node reachable from the internet exposes cluster web UIs and APIs (AWS Security Hub EMR.1).',
  sources: [
    'https://docs.aws.amazon.com/securityhub/latest/userguide/emr-controls.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/emr-master-no-public-ip.html',
  ],
  compliance: securityHubControl('EMR.1'),
  remediation: {summary: "Relaunch the cluster in a private subnet; a running cluster's addressing cannot be changed.", autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  checks: 'the primary node addresses',
  reads: ['emr.instances', 'ec2.subnets'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const resource = clusterResource(cluster)
      if (cluster.primaryInstances && cluster.primaryInstances.length > 0) {
        const public_ = cluster.primaryInstances.filter((instance) => instance.publicIpAddress)
        outcomes.push(
          public_.length > 0
            ? {
                status: 'fail',
                resource,
                message: `Primary node ${public_.map((instance) => `${instance.id} (${instance.publicIpAddress})`).join(', ')} of cluster ${cluster.id} has a public IP address; relaunch in a private subnet.`,
                evidence: {evidence: 'elasticmapreduce:ListInstances', primaryInstances: cluster.primaryInstances},
              }
            : {
                status: 'pass',
                resource,
                message: `Primary nodes of cluster ${cluster.id} have no public IP address.`,
                evidence: {evidence: 'elasticmapreduce:ListInstances'},
              },
        )
        continue
      }
      // Instances could not be listed: the subnet's auto-assign setting is the next best evidence.
      const subnet = cluster.subnetId ? findSubnet(inventory, index, cluster.subnetId, cluster.region) : undefined
      if (subnet?.status === 'found' && subnet.value.mapPublicIpOnLaunch !== undefined) {
        const evidence = {
          evidence: 'subnet MapPublicIpOnLaunch (instances could not be listed)',
          subnet: subnet.value.id,
          mapPublicIpOnLaunch: subnet.value.mapPublicIpOnLaunch,
        }
        outcomes.push(
          subnet.value.mapPublicIpOnLaunch
            ? {
                status: 'fail',
                resource,
                message: `Cluster ${cluster.id} runs in subnet ${subnet.value.id}, which assigns public IP addresses at launch; its primary node is likely public.`,
                evidence,
              }
            : {status: 'pass', resource, message: `Cluster ${cluster.id} runs in subnet ${subnet.value.id}, which assigns no public IP addresses.`, evidence},
        )
      } else {
        outcomes.push({
          status: 'unknown',
          resource,
          message: `Could not tell whether the primary node of cluster ${cluster.id} is public: its instances and its subnet could not be read.`,
        })
      }
    }
    return outcomes
  },
})
