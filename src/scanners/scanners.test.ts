import {DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {
  DescribeClusterCommand,
  DescribeSecurityConfigurationCommand,
  EMRClient,
  GetBlockPublicAccessConfigurationCommand,
  ListClustersCommand,
  ListInstanceFleetsCommand,
  ListInstanceGroupsCommand,
  ListInstancesCommand,
  ListStepsCommand,
  DescribeStepCommand,
  DescribeStudioCommand,
  ListStudioSessionMappingsCommand,
  ListSecurityConfigurationsCommand,
  ListStudiosCommand,
} from '@aws-sdk/client-emr'
import {GetAccountAuthorizationDetailsCommand, GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListInstanceProfilesCommand} from '@aws-sdk/client-iam'
import {DescribeKeyCommand, GetKeyPolicyCommand, KMSClient} from '@aws-sdk/client-kms'
import {GetBucketEncryptionCommand, S3Client} from '@aws-sdk/client-s3'
import {ListSecretsCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {ListAccountsCommand, OrganizationsClient} from '@aws-sdk/client-organizations'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {type AwsClients, createAwsClients} from '../aws/clients.js'
import {analyze} from '../app/analyze.js'
import {renderJson} from '../report/json.js'
import {buildReport} from '../report/model.js'
import {overlappedAnalysis} from '../rules/engine.js'
import {RULES} from '../rules/index.js'
import {scanAccount} from '../app/scan.js'
import {organizationAccounts} from './accounts.js'
import {CredentialsError} from './context.js'

const ACCOUNT = '123456789012'
const iam = mockClient(IAMClient)
const emr = mockClient(EMRClient)
const ec2 = mockClient(EC2Client)
const secrets = mockClient(SecretsManagerClient)
const sts = mockClient(STSClient)
const kms = mockClient(KMSClient)
const s3 = mockClient(S3Client)

function awsError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}, $fault: status >= 500 ? 'server' : 'client'})
}

const encoded = (document: object): string => encodeURIComponent(JSON.stringify(document))
const ec2Trust = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}
const V1_EC2 = 'arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role'

function roleDetail(name: string, extra: object = {}) {
  return {
    RoleName: name,
    RoleId: `AROA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    Path: '/',
    AssumeRolePolicyDocument: encoded(ec2Trust),
    ...extra,
  }
}

/** A small, healthy account; each test breaks one thing. */
function healthyAccount(): void {
  sts.on(GetCallerIdentityCommand).resolves({Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor`})
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({RoleDetailList: [], IsTruncated: false})
  iam.on(ListInstanceProfilesCommand).resolves({InstanceProfiles: [], IsTruncated: false})
  emr.on(ListClustersCommand).resolves({Clusters: []})
  emr.on(ListSecurityConfigurationsCommand).resolves({SecurityConfigurations: []})
  emr.on(GetBlockPublicAccessConfigurationCommand).resolves({
    BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true},
    BlockPublicAccessConfigurationMetadata: {CreationDateTime: new Date(0), CreatedByArn: 'arn:aws:iam::123456789012:root'},
  })
  emr.on(ListStudiosCommand).resolves({Studios: []})
  ec2.on(DescribeVpcsCommand).resolves({Vpcs: []})
  ec2.on(DescribeSubnetsCommand).resolves({Subnets: []})
  ec2.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: []})
  secrets.on(ListSecretsCommand).resolves({SecretList: []})
}

async function scan(config = {}) {
  const clients = await createAwsClients({})
  return scanAccount({clients, regions: ['us-east-1'], config, concurrency: 4})
}

beforeEach(() => {
  process.env['AWS_ACCESS_KEY_ID'] = 'testing'
  process.env['AWS_SECRET_ACCESS_KEY'] = 'testing'
  for (const mock of [iam, emr, ec2, secrets, sts, kms, s3]) mock.reset()
  healthyAccount()
})

afterEach(() => {
  delete process.env['AWS_ACCESS_KEY_ID']
  delete process.env['AWS_SECRET_ACCESS_KEY']
})

describe('IAM scanner', () => {
  it('follows GetAccountAuthorizationDetails pages and loses nothing at the boundary', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({
        RoleDetailList: [roleDetail('a'), roleDetail('b')],
        UserDetailList: [{UserName: 'u1', UserId: 'AIDAU1', Arn: `arn:aws:iam::${ACCOUNT}:user/u1`, Path: '/'}],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .resolvesOnce({
        RoleDetailList: [roleDetail('c')],
        GroupDetailList: [{GroupName: 'g', GroupId: 'AGPAG', Arn: `arn:aws:iam::${ACCOUNT}:group/g`, Path: '/'}],
        IsTruncated: false,
      })
    const inventory = await scan()
    expect(inventory.iam.roles.map((role) => role.name)).toEqual(['a', 'b', 'c'])
    expect(inventory.iam.users.map((user) => user.name)).toEqual(['u1'])
    expect(inventory.iam.groups.map((group) => group.name)).toEqual(['g'])
    const calls = iam.commandCalls(GetAccountAuthorizationDetailsCommand).map((call) => call.args[0].input)
    expect(calls).toEqual([
      {Filter: ['Role', 'User', 'Group', 'LocalManagedPolicy'], MaxItems: 1000, Marker: undefined},
      {Filter: ['Role', 'User', 'Group', 'LocalManagedPolicy'], MaxItems: 1000, Marker: 'page-2'},
    ])
  })

  it('stores trust, inline and customer managed policy documents decoded and parsed', async () => {
    const inline = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b/*'}]}
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [roleDetail('r', {RolePolicyList: [{PolicyName: 'p', PolicyDocument: encoded(inline)}]})],
      Policies: [
        {
          PolicyName: 'cm',
          Arn: `arn:aws:iam::${ACCOUNT}:policy/cm`,
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            {VersionId: 'v1', IsDefaultVersion: false, Document: encoded({Statement: []})},
            {VersionId: 'v2', IsDefaultVersion: true, Document: encoded(inline)},
          ],
        },
      ],
      IsTruncated: false,
    })
    const inventory = await scan()
    expect(inventory.iam.roles[0]?.trustPolicy).toEqual(ec2Trust)
    expect(inventory.iam.roles[0]?.inlinePolicies[0]?.document).toEqual(inline)
    expect(inventory.iam.policies[0]).toMatchObject({defaultVersionId: 'v2', document: inline, versionCount: 2, awsManaged: false})
  })

  it('fetches the default version of each attached AWS managed policy once, and no service-linked-role policy', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [
        roleDetail('one', {AttachedManagedPolicies: [{PolicyName: 'AmazonElasticMapReduceforEC2Role', PolicyArn: V1_EC2}]}),
        roleDetail('two', {AttachedManagedPolicies: [{PolicyName: 'AmazonElasticMapReduceforEC2Role', PolicyArn: V1_EC2}]}),
        roleDetail('AWSServiceRoleForEMRCleanup', {
          Path: '/aws-service-role/elasticmapreduce.amazonaws.com/',
          AttachedManagedPolicies: [{PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonEMRCleanupPolicy'}],
        }),
      ],
      IsTruncated: false,
    })
    iam.on(GetPolicyCommand).resolves({Policy: {PolicyName: 'AmazonElasticMapReduceforEC2Role', Arn: V1_EC2, DefaultVersionId: 'v3', Path: '/service-role/'}})
    iam
      .on(GetPolicyVersionCommand, {PolicyArn: V1_EC2, VersionId: 'v3'})
      .resolves({PolicyVersion: {VersionId: 'v3', Document: encoded({Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]})}})
    const inventory = await scan()
    expect(iam.commandCalls(GetPolicyCommand).map((call) => call.args[0].input.PolicyArn)).toEqual([V1_EC2])
    expect(inventory.iam.policies).toEqual([
      expect.objectContaining({
        arn: V1_EC2,
        awsManaged: true,
        defaultVersionId: 'v3',
        document: {Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]},
      }),
    ])
    expect(inventory.coverage).toContainEqual({source: 'iam.awsManagedPolicies', region: 'global', status: 'ok'})
  })

  it('lists instance profiles over several pages, including empty ones', async () => {
    iam
      .on(ListInstanceProfilesCommand)
      .resolvesOnce({
        InstanceProfiles: [
          {
            InstanceProfileName: 'empty',
            InstanceProfileId: 'AIPA1',
            Arn: 'arn:aws:iam::1:instance-profile/empty',
            Path: '/',
            Roles: [],
            CreateDate: new Date(0),
          },
        ],
        IsTruncated: true,
        Marker: 'm',
      })
      .resolvesOnce({
        InstanceProfiles: [
          {
            InstanceProfileName: 'full',
            InstanceProfileId: 'AIPA2',
            Arn: 'arn:aws:iam::1:instance-profile/full',
            Path: '/',
            Roles: [{RoleName: 'full', Arn: 'arn:aws:iam::1:role/full', RoleId: 'x', Path: '/', CreateDate: new Date(0)}],
            CreateDate: new Date(0),
          },
        ],
        IsTruncated: false,
      })
    const inventory = await scan()
    expect(inventory.iam.instanceProfiles.map((profile) => [profile.name, profile.roles.map((role) => role.name)])).toEqual([
      ['empty', []],
      ['full', ['full']],
    ])
    expect(iam.commandCalls(ListInstanceProfilesCommand)[1]?.args[0].input.Marker).toBe('m')
  })
})

describe('outcomes per source', () => {
  it('a denied source is recorded as denied with its action, and the scan completes', async () => {
    ec2.on(DescribeSubnetsCommand).rejects(awsError('UnauthorizedOperation', 403, 'You are not authorized to perform this operation.'))
    iam.on(ListInstanceProfilesCommand).rejects(awsError('AccessDenied', 403))
    const inventory = await scan()
    expect(inventory.coverage).toContainEqual(
      expect.objectContaining({source: 'ec2.subnets', region: 'us-east-1', status: 'denied', action: 'ec2:DescribeSubnets'}),
    )
    expect(inventory.coverage).toContainEqual(
      expect.objectContaining({source: 'iam.instanceProfiles', region: 'global', status: 'denied', action: 'iam:ListInstanceProfiles'}),
    )
    expect(inventory.coverage).toContainEqual({source: 'ec2.vpcs', region: 'us-east-1', status: 'ok'})
  })

  it('an endpoint without ListSecurityConfigurations is unsupported; names clusters reference are still described', async () => {
    emr
      .on(ListSecurityConfigurationsCommand)
      .rejects(awsError('SyntaxError', 500, 'Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error'))
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr
      .on(DescribeClusterCommand)
      .resolves({Cluster: {Id: 'j-1', Name: 'c', Status: {State: 'WAITING'}, SecurityConfiguration: 'secure', InstanceCollectionType: 'INSTANCE_GROUP'}})
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: []})
    emr
      .on(DescribeSecurityConfigurationCommand, {Name: 'secure'})
      .resolves({Name: 'secure', SecurityConfiguration: '{"EncryptionConfiguration":{"EnableAtRestEncryption":true}}'})
    emr
      .on(DescribeSecurityConfigurationCommand, {Name: 'from-config'})
      .rejects(awsError('InvalidRequestException', 400, 'Security configuration with name from-config does not exist'))
    const inventory = await scan({securityConfigurations: ['from-config']})
    expect(inventory.coverage).toContainEqual(
      expect.objectContaining({source: 'emr.securityConfigurations', status: 'unsupported', action: 'elasticmapreduce:ListSecurityConfigurations'}),
    )
    expect(inventory.emr.securityConfigurations).toEqual([
      {name: 'from-config', region: 'us-east-1', found: false, origins: ['config']},
      {name: 'secure', region: 'us-east-1', found: true, origins: ['cluster'], configuration: {EncryptionConfiguration: {EnableAtRestEncryption: true}}},
    ])
  })

  it('lists only active clusters, across pages, and reads their capacity', async () => {
    emr
      .on(ListClustersCommand)
      .resolvesOnce({Clusters: [{Id: 'j-1'}], Marker: 'next'})
      .resolvesOnce({Clusters: [{Id: 'j-2'}]})
    emr.on(DescribeClusterCommand).callsFake((input: {ClusterId: string}) => ({
      Cluster: {
        Id: input.ClusterId,
        Name: input.ClusterId,
        Status: {State: 'RUNNING'},
        InstanceCollectionType: 'INSTANCE_GROUP',
        Ec2InstanceAttributes: {IamInstanceProfile: 'EMR_EC2_DefaultRole'},
      },
    }))
    emr.on(ListInstanceGroupsCommand).resolves({
      InstanceGroups: [
        {
          Id: 'ig-1',
          InstanceGroupType: 'CORE',
          Market: 'SPOT',
          RequestedInstanceCount: 2,
          AutoScalingPolicy: {Status: {State: 'ATTACHED'}, Constraints: {MinCapacity: 1, MaxCapacity: 3}, Rules: []},
        },
      ],
    })
    const inventory = await scan()
    expect(emr.commandCalls(ListClustersCommand).map((call) => call.args[0].input)).toEqual([
      {ClusterStates: ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING'], Marker: undefined},
      {ClusterStates: ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING'], Marker: 'next'},
    ])
    expect(inventory.emr.clusters.map((cluster) => [cluster.id, cluster.instanceProfile, cluster.instanceGroups?.[0]?.hasAutoScalingPolicy])).toEqual([
      ['j-1', 'EMR_EC2_DefaultRole', true],
      ['j-2', 'EMR_EC2_DefaultRole', true],
    ])
  })

  it('keeps network resources clusters use and any carrying the v2 tag in any spelling, and drops the rest', async () => {
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr.on(DescribeClusterCommand).resolves({
      Cluster: {
        Id: 'j-1',
        Name: 'c',
        Status: {State: 'WAITING'},
        Ec2InstanceAttributes: {Ec2SubnetId: 'subnet-used', EmrManagedMasterSecurityGroup: 'sg-used'},
      },
    })
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: []})
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {SubnetId: 'subnet-used', VpcId: 'vpc-used', OwnerId: ACCOUNT},
        {SubnetId: 'subnet-tagged', VpcId: 'vpc-other', Tags: [{Key: 'For-Use-With-Amazon-EMR-Managed-Policies ', Value: 'True'}]},
        {SubnetId: 'subnet-unrelated', VpcId: 'vpc-other'},
      ],
    })
    ec2.on(DescribeVpcsCommand).resolves({Vpcs: [{VpcId: 'vpc-used'}, {VpcId: 'vpc-other'}]})
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-used',
          GroupName: 'm',
          IpPermissions: [
            {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]},
            {IpProtocol: '-1', UserIdGroupPairs: [{GroupId: 'sg-peer', UserId: '123456789012'}], PrefixListIds: [{PrefixListId: 'pl-1'}]},
          ],
        },
        {GroupId: 'sg-unrelated', GroupName: 'x'},
      ],
    })
    const inventory = await scan()
    expect(inventory.ec2.subnets.map((subnet) => subnet.id)).toEqual(['subnet-used', 'subnet-tagged'])
    expect(inventory.ec2.vpcs.map((vpc) => vpc.id)).toEqual(['vpc-used'])
    expect(inventory.ec2.securityGroups).toEqual([
      {
        id: 'sg-used',
        name: 'm',
        region: 'us-east-1',
        tags: [],
        ingress: [
          {protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: ['0.0.0.0/0'], ipv6Ranges: [], sourceGroups: [], prefixLists: []},
          {protocol: '-1', ipv4Ranges: [], ipv6Ranges: [], sourceGroups: ['sg-peer'], prefixLists: ['pl-1']},
        ],
      },
    ])
  })

  it('lists the network interfaces of the security groups clusters use, over pages, filtered by group', async () => {
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr.on(DescribeClusterCommand).resolves({
      Cluster: {
        Id: 'j-1',
        Name: 'c',
        Status: {State: 'WAITING'},
        Ec2InstanceAttributes: {EmrManagedMasterSecurityGroup: 'sg-m', EmrManagedSlaveSecurityGroup: 'sg-s'},
      },
    })
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: []})
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({
        NetworkInterfaces: [
          {
            NetworkInterfaceId: 'eni-1',
            Groups: [{GroupId: 'sg-m'}],
            Attachment: {InstanceId: 'i-1'},
            TagSet: [{Key: 'aws:elasticmapreduce:job-flow-id', Value: 'j-1'}],
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({NetworkInterfaces: [{NetworkInterfaceId: 'eni-2', Groups: [{GroupId: 'sg-s'}, {GroupId: 'sg-web'}], Description: 'web server'}]})
    const inventory = await scan()
    const calls = ec2.commandCalls(DescribeNetworkInterfacesCommand).map((call) => call.args[0].input)
    expect(calls).toEqual([
      {Filters: [{Name: 'group-id', Values: ['sg-m', 'sg-s']}], MaxResults: 1000, NextToken: undefined},
      {Filters: [{Name: 'group-id', Values: ['sg-m', 'sg-s']}], MaxResults: 1000, NextToken: 'page-2'},
    ])
    expect(inventory.ec2.networkInterfaces).toEqual([
      {id: 'eni-1', region: 'us-east-1', groupIds: ['sg-m'], instanceId: 'i-1', tags: [{key: 'aws:elasticmapreduce:job-flow-id', value: 'j-1'}]},
      {id: 'eni-2', region: 'us-east-1', groupIds: ['sg-s', 'sg-web'], description: 'web server', tags: []},
    ])
    expect(inventory.coverage).toContainEqual({source: 'ec2.networkInterfaces', region: 'us-east-1', status: 'ok'})
  })

  it('a denied network-interface listing is a named gap, not "no interfaces"', async () => {
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr
      .on(DescribeClusterCommand)
      .resolves({Cluster: {Id: 'j-1', Name: 'c', Status: {State: 'WAITING'}, Ec2InstanceAttributes: {EmrManagedMasterSecurityGroup: 'sg-m'}}})
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: []})
    ec2.on(DescribeNetworkInterfacesCommand).rejects(awsError('UnauthorizedOperation', 403))
    const inventory = await scan()
    expect(inventory.ec2.networkInterfaces).toEqual([])
    expect(inventory.coverage).toContainEqual(
      expect.objectContaining({source: 'ec2.networkInterfaces', status: 'denied', action: 'ec2:DescribeNetworkInterfaces'}),
    )
  })

  it('keeps Studio secrets (prefix, tag or config) by metadata only', async () => {
    secrets
      .on(ListSecretsCommand)
      .resolvesOnce({
        SecretList: [
          {ARN: 'arn:1', Name: 'emr-studio-git'},
          {ARN: 'arn:2', Name: 'db-password'},
        ],
        NextToken: 't',
      })
      .resolvesOnce({SecretList: [{ARN: 'arn:3', Name: 'tagged', Tags: [{Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'}]}]})
    const inventory = await scan()
    expect(inventory.secrets.map((secret) => secret.name)).toEqual(['emr-studio-git', 'tagged'])
  })

  it('rejected credentials stop the scan with a CredentialsError', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken', 403, 'The security token included in the request is expired'))
    await expect(scan()).rejects.toBeInstanceOf(CredentialsError)
  })

  it('credentials rejected mid-scan also stop it rather than look like a denied source', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(awsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'))
    await expect(scan()).rejects.toBeInstanceOf(CredentialsError)
  })
})

describe('sources that follow references', () => {
  const runtimeConfiguration = JSON.stringify({
    AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}},
    EncryptionConfiguration: {
      AtRestEncryptionConfiguration: {
        S3EncryptionConfiguration: {EncryptionMode: 'SSE-KMS', AwsKmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/k1'},
        LocalDiskEncryptionConfiguration: {EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: 'alias/gone'},
      },
    },
  })

  beforeEach(() => {
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr
      .on(DescribeClusterCommand)
      .resolves({Cluster: {Id: 'j-1', Name: 'c', Status: {State: 'RUNNING'}, SecurityConfiguration: 'runtime', InstanceCollectionType: 'INSTANCE_GROUP'}})
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: []})
    emr.on(ListInstancesCommand).resolves({Instances: [{Id: 'ci-1', Ec2InstanceId: 'i-1', PublicIpAddress: '203.0.113.7'}]})
    emr.on(ListSecurityConfigurationsCommand).resolves({SecurityConfigurations: [{Name: 'runtime'}]})
    emr.on(DescribeSecurityConfigurationCommand).resolves({Name: 'runtime', SecurityConfiguration: runtimeConfiguration})
    emr.on(ListStepsCommand).resolves({Steps: [{Id: 's-1'}, {Id: 's-2'}]})
    emr.on(DescribeStepCommand).callsFake((input: {StepId: string}) => ({
      Step: {Id: input.StepId, Name: input.StepId, ...(input.StepId === 's-1' ? {ExecutionRoleArn: 'arn:aws:iam::123456789012:role/runtime'} : {})},
    }))
  })

  it('reads primary instances, and steps (with their runtime role) where runtime roles are on', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 400))
    const inventory = await scan()
    const [cluster] = inventory.emr.clusters
    expect(emr.commandCalls(ListInstancesCommand)[0]?.args[0].input).toMatchObject({ClusterId: 'j-1', InstanceGroupTypes: ['MASTER']})
    expect(cluster?.primaryInstances).toEqual([{id: 'i-1', publicIpAddress: '203.0.113.7'}])
    expect(cluster?.steps).toEqual([
      {id: 's-1', name: 's-1', executionRoleArn: 'arn:aws:iam::123456789012:role/runtime'},
      {id: 's-2', name: 's-2'},
    ])
    expect(inventory.coverage).toContainEqual({source: 'emr.steps', region: 'us-east-1', status: 'ok'})
  })

  it("describes the KMS keys configurations name, in the key's own region, with the key policy", async () => {
    kms.on(DescribeKeyCommand, {KeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k1'}).resolves({
      KeyMetadata: {KeyId: 'k1', Arn: 'arn:aws:kms:eu-west-1:123456789012:key/k1', KeyState: 'Enabled', Enabled: true, KeySpec: 'SYMMETRIC_DEFAULT'},
    })
    kms.on(DescribeKeyCommand, {KeyId: 'alias/gone'}).rejects(awsError('NotFoundException', 400, 'Alias alias/gone is not found.'))
    kms
      .on(GetKeyPolicyCommand)
      .resolves({Policy: JSON.stringify({Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'kms:*', Resource: '*'}]})})
    const inventory = await scan()
    expect(inventory.kmsKeys).toEqual([
      {reference: 'alias/gone', region: 'us-east-1', found: false},
      expect.objectContaining({
        reference: 'arn:aws:kms:eu-west-1:123456789012:key/k1',
        region: 'eu-west-1',
        keyState: 'Enabled',
        keySpec: 'SYMMETRIC_DEFAULT',
        policy: {Statement: [expect.objectContaining({Action: 'kms:*'})]},
      }),
    ])
    expect(inventory.coverage).toContainEqual({source: 'kms.keys', region: 'eu-west-1', status: 'ok'})
  })

  it('reads Studio session mappings and the encryption of the Studio bucket; no default encryption is an empty list', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 400))
    emr.on(ListStudiosCommand).resolves({Studios: [{StudioId: 'es-1'}]})
    emr.on(DescribeStudioCommand).resolves({
      Studio: {StudioId: 'es-1', AuthMode: 'SSO', DefaultS3Location: 's3://studio-bucket/workspaces', ServiceRole: 'arn:aws:iam::123456789012:role/studio'},
    })
    emr
      .on(ListStudioSessionMappingsCommand)
      .resolves({SessionMappings: [{IdentityName: 'data-team', IdentityType: 'GROUP', SessionPolicyArn: 'arn:aws:iam::123456789012:policy/session'}]})
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError', 404))
    const inventory = await scan()
    expect(inventory.emr.studios[0]?.sessionMappings).toEqual([
      {identityName: 'data-team', identityType: 'GROUP', sessionPolicyArn: 'arn:aws:iam::123456789012:policy/session'},
    ])
    expect(inventory.s3Buckets).toEqual([{bucket: 'studio-bucket', rules: []}])
  })
})

/**
 * Pagination truth: every paginated source, served three pages of two items each. A token or marker
 * lost at a page boundary would drop items; an IAM Marker is followed only while IsTruncated is true.
 */
describe('every paginated source follows its pages to the end', () => {
  type Style = 'Marker' | 'NextToken' | 'IamMarker'
  /** Three pages of two items; the request's token says which page to serve. */
  function pages<T>(style: Style, listKey: string, make: (index: number) => T) {
    const tokenKey = style === 'NextToken' ? 'NextToken' : 'Marker'
    return (input: Record<string, unknown>) => {
      const page = input[tokenKey] === undefined ? 0 : Number(String(input[tokenKey]).replace('page-', ''))
      const more = page < 2
      return {
        [listKey]: [make(page * 2), make(page * 2 + 1)],
        ...(more ? {[tokenKey]: `page-${page + 1}`} : {}),
        // IAM: a marker on the last page must be ignored because IsTruncated is false.
        ...(style === 'IamMarker' ? {IsTruncated: more, ...(more ? {} : {Marker: 'stale'})} : {}),
      }
    }
  }
  const six = (prefix: string) => [0, 1, 2, 3, 4, 5].map((index) => `${prefix}${index}`)
  const V2 = [{Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'}]

  it('IAM: authorization details and instance profiles', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake(pages('IamMarker', 'RoleDetailList', (index) => roleDetail(`role${index}`)))
    iam.on(ListInstanceProfilesCommand).callsFake(
      pages('IamMarker', 'InstanceProfiles', (index) => ({
        InstanceProfileName: `profile${index}`,
        InstanceProfileId: `AIPA${index}`,
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/profile${index}`,
        Path: '/',
        Roles: [],
        CreateDate: new Date(0),
      })),
    )
    const inventory = await scan()
    expect(inventory.iam.roles.map((role) => role.name).sort()).toEqual(six('role'))
    expect(inventory.iam.instanceProfiles.map((profile) => profile.name).sort()).toEqual(six('profile'))
    expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(3)
  })

  it('EMR: clusters, their instance groups, fleets and primary instances', async () => {
    emr.on(ListClustersCommand).callsFake(pages('Marker', 'Clusters', (index) => ({Id: `j-${index}`})))
    emr.on(DescribeClusterCommand).callsFake((input: {ClusterId: string}) => ({
      Cluster: {
        Id: input.ClusterId,
        Name: input.ClusterId,
        Status: {State: 'WAITING'},
        InstanceCollectionType: input.ClusterId === 'j-5' ? 'INSTANCE_FLEET' : 'INSTANCE_GROUP',
      },
    }))
    emr.on(ListInstanceGroupsCommand).callsFake(
      pages('Marker', 'InstanceGroups', (index) => ({
        Id: `ig-${index}`,
        InstanceGroupType: index === 0 ? 'MASTER' : 'CORE',
        Market: 'ON_DEMAND',
        RequestedInstanceCount: 1,
      })),
    )
    emr
      .on(ListInstanceFleetsCommand)
      .callsFake(pages('Marker', 'InstanceFleets', (index) => ({Id: `if-${index}`, InstanceFleetType: index === 0 ? 'MASTER' : 'TASK', TargetSpotCapacity: 1})))
    emr.on(ListInstancesCommand).callsFake(pages('Marker', 'Instances', (index) => ({Ec2InstanceId: `i-${index}`, PrivateIpAddress: `10.0.0.${index}`})))
    const inventory = await scan()
    expect(inventory.emr.clusters.map((cluster) => cluster.id).sort()).toEqual(six('j-'))
    const groups = inventory.emr.clusters.find((cluster) => cluster.id === 'j-0')?.instanceGroups?.map((group) => group.id)
    expect(groups).toEqual(six('ig-'))
    expect(inventory.emr.clusters.find((cluster) => cluster.id === 'j-5')?.instanceFleets?.map((fleet) => fleet.id)).toEqual(six('if-'))
    expect(inventory.emr.clusters.find((cluster) => cluster.id === 'j-0')?.primaryInstances?.map((instance) => instance.id)).toEqual(six('i-'))
  })

  it('EMR: security configurations, Studios and their session mappings', async () => {
    emr.on(ListSecurityConfigurationsCommand).callsFake(pages('Marker', 'SecurityConfigurations', (index) => ({Name: `config${index}`})))
    emr.on(DescribeSecurityConfigurationCommand).callsFake((input: {Name: string}) => ({Name: input.Name, SecurityConfiguration: '{}'}))
    emr.on(ListStudiosCommand).callsFake(pages('Marker', 'Studios', (index) => ({StudioId: `es-${index}`})))
    emr.on(DescribeStudioCommand).callsFake((input: {StudioId: string}) => ({Studio: {StudioId: input.StudioId, AuthMode: 'SSO'}}))
    emr.on(ListStudioSessionMappingsCommand).callsFake(pages('Marker', 'SessionMappings', (index) => ({IdentityName: `user${index}`, IdentityType: 'USER'})))
    const inventory = await scan()
    expect(inventory.emr.securityConfigurations.map((entry) => entry.name).sort()).toEqual(six('config'))
    expect(inventory.emr.studios.map((studio) => studio.id).sort()).toEqual(six('es-'))
    expect(inventory.emr.studios[0]?.sessionMappings?.map((mapping) => mapping.identityName)).toEqual(six('user'))
  })

  it('EC2: VPCs, subnets, security groups and network interfaces; Secrets Manager: secrets', async () => {
    ec2.on(DescribeVpcsCommand).callsFake(pages('NextToken', 'Vpcs', (index) => ({VpcId: `vpc-${index}`, Tags: V2})))
    ec2.on(DescribeSubnetsCommand).callsFake(pages('NextToken', 'Subnets', (index) => ({SubnetId: `subnet-${index}`, Tags: V2})))
    ec2
      .on(DescribeSecurityGroupsCommand)
      .callsFake(pages('NextToken', 'SecurityGroups', (index) => ({GroupId: `sg-${index}`, GroupName: `g${index}`, Tags: V2})))
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr
      .on(DescribeClusterCommand)
      .resolves({Cluster: {Id: 'j-1', Name: 'c', Status: {State: 'WAITING'}, Ec2InstanceAttributes: {EmrManagedMasterSecurityGroup: 'sg-0'}}})
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: []})
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .callsFake(pages('NextToken', 'NetworkInterfaces', (index) => ({NetworkInterfaceId: `eni-${index}`, Groups: [{GroupId: 'sg-0'}]})))
    secrets.on(ListSecretsCommand).callsFake(pages('NextToken', 'SecretList', (index) => ({ARN: `arn:${index}`, Name: `emr-studio-${index}`})))
    const inventory = await scan()
    expect(inventory.ec2.vpcs.map((vpc) => vpc.id)).toEqual(six('vpc-'))
    expect(inventory.ec2.subnets.map((subnet) => subnet.id)).toEqual(six('subnet-'))
    expect(inventory.ec2.securityGroups.map((group) => group.id)).toEqual(six('sg-'))
    expect(inventory.ec2.networkInterfaces?.map((eni) => eni.id)).toEqual(six('eni-'))
    expect(inventory.secrets.map((secret) => secret.name)).toEqual(six('emr-studio-'))
  })

  it('Organizations: every active account', async () => {
    const organizations = mockClient(OrganizationsClient)
    organizations
      .on(ListAccountsCommand)
      .callsFake(pages('NextToken', 'Accounts', (index) => ({Id: `11111111111${index}`, Status: index === 3 ? 'SUSPENDED' : 'ACTIVE'})))
    expect(await organizationAccounts({region: 'us-east-1'})).toEqual(['111111111110', '111111111111', '111111111112', '111111111114', '111111111115'])
    organizations.restore()
  })
})

/**
 * Rules start as soon as the sources they read are in, while other reads go on: the report must not depend
 * on which reads finish first. Each run delays every call of some services, so sources finish in another order.
 */
describe('analysis overlapped with the reads', () => {
  const NOW = new Date('2026-11-29T12:00:00.000Z')
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  /** The same clients, every call of a service waiting `delayOf(service)` ms before it is sent. */
  function delayed(clients: AwsClients, delayOf: (service: keyof AwsClients) => number): AwsClients {
    const wrap = <K extends keyof AwsClients>(service: K): AwsClients[K] =>
      ((region: string) => {
        const client = clients[service](region) as unknown as {send(command: unknown): Promise<unknown>}
        return {send: async (command: unknown) => (await sleep(delayOf(service)), client.send(command))}
      }) as unknown as AwsClients[K]
    return {sts: wrap('sts'), iam: wrap('iam'), emr: wrap('emr'), ec2: wrap('ec2'), secretsManager: wrap('secretsManager'), kms: wrap('kms'), s3: wrap('s3')}
  }

  /** An account every rule group has something to say about: EMR roles, a user who may pass them, a cluster, a Studio, network. */
  function busyAccount(): void {
    const emrTrust = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}]}
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [
        roleDetail('EMR_DefaultRole', {
          AssumeRolePolicyDocument: encoded(emrTrust),
          AttachedManagedPolicies: [{PolicyName: 'AmazonEMRServicePolicy_v2', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'}],
        }),
        roleDetail('EMR_EC2_DefaultRole', {
          AttachedManagedPolicies: [{PolicyName: 'AmazonElasticMapReduceforEC2Role', PolicyArn: V1_EC2}],
          InstanceProfileList: [
            {
              InstanceProfileName: 'EMR_EC2_DefaultRole',
              InstanceProfileId: 'AIPA1',
              Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/EMR_EC2_DefaultRole`,
              Path: '/',
              CreateDate: new Date(0),
              Roles: [
                {
                  RoleName: 'EMR_EC2_DefaultRole',
                  RoleId: 'AROAEC2',
                  Arn: `arn:aws:iam::${ACCOUNT}:role/EMR_EC2_DefaultRole`,
                  Path: '/',
                  CreateDate: new Date(0),
                },
              ],
            },
          ],
        }),
        roleDetail('studio', {
          AssumeRolePolicyDocument: encoded({Statement: [{Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
          RolePolicyList: [
            {
              PolicyName: 'git',
              PolicyDocument: encoded({
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'secretsmanager:GetSecretValue',
                    Resource: '*',
                    Condition: {StringEquals: {'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true'}},
                  },
                ],
              }),
            },
          ],
        }),
      ],
      UserDetailList: [
        {
          UserName: 'launcher',
          UserId: 'AIDAL',
          Arn: `arn:aws:iam::${ACCOUNT}:user/launcher`,
          Path: '/',
          UserPolicyList: [
            {
              PolicyName: 'pass',
              PolicyDocument: encoded({Statement: [{Effect: 'Allow', Action: ['iam:PassRole', 'elasticmapreduce:RunJobFlow'], Resource: '*'}]}),
            },
          ],
        },
      ],
      IsTruncated: false,
    })
    iam.on(GetPolicyCommand).callsFake((input: {PolicyArn: string}) => ({
      Policy: {PolicyName: input.PolicyArn.split('/').pop(), Arn: input.PolicyArn, DefaultVersionId: 'v1', Path: '/service-role/'},
    }))
    iam
      .on(GetPolicyVersionCommand)
      .resolves({PolicyVersion: {VersionId: 'v1', Document: encoded({Statement: [{Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*'}]})}})
    emr.on(ListClustersCommand).resolves({Clusters: [{Id: 'j-1'}]})
    emr.on(DescribeClusterCommand).resolves({
      Cluster: {
        Id: 'j-1',
        Name: 'c',
        Status: {State: 'WAITING'},
        ServiceRole: 'EMR_DefaultRole',
        InstanceCollectionType: 'INSTANCE_GROUP',
        Ec2InstanceAttributes: {IamInstanceProfile: 'EMR_EC2_DefaultRole', Ec2SubnetId: 'subnet-1', EmrManagedMasterSecurityGroup: 'sg-1'},
      },
    })
    emr.on(ListInstanceGroupsCommand).resolves({InstanceGroups: [{Id: 'ig-1', InstanceGroupType: 'MASTER', Market: 'SPOT', RequestedInstanceCount: 1}]})
    emr.on(ListInstancesCommand).resolves({Instances: [{Id: 'ci-1', Ec2InstanceId: 'i-1', PublicIpAddress: '203.0.113.7'}]})
    emr.on(ListStudiosCommand).resolves({Studios: [{StudioId: 'es-1'}]})
    emr.on(DescribeStudioCommand).resolves({
      Studio: {
        StudioId: 'es-1',
        AuthMode: 'IAM',
        ServiceRole: `arn:aws:iam::${ACCOUNT}:role/studio`,
        DefaultS3Location: 's3://studio-bucket/w',
        WorkspaceSecurityGroupId: 'sg-2',
      },
    })
    emr.on(ListStudioSessionMappingsCommand).resolves({SessionMappings: []})
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError', 404))
    ec2.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-1', VpcId: 'vpc-1', MapPublicIpOnLaunch: true, Tags: []}]})
    ec2.on(DescribeVpcsCommand).resolves({Vpcs: [{VpcId: 'vpc-1', IsDefault: false}]})
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {GroupId: 'sg-1', GroupName: 'm', VpcId: 'vpc-1', IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]},
      ],
    })
    ec2.on(DescribeNetworkInterfacesCommand).resolves({NetworkInterfaces: []})
    secrets
      .on(ListSecretsCommand)
      .resolves({SecretList: [{ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:emr-studio-git-AbCdEf`, Name: 'emr-studio-git'}]})
  }

  async function scanAndReport(delayOf: (service: keyof AwsClients) => number) {
    const analysis = overlappedAnalysis(RULES, {config: {}, now: NOW})
    const inventory = await scanAccount({
      clients: delayed(await createAwsClients({}), delayOf),
      regions: ['us-east-1', 'eu-west-1'],
      config: {},
      concurrency: 4,
      now: () => NOW,
      onSourcesDone: (done, view) => analysis.sourcesDone(done, view),
    })
    const findings = await analysis.finish(inventory)
    return {json: renderJson(buildReport(inventory, findings, {includePassed: true})), early: analysis.ranDuringScan(), inventory}
  }

  it('the JSON report is byte-identical whichever reads finish first, and identical to analysing the saved inventory', async () => {
    busyAccount()
    const iamLast = await scanAndReport((service) => (service === 'iam' ? 250 : 0))
    const iamFirst = await scanAndReport((service) => (service === 'iam' || service === 'sts' ? 0 : 150))
    const secretsLast = await scanAndReport((service) => (service === 'secretsManager' ? 400 : 5))
    expect(iamFirst.json).toBe(iamLast.json)
    expect(secretsLast.json).toBe(iamLast.json)
    // Some rules ran before the scan ended, and not the same ones each time: the orders really differed.
    expect(iamFirst.early).toEqual(expect.arrayContaining(['EMR-POLICY-003', 'EMR-POLICY-004']))
    expect(iamLast.early).not.toContain('EMR-POLICY-003')
    expect(secretsLast.early).toEqual(expect.arrayContaining(['EMR-TRUST-001', 'EMR-PASSROLE-002']))
    expect(secretsLast.early).not.toContain('EMR-TAG-001')
    const offline = analyze(iamLast.inventory, {config: {}, now: NOW})
    expect(renderJson(buildReport(iamLast.inventory, offline, {includePassed: true}))).toBe(iamLast.json)
    // The report says something about every rule group, so the comparison covers them all.
    const parsed = JSON.parse(iamLast.json) as {findings: Array<{ruleId: string; status: string}>}
    expect(new Set(parsed.findings.map((finding) => finding.ruleId.split('-')[1])).size).toBeGreaterThanOrEqual(9)
  })
})
