/** How AWS itself names the kinds of resource emr-audit reports on, for formats other tools read. */
import type {ResourceType} from '../findings/types.js'

interface AwsTypeNames {
  /** The AWS Security Finding Format `Resources[].Type`: a type Security Hub has details for, else `Other`. */
  asff: string
  /** The CloudFormation / AWS Config resource type, as OCSF producers on AWS name resources. */
  cloudFormation: string
}

export const AWS_RESOURCE_TYPES: Readonly<Record<ResourceType, AwsTypeNames>> = {
  account: {asff: 'AwsAccount', cloudFormation: 'AWS::::Account'},
  'iam-role': {asff: 'AwsIamRole', cloudFormation: 'AWS::IAM::Role'},
  'iam-user': {asff: 'AwsIamUser', cloudFormation: 'AWS::IAM::User'},
  'iam-group': {asff: 'AwsIamGroup', cloudFormation: 'AWS::IAM::Group'},
  'iam-policy': {asff: 'AwsIamPolicy', cloudFormation: 'AWS::IAM::Policy'},
  'iam-instance-profile': {asff: 'Other', cloudFormation: 'AWS::IAM::InstanceProfile'},
  'kms-key': {asff: 'AwsKmsKey', cloudFormation: 'AWS::KMS::Key'},
  's3-bucket': {asff: 'AwsS3Bucket', cloudFormation: 'AWS::S3::Bucket'},
  'emr-cluster': {asff: 'Other', cloudFormation: 'AWS::EMR::Cluster'},
  'emr-studio': {asff: 'Other', cloudFormation: 'AWS::EMR::Studio'},
  'emr-security-configuration': {asff: 'Other', cloudFormation: 'AWS::EMR::SecurityConfiguration'},
  'ec2-subnet': {asff: 'AwsEc2Subnet', cloudFormation: 'AWS::EC2::Subnet'},
  'ec2-vpc': {asff: 'AwsEc2Vpc', cloudFormation: 'AWS::EC2::VPC'},
  'ec2-security-group': {asff: 'AwsEc2SecurityGroup', cloudFormation: 'AWS::EC2::SecurityGroup'},
  secret: {asff: 'AwsSecretsManagerSecret', cloudFormation: 'AWS::SecretsManager::Secret'},
  // A rule that failed to run: the finding is about emr-audit itself, not an AWS resource.
  rule: {asff: 'Other', cloudFormation: 'emr-audit rule'},
}
