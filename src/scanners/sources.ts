/** Every source a scan reads. Adding one: its module (declared with defineSource) and a line here. */
import {
  blockPublicAccessSource,
  clustersSource,
  instanceCapacitySource,
  instancesSource,
  securityConfigurationsSource,
  stepsSource,
  studioSessionMappingsSource,
  studiosSource,
} from './emr.js'
import {networkInterfacesSource, securityGroupsSource, subnetsSource, vpcsSource} from './ec2.js'
import {accountSummarySource, authorizationDetailsSource, awsManagedPoliciesSource, instanceProfilesSource} from './iam.js'
import {kmsKeysSource} from './kms.js'
import {bucketEncryptionSource} from './s3.js'
import {secretsSource} from './secrets.js'
import type {Source} from './source.js'
import {identitySource} from './sts.js'

// Grouped by service: the generated policy lists the services in this order.
export const SOURCES: readonly Source[] = [
  identitySource,
  authorizationDetailsSource,
  instanceProfilesSource,
  awsManagedPoliciesSource,
  accountSummarySource,
  clustersSource,
  instanceCapacitySource,
  instancesSource,
  stepsSource,
  securityConfigurationsSource,
  blockPublicAccessSource,
  studiosSource,
  studioSessionMappingsSource,
  vpcsSource,
  subnetsSource,
  securityGroupsSource,
  networkInterfacesSource,
  secretsSource,
  kmsKeysSource,
  bucketEncryptionSource,
]
