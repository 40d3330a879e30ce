import {evaluateAll} from '../../policy/evaluate.js'
import {roleNameFromReference} from '../../policy/match.js'
import {roleResource, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {runtimePairs} from './pairing.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

export default defineRule({
  id: 'EMR-RUNTIME-002',
  group: 'RUNTIME',
  title: 'EC2 role may assume and tag each runtime role',
  severity: 'high',
  rationale: 'Steps fail to start when the instance-profile role may not sts:AssumeRole and sts:TagSession on the runtime role.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html'],
  remediation: {
    summary:
      'iam:PutRolePolicy(RoleName=<EC2 role>, PolicyName="emr-audit-runtime-roles") with sts:AssumeRole and sts:TagSession on the explicit runtime role ARNs.',
    autoApply: 'guarded',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'EC2 role rights on runtime roles',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope, config}) {
    const configured = new Set((config.runtimeRoles ?? []).map(roleNameFromReference))
    return runtimePairs(inventory, index, scope).pairs.map((pair): RuleOutcome => {
      const runtimeArn = pair.runtime?.arn ?? pair.runtimeReference
      // Fix guard: only runtime roles steps were seen using, or that the user named, are granted automatically.
      const observedOrConfigured = pair.observed || configured.has(roleNameFromReference(runtimeArn))
      const {denied: missing, undecided} = evaluateAll(
        index.identityPolicies(pair.ec2Role),
        ['sts:AssumeRole', 'sts:TagSession'].map((action) => ({action, resource: runtimeArn})),
        index.permissionsBoundary(pair.ec2Role),
      )
      const base = {
        resource: roleResource(pair.ec2Role),
        subKey: roleNameFromReference(runtimeArn),
        evidence: {
          runtimeRole: runtimeArn,
          clusters: pair.clusters.map((entry) => entry.cluster.id),
          observedInSteps: pair.observed,
          guard: {explicitRuntimeRoleArn: !runtimeArn.includes('*'), observedOrConfigured},
        },
      }
      if (missing.length > 0)
        return {
          ...base,
          status: 'fail',
          message: `EC2 role ${pair.ec2Role.name} may not ${missing.join(' or ')} on runtime role ${roleNameFromReference(runtimeArn)}; steps using it fail to start.`,
        }
      if (undecided.length > 0)
        return {
          ...base,
          status: 'unknown',
          message: `Could not decide whether EC2 role ${pair.ec2Role.name} may assume and tag ${roleNameFromReference(runtimeArn)}.`,
        }
      return {...base, status: 'pass', message: `EC2 role ${pair.ec2Role.name} may assume and tag runtime role ${roleNameFromReference(runtimeArn)}.`}
    })
  },
})
