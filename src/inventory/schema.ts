/**
 * The inventory: one plain, serialisable document holding everything a scan collected.
 * The schema is the single source of truth: the TypeScript types are derived from it, and
 * `--inventory FILE` validates against it, so an offline analysis sees exactly what a live one would.
 */
import {type Static, Type as T} from '@sinclair/typebox'

export const INVENTORY_SCHEMA_VERSION = 1

const Str = T.String()
const OptStr = T.Optional(T.String())
const StrList = T.Array(T.String())

export const TagSchema = T.Object({key: Str, value: Str}, {additionalProperties: false})

/** A parsed IAM policy document. Kept as IAM returned it (after URL-decoding); normalised by src/policy. */
export const PolicyDocumentSchema = T.Record(T.String(), T.Unknown(), {description: 'parsed IAM policy document'})

export const SourceIdSchema = T.Union([
  T.Literal('sts.identity'),
  T.Literal('iam.authorizationDetails'),
  T.Literal('iam.instanceProfiles'),
  T.Literal('iam.awsManagedPolicies'),
  T.Literal('emr.clusters'),
  T.Literal('emr.instanceCapacity'),
  T.Literal('emr.instances'),
  T.Literal('emr.steps'),
  T.Literal('emr.studioSessionMappings'),
  T.Literal('iam.accountSummary'),
  /** Not a read: `scan --security-hub` importing findings, reported beside the reads so a failed import is a gap. */
  T.Literal('securityhub.import'),
  T.Literal('kms.keys'),
  T.Literal('s3.bucketEncryption'),
  T.Literal('emr.securityConfigurations'),
  T.Literal('emr.blockPublicAccess'),
  T.Literal('emr.studios'),
  T.Literal('ec2.vpcs'),
  T.Literal('ec2.subnets'),
  T.Literal('ec2.securityGroups'),
  T.Literal('ec2.networkInterfaces'),
  T.Literal('secretsmanager.secrets'),
])

export const SourceStatusSchema = T.Union([T.Literal('ok'), T.Literal('denied'), T.Literal('unsupported'), T.Literal('error')])

/** How one source fared in one region ("global" for IAM and STS). A denied source never reads as "nothing there". */
export const SourceOutcomeSchema = T.Object(
  {
    source: SourceIdSchema,
    region: Str,
    /** Set in reports that cover several accounts. */
    account: OptStr,
    status: SourceStatusSchema,
    /** The API action that was denied, unsupported or failed. */
    action: OptStr,
    message: OptStr,
  },
  {additionalProperties: false},
)

export const NamedPolicySchema = T.Object(
  {
    name: Str,
    /** null when the document could not be decoded or parsed; see parseError. */
    document: T.Union([PolicyDocumentSchema, T.Null()]),
    parseError: OptStr,
  },
  {additionalProperties: false},
)

export const AttachedPolicySchema = T.Object({name: Str, arn: Str}, {additionalProperties: false})

export const InstanceProfileRefSchema = T.Object({name: Str, arn: Str, roleNames: StrList}, {additionalProperties: false})

export const RoleSchema = T.Object(
  {
    name: Str,
    arn: Str,
    id: Str,
    path: Str,
    trustPolicy: T.Union([PolicyDocumentSchema, T.Null()]),
    trustPolicyParseError: OptStr,
    inlinePolicies: T.Array(NamedPolicySchema),
    attachedPolicies: T.Array(AttachedPolicySchema),
    instanceProfiles: T.Array(InstanceProfileRefSchema),
    permissionsBoundaryArn: OptStr,
    tags: T.Array(TagSchema),
    lastUsed: OptStr,
  },
  {additionalProperties: false},
)

export const UserSchema = T.Object(
  {
    name: Str,
    arn: Str,
    id: Str,
    path: Str,
    inlinePolicies: T.Array(NamedPolicySchema),
    attachedPolicies: T.Array(AttachedPolicySchema),
    groups: StrList,
    permissionsBoundaryArn: OptStr,
    tags: T.Array(TagSchema),
  },
  {additionalProperties: false},
)

export const GroupSchema = T.Object(
  {
    name: Str,
    arn: Str,
    id: Str,
    path: Str,
    inlinePolicies: T.Array(NamedPolicySchema),
    attachedPolicies: T.Array(AttachedPolicySchema),
  },
  {additionalProperties: false},
)

export const ManagedPolicySchema = T.Object(
  {
    arn: Str,
    name: Str,
    path: Str,
    awsManaged: T.Boolean(),
    defaultVersionId: Str,
    /** The default version's document; null when it could not be read or parsed. */
    document: T.Union([PolicyDocumentSchema, T.Null()]),
    parseError: OptStr,
    versionCount: T.Optional(T.Integer({minimum: 0})),
    attachmentCount: T.Optional(T.Integer({minimum: 0})),
  },
  {additionalProperties: false},
)

export const InstanceProfileSchema = T.Object(
  {
    name: Str,
    arn: Str,
    id: Str,
    path: Str,
    roles: T.Array(T.Object({name: Str, arn: Str}, {additionalProperties: false})),
  },
  {additionalProperties: false},
)

export const InstanceGroupSchema = T.Object(
  {
    id: Str,
    type: Str,
    market: OptStr,
    requestedInstanceCount: T.Optional(T.Integer()),
    hasAutoScalingPolicy: T.Boolean(),
  },
  {additionalProperties: false},
)

export const InstanceFleetSchema = T.Object(
  {
    id: Str,
    type: Str,
    targetOnDemandCapacity: T.Optional(T.Integer()),
    targetSpotCapacity: T.Optional(T.Integer()),
  },
  {additionalProperties: false},
)

export const ClusterSchema = T.Object(
  {
    id: Str,
    arn: OptStr,
    name: Str,
    region: Str,
    state: Str,
    releaseLabel: OptStr,
    applications: StrList,
    /** As DescribeCluster returned it: a role name or an ARN. */
    serviceRole: OptStr,
    autoScalingRole: OptStr,
    securityConfiguration: OptStr,
    instanceCollectionType: OptStr,
    /** Instance profile name or ARN (not the role name). */
    instanceProfile: OptStr,
    subnetId: OptStr,
    requestedSubnetIds: StrList,
    keyName: OptStr,
    emrManagedMasterSecurityGroup: OptStr,
    emrManagedSlaveSecurityGroup: OptStr,
    serviceAccessSecurityGroup: OptStr,
    additionalMasterSecurityGroups: StrList,
    additionalSlaveSecurityGroups: StrList,
    tags: T.Array(TagSchema),
    /** Undefined when capacity could not be read for this cluster (see the emr.instanceCapacity coverage). */
    instanceGroups: T.Optional(T.Array(InstanceGroupSchema)),
    instanceFleets: T.Optional(T.Array(InstanceFleetSchema)),
    /** Primary (master) instances; undefined when they could not be listed (see emr.instances). */
    primaryInstances: T.Optional(T.Array(T.Object({id: Str, publicIpAddress: OptStr, privateIpAddress: OptStr}, {additionalProperties: false}))),
    /** The most recent steps (first ListSteps page) with their runtime role; only for runtime-role clusters. */
    steps: T.Optional(T.Array(T.Object({id: Str, name: OptStr, state: OptStr, executionRoleArn: OptStr}, {additionalProperties: false}))),
  },
  {additionalProperties: false},
)

export const SecurityConfigurationSchema = T.Object(
  {
    name: Str,
    region: Str,
    /** Why it was collected: listed by the API, referenced by a cluster, or named in the config. */
    origins: T.Array(T.Union([T.Literal('listed'), T.Literal('cluster'), T.Literal('config')])),
    found: T.Boolean(),
    createdAt: OptStr,
    /** The configuration parsed from DescribeSecurityConfiguration's JSON string. */
    configuration: T.Optional(T.Union([PolicyDocumentSchema, T.Null()])),
    parseError: OptStr,
  },
  {additionalProperties: false},
)

export const BlockPublicAccessSchema = T.Object(
  {
    region: Str,
    blockPublicSecurityGroupRules: T.Optional(T.Boolean()),
    permittedRanges: T.Array(T.Object({min: T.Integer(), max: T.Optional(T.Integer())}, {additionalProperties: false})),
    createdByArn: OptStr,
    createdAt: OptStr,
  },
  {additionalProperties: false},
)

export const StudioSchema = T.Object(
  {
    id: Str,
    arn: OptStr,
    name: OptStr,
    region: Str,
    origin: T.Union([T.Literal('api'), T.Literal('config')]),
    authMode: OptStr,
    vpcId: OptStr,
    subnetIds: StrList,
    serviceRole: OptStr,
    userRole: OptStr,
    workspaceSecurityGroupId: OptStr,
    engineSecurityGroupId: OptStr,
    defaultS3Location: OptStr,
    encryptionKeyArn: OptStr,
    gitSecrets: StrList,
    /** Undefined when they could not be listed (see emr.studioSessionMappings). */
    sessionMappings: T.Optional(T.Array(T.Object({identityName: OptStr, identityType: OptStr, sessionPolicyArn: OptStr}, {additionalProperties: false}))),
  },
  {additionalProperties: false},
)

export const VpcSchema = T.Object({id: Str, region: Str, ownerId: OptStr, isDefault: T.Boolean(), tags: T.Array(TagSchema)}, {additionalProperties: false})

export const SubnetSchema = T.Object(
  {
    id: Str,
    region: Str,
    vpcId: OptStr,
    ownerId: OptStr,
    availabilityZone: OptStr,
    mapPublicIpOnLaunch: T.Optional(T.Boolean()),
    tags: T.Array(TagSchema),
  },
  {additionalProperties: false},
)

export const IngressRuleSchema = T.Object(
  {
    protocol: Str,
    fromPort: T.Optional(T.Integer()),
    toPort: T.Optional(T.Integer()),
    ipv4Ranges: StrList,
    ipv6Ranges: StrList,
    /** Source security groups (`UserIdGroupPairs[].GroupId`); absent in inventories saved before it was recorded. */
    sourceGroups: T.Optional(StrList),
    /** Source managed prefix lists (`PrefixListIds[].PrefixListId`). */
    prefixLists: T.Optional(StrList),
  },
  {additionalProperties: false},
)

export const SecurityGroupSchema = T.Object(
  {
    id: Str,
    name: Str,
    region: Str,
    vpcId: OptStr,
    ownerId: OptStr,
    tags: T.Array(TagSchema),
    ingress: T.Array(IngressRuleSchema),
  },
  {additionalProperties: false},
)

/** A network interface in a security group that EMR resources use (who else uses the group). */
export const NetworkInterfaceSchema = T.Object(
  {
    id: Str,
    region: Str,
    groupIds: StrList,
    description: OptStr,
    interfaceType: OptStr,
    requesterId: OptStr,
    /** The instance it is attached to, if any. */
    instanceId: OptStr,
    tags: T.Array(TagSchema),
  },
  {additionalProperties: false},
)

export const SecretSchema = T.Object(
  {
    arn: Str,
    name: Str,
    region: Str,
    tags: T.Array(TagSchema),
  },
  {additionalProperties: false},
)

/** A KMS key named by a security configuration or a Studio, as DescribeKey and GetKeyPolicy show it. */
export const KmsKeySchema = T.Object(
  {
    /** The reference as configured: key id, alias or ARN. */
    reference: Str,
    region: Str,
    found: T.Boolean(),
    arn: OptStr,
    keyState: OptStr,
    enabled: T.Optional(T.Boolean()),
    keySpec: OptStr,
    keyUsage: OptStr,
    keyManager: OptStr,
    /** The default key policy (plain JSON, not URL-encoded); undefined when it could not be read. */
    policy: T.Optional(T.Union([PolicyDocumentSchema, T.Null()])),
    policyError: OptStr,
  },
  {additionalProperties: false},
)

export const BucketEncryptionSchema = T.Object(
  {
    bucket: Str,
    /** Default encryption rules; empty when the bucket has none. */
    rules: T.Array(T.Object({algorithm: Str, kmsKeyId: OptStr}, {additionalProperties: false})),
  },
  {additionalProperties: false},
)

export const InventorySchema = T.Object(
  {
    schemaVersion: T.Literal(INVENTORY_SCHEMA_VERSION),
    tool: T.Object({name: Str, version: Str}, {additionalProperties: false}),
    account: T.Object(
      {
        id: Str,
        partition: Str,
        callerArn: OptStr,
        /** IAM quotas from GetAccountSummary (AssumeRolePolicySizeQuota, PolicySizeQuota, ...). */
        iamQuotas: T.Optional(T.Record(T.String(), T.Integer())),
      },
      {additionalProperties: false},
    ),
    regions: StrList,
    startedAt: Str,
    finishedAt: Str,
    coverage: T.Array(SourceOutcomeSchema),
    iam: T.Object(
      {
        roles: T.Array(RoleSchema),
        users: T.Array(UserSchema),
        groups: T.Array(GroupSchema),
        policies: T.Array(ManagedPolicySchema),
        instanceProfiles: T.Array(InstanceProfileSchema),
      },
      {additionalProperties: false},
    ),
    emr: T.Object(
      {
        clusters: T.Array(ClusterSchema),
        securityConfigurations: T.Array(SecurityConfigurationSchema),
        blockPublicAccess: T.Array(BlockPublicAccessSchema),
        studios: T.Array(StudioSchema),
      },
      {additionalProperties: false},
    ),
    ec2: T.Object(
      {
        vpcs: T.Array(VpcSchema),
        subnets: T.Array(SubnetSchema),
        securityGroups: T.Array(SecurityGroupSchema),
        /** Interfaces in the security groups clusters and Studios use; absent in inventories from before 0.2. */
        networkInterfaces: T.Optional(T.Array(NetworkInterfaceSchema)),
      },
      {additionalProperties: false},
    ),
    secrets: T.Array(SecretSchema),
    kmsKeys: T.Array(KmsKeySchema),
    s3Buckets: T.Array(BucketEncryptionSchema),
  },
  {additionalProperties: false, $id: 'https://github.com/emr-audit/emr-audit/schemas/inventory.schema.json'},
)

export type Tag = Static<typeof TagSchema>
export type PolicyDocument = Static<typeof PolicyDocumentSchema>
export type SourceId = Static<typeof SourceIdSchema>
export type SourceStatus = Static<typeof SourceStatusSchema>
export type SourceOutcome = Static<typeof SourceOutcomeSchema>
export type NamedPolicy = Static<typeof NamedPolicySchema>
export type AttachedPolicy = Static<typeof AttachedPolicySchema>
export type Role = Static<typeof RoleSchema>
export type User = Static<typeof UserSchema>
export type Group = Static<typeof GroupSchema>
export type ManagedPolicy = Static<typeof ManagedPolicySchema>
export type InstanceProfile = Static<typeof InstanceProfileSchema>
export type InstanceGroup = Static<typeof InstanceGroupSchema>
export type InstanceFleet = Static<typeof InstanceFleetSchema>
export type Cluster = Static<typeof ClusterSchema>
export type SecurityConfiguration = Static<typeof SecurityConfigurationSchema>
export type BlockPublicAccess = Static<typeof BlockPublicAccessSchema>
export type Studio = Static<typeof StudioSchema>
export type Vpc = Static<typeof VpcSchema>
export type Subnet = Static<typeof SubnetSchema>
export type IngressRule = Static<typeof IngressRuleSchema>
export type SecurityGroup = Static<typeof SecurityGroupSchema>
export type NetworkInterface = Static<typeof NetworkInterfaceSchema>
export type Secret = Static<typeof SecretSchema>
export type KmsKey = Static<typeof KmsKeySchema>
export type BucketEncryption = Static<typeof BucketEncryptionSchema>
export type Inventory = Static<typeof InventorySchema>
