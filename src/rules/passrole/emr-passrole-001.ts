import type {Inventory, Role} from '../../inventory/schema.js'
import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {roleNameFromReference} from '../../policy/match.js'
import {roleResource, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import type {InventoryIndex} from '../inventory-index.js'
import {defineRule, type RuleOutcome} from '../types.js'

interface Pair {
  service: Role
  target: Role
  passedTo: 'ec2.amazonaws.com' | 'application-autoscaling.amazonaws.com'
  usedBy: string[]
}

function pairsOf(inventory: Inventory, index: InventoryIndex, config: {serviceRoles?: string[]; ec2Roles?: string[]}): Pair[] {
  const pairs = new Map<string, Pair>()
  const add = (service: Role | undefined, target: Role | undefined, passedTo: Pair['passedTo'], usedBy: string): void => {
    if (!service || !target) return
    const key = `${service.name}|${target.name}|${passedTo}`
    const pair = pairs.get(key) ?? {service, target, passedTo, usedBy: []}
    pair.usedBy.push(usedBy)
    pairs.set(key, pair)
  }
  for (const cluster of inventory.emr.clusters) {
    const service = cluster.serviceRole ? index.roleByReference(cluster.serviceRole) : undefined
    const profile = cluster.instanceProfile ? index.resolveInstanceProfile(cluster.instanceProfile) : undefined
    for (const name of profile?.status === 'found' ? profile.roleNames : []) add(service, index.roleByName(name), 'ec2.amazonaws.com', `cluster ${cluster.id}`)
    if (cluster.autoScalingRole) add(service, index.roleByReference(cluster.autoScalingRole), 'application-autoscaling.amazonaws.com', `cluster ${cluster.id}`)
  }
  for (const serviceName of config.serviceRoles ?? []) {
    for (const ec2Name of config.ec2Roles ?? []) add(index.roleByReference(serviceName), index.roleByReference(ec2Name), 'ec2.amazonaws.com', 'configured pair')
  }
  return [...pairs.values()]
}

export default defineRule({
  id: 'EMR-PASSROLE-001',
  group: 'PASSROLE',
  title: "Service role can pass the cluster's EC2 role and Auto Scaling role",
  severity: 'critical',
  rationale:
    'AmazonEMRServicePolicy_v2 only passes EMR_EC2_DefaultRole and EMR_AutoScaling_DefaultRole; with custom names, scale-out and replacement nodes fail.',
  sources: [
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html',
  ],
  remediation: {
    summary:
      'iam:PutRolePolicy(RoleName=<service role>, PolicyName="emr-audit-passrole") allowing iam:PassRole on the exact role ARN with iam:PassedToService = ec2.amazonaws.com (or application-autoscaling.amazonaws.com).',
    autoApply: 'guarded',
  },
  autoApplyNote:
    "stricter than the catalog's yes: the grant is applied only for one explicit role of this account that already trusts the service it is passed to and has no administrator-like access (passing it hands that access to whatever the service runs); other roles are shown advisory.",
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'PassRole between EMR roles',
  reads: ['iam.instanceProfiles', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, config}) {
    return pairsOf(inventory, index, config).map((pair): RuleOutcome => {
      const result = evaluateIdentityAccess(
        index.identityPolicies(pair.service),
        {action: 'iam:PassRole', resource: pair.target.arn, context: {'iam:PassedToService': [pair.passedTo]}},
        index.permissionsBoundary(pair.service),
      )
      const inUse = pair.usedBy.some((use) => use.startsWith('cluster '))
      const base = {
        resource: roleResource(pair.service),
        subKey: `${roleNameFromReference(pair.target.arn)}@${pair.passedTo}`,
        severity: inUse ? ('critical' as const) : ('high' as const),
        evidence: {serviceRole: pair.service.arn, passedRole: pair.target.arn, passedToService: pair.passedTo, usedBy: pair.usedBy, decision: result.decision},
      }
      if (result.decision === 'allow')
        return {...base, status: 'pass', message: `Service role ${pair.service.name} may pass ${pair.target.name} to ${pair.passedTo}.`}
      if (result.decision === 'unknown')
        return {
          ...base,
          status: 'unknown',
          message: `Could not decide whether ${pair.service.name} may pass ${pair.target.name}: ${result.unknownBecause.join('; ')}.`,
        }
      return {
        ...base,
        status: 'fail',
        message: `Service role ${pair.service.name} may not pass ${pair.target.name} to ${pair.passedTo} (${pair.usedBy.join(', ')}); add a scoped iam:PassRole statement for it.`,
      }
    })
  },
})
