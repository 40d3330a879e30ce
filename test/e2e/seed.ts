/** Seeds an emulated account through the real SDK, the way the resources would exist in AWS. */
import {
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateTagsCommand,
} from '@aws-sdk/client-ec2'
import {
  CreateSecurityConfigurationCommand,
  EMRClient,
  PutBlockPublicAccessConfigurationCommand,
  RunJobFlowCommand,
  type RunJobFlowCommandInput,
} from '@aws-sdk/client-emr'
import {SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'

export const ACCOUNT = '123456789012'
export const REGION = 'us-east-1'

export function clients(endpoint: string, credentials = {accessKeyId: 'testing', secretAccessKey: 'testing'}) {
  const common = {endpoint, region: REGION, credentials}
  return {iam: new IAMClient(common), emr: new EMRClient(common), ec2: new EC2Client(common), secrets: new SecretsManagerClient(common)}
}

export type Seeder = ReturnType<typeof clients>

export const trust = (statements: object[]): string => JSON.stringify({Version: '2012-10-17', Statement: statements})
export const allowService = (service: string, condition?: object): object => ({
  Effect: 'Allow',
  Principal: {Service: service},
  Action: 'sts:AssumeRole',
  ...(condition ? {Condition: condition} : {}),
})
export const allowAws = (principal: string | string[], condition?: object, action: string | string[] = 'sts:AssumeRole'): object => ({
  Effect: 'Allow',
  Principal: {AWS: principal},
  Action: action,
  ...(condition ? {Condition: condition} : {}),
})
export const emrConditions = {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}

export async function role(
  seed: Seeder,
  name: string,
  trustStatements: object[],
  options: {managed?: string[]; inline?: Record<string, object>; path?: string} = {},
): Promise<string> {
  const created = await seed.iam.send(
    new CreateRoleCommand({RoleName: name, AssumeRolePolicyDocument: trust(trustStatements), ...(options.path ? {Path: options.path} : {})}),
  )
  for (const arn of options.managed ?? []) await seed.iam.send(new AttachRolePolicyCommand({RoleName: name, PolicyArn: arn}))
  for (const [policyName, document] of Object.entries(options.inline ?? {})) {
    await seed.iam.send(new PutRolePolicyCommand({RoleName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(document)}))
  }
  return created.Role?.Arn ?? ''
}

export async function instanceProfile(seed: Seeder, name: string, roleName?: string): Promise<void> {
  await seed.iam.send(new CreateInstanceProfileCommand({InstanceProfileName: name}))
  if (roleName) await seed.iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: name, RoleName: roleName}))
}

export async function network(seed: Seeder, tags: Array<{Key: string; Value: string}> = [], cidr = '10.0.0.0/16', subnetCidr = '10.0.1.0/24') {
  const vpc = await seed.ec2.send(new CreateVpcCommand({CidrBlock: cidr}))
  const vpcId = vpc.Vpc?.VpcId ?? ''
  const subnet = await seed.ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: subnetCidr}))
  const subnetId = subnet.Subnet?.SubnetId ?? ''
  const group = await seed.ec2.send(new CreateSecurityGroupCommand({GroupName: `emr-master-${subnetId}`, Description: 'emr', VpcId: vpcId}))
  const groupId = group.GroupId ?? ''
  const slave = await seed.ec2.send(new CreateSecurityGroupCommand({GroupName: `emr-slave-${subnetId}`, Description: 'emr', VpcId: vpcId}))
  const slaveGroupId = slave.GroupId ?? ''
  // EMR creates (and tags) a service-access group for clusters in private subnets; the emulator creates
  // one untagged unless it is given, so give it, as a well-run account would have it.
  const access = await seed.ec2.send(new CreateSecurityGroupCommand({GroupName: `emr-service-access-${subnetId}`, Description: 'emr', VpcId: vpcId}))
  const serviceAccessGroupId = access.GroupId ?? ''
  if (tags.length) await seed.ec2.send(new CreateTagsCommand({Resources: [subnetId, groupId, slaveGroupId, serviceAccessGroupId], Tags: tags}))
  return {vpcId, subnetId, groupId, slaveGroupId, serviceAccessGroupId}
}

export async function cluster(
  seed: Seeder,
  input: {
    name: string
    serviceRole: string
    instanceProfile: string
    autoScalingRole?: string
    subnetId?: string
    securityConfiguration?: string
    masterGroup?: string
    slaveGroup?: string
    serviceAccessGroup?: string
    spot?: boolean
  },
): Promise<string> {
  const request: RunJobFlowCommandInput = {
    Name: input.name,
    ReleaseLabel: 'emr-6.15.0',
    Applications: [{Name: 'Spark'}],
    ServiceRole: input.serviceRole,
    JobFlowRole: input.instanceProfile,
    ...(input.autoScalingRole ? {AutoScalingRole: input.autoScalingRole} : {}),
    ...(input.securityConfiguration ? {SecurityConfiguration: input.securityConfiguration} : {}),
    Instances: {
      KeepJobFlowAliveWhenNoSteps: true,
      ...(input.subnetId ? {Ec2SubnetId: input.subnetId} : {}),
      ...(input.masterGroup ? {EmrManagedMasterSecurityGroup: input.masterGroup} : {}),
      ...(input.slaveGroup ? {EmrManagedSlaveSecurityGroup: input.slaveGroup} : {}),
      ...(input.serviceAccessGroup ? {ServiceAccessSecurityGroup: input.serviceAccessGroup} : {}),
      InstanceGroups: [
        {InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1},
        {InstanceRole: 'CORE', InstanceType: 'm5.xlarge', InstanceCount: 2, ...(input.spot ? {Market: 'SPOT' as const, BidPrice: '0.10'} : {})},
      ],
    },
  }
  const output = await seed.emr.send(new RunJobFlowCommand(request))
  return output.JobFlowId ?? ''
}

/** AWS's v2 EMR service policy, whose PassRole and tag conditions the tests exercise. */
export const V2_SERVICE_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'

export const V2_TAG = {Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'}

export async function securityConfiguration(seed: Seeder, name: string, configuration: object): Promise<void> {
  await seed.emr.send(new CreateSecurityConfigurationCommand({Name: name, SecurityConfiguration: JSON.stringify(configuration)}))
}

export async function blockPublicAccess(seed: Seeder): Promise<void> {
  await seed.emr.send(
    new PutBlockPublicAccessConfigurationCommand({
      BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: [{MinRange: 22, MaxRange: 22}]},
    }),
  )
}

/** The EMR cleanup service-linked role (the emulator names it differently; emr-audit finds it by path). */
export async function emrServiceLinkedRole(seed: Seeder): Promise<void> {
  const created = await seed.iam.send(new CreateServiceLinkedRoleCommand({AWSServiceName: 'elasticmapreduce.amazonaws.com'}))
  await seed.iam.send(
    new AttachRolePolicyCommand({RoleName: created.Role?.RoleName, PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonEMRCleanupPolicy'}),
  )
}

export async function user(seed: Seeder, name: string, managed: string[], inline: Record<string, object> = {}): Promise<void> {
  await seed.iam.send(new CreateUserCommand({UserName: name}))
  for (const arn of managed) await seed.iam.send(new AttachUserPolicyCommand({UserName: name, PolicyArn: arn}))
  for (const [policyName, document] of Object.entries(inline))
    await seed.iam.send(new PutUserPolicyCommand({UserName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(document)}))
}

export async function group(seed: Seeder, name: string, inline: Record<string, object>): Promise<void> {
  await seed.iam.send(new CreateGroupCommand({GroupName: name}))
  for (const [policyName, document] of Object.entries(inline))
    await seed.iam.send(new PutGroupPolicyCommand({GroupName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(document)}))
}

export async function openToWorld(seed: Seeder, groupId: string, port: number): Promise<void> {
  await seed.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{CidrIp: '0.0.0.0/0'}]}],
    }),
  )
}
