/** Where each source's coverage is recorded: once for the account ('global') or per scanned region. */
import type {SourceId} from './schema.js'

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
}

/** Global sources, as a sentence names them ("… was not collected"). */
export const GLOBAL_SOURCE_NAMES: Readonly<Partial<Record<SourceId, string>>> = {
  'sts.identity': 'the caller identity (sts:GetCallerIdentity)',
  'iam.authorizationDetails': 'the IAM snapshot (iam:GetAccountAuthorizationDetails)',
  'iam.instanceProfiles': 'the instance profiles (iam:ListInstanceProfiles)',
  'iam.awsManagedPolicies': 'the AWS managed policies (iam:GetPolicy, iam:GetPolicyVersion)',
  'iam.accountSummary': 'the IAM quotas (iam:GetAccountSummary)',
  's3.bucketEncryption': 'the Studio bucket encryption (s3:GetEncryptionConfiguration)',
}
