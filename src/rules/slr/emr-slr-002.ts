import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {accountResource, clusterResource, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import type {Cluster} from '../../inventory/schema.js'

export const SPOT_SLR_NAME = 'AWSServiceRoleForEC2Spot'
const SPOT_SLR_PATH = '/aws-service-role/spot.amazonaws.com/'

export function usesSpot(cluster: Cluster): boolean {
  return (
    (cluster.instanceGroups ?? []).some((group) => group.market === 'SPOT') ||
    (cluster.instanceFleets ?? []).some((fleet) => (fleet.targetSpotCapacity ?? 0) > 0)
  )
}

export default defineRule({
  id: 'EMR-SLR-002',
  group: 'SLR',
  title: 'Spot capacity has its service-linked role',
  severity: 'high',
  rationale: 'Spot requests fail without AWSServiceRoleForEC2Spot, and AmazonEMRServicePolicy_v2 (unlike the v1 policy) cannot create it.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-defaultroles.html',
  ],
  remediation: {summary: 'iam:CreateServiceLinkedRole(AWSServiceName="spot.amazonaws.com").', autoApply: 'yes'},
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'the Spot service-linked role',
  // Without Spot capacity it answers only about capacity it could not read.
  needsGlobalSourcesWhen: (inventory) => inventory.emr.clusters.some(usesSpot),
  reads: ['emr.instanceCapacity', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    const spotClusters = inventory.emr.clusters.filter(usesSpot)
    const unreadCapacity = inventory.emr.clusters.filter((cluster) => !cluster.instanceGroups && !cluster.instanceFleets)
    if (spotClusters.length === 0) {
      return unreadCapacity.map((cluster) => ({
        status: 'unknown' as const,
        resource: clusterResource(cluster),
        message: `Could not tell whether cluster ${cluster.id} uses Spot: its capacity could not be read.`,
      }))
    }
    const exists = inventory.iam.roles.some((role) => role.name === SPOT_SLR_NAME || role.path === SPOT_SLR_PATH)
    const clusterIds = spotClusters.map((cluster) => cluster.id)
    if (exists)
      return [{status: 'pass', resource: accountResource(inventory), message: `${SPOT_SLR_NAME} exists for the Spot capacity of ${clusterIds.join(', ')}.`}]
    const {partition, id: account} = inventory.account
    const outcomes: RuleOutcome[] = []
    for (const cluster of spotClusters) {
      const role = cluster.serviceRole ? index.roleByReference(cluster.serviceRole) : undefined
      const decision = role
        ? evaluateIdentityAccess(
            index.identityPolicies(role),
            {
              action: 'iam:CreateServiceLinkedRole',
              resource: `arn:${partition}:iam::${account}:role${SPOT_SLR_PATH}${SPOT_SLR_NAME}`,
              context: {'iam:AWSServiceName': ['spot.amazonaws.com']},
            },
            index.permissionsBoundary(role),
          ).decision
        : 'implicit-deny'
      const base = {resource: clusterResource(cluster), evidence: {serviceRole: cluster.serviceRole, canCreateSpotRole: decision}}
      if (decision === 'allow')
        outcomes.push({...base, status: 'pass', message: `Service role of cluster ${cluster.id} can create ${SPOT_SLR_NAME} when Spot needs it.`})
      else if (decision === 'unknown')
        outcomes.push({...base, status: 'unknown', message: `Could not decide whether the service role of cluster ${cluster.id} may create ${SPOT_SLR_NAME}.`})
      else
        outcomes.push({
          ...base,
          status: 'fail',
          message: `Cluster ${cluster.id} uses Spot, ${SPOT_SLR_NAME} does not exist and its service role cannot create it; create the service-linked role for spot.amazonaws.com.`,
        })
    }
    return outcomes
  },
})
