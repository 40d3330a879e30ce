import {clusterResource} from '../helpers.js'
import {clusterSecurityGroupIds, coversAllPorts, findSecurityGroup, isWorldOpen, portLabel} from '../network.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-CLUSTER-002',
  group: 'CLUSTER',
  title: 'Running clusters have no world-open ingress',
  severity: 'critical',
  rationale: 'Block public access is checked only at launch; a security group opened to 0.0.0.0/0 or ::/0 afterwards exposes the running cluster.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html'],
  remediation: {summary: 'ec2:RevokeSecurityGroupIngress for the world-open rules.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  checks: 'the security groups of active clusters',
  reads: ['ec2.securityGroups'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const resource = clusterResource(cluster)
      const open: Array<{group: string; ports: string; allPorts: boolean}> = []
      const unreadable: string[] = []
      for (const id of clusterSecurityGroupIds(cluster)) {
        const group = findSecurityGroup(inventory, index, id, cluster.region)
        if (group.status !== 'found') {
          unreadable.push(id)
          continue
        }
        for (const rule of group.value.ingress.filter(isWorldOpen)) open.push({group: id, ports: portLabel(rule), allPorts: coversAllPorts(rule)})
      }
      if (open.length > 0) {
        outcomes.push({
          status: 'fail',
          resource,
          severity: open.some((entry) => entry.allPorts) ? 'critical' : 'high',
          message: `Cluster ${cluster.id} is open to the internet on ${open.map((entry) => `${entry.ports} (${entry.group})`).join(', ')}; revoke those ingress rules.`,
          evidence: {worldOpen: open},
        })
      } else if (unreadable.length > 0) {
        outcomes.push({status: 'unknown', resource, message: `Could not read security groups ${unreadable.join(', ')} of cluster ${cluster.id}.`})
      } else {
        outcomes.push({
          status: 'pass',
          resource,
          severity: 'high',
          message: `No security group of cluster ${cluster.id} allows ingress from 0.0.0.0/0 or ::/0.`,
        })
      }
    }
    return outcomes
  },
})
