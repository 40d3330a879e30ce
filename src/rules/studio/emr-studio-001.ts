import {parseArn, roleNameFromReference} from '../../policy/match.js'
import {describeStatement, emrPrincipals, serviceTrust} from '../../policy/trust.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {studioResource} from './studio-helpers.js'

export default defineRule({
  id: 'EMR-STUDIO-001',
  group: 'STUDIO',
  title: 'Studio service role exists and trusts the EMR principal',
  severity: 'critical',
  rationale: 'Without it, Workspaces cannot attach to clusters, store notebooks or use Git.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html'],
  remediation: {summary: 'Recreate the role, or fix its trust with iam:UpdateAssumeRolePolicy (guarded as EMR-TRUST-002).', autoApply: 'no'},
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'Studio service roles',
  needsGlobalSourcesWhen: (inventory) => inventory.emr.studios.length > 0,
  reads: ['emr.studios'],
  evaluate(inventory, {index}) {
    if (inventory.emr.studios.length === 0) return []
    return inventory.emr.studios.map((studio): RuleOutcome => {
      const resource = studioResource(studio)
      if (!studio.serviceRole)
        return {status: 'unknown', resource, message: `Studio ${studio.id} names no service role${studio.origin === 'config' ? ' in the config' : ''}.`}
      const name = roleNameFromReference(studio.serviceRole)
      const owner = parseArn(studio.serviceRole)?.account
      if (owner && owner !== inventory.account.id)
        return {
          status: 'fail',
          resource,
          message: `Studio ${studio.id} uses service role ${studio.serviceRole} from account ${owner}; it must be in the Studio's account.`,
        }
      const role = index.roleByReference(studio.serviceRole)
      if (!role)
        return {
          status: 'fail',
          resource,
          message: `Studio ${studio.id} uses service role ${name}, which does not exist.`,
          evidence: {serviceRole: studio.serviceRole},
        }
      const trust = serviceTrust(role.trustPolicy, emrPrincipals(inventory.account.partition))
      const evidence = {serviceRole: role.arn, allowing: trust.allowing.map(describeStatement)}
      return trust.trusted
        ? {status: 'pass', resource, message: `Studio ${studio.id}'s service role ${role.name} exists and trusts EMR.`, evidence}
        : {status: 'fail', resource, message: `Studio ${studio.id}'s service role ${role.name} does not trust elasticmapreduce.amazonaws.com.`, evidence}
    })
  },
})
