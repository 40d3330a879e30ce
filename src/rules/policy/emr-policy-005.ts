import {V2_TAG_KEY} from '../../inventory/tags.js'
import {evaluateAll} from '../../policy/evaluate.js'
import {existingRolesOf, roleResource, roleSeverity, scopeFor, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

/** What launching and cleaning up a cluster needs, with the EC2 resource each action is asked about. */
const PROVISIONING: ReadonlyArray<{action: string; resource: string; createAction?: string}> = [
  {action: 'ec2:RunInstances', resource: 'instance/*', createAction: 'RunInstances'},
  {action: 'ec2:CreateFleet', resource: 'fleet/*', createAction: 'CreateFleet'},
  {action: 'ec2:CreateLaunchTemplate', resource: 'launch-template/*', createAction: 'CreateLaunchTemplate'},
  {action: 'ec2:CreateNetworkInterface', resource: 'network-interface/*', createAction: 'CreateNetworkInterface'},
  {action: 'ec2:TerminateInstances', resource: 'instance/*'},
  {action: 'ec2:DeleteNetworkInterface', resource: 'network-interface/*'},
  {action: 'ec2:DeleteLaunchTemplate', resource: 'launch-template/*'},
  {action: 'ec2:ModifyInstanceAttribute', resource: 'instance/*'},
]

export default defineRule({
  id: 'EMR-POLICY-005',
  group: 'POLICY',
  title: 'Service role can provision and clean up',
  severity: 'high',
  rationale: 'Missing create rights break launches; missing delete and terminate rights leave orphaned, billable EC2 resources.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html',
  ],
  remediation: {
    summary: 'Add the missing actions (iam:PutRolePolicy or iam:CreatePolicyVersion), or switch the role to AmazonEMRServicePolicy_v2.',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'service role provisioning rights',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    const {partition, id: account} = inventory.account
    return existingRolesOf(scope, ['SVC']).map(({role, reasons}): RuleOutcome => {
      const base = {resource: roleResource(role), scope: scopeFor(reasons, ['SVC']), severity: roleSeverity(reasons, ['SVC'], 'high')}
      const regions = [
        ...new Set(
          inventory.emr.clusters
            .filter((cluster) => cluster.serviceRole && index.roleByReference(cluster.serviceRole)?.name === role.name)
            .map((cluster) => cluster.region),
        ),
      ]
      const region = regions[0] ?? inventory.regions[0] ?? 'us-east-1'
      // EMR works on resources it tags with the v2 tag, and creates them with that tag in the request.
      const requests = PROVISIONING.map((entry) => ({
        action: entry.action,
        resource: `arn:${partition}:ec2:${region}:${account}:${entry.resource}`,
        context: {
          [`aws:ResourceTag/${V2_TAG_KEY}`]: ['true'],
          [`aws:RequestTag/${V2_TAG_KEY}`]: ['true'],
          'aws:TagKeys': [V2_TAG_KEY],
          'ec2:CreateAction': entry.createAction ? [entry.createAction] : [],
        },
      }))
      const {denied, undecided, unknownBecause, decisions} = evaluateAll(index.identityPolicies(role), requests, index.permissionsBoundary(role))
      const evidence = {decisions}
      if (denied.length > 0)
        return {
          ...base,
          status: 'fail',
          message: `Service role ${role.name} may not ${denied.join(', ')}; clusters fail to launch or leave resources behind.`,
          evidence,
        }
      if (undecided.length > 0)
        return {
          ...base,
          status: 'unknown',
          message: `Could not decide whether service role ${role.name} may ${undecided.join(', ')}: ${unknownBecause.join('; ')}.`,
          evidence,
        }
      return {...base, status: 'pass', message: `Service role ${role.name} can create, modify and clean up the EC2 resources EMR manages.`, evidence}
    })
  },
})
