import {at} from '../../inventory/security-configuration.js'
import {statementsOf} from '../../policy/document.js'
import {parseArn, roleNameFromReference, statementCoversAction} from '../../policy/match.js'
import {awsPrincipalsOf} from '../../policy/trust.js'
import {roleResource} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {isAccountRoot, runtimeClusters, runtimePairs} from './pairing.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

export default defineRule({
  id: 'EMR-RUNTIME-003',
  group: 'RUNTIME',
  title: "Runtime role trust allows the cluster's EC2 role",
  severity: 'high',
  rationale: 'AssumeRole is denied at step start unless the runtime role trusts the exact EC2 role ARN (and, with Lake Formation, lets it tag the session).',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-lf-enable.html',
  ],
  remediation: {
    summary: 'iam:UpdateAssumeRolePolicy appending a statement that allows the EC2 role ARN sts:AssumeRole (and sts:TagSession with Lake Formation).',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails', 'emr.clusters'],
  checks: 'runtime role trust',
  reads: [...ROLE_SCOPE_SOURCES],
  evaluate(inventory, {index, scope}) {
    const account = inventory.account.id
    const {pairs, unpaired} = runtimePairs(inventory, index, scope)
    const outcomes: RuleOutcome[] = []
    for (const pair of pairs) {
      const name = roleNameFromReference(pair.runtimeReference)
      const owner = parseArn(pair.runtimeReference)?.account
      const base = {subKey: pair.ec2Role.name, evidence: {ec2Role: pair.ec2Role.arn, clusters: pair.clusters.map((entry) => entry.cluster.id)}}
      if (!pair.runtime) {
        const foreign = owner !== undefined && owner !== account
        outcomes.push({
          ...base,
          resource: {type: 'iam-role', id: name, arn: pair.runtimeReference, name},
          ...(foreign
            ? {
                status: 'unknown' as const,
                severity: 'info' as const,
                message: `Runtime role ${pair.runtimeReference} is in account ${owner}; its trust is not verifiable from this account.`,
              }
            : {
                status: 'fail' as const,
                message: `Runtime role ${name}, used on ${pair.clusters.map((entry) => entry.cluster.id).join(', ')}, does not exist.`,
              }),
        })
        continue
      }
      const lakeFormation = pair.clusters.some((entry) => at(entry.body, 'AuthorizationConfiguration', 'LakeFormationConfiguration') !== undefined)
      const allows = (action: string) =>
        statementsOf(pair.runtime?.trustPolicy ?? null).filter((statement) => statement.effect === 'Allow' && statementCoversAction(statement, action))
      const exact = (action: string) => allows(action).some((statement) => awsPrincipalsOf(statement).includes(pair.ec2Role.arn))
      const root = (action: string) => allows(action).some((statement) => awsPrincipalsOf(statement).some((principal) => isAccountRoot(principal, account)))
      const resource = roleResource(pair.runtime)
      const missing = [
        ...(exact('sts:AssumeRole') || root('sts:AssumeRole') ? [] : ['sts:AssumeRole']),
        ...(lakeFormation && !exact('sts:TagSession') && !root('sts:TagSession') ? ['sts:TagSession (Lake Formation)'] : []),
      ]
      if (missing.length > 0)
        outcomes.push({
          ...base,
          resource,
          status: 'fail',
          message: `Runtime role ${pair.runtime.name} does not trust EC2 role ${pair.ec2Role.arn} for ${missing.join(' and ')}; steps using it are denied.`,
        })
      else if (!exact('sts:AssumeRole'))
        outcomes.push({
          ...base,
          resource,
          status: 'pass',
          severity: 'low',
          message: `Runtime role ${pair.runtime.name} trusts the whole account, broader than the EC2 role ${pair.ec2Role.name} it needs.`,
        })
      else outcomes.push({...base, resource, status: 'pass', message: `Runtime role ${pair.runtime.name} trusts EC2 role ${pair.ec2Role.name}.`})
    }
    // A configured runtime role that pairs with nothing fails once, where runtime-role clusters exist at all.
    if (runtimeClusters(inventory, index).length > 0) {
      for (const entry of unpaired) {
        const name = roleNameFromReference(entry.reference)
        outcomes.push({
          resource: entry.runtime ? roleResource(entry.runtime) : {type: 'iam-role', id: name, name},
          status: 'fail',
          message: entry.runtime
            ? `Configured runtime role ${name} trusts no EC2 role of a runtime-role cluster; no step can use it.`
            : `Configured runtime role ${name} does not exist.`,
          evidence: {trustedPrincipals: entry.runtime ? statementsOf(entry.runtime.trustPolicy).flatMap(awsPrincipalsOf) : []},
        })
      }
    }
    return outcomes
  },
})
