/** The sources an inventory is read from: where each records its coverage, and what selects its part of the inventory. */
import type {SourceId} from './schema.js'

/** Where each source's coverage is recorded: once for the account ('global') or per scanned region. */
export const SOURCE_COVERAGE: Readonly<Record<SourceId, 'global' | 'regional'>> = {
  'sts.identity': 'global',
  'iam.authorizationDetails': 'global',
  'iam.instanceProfiles': 'global',
  'iam.awsManagedPolicies': 'global',
  'iam.accountSummary': 'global',
  's3.bucketEncryption': 'global',
  'emr.clusters': 'regional',
  'emr.instanceCapacity': 'regional',
  'emr.instances': 'regional',
  'emr.steps': 'regional',
  'emr.securityConfigurations': 'regional',
  'emr.blockPublicAccess': 'regional',
  'emr.studios': 'regional',
  'emr.studioSessionMappings': 'regional',
  'ec2.vpcs': 'regional',
  'ec2.subnets': 'regional',
  'ec2.securityGroups': 'regional',
  'ec2.networkInterfaces': 'regional',
  'secretsmanager.secrets': 'regional',
  'kms.keys': 'regional',
  // Not a read: `scan --security-hub` records its import per region, beside the reads.
  'securityhub.import': 'regional',
}

/** Coverage ids that are not reads of the scan (no scanner declares them). */
export const NOT_READ_BY_SCAN: readonly SourceId[] = ['securityhub.import']

/** Sources as a sentence names them ("… was not collected", "… could not be read"); others by their id. */
export const SOURCE_NAMES: Readonly<Partial<Record<SourceId, string>>> = {
  'sts.identity': 'the caller identity (sts:GetCallerIdentity)',
  'iam.authorizationDetails': 'the IAM snapshot (iam:GetAccountAuthorizationDetails)',
  'iam.instanceProfiles': 'the instance profiles (iam:ListInstanceProfiles)',
  'iam.awsManagedPolicies': 'the AWS managed policies (iam:GetPolicy, iam:GetPolicyVersion)',
  'iam.accountSummary': 'the IAM quotas (iam:GetAccountSummary)',
  's3.bucketEncryption': 'the Studio bucket encryption (s3:GetEncryptionConfiguration)',
  'emr.clusters': 'the active clusters (elasticmapreduce:ListClusters)',
  'emr.studios': 'the EMR Studios (elasticmapreduce:ListStudios)',
}

/**
 * What else must be read before a source's part of the inventory is final: the network and secrets kept
 * are chosen by the clusters and Studios that use them.
 */
export const SLICE_INPUTS: Partial<Record<SourceId, readonly SourceId[]>> = {
  'ec2.vpcs': ['ec2.subnets', 'emr.clusters', 'emr.studios'],
  'ec2.subnets': ['emr.clusters', 'emr.studios'],
  'ec2.securityGroups': ['emr.clusters', 'emr.studios'],
  'secretsmanager.secrets': ['emr.studios'],
  'emr.instanceCapacity': ['emr.clusters'],
  'emr.instances': ['emr.clusters'],
  'emr.steps': ['emr.clusters'],
  'emr.studioSessionMappings': ['emr.studios'],
}

/** True when a source's part of the inventory is final: it and what selects it have finished. */
export function sliceReady(source: SourceId, done: ReadonlySet<SourceId>): boolean {
  return done.has(source) && (SLICE_INPUTS[source] ?? []).every((input) => done.has(input))
}
