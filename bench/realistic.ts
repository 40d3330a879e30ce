/**
 * An account shaped like a real one for the benchmark: workload roles carrying inline policies of typical
 * size (several statements, resource ARNs, conditions), customer managed policies, AWS managed policies
 * (ReadOnlyAccess on half of them, as many real roles have, and the EMR ones from the emulator's copy of
 * AWS's catalog), permissions boundaries on some, and tags; plus `replicate`, which grows a saved
 * inventory of it beyond what the emulator (and AWS's role quota) accepts.
 */
import {AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand} from '@aws-sdk/client-iam'
import pLimit from 'p-limit'
import type {Inventory} from '../src/inventory/schema.js'

const AWS_MANAGED = {
  readOnly: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  lambdaBasic: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  ssmCore: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  s3ReadOnly: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  dynamoReadOnly: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
  emrFull: 'arn:aws:iam::aws:policy/AmazonEMRFullAccessPolicy_v2',
}
const CUSTOMER_POLICIES = 25
const SERVICES = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com']

const document = (statements: unknown[]) => JSON.stringify({Version: '2012-10-17', Statement: statements})

function trustFor(index: number): string {
  return document([{Effect: 'Allow', Principal: {Service: SERVICES[index % SERVICES.length]}, Action: 'sts:AssumeRole'}])
}

/** About 1.5 KB, the size of a typical hand-written application policy. */
function inlinePolicy(account: string, name: string): string {
  return document([
    {
      Sid: 'ReadWriteOwnPrefix',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging'],
      Resource: [`arn:aws:s3:::data-${account}/${name}/*`, `arn:aws:s3:::scratch-${account}/${name}/*`],
    },
    {
      Sid: 'ListOwnPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::data-${account}`,
      Condition: {StringLike: {'s3:prefix': [`${name}/*`]}},
    },
    {
      Sid: 'Table',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/${name}*`,
    },
    {
      Sid: 'Queue',
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: `arn:aws:sqs:*:${account}:${name}-*`,
    },
    {
      Sid: 'Decrypt',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {StringEquals: {'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'sqs.us-east-1.amazonaws.com']}},
    },
    {Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:*:${account}:log-group:/apps/${name}:*`},
    {Sid: 'Secret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:*:${account}:secret:${name}/*`},
    {Sid: 'NoProdDelete', Effect: 'Deny', Action: ['s3:DeleteBucket', 'dynamodb:DeleteTable'], Resource: '*'},
  ])
}

function customerPolicy(account: string, index: number): string {
  return document([
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [`arn:aws:s3:::shared-${index}-${account}`, `arn:aws:s3:::shared-${index}-${account}/*`],
    },
    {Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: '*', Condition: {StringEquals: {'cloudwatch:namespace': `team-${index}`}}},
    {Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParametersByPath'], Resource: `arn:aws:ssm:*:${account}:parameter/team-${index}/*`},
    {Effect: 'Allow', Action: ['sns:Publish'], Resource: `arn:aws:sns:*:${account}:team-${index}-*`},
    ...(index % 5 === 0
      ? [
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: `arn:aws:iam::${account}:role/apps/*`,
            Condition: {StringEquals: {'iam:PassedToService': 'lambda.amazonaws.com'}},
          },
        ]
      : []),
  ])
}

const BOUNDARY = document([
  {Sid: 'Workloads', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*'},
  {Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'iam:PassRole'], Resource: '*'},
  {Sid: 'NoBoundaryEscape', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'], Resource: '*'},
])

/** The AWS managed policies a role gets besides its team's customer managed one: varied, as in real accounts. */
function awsManagedFor(index: number): string[] {
  return [
    ...(index % 2 === 0 ? [AWS_MANAGED.readOnly] : []),
    ...(index % 3 === 0 ? [AWS_MANAGED.lambdaBasic] : []),
    ...(index % 7 === 0 ? [AWS_MANAGED.ssmCore] : []),
    ...(index % 11 === 0 ? [AWS_MANAGED.s3ReadOnly, AWS_MANAGED.dynamoReadOnly] : []),
    ...(index % 97 === 0 ? [AWS_MANAGED.emrFull] : []),
  ]
}

/** Creates `count` workload roles (under /apps/) and the customer managed policies they use. */
export async function seedWorkloadRoles(iam: IAMClient, account: string, count: number): Promise<void> {
  const limit = pLimit(32)
  const customer = await Promise.all(
    Array.from({length: CUSTOMER_POLICIES}, (_, index) =>
      limit(
        async () =>
          (await iam.send(new CreatePolicyCommand({PolicyName: `team-${index}`, Path: '/teams/', PolicyDocument: customerPolicy(account, index)}))).Policy
            ?.Arn ?? '',
      ),
    ),
  )
  const boundary = (await iam.send(new CreatePolicyCommand({PolicyName: 'workload-boundary', PolicyDocument: BOUNDARY}))).Policy?.Arn
  await Promise.all(
    Array.from({length: count}, (_, index) =>
      limit(async () => {
        const RoleName = `workload-${index}`
        await iam.send(
          new CreateRoleCommand({
            RoleName,
            Path: '/apps/',
            AssumeRolePolicyDocument: trustFor(index),
            ...(index % 4 === 0 && boundary ? {PermissionsBoundary: boundary} : {}),
            Tags: [
              {Key: 'team', Value: `team-${index % CUSTOMER_POLICIES}`},
              {Key: 'env', Value: index % 3 === 0 ? 'prod' : 'dev'},
            ],
          }),
        )
        await iam.send(new PutRolePolicyCommand({RoleName, PolicyName: 'app', PolicyDocument: inlinePolicy(account, RoleName)}))
        for (const PolicyArn of [customer[index % CUSTOMER_POLICIES]!, ...awsManagedFor(index)])
          await iam.send(new AttachRolePolicyCommand({RoleName, PolicyArn}))
      }),
    ),
  )
}

type Role = Inventory['iam']['roles'][number]

function copyOf(role: Role, copy: number): Role {
  const name = `${role.name}-c${copy}`
  return {
    ...role,
    name,
    arn: `${role.arn.slice(0, role.arn.length - role.name.length)}${name}`,
    // Role ids are unique per account; a suffix keeps them well-formed (AROA + upper-case letters and digits).
    id: `${role.id}C${copy}`,
    instanceProfiles: [],
  }
}

/**
 * The saved inventory with its workload roles copied until it holds `roles` roles, each copy with a unique
 * name, ARN and id; EMR roles, clusters and everything regional stay as scanned.
 */
export function replicate(inventory: Inventory, roles: number): Inventory {
  const workloads = inventory.iam.roles.filter((role) => role.path === '/apps/' && role.instanceProfiles.length === 0)
  if (workloads.length === 0) throw new Error('the saved inventory has no workload roles to replicate')
  const grown = [...inventory.iam.roles]
  for (let copy = 1; grown.length < roles; copy++) for (const role of workloads.slice(0, roles - grown.length)) grown.push(copyOf(role, copy))
  return {...inventory, iam: {...inventory.iam, roles: grown}}
}
