/** Seeds an emulated account through the real SDK, the way the resources would exist in AWS. */
import {EC2Client, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, CreateTagsCommand} from '@aws-sdk/client-ec2'
import {EMRClient, RunJobFlowCommand, type RunJobFlowCommandInput} from '@aws-sdk/client-emr'
import {AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand} from '@aws-sdk/client-iam'

export const ACCOUNT = '123456789012'
export const REGION = 'us-east-1'

export function clients(endpoint: string, credentials = {accessKeyId: 'testing', secretAccessKey: 'testing'}) {
  const common = {endpoint, region: REGION, credentials}
  return {iam: new IAMClient(common), emr: new EMRClient(common), ec2: new EC2Client(common)}
}

export type Seeder = ReturnType<typeof clients>

export const trust = (statements: object[]): string => JSON.stringify({Version: '2012-10-17', Statement: statements})
export const allowService = (service: string, condition?: object): object => ({Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole', ...(condition ? {Condition: condition} : {})})
export const allowAws = (principal: string | string[], condition?: object): object => ({Effect: 'Allow', Principal: {AWS: principal}, Action: 'sts:AssumeRole', ...(condition ? {Condition: condition} : {})})
export const emrConditions = {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}

export async function role(seed: Seeder, name: string, trustStatements: object[], options: {managed?: string[]; inline?: Record<string, object>; path?: string} = {}): Promise<string> {
  const created = await seed.iam.send(new CreateRoleCommand({RoleName: name, AssumeRolePolicyDocument: trust(trustStatements), ...(options.path ? {Path: options.path} : {})}))
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

export async function network(seed: Seeder, tags: Array<{Key: string; Value: string}> = []) {
  const vpc = await seed.ec2.send(new CreateVpcCommand({CidrBlock: '10.0.0.0/16'}))
  const vpcId = vpc.Vpc?.VpcId ?? ''
  const subnet = await seed.ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.0.1.0/24'}))
  const subnetId = subnet.Subnet?.SubnetId ?? ''
  const group = await seed.ec2.send(new CreateSecurityGroupCommand({GroupName: `emr-${subnetId}`, Description: 'emr', VpcId: vpcId}))
  const groupId = group.GroupId ?? ''
  if (tags.length) await seed.ec2.send(new CreateTagsCommand({Resources: [subnetId, groupId], Tags: tags}))
  return {vpcId, subnetId, groupId}
}

export async function cluster(seed: Seeder, input: {name: string; serviceRole: string; instanceProfile: string; autoScalingRole?: string; subnetId?: string; securityConfiguration?: string}): Promise<string> {
  const request: RunJobFlowCommandInput = {
    Name: input.name,
    ReleaseLabel: 'emr-6.15.0',
    ServiceRole: input.serviceRole,
    JobFlowRole: input.instanceProfile,
    ...(input.autoScalingRole ? {AutoScalingRole: input.autoScalingRole} : {}),
    ...(input.securityConfiguration ? {SecurityConfiguration: input.securityConfiguration} : {}),
    Instances: {
      KeepJobFlowAliveWhenNoSteps: true,
      ...(input.subnetId ? {Ec2SubnetId: input.subnetId} : {}),
      InstanceGroups: [
        {InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1},
        {InstanceRole: 'CORE', InstanceType: 'm5.xlarge', InstanceCount: 2},
      ],
    },
  }
  const output = await seed.emr.send(new RunJobFlowCommand(request))
  return output.JobFlowId ?? ''
}
