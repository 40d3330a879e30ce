import {instanceProfileNameFromReference} from '../../policy/match.js'
import {clusterResource} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-PROFILE-002',
  group: 'PROFILE',
  title: 'Cluster-referenced instance profile is non-empty and name-aligned',
  severity: 'critical',
  rationale: 'An empty or mismatched instance profile leaves cluster nodes without the credentials EMR expects.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
  ],
  remediation: {summary: 'iam:AddRoleToInstanceProfile with the same-name role (only when the profile is empty).', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  checks: 'the instance profiles of active clusters',
  reads: ['iam.authorizationDetails', 'iam.instanceProfiles'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const resource = clusterResource(cluster)
      if (!cluster.instanceProfile) {
        outcomes.push({status: 'unknown', resource, message: `Cluster ${cluster.id} reports no instance profile; its EC2 role cannot be checked.`})
        continue
      }
      const name = instanceProfileNameFromReference(cluster.instanceProfile)
      const profile = index.resolveInstanceProfile(cluster.instanceProfile)
      const evidence = {instanceProfile: cluster.instanceProfile}
      if (profile.status === 'unknown') {
        outcomes.push({status: 'unknown', resource, message: `Could not check instance profile ${name} of cluster ${cluster.id}: ${profile.reason}.`, evidence})
      } else if (profile.status === 'absent') {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Cluster ${cluster.id} uses instance profile ${name}, which does not exist; its nodes have no role credentials.`,
          evidence,
        })
      } else if (profile.roleNames.length === 0) {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Instance profile ${name} of cluster ${cluster.id} holds no role; add role ${name} to it.`,
          evidence: {...evidence, rolesInProfile: []},
        })
      } else if (profile.roleNames.length === 1 && profile.roleNames[0] === name) {
        outcomes.push({
          status: 'pass',
          resource,
          message: `Instance profile ${name} of cluster ${cluster.id} holds the role of the same name.`,
          evidence: {...evidence, rolesInProfile: profile.roleNames},
        })
      } else {
        outcomes.push({
          status: 'fail',
          resource,
          message: `Instance profile ${name} of cluster ${cluster.id} holds ${profile.roleNames.join(', ')}, not a role named ${name}; EMR requires the names to match.`,
          evidence: {...evidence, rolesInProfile: profile.roleNames},
        })
      }
    }
    return outcomes
  },
})
