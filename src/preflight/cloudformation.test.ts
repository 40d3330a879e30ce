import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {UserInputError} from '../shared/errors.js'
import {parseLaunchInput} from './input.js'
import type {AccountFacts} from './planned.js'

const ACCOUNT: AccountFacts = {id: '111122223333', partition: 'aws-us-gov', region: 'us-gov-west-1'}
const YAML = readFileSync(new URL('../../test/fixtures/preflight/cloudformation-template.yaml', import.meta.url), 'utf8')

const build = (text: string, parameters: Record<string, string> = {SubnetTag: 'true'}) => parseLaunchInput(text, 'template.yaml', {parameters}).build(ACCOUNT)
const failure = (text: string, parameters?: Record<string, string>): string => {
  try {
    build(text, parameters)
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError)
    return (error as Error).message
  }
  throw new Error('expected the template to be refused')
}
/** A template whose one cluster's ServiceRole is `serviceRole` (JSON), beside `resources`. */
const withServiceRole = (serviceRole: unknown, resources: Record<string, unknown> = {}, parameters: Record<string, unknown> = {}) =>
  JSON.stringify({
    Parameters: parameters,
    Resources: {...resources, Etl: {Type: 'AWS::EMR::Cluster', Properties: {Name: 'etl', ServiceRole: serviceRole, Instances: {}}}},
  })

describe('a CloudFormation template', () => {
  it('reads the cluster by its logical id, with Ref, Fn::GetAtt and parameters resolved against the template', () => {
    const {format, clusters} = build(YAML)
    expect(format).toBe('cloudformation')
    expect(clusters).toEqual([
      expect.objectContaining({
        address: 'Etl',
        name: 'etl',
        releaseLabel: 'emr-7.1.0',
        applications: ['Spark'],
        serviceRole: 'arn:aws-us-gov:iam::111122223333:role/etl-emr-service',
        jobFlowRole: 'EMR_EC2_DefaultRole',
        securityConfiguration: 'encrypted',
        subnetIds: ['planned:Private'],
        masterSecurityGroup: 'planned:Master',
        slaveSecurityGroup: 'planned:Slave',
        serviceAccessSecurityGroup: 'planned:ServiceAccess',
        primaryNodes: 1,
        usesSpot: false,
      }),
    ])
    expect(clusters[0]?.fields.jobFlowRole).toBe('Resources.Etl.Properties.JobFlowRole')
    expect(clusters[0]?.fields.subnet).toBe('Resources.Etl.Properties.Instances.Ec2SubnetId')
  })

  it('builds the roles, profile, policies, subnet and groups the template creates, Fn::Sub and Fn::Join resolved', () => {
    const {planned} = build(YAML)
    const service = planned.roles.find((role) => role.name === 'etl-emr-service')
    expect(service?.attachedPolicies.map((policy) => policy.arn)).toEqual(['arn:aws-us-gov:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2'])
    expect(service?.trustPolicy).toMatchObject({
      Statement: [
        {Condition: {StringEquals: {'aws:SourceAccount': '111122223333'}, ArnLike: {'aws:SourceArn': 'arn:aws-us-gov:elasticmapreduce:*:111122223333:*'}}},
      ],
    })
    const ec2 = planned.roles.find((role) => role.name === 'EMR_EC2_DefaultRole')
    expect(ec2?.inlinePolicies).toEqual([
      {
        name: 'data',
        document: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws-us-gov:s3:::etl-data/*'}]},
      },
    ])
    expect(planned.instanceProfiles).toEqual([
      expect.objectContaining({
        name: 'EMR_EC2_DefaultRole',
        roles: [{name: 'EMR_EC2_DefaultRole', arn: 'arn:aws-us-gov:iam::111122223333:role/EMR_EC2_DefaultRole'}],
      }),
    ])
    expect(planned.subnets).toEqual([
      {id: 'planned:Private', region: 'us-gov-west-1', mapPublicIpOnLaunch: false, tags: [{key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}]},
    ])
    expect(planned.securityGroups.map((group) => group.id)).toEqual(['planned:Master', 'planned:Slave', 'planned:ServiceAccess'])
  })

  it('takes --parameter over a Default, and names a parameter with neither', () => {
    expect(build(YAML, {SubnetTag: 'false', ReleaseLabel: 'emr-6.5.0'}).clusters[0]?.releaseLabel).toBe('emr-6.5.0')
    expect(build(YAML, {SubnetTag: 'false'}).planned.subnets[0]?.tags).toEqual([{key: 'for-use-with-amazon-emr-managed-policies', value: 'false'}])
    expect(failure(YAML, {})).toBe(
      'template.yaml: Resources.Private.Properties.Tags: parameter SubnetTag has no value and no Default: pass --parameter SubnetTag=VALUE',
    )
    expect(() => parseLaunchInput(YAML, 'template.yaml', {parameters: {SubnetTag: 'true', Nope: 'x'}})).toThrow(
      '--parameter Nope: the template declares no such parameter',
    )
  })

  it("reads a group's ingress, in the group and in AWS::EC2::SecurityGroupIngress resources that refer to it", () => {
    const group = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {GroupDescription: 'g', SecurityGroupIngress: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8'}]},
    }
    const open = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {GroupId: {'Fn::GetAtt': ['Group', 'GroupId']}, IpProtocol: 'tcp', FromPort: '8080', ToPort: 8080, CidrIpv6: '::/0'},
    }
    const [built] = build(withServiceRole('svc', {Group: group, Open: open}), {}).planned.securityGroups
    expect(built?.ingress).toEqual([
      {protocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: ['10.0.0.0/8'], ipv6Ranges: [], sourceGroups: [], prefixLists: []},
      {protocol: 'tcp', fromPort: 8080, toPort: 8080, ipv4Ranges: [], ipv6Ranges: ['::/0'], sourceGroups: [], prefixLists: []},
    ])
  })

  it('stands for a generated role name by the logical id', () => {
    const template = withServiceRole({'Fn::GetAtt': ['Service', 'Arn']}, {Service: {Type: 'AWS::IAM::Role', Properties: {AssumeRolePolicyDocument: {}}}})
    expect(build(template, {}).clusters[0]?.serviceRole).toBe('arn:aws-us-gov:iam::111122223333:role/Service')
  })

  it('resolves Fn::Sub with its own variables, ${Resource.Attribute} and ${!Literal}', () => {
    const template = withServiceRole(
      {'Fn::Sub': ['${Prefix}-${AWS::Region}-${!Literal}-${Service.Arn}', {Prefix: {Ref: 'Env'}}]},
      {Service: {Type: 'AWS::IAM::Role', Properties: {RoleName: 'svc'}}},
      {Env: {Type: 'String', Default: 'prod'}},
    )
    expect(build(template, {}).clusters[0]?.serviceRole).toBe('prod-us-gov-west-1-${Literal}-arn:aws-us-gov:iam::111122223333:role/svc')
  })

  it.each([
    ['an intrinsic preflight does not resolve', {'Fn::ImportValue': 'shared-role'}, {}, 'Fn::ImportValue is not supported by preflight'],
    ['a Ref to nothing', {Ref: 'Missing'}, {}, 'Missing is neither a parameter nor a resource of the template'],
    ['a Ref cycle', {Ref: 'Loop'}, {Loop: {Type: 'AWS::IAM::Role', Properties: {RoleName: {Ref: 'Loop'}}}}, 'Loop refers to itself (a cycle)'],
    [
      'a Ref to a resource whose Ref is known only at creation',
      {Ref: 'Bucket'},
      {Bucket: {Type: 'AWS::S3::Bucket'}},
      'Ref of a AWS::S3::Bucket is known only when the stack is created',
    ],
    ['the stack name', {'Fn::Sub': '${AWS::StackName}-service'}, {}, 'AWS::StackName is known only when the stack is created'],
    ['a huge Fn::Sub', {'Fn::Sub': 'x'.repeat(20_000)}, {}, 'an Fn::Sub string longer than 16384 characters'],
    [
      'an Fn::Sub that names a long value many times',
      {'Fn::Sub': ['${Long}'.repeat(2000), {Long: 'z'.repeat(1000)}]},
      {},
      'a resolved value longer than 65536 characters',
    ],
    [
      'an Fn::Join that grows without bound',
      {'Fn::Join': ['', Array.from({length: 20}, () => 'y'.repeat(4000))]},
      {},
      'a resolved value longer than 65536 characters',
    ],
  ])('refuses %s on a field the verdict needs, naming the path', (_name, serviceRole, resources, message) => {
    expect(failure(withServiceRole(serviceRole, resources), {})).toBe(`template.yaml: Resources.Etl.Properties.ServiceRole: ${message}`)
  })

  it('resolves an intrinsic that stands for a whole block before reading inside it', () => {
    const template = JSON.stringify({
      Resources: {
        Etl: {
          Type: 'AWS::EMR::Cluster',
          Properties: {Name: 'etl', Instances: {'Fn::Select': [0, [{Ec2SubnetId: 'subnet-0abc', MasterInstanceGroup: {InstanceCount: '3'}}]]}},
        },
      },
    })
    expect(build(template, {}).clusters[0]).toMatchObject({subnetIds: ['subnet-0abc'], primaryNodes: 3})
  })

  it('bounds intrinsic nesting', () => {
    let deep: unknown = 'role'
    for (let depth = 0; depth < 40; depth++) deep = {'Fn::Select': [0, [deep]]}
    expect(failure(withServiceRole(deep), {})).toContain('nested deeper than 32')
  })

  it('an unresolvable policy document reads as unknown, not as an error', () => {
    const role = {Type: 'AWS::IAM::Role', Properties: {RoleName: 'svc', AssumeRolePolicyDocument: {'Fn::ImportValue': 'trust'}}}
    const {planned} = build(withServiceRole('svc', {Role: role}), {})
    expect(planned.roles[0]?.trustPolicy).toBeNull()
    expect(planned.roles[0]?.trustPolicyParseError).toContain('Fn::ImportValue is not supported')
  })

  it('keeps prototype keys as plain logical ids, and escapes control characters in messages', () => {
    const proto = JSON.stringify({
      Resources: JSON.parse(
        '{"__proto__": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "polluted"}}, "Etl": {"Type": "AWS::EMR::Cluster", "Properties": {"Name": "etl", "ServiceRole": {"Ref": "__proto__"}, "Instances": {}}}}',
      ) as unknown,
    })
    expect(build(proto, {}).clusters[0]?.serviceRole).toBe('polluted')
    expect(({} as Record<string, unknown>)['RoleName']).toBeUndefined()
    const yamlProto =
      'Resources:\n  __proto__:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: yaml-polluted}\n  Etl:\n    Type: AWS::EMR::Cluster\n    Properties: {Name: etl, ServiceRole: !Ref __proto__, Instances: {}}\n'
    expect(build(yamlProto, {}).clusters[0]?.serviceRole).toBe('yaml-polluted')
    const message = failure(withServiceRole({Ref: 'Evil\u001b[2J\u202e'}), {})
    expect(message).toContain('Evil\\x1b[2J\\u202e')
    expect(message).not.toContain('\u001b')
    expect(message).not.toContain('\u202e')
  })
  // As a RunJobFlow request (run-job-flow.ts): 100 ids a list, 50 tags (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-tags-restrictions.html).
  it('refuses a cluster listing more ids or tags than a RunJobFlow request may hold', () => {
    const cluster = (properties: Record<string, unknown>) =>
      JSON.stringify({Resources: {Etl: {Type: 'AWS::EMR::Cluster', Properties: {Name: 'etl', ServiceRole: 'EMR_DefaultRole', ...properties}}}})
    const ids = Array.from({length: 101}, (_, index) => `sg-${index}`)
    expect(failure(cluster({Instances: {AdditionalMasterSecurityGroups: ids}}), {})).toContain('more than 100')
    const tags = Array.from({length: 51}, (_, index) => ({Key: `k${index}`, Value: 'v'}))
    expect(failure(cluster({Instances: {}, Tags: tags}), {})).toContain('more than 50')
  })
})
