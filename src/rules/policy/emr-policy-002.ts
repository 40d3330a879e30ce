import {type PolicySource, evaluateIdentityAccess} from '../../policy/evaluate.js'
import {existingRolesOf, openEndedAllows, openEndedByPattern, roleResource, roleSeverity, scopeFor, IDENTITY_POLICY_SOURCES} from '../helpers.js'
import {awsManagedArn} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {ROLE_SCOPE_SOURCES} from '../scope.js'

/**
 * Per data service (and scanned region): every resource of it (the universe a grant must cover to count as
 * account-wide) and one sample inside it for the evaluator, which still decides Denies, boundary and conditions.
 */
function dataServices(partition: string, account: string, regions: readonly string[]) {
  // Names are never empty (buckets and tables have at least three characters): `?*` or `???*` reaches them all.
  const regional = (service: string, resource: string, name = '?*') =>
    regions.map((region) => ({
      service,
      universe: `arn:${partition}:${service}:${region}:${account}:${resource}${name}`,
      sample: `arn:${partition}:${service}:${region}:${account}:${resource}emr-audit-sample`,
    }))
  return [
    {service: 's3', universe: `arn:${partition}:s3:::???*`, sample: `arn:${partition}:s3:::emr-audit-sample-bucket/any-key`},
    ...regional('dynamodb', 'table/', '???*'),
    ...regional('sqs', ''),
    ...regional('sns', ''),
    ...regional('kinesis', 'stream/'),
  ]
}

type Breadth = 'account-wide' | 'unsure' | 'narrow'

function breadth(policies: readonly PolicySource[], boundary: PolicySource | undefined, service: {service: string; universe: string; sample: string}): Breadth {
  const sampleAction = `${service.service}:EmrAuditSampleAction`
  if (openEndedByPattern(policies, boundary, sampleAction, [service.universe], `${service.service}:?*`).length > 0) return 'account-wide'
  const result = evaluateIdentityAccess(policies, {action: `${service.service}:EmrAuditSampleAction`, resource: service.sample}, boundary)
  if (result.decision !== 'allow' && result.decision !== 'unknown') return 'narrow'
  const open = openEndedAllows(result.allowedBy, policies, [service.universe], `${service.service}:?*`)
  // An allow of the sample is no proof of reach: by pattern, no grant reaches every resource past the boundary
  // and every Deny, so a boundary scoped to names the sample happens to match (`emr-*`) may cap it.
  return open.length > 0 || (result.decision === 'unknown' && result.allowedBy.length === 0) ? 'unsure' : 'narrow'
}

export default defineRule({
  id: 'EMR-POLICY-002',
  group: 'POLICY',
  title: 'EC2 role uses AmazonElasticMapReduceforEC2Role or equivalent account-wide data grants',
  severity: 'high',
  rationale: 'Any code on the cluster gets read/write to every bucket and table in the account; EMRFS falls back to this role when no role mapping matches.',
  sources: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-for-ec2.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-emrfs-iam-roles.html',
  ],
  remediation: {
    summary:
      'Attach a customer managed policy scoped to the buckets and tables the cluster uses, then detach the broad policy (iam:AttachRolePolicy, iam:DetachRolePolicy).',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'EC2 role data access',
  reads: [...ROLE_SCOPE_SOURCES, ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index, scope}) {
    const {partition, id: account} = inventory.account
    const v1 = awsManagedArn(partition, 'AmazonElasticMapReduceforEC2Role', '/service-role/')
    return existingRolesOf(scope, ['EC2']).map(({role, reasons}): RuleOutcome => {
      const base = {resource: roleResource(role), scope: scopeFor(reasons, ['EC2']), severity: roleSeverity(reasons, ['EC2'], 'high')}
      const usesV1 = role.attachedPolicies.some((policy) => policy.arn === v1)
      const broad: string[] = []
      const unsure: string[] = []
      const answers = dataServices(partition, account, inventory.regions).map((service) => ({
        service: service.service,
        answer: breadth(index.identityPolicies(role), index.permissionsBoundary(role), service),
      }))
      for (const {service, answer} of answers) {
        if (answer === 'account-wide' && !broad.includes(`${service}:*`)) broad.push(`${service}:*`)
        else if (answer === 'unsure' && !usesV1 && !unsure.includes(service)) unsure.push(service)
      }
      if (usesV1 || broad.length > 0) {
        const what = [...(usesV1 ? ['AmazonElasticMapReduceforEC2Role'] : []), ...broad.map((grant) => `${grant} on *`)]
        return {
          ...base,
          status: 'fail',
          message: `EC2 role ${role.name} has account-wide data access (${what.join(', ')}); every job on the cluster can read and write all of it.`,
          evidence: {usesAmazonElasticMapReduceforEC2Role: usesV1, accountWideGrants: broad},
        }
      }
      if (unsure.length > 0)
        return {
          ...base,
          status: 'unknown',
          message: `Could not decide whether EC2 role ${role.name} has account-wide ${unsure.join(', ')} access: some of its policies could not be read or are conditional.`,
        }
      return {...base, status: 'pass', message: `EC2 role ${role.name} has no account-wide S3, DynamoDB, SQS, SNS or Kinesis grant.`}
    })
  },
})
