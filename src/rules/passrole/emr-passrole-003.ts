import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {existingRolesOf, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {principalsOf} from '../principals.js'
import {strongestVia, ROLE_SCOPE_SOURCES} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {V2_TAG_KEY} from '../../inventory/tags.js'

const LAUNCH_CONTEXT = {[`aws:RequestTag/${V2_TAG_KEY}`]: ['true'], 'aws:TagKeys': [V2_TAG_KEY]}

export default defineRule({
  id: 'EMR-PASSROLE-003',
  group: 'PASSROLE',
  title: 'Cluster launchers can pass the roles they actually use',
  severity: 'medium',
  rationale:
    'A principal allowed to launch clusters but not to pass their roles gets "not authorized to perform iam:PassRole" — typically AmazonEMRFullAccessPolicy_v2 (passes EMR_DefaultRole_V2) with clusters on EMR_DefaultRole.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRFullAccessPolicy_v2.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-defaultroles.html',
  ],
  remediation: {summary: 'Add a scoped iam:PassRole statement for the principal on the roles its clusters use.', autoApply: 'no'},
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'PassRole of cluster launchers',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    // Roles in use: referenced by active clusters.
    const inUse = [
      ...existingRolesOf(scope, ['SVC'])
        .filter((entry) => strongestVia(entry.reasons, 'SVC') === 'reference')
        .map((entry) => ({role: entry.role, passedTo: 'elasticmapreduce.amazonaws.com'})),
      ...existingRolesOf(scope, ['EC2'])
        .filter((entry) => strongestVia(entry.reasons, 'EC2') === 'reference')
        .map((entry) => ({role: entry.role, passedTo: 'ec2.amazonaws.com'})),
    ]
    if (inUse.length === 0) return []
    const outcomes: RuleOutcome[] = []
    // A group's members may hold PassRole through their own policies: launchers are judged as users and roles.
    for (const principal of principalsOf(inventory, index, scope).filter((entry) => entry.kind !== 'group')) {
      // The v2 full-access policy lets principals launch only clusters tagged with the v2 tag; launch as they would.
      const launch = evaluateIdentityAccess(
        principal.policies,
        {action: 'elasticmapreduce:RunJobFlow', resource: '*', context: LAUNCH_CONTEXT},
        principal.boundary,
      )
      if (launch.decision !== 'allow') continue
      const results = inUse.map((entry) => ({
        ...entry,
        decision: evaluateIdentityAccess(
          principal.policies,
          {action: 'iam:PassRole', resource: entry.role.arn, context: {'iam:PassedToService': [entry.passedTo]}},
          principal.boundary,
        ).decision,
      }))
      const cannot = results.filter((entry) => entry.decision === 'implicit-deny' || entry.decision === 'explicit-deny').map((entry) => entry.role.name)
      const unsure = results.filter((entry) => entry.decision === 'unknown').map((entry) => entry.role.name)
      const evidence = {passRole: Object.fromEntries(results.map((entry) => [entry.role.name, entry.decision]))}
      if (cannot.length > 0)
        outcomes.push({
          status: 'fail',
          resource: principal.resource,
          message: `${principal.kind} ${principal.name} may launch clusters but not pass ${cannot.join(', ')}; its launches with those roles fail.`,
          evidence,
        })
      else if (unsure.length > 0)
        outcomes.push({
          status: 'unknown',
          resource: principal.resource,
          message: `Could not decide whether ${principal.name} may pass ${unsure.join(', ')}.`,
          evidence,
        })
      else
        outcomes.push({
          status: 'pass',
          resource: principal.resource,
          message: `${principal.kind} ${principal.name} may launch clusters and pass the roles they use.`,
          evidence,
        })
    }
    return outcomes
  },
})
