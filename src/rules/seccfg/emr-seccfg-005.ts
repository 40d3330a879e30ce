import {at, configurationOf} from '../../inventory/security-configuration.js'
import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {isPlainObject, statementsOf} from '../../policy/document.js'
import {parseArn, statementCoversAction} from '../../policy/match.js'
import {awsPrincipalsOf} from '../../policy/trust.js'
import {clusterResource, ec2RolesOf, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {defineRule, type RuleOutcome} from '../types.js'

const IDENTIFIER_TYPES = ['User', 'Group', 'Prefix']

export default defineRule({
  id: 'EMR-SECCFG-005',
  group: 'SECCFG',
  title: 'EMRFS role mappings point to assumable roles',
  severity: 'high',
  rationale:
    'Mapped S3 requests fail with AccessDenied, or silently fall back to the broader instance role, when a mapping names a role the EC2 role cannot assume.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-emrfs-iam-roles.html',
  ],
  remediation: {
    summary:
      'Let the mapped role trust the cluster EC2 role (iam:UpdateAssumeRolePolicy) and allow the EC2 role sts:AssumeRole on it (iam:PutRolePolicy, explicit ARNs only).',
    autoApply: 'no',
  },
  autoApplyNote:
    "stricter than the catalog's guarded for the identity side: the mapped role comes from a security configuration, which is no proof that the EC2 role should assume it, and granting sts:AssumeRole on it would hand the EC2 role that role's access; the trust side is advisory in the catalog too.",
  decidesAccess: true,
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations', 'iam.instanceProfiles', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    for (const cluster of inventory.emr.clusters) {
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status !== 'found') continue
      const mappings = at(configuration.body, 'AuthorizationConfiguration', 'EmrFsConfiguration', 'RoleMappings')
      if (!Array.isArray(mappings)) continue
      const ec2Roles = ec2RolesOf(cluster, index)
      mappings.forEach((mapping, position) => {
        const roleArn = isPlainObject(mapping) && typeof mapping['Role'] === 'string' ? mapping['Role'] : ''
        const base = {resource: clusterResource(cluster), subKey: roleArn || `mapping-${position}`}
        const type = isPlainObject(mapping) ? mapping['IdentifierType'] : undefined
        const identifiers = isPlainObject(mapping) && Array.isArray(mapping['Identifiers']) ? mapping['Identifiers'] : []
        const problems: string[] = []
        const arn = parseArn(roleArn)
        if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/')) problems.push(`"${roleArn}" is not a role ARN`)
        if (typeof type !== 'string' || !IDENTIFIER_TYPES.includes(type))
          problems.push(`IdentifierType ${JSON.stringify(type ?? null)} is not User, Group or Prefix`)
        if (type === 'Prefix' && identifiers.some((identifier) => typeof identifier !== 'string' || !identifier.startsWith('s3://')))
          problems.push('Prefix identifiers must start with s3://')
        let unsure = false
        if (arn && arn.account === inventory.account.id && problems.length === 0) {
          const role = index.roleByReference(roleArn)
          if (!role) problems.push(`role ${roleArn} does not exist`)
          for (const ec2 of role ? ec2Roles : []) {
            const trusts = statementsOf(role?.trustPolicy ?? null).some(
              (statement) =>
                statement.effect === 'Allow' &&
                statementCoversAction(statement, 'sts:AssumeRole') &&
                awsPrincipalsOf(statement).some(
                  (principal) =>
                    principal === ec2.arn ||
                    principal === `arn:${inventory.account.partition}:iam::${inventory.account.id}:root` ||
                    principal === inventory.account.id,
                ),
            )
            if (!trusts) problems.push(`${role?.name} does not trust EC2 role ${ec2.name}`)
            const decision = evaluateIdentityAccess(
              index.identityPolicies(ec2),
              {action: 'sts:AssumeRole', resource: roleArn},
              index.permissionsBoundary(ec2),
            ).decision
            if (decision === 'implicit-deny' || decision === 'explicit-deny') problems.push(`EC2 role ${ec2.name} may not sts:AssumeRole on it`)
            if (decision === 'unknown') unsure = true
          }
        }
        const evidence = {
          role: roleArn,
          identifierType: type ?? null,
          ec2Roles: ec2Roles.map((role) => role.arn),
          note: 'requests no mapping matches fall back to the EC2 role (see EMR-POLICY-002)',
        }
        if (problems.length > 0)
          outcomes.push({
            ...base,
            status: 'fail',
            message: `EMRFS mapping to ${roleArn || `entry ${position}`} on cluster ${cluster.id} is broken: ${problems.join('; ')}.`,
            evidence,
          })
        else if (arn && arn.account !== inventory.account.id)
          outcomes.push({
            ...base,
            status: 'unknown',
            severity: 'info',
            message: `EMRFS role ${roleArn} is in account ${arn.account}; its trust is not verifiable from here.`,
            evidence,
          })
        else if (unsure)
          outcomes.push({
            ...base,
            status: 'unknown',
            message: `Could not decide whether the EC2 role of cluster ${cluster.id} may assume ${roleArn}.`,
            evidence,
          })
        else outcomes.push({...base, status: 'pass', message: `EMRFS role ${roleArn} can be assumed by the EC2 role of cluster ${cluster.id}.`, evidence})
      })
    }
    return outcomes
  },
})
