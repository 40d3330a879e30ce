/**
 * A cluster that does not exist yet, as a launch request, a Terraform plan or a CloudFormation template
 * describes it, and the IAM and network resources the same plan or template will create. Every input
 * format is parsed into this one shape; everything after (overlay, launch checks, rules) reads only it.
 */
import type {InstanceProfile, ManagedPolicy, Role, SecurityGroup, Subnet, Tag} from '../inventory/schema.js'

/** The request fields a finding can be traced back to. */
export const CLUSTER_FIELDS = [
  'serviceRole',
  'jobFlowRole',
  'autoScalingRole',
  'securityConfiguration',
  'subnet',
  'securityGroups',
  'releaseLabel',
  'primaryNodes',
  'tags',
] as const
export type ClusterField = (typeof CLUSTER_FIELDS)[number]

export interface RequestedCluster {
  /** Where the cluster is described: `RunJobFlow`, a Terraform address (`aws_emr_cluster.etl`) or a template logical id. */
  address: string
  name: string
  releaseLabel?: string
  applications: string[]
  /** A role name or ARN, as RunJobFlow takes it. */
  serviceRole?: string
  /** The instance profile (name or ARN), not the role. */
  jobFlowRole?: string
  autoScalingRole?: string
  securityConfiguration?: string
  subnetIds: string[]
  masterSecurityGroup?: string
  slaveSecurityGroup?: string
  serviceAccessSecurityGroup?: string
  additionalMasterSecurityGroups: string[]
  additionalSlaveSecurityGroups: string[]
  /** Primary (master) nodes requested: 3 is a highly available cluster. */
  primaryNodes?: number
  usesSpot: boolean
  tags: Tag[]
  /** For each field given, the path in the input it came from (`Instances.Ec2SubnetId`, `aws_emr_cluster.etl.service_role`). */
  fields: Partial<Record<ClusterField, string>>
}

/** What the same plan or template creates, in the inventory's own shapes (ids of resources not created yet are placeholders). */
export interface PlannedResources {
  roles: Role[]
  instanceProfiles: InstanceProfile[]
  policies: ManagedPolicy[]
  subnets: Subnet[]
  securityGroups: SecurityGroup[]
  /** Names of roles and instance profiles the plan deletes: gone from the account once it is applied. */
  deleted?: {roles: string[]; instanceProfiles: string[]}
}

export interface LaunchRequest {
  format: 'run-job-flow' | 'terraform' | 'cloudformation'
  clusters: RequestedCluster[]
  planned: PlannedResources
}

/**
 * How much of a request is read, whatever its format: RunJobFlow's own limits on ids per list and tags per
 * cluster (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-tags-restrictions.html: 50
 * tags). A plan or template asking for more is refused, so a hostile file cannot exhaust memory.
 */
export const MAX_LIST_ITEMS = 100
export const MAX_TAGS = 50

export const NOTHING_PLANNED: PlannedResources = {roles: [], instanceProfiles: [], policies: [], subnets: [], securityGroups: []}
