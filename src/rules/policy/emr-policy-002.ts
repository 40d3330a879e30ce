import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {existingRolesOf, iamCollected, iamSnapshotUnknown, roleResource, roleSeverity, scopeFor} from '../helpers.js'
import {awsManagedArn} from '../principals.js'
import {defineRule, type RuleOutcome} from '../types.js'

/** Made-up action and resource per data service: only `service:*` (or broader) on every resource grants them. */
function dataProbes(partition: string, account: string) {
  const region = 'us-east-1'
  return [
    {service: 's3', resource: `arn:${partition}:s3:::emr-audit-probe-bucket/any-key`},
    {service: 'dynamodb', resource: `arn:${partition}:dynamodb:${region}:${account}:table/emr-audit-probe`},
    {service: 'sqs', resource: `arn:${partition}:sqs:${region}:${account}:emr-audit-probe`},
    {service: 'sns', resource: `arn:${partition}:sns:${region}:${account}:emr-audit-probe`},
    {service: 'kinesis', resource: `arn:${partition}:kinesis:${region}:${account}:stream/emr-audit-probe`},
  ]
}

export default defineRule({
  id: 'EMR-POLICY-002',
  group: 'POLICY',
  title: 'EC2 role uses AmazonElasticMapReduceforEC2Role or equivalent account-wide data grants',
  severity: 'high',
  rationale: 'Any code on the cluster gets read/write to every bucket and table in the account; EMRFS falls back to this role when no role mapping matches.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-for-ec2.html', 'seed 001', 'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-emrfs-iam-roles.html'],
  remediation: {summary: 'Attach a customer managed policy scoped to the buckets and tables the cluster uses, then detach the broad policy (iam:AttachRolePolicy, iam:DetachRolePolicy).', autoApply: 'no'},
  evaluate(inventory, {index, scope}) {
    if (!iamCollected(index)) return iamSnapshotUnknown(inventory, 'EC2 role data access')
    const {partition, id: account} = inventory.account
    const v1 = awsManagedArn(partition, 'AmazonElasticMapReduceforEC2Role', '/service-role/')
    return existingRolesOf(scope, ['EC2']).map(({role, reasons}): RuleOutcome => {
      const base = {resource: roleResource(role), scope: scopeFor(reasons, ['EC2']), severity: roleSeverity(reasons, ['EC2'], 'high')}
      const usesV1 = role.attachedPolicies.some((policy) => policy.arn === v1)
      const broad: string[] = []
      const unsure: string[] = []
      for (const probe of dataProbes(partition, account)) {
        const result = evaluateIdentityAccess(index.identityPolicies(role), {action: `${probe.service}:EmrAuditProbeAnyAction`, resource: probe.resource}, index.permissionsBoundary(role))
        if (result.decision === 'allow') broad.push(`${probe.service}:*`)
        else if (result.decision === 'unknown' && !usesV1) unsure.push(probe.service)
      }
      if (usesV1 || broad.length > 0) {
        const what = [...(usesV1 ? ['AmazonElasticMapReduceforEC2Role'] : []), ...broad.map((grant) => `${grant} on *`)]
        return {...base, status: 'fail', message: `EC2 role ${role.name} has account-wide data access (${what.join(', ')}); every job on the cluster can read and write all of it.`, evidence: {usesAmazonElasticMapReduceforEC2Role: usesV1, accountWideGrants: broad}}
      }
      if (unsure.length > 0) return {...base, status: 'unknown', message: `Could not decide whether EC2 role ${role.name} has account-wide ${unsure.join(', ')} access: some of its policies could not be read or are conditional.`}
      return {...base, status: 'pass', message: `EC2 role ${role.name} has no account-wide S3, DynamoDB, SQS, SNS or Kinesis grant.`}
    })
  },
})
