/**
 * A source: one kind of data the scan reads (its coverage id), declared with the AWS actions it calls, the
 * sources it waits for and its collect function. The scheduler runs every declared source; the scan
 * permission policy is generated from the declared actions.
 */
import type {
  Studio,
  BlockPublicAccess,
  BucketEncryption,
  Cluster,
  InstanceProfile,
  KmsKey,
  ManagedPolicy,
  NetworkInterface,
  SecurityConfiguration,
  Secret,
  SecurityGroup,
  SourceId,
  Subnet,
  Vpc,
} from '../inventory/schema.js'
import type {ScanContext} from './context.js'
import type {AuthorizationDetails} from './iam.js'
import type {CallerIdentity} from './sts.js'

/** What each source yields to the sources that wait for it and to the inventory. Undefined: not collected. */
export interface SourceResults {
  'sts.identity': CallerIdentity
  'iam.authorizationDetails': AuthorizationDetails | undefined
  'iam.instanceProfiles': InstanceProfile[] | undefined
  'iam.awsManagedPolicies': ManagedPolicy[]
  'iam.accountSummary': Record<string, number> | undefined
  's3.bucketEncryption': BucketEncryption[]
  'kms.keys': KmsKey[]
  'emr.clusters': Cluster[] | undefined
  /** By cluster id: only clusters whose capacity could be read. */
  'emr.instanceCapacity': Map<string, Pick<Cluster, 'instanceGroups' | 'instanceFleets'>>
  'emr.instances': Map<string, NonNullable<Cluster['primaryInstances']>>
  'emr.steps': Map<string, NonNullable<Cluster['steps']>>
  'emr.securityConfigurations': SecurityConfiguration[]
  'emr.blockPublicAccess': BlockPublicAccess | undefined
  /** `listed`: whether the Studio API answered (configured Studios are there either way). */
  'emr.studios': {studios: Studio[]; listed: boolean}
  'emr.studioSessionMappings': Map<string, NonNullable<Studio['sessionMappings']>>
  'ec2.vpcs': Vpc[] | undefined
  'ec2.subnets': Subnet[] | undefined
  'ec2.securityGroups': SecurityGroup[] | undefined
  'ec2.networkInterfaces': NetworkInterface[] | undefined
  'secretsmanager.secrets': Secret[] | undefined
  /** Not read by the scan: `scan --security-hub` records its import under this id, after the scan. */
  'securityhub.import': undefined
}

/**
 * Where a source runs: once for the account, or once per scanned region. How progress counts it may differ
 * (kms.keys runs once but reports per region; session mappings are read only where Studios exist).
 */
export type SourceScope = 'global' | 'regional'

export interface SourceContext extends ScanContext {
  /** The region this run reads ('global' for a global source). */
  region: string
  /** A declared dependency's result: in this region for a regional one, else the account's. */
  input<K extends SourceId>(id: K): Promise<SourceResults[K]>
  /** A declared regional dependency's result in every scanned region, in region order (for global sources). */
  inputByRegion<K extends SourceId>(id: K): Promise<Array<{region: string; value: SourceResults[K]}>>
}

export interface Source<K extends SourceId = SourceId> {
  id: K
  /** The IAM actions its AWS calls need; `call` refuses any other, and `emr-audit permissions` lists them. */
  actions: readonly string[]
  scope: SourceScope
  /** Sources whose results collect() awaits; it may await no other. */
  dependsOn: readonly SourceId[]
  /** How progress counts it (defaults to its scope); 'uncounted' when it is read only where something exists. */
  progress?: SourceScope | 'uncounted'
  /** Reads the source and records its outcome(s) in coverage; a CredentialsError stops the whole scan. */
  collect(ctx: SourceContext): Promise<SourceResults[K]>
}

export function defineSource<K extends SourceId>(source: Source<K>): Source<K> {
  return source
}
