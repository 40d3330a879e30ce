import {ORGANIZATION_ACTIONS} from './accounts.js'
import {EC2_ACTIONS} from './ec2.js'
import {EMR_ACTIONS} from './emr.js'
import {IAM_ACTIONS} from './iam.js'
import {KMS_ACTIONS} from './kms.js'
import {REGION_ACTIONS} from './regions.js'
import {S3_ACTIONS} from './s3.js'
import {SECRETS_ACTIONS} from './secrets.js'
import {STS_ACTIONS} from './sts.js'

/** Every IAM action the scanners call, declared beside each scanner; the read-only policy is built from it. */
export const SCAN_ACTIONS: readonly string[] = [...STS_ACTIONS, ...IAM_ACTIONS, ...EMR_ACTIONS, ...EC2_ACTIONS, ...SECRETS_ACTIONS, ...KMS_ACTIONS, ...S3_ACTIONS, ...REGION_ACTIONS]

/** What the caller (not the scanned accounts) additionally needs for --accounts / --organization. */
export const MULTI_ACCOUNT_ACTIONS: readonly string[] = ['sts:AssumeRole', ...ORGANIZATION_ACTIONS]

export * from './context.js'
export {organizationAccounts} from './accounts.js'
export {scanCallerIdentity} from './sts.js'
export {awsManagedPoliciesToFetch, isAwsManagedPolicyArn, scanAccountSummary, scanAuthorizationDetails, scanAwsManagedPolicies, scanInstanceProfiles} from './iam.js'
export {listSecurityConfigurations, scanBlockPublicAccess, scanClusters, scanSecurityConfigurations, scanSteps, scanStudios} from './emr.js'
export {scanKmsKeys, type KeyReference} from './kms.js'
export {bucketOf, scanBucketEncryption} from './s3.js'
export {scanNetworkInterfaces, scanSecurityGroups, scanSubnets, scanVpcs} from './ec2.js'
export {scanSecrets} from './secrets.js'
export {enabledRegions} from './regions.js'
