/**
 * EMR-PROFILE-001: an instance profile named exactly like the EC2 role, holding it. Guarded: only when no
 * profile of that name exists; changing an existing profile's role affects whatever uses it, so that case
 * is shown for a person to decide.
 */
import {type Declined, defineRemediation, type Proposal, SERVICE_LINKED_PATH_PREFIX} from './types.js'

export default defineRemediation({
  ruleIds: ['EMR-PROFILE-001'],
  changes: [
    {
      kind: 'instance-profile',
      // Removing and adding back a role: only in the advisory change that would replace a profile's role.
      writes: ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
      inverse: ['iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:AddRoleToInstanceProfile'],
    },
  ],
  plan(findings, {index}) {
    const proposals: Proposal[] = []
    const declined: Declined[] = []
    for (const finding of findings) {
      const role = index.roleByReference(finding.resource.arn ?? finding.resource.id)
      const profile = role ? index.resolveInstanceProfile(role.name) : undefined
      if (!role || !profile || profile.status === 'unknown') {
        declined.push({fingerprint: finding.fingerprint, why: 'whether a profile of that name exists could not be read'})
        continue
      }
      const base = {
        region: 'global',
        target: {type: 'iam-instance-profile' as const, id: role.name, name: role.name, arn: role.arn.replace(/:role\//, ':instance-profile/')},
        ruleIds: ['EMR-PROFILE-001'],
        findings: [finding.fingerprint],
      }
      const refusal = role.path.startsWith(SERVICE_LINKED_PATH_PREFIX) ? {refusal: `${role.name} is a service-linked role`} : {}
      if (profile.status === 'absent') {
        proposals.push({
          ...base,
          kind: 'instance-profile',
          summary: `Create instance profile ${role.name} holding role ${role.name}`,
          before: {kind: 'instance-profile', exists: false, roles: []},
          after: {kind: 'instance-profile', exists: true, roles: [role.name]},
          guards: [{name: 'noProfileNamedLikeRole', held: true, detail: `no instance profile is named ${role.name}`}],
          ...refusal,
        })
        continue
      }
      proposals.push({
        ...base,
        kind: 'instance-profile',
        summary: `Put role ${role.name} into instance profile ${role.name}${profile.roleNames.length ? ` (replacing ${profile.roleNames.join(', ')})` : ''}`,
        before: {kind: 'instance-profile', exists: true, roles: profile.roleNames},
        after: {kind: 'instance-profile', exists: true, roles: [role.name]},
        guards: [
          {
            name: 'noProfileNamedLikeRole',
            held: false,
            detail: `instance profile ${role.name} exists${profile.roleNames.length ? ` holding ${profile.roleNames.join(', ')}` : ' (empty)'}; instances using it would change role`,
          },
        ],
        ...refusal,
      })
    }
    return {proposals, declined}
  },
})
