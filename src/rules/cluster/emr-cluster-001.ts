import {accountResource, clusterResource} from '../helpers.js'
import {clusterSecurityGroupIds, findSecurityGroup, refusedByBpa} from '../network.js'
import {securityHubControl} from '../compliance.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-CLUSTER-001',
  group: 'CLUSTER',
  title: 'Block public access is on in every scanned region',
  severity: 'high',
  rationale: 'Without block public access, clusters in public subnets can launch with world-open ports (AWS Security Hub EMR.2).',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-block-public-access.html',
    'https://docs.aws.amazon.com/emr/latest/APIReference/API_GetBlockPublicAccessConfiguration.html',
  ],
  compliance: securityHubControl('EMR.2'),
  remediation: {
    summary:
      'elasticmapreduce:PutBlockPublicAccessConfiguration with BlockPublicSecurityGroupRules=true, resending the existing PermittedPublicSecurityGroupRuleRanges (the call replaces the whole configuration).',
    autoApply: 'guarded',
  },
  reads: ['emr.blockPublicAccess', 'emr.clusters', 'ec2.securityGroups'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const region of inventory.regions) {
      const resource = accountResource(inventory, region)
      const bpa = inventory.emr.blockPublicAccess.find((entry) => entry.region === region)
      if (!bpa || !index.collected('emr.blockPublicAccess', region)) {
        outcomes.push({
          status: 'unknown',
          resource,
          subKey: region,
          message: `Could not read block public access in ${region} (elasticmapreduce:GetBlockPublicAccessConfiguration).`,
        })
        continue
      }
      if (bpa.blockPublicSecurityGroupRules === undefined) {
        outcomes.push({status: 'unknown', resource, subKey: region, message: `Block public access in ${region} came back empty; its state cannot be told.`})
        continue
      }
      const beyondSsh = bpa.permittedRanges.filter((range) => range.min !== 22 || (range.max ?? 22) !== 22)
      // Guard for applying the fix: no active cluster here relies on a public port BPA would now refuse.
      const exposedClusters = inventory.emr.clusters
        .filter((cluster) => cluster.region === region)
        .filter((cluster) =>
          clusterSecurityGroupIds(cluster).some((id) => {
            const group = findSecurityGroup(inventory, index, id, region)
            return group.status === 'found' && group.value.ingress.some((rule) => refusedByBpa(rule, bpa))
          }),
        )
        .map((cluster) => clusterResource(cluster).id)
      const evidence = {
        blockPublicSecurityGroupRules: bpa.blockPublicSecurityGroupRules,
        permittedRanges: bpa.permittedRanges,
        guard: {activeClustersWithPublicIngress: exposedClusters},
      }
      if (!bpa.blockPublicSecurityGroupRules) {
        outcomes.push({
          status: 'fail',
          resource,
          subKey: region,
          message: `Block public access is off in ${region}; turn it on so clusters cannot launch with world-open ports.`,
          evidence,
        })
      } else if (beyondSsh.length > 0) {
        const ranges = beyondSsh.map((range) => (range.max === undefined || range.max === range.min ? `${range.min}` : `${range.min}-${range.max}`))
        outcomes.push({
          status: 'fail',
          resource,
          subKey: region,
          message: `Block public access in ${region} permits public ports beyond 22 (${ranges.join(', ')}); remove those exceptions.`,
          evidence,
        })
      } else {
        const note = bpa.permittedRanges.length > 0 ? ' (port 22 is permitted as an exception)' : ''
        outcomes.push({status: 'pass', resource, subKey: region, message: `Block public access is on in ${region}${note}.`, evidence})
      }
    }
    return outcomes
  },
})
