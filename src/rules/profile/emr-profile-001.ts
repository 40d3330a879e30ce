import {existingRolesOf, roleResource, scopeFor} from '../helpers.js'
import {strongestVia, ROLE_SCOPE_SOURCES} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-PROFILE-001',
  group: 'PROFILE',
  title: "An instance profile with exactly the EC2 role's name exists and holds that role",
  severity: 'critical',
  rationale: 'EC2 allows instance profiles and roles with different names, but EMR does not: it rejects the cluster with "invalid instance profile".',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html',
  ],
  remediation: {
    summary: 'iam:CreateInstanceProfile(InstanceProfileName=<role>) then iam:AddRoleToInstanceProfile(InstanceProfileName=<role>, RoleName=<role>).',
    autoApply: 'guarded',
  },
  dependsOn: ['iam.authorizationDetails'],
  checks: 'instance profiles of EC2 roles',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {index, scope}) {
    const outcomes: RuleOutcome[] = []
    for (const {role, reasons} of existingRolesOf(scope, ['EC2'])) {
      // Critical where a cluster or the user names the role; "high for default/heuristic roles".
      const via = strongestVia(reasons, 'EC2')
      const severity = via === 'reference' || via === 'config' ? 'critical' : 'high'
      const base = {resource: roleResource(role), scope: scopeFor(reasons, ['EC2']), severity} as const
      const otherProfiles = role.instanceProfiles.filter((profile) => profile.name !== role.name).map((profile) => profile.name)
      const profile = index.resolveInstanceProfile(role.name)
      if (profile.status === 'unknown') {
        outcomes.push({...base, status: 'unknown', message: `Could not check for an instance profile named ${role.name}: ${profile.reason}.`})
      } else if (profile.status === 'absent') {
        outcomes.push({
          ...base,
          status: 'fail',
          message: `EC2 role ${role.name} has no instance profile of the same name${otherProfiles.length ? ` (only ${otherProfiles.join(', ')})` : ''}; create profile ${role.name} holding it.`,
          evidence: {expectedProfile: role.name, profilesHoldingRole: otherProfiles, guard: {profileNamedLikeRoleExists: false}},
        })
      } else if (profile.roleNames.length === 1 && profile.roleNames[0] === role.name) {
        outcomes.push({...base, status: 'pass', message: `Instance profile ${role.name} holds role ${role.name}.`, evidence: {profile: profile.arn}})
      } else {
        const held = profile.roleNames.length === 0 ? 'is empty' : `holds ${profile.roleNames.join(', ')}`
        outcomes.push({
          ...base,
          status: 'fail',
          message: `Instance profile ${role.name} ${held}, not role ${role.name}; put role ${role.name} in it (check first which instances use the profile).`,
          evidence: {profile: profile.arn, rolesInProfile: profile.roleNames, guard: {profileNamedLikeRoleExists: true}},
        })
      }
    }
    return outcomes
  },
})
