/**
 * The fixer's AWS edge: reading a target's current state, and sending a planned call. The only module
 * outside the scanners that sends AWS commands, and the only one anywhere that writes. It reads per kind
 * of target (FIX_READ_ACTIONS) and sends only the writes the remediation modules declare
 * (src/fix/remediations/index.ts); `emr-audit permissions --fix` is generated from both.
 */
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Tag as Ec2Tag,
} from '@aws-sdk/client-ec2'
import {
  GetBlockPublicAccessConfigurationCommand,
  PutBlockPublicAccessConfigurationCommand,
  type PutBlockPublicAccessConfigurationCommandInput,
} from '@aws-sdk/client-emr'
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateServiceLinkedRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRolePolicyCommand,
  DeleteServiceLinkedRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {DescribeSecretCommand, TagResourceCommand, UntagResourceCommand} from '@aws-sdk/client-secrets-manager'
import type {AwsClients} from '../aws/clients.js'
import {isNotFound} from '../aws/errors.js'
import {toTags} from '../inventory/tags.js'
import {decodePolicyDocument} from '../policy/document.js'
import {FIX_WRITE_ACTIONS} from './remediations/index.js'
import {linkedServiceOf, serviceLinkedPath} from './remediations/service-linked-roles.js'
import type {Call, Change, ChangeKind, TargetState} from './types.js'

/** The reads that re-check a target before a write (and before an undo). */
export const FIX_READ_ACTIONS: Record<ChangeKind, string[]> = {
  'tag-ec2-resource': ['ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups'],
  'tag-secret': ['secretsmanager:DescribeSecret'],
  'instance-profile': ['iam:GetInstanceProfile'],
  'put-role-policy': ['iam:GetRolePolicy'],
  'update-trust-policy': ['iam:GetRole'],
  'create-service-linked-role': ['iam:ListRoles'],
  'put-block-public-access': ['elasticmapreduce:GetBlockPublicAccessConfiguration'],
}

type Params = Record<string, unknown>
type Sender = (clients: AwsClients, region: string, parameters: Params) => Promise<unknown>

/** How to send each write a module may declare. Parameters are the plan's, unchanged. */
const SENDERS: Record<string, Sender> = {
  'ec2:CreateTags': (clients, region, parameters) => clients.ec2(region).send(new CreateTagsCommand(parameters as {Resources: string[]; Tags: Ec2Tag[]})),
  'ec2:DeleteTags': (clients, region, parameters) => clients.ec2(region).send(new DeleteTagsCommand(parameters as {Resources: string[]; Tags: Ec2Tag[]})),
  'secretsmanager:TagResource': (clients, region, parameters) =>
    clients.secretsManager(region).send(new TagResourceCommand(parameters as {SecretId: string; Tags: Array<{Key: string; Value: string}>})),
  'secretsmanager:UntagResource': (clients, region, parameters) =>
    clients.secretsManager(region).send(new UntagResourceCommand(parameters as {SecretId: string; TagKeys: string[]})),
  'iam:PutRolePolicy': (clients, region, parameters) =>
    clients.iam(region).send(new PutRolePolicyCommand(parameters as {RoleName: string; PolicyName: string; PolicyDocument: string})),
  'iam:DeleteRolePolicy': (clients, region, parameters) =>
    clients.iam(region).send(new DeleteRolePolicyCommand(parameters as {RoleName: string; PolicyName: string})),
  'iam:UpdateAssumeRolePolicy': (clients, region, parameters) =>
    clients.iam(region).send(new UpdateAssumeRolePolicyCommand(parameters as {RoleName: string; PolicyDocument: string})),
  'iam:CreateInstanceProfile': (clients, region, parameters) =>
    clients.iam(region).send(new CreateInstanceProfileCommand(parameters as {InstanceProfileName: string; Path?: string})),
  'iam:AddRoleToInstanceProfile': (clients, region, parameters) =>
    clients.iam(region).send(new AddRoleToInstanceProfileCommand(parameters as {InstanceProfileName: string; RoleName: string})),
  'iam:RemoveRoleFromInstanceProfile': (clients, region, parameters) =>
    clients.iam(region).send(new RemoveRoleFromInstanceProfileCommand(parameters as {InstanceProfileName: string; RoleName: string})),
  'iam:DeleteInstanceProfile': (clients, region, parameters) =>
    clients.iam(region).send(new DeleteInstanceProfileCommand(parameters as {InstanceProfileName: string})),
  'iam:CreateServiceLinkedRole': (clients, region, parameters) =>
    clients.iam(region).send(new CreateServiceLinkedRoleCommand(parameters as {AWSServiceName: string})),
  'iam:DeleteServiceLinkedRole': (clients, region, parameters) =>
    clients.iam(region).send(new DeleteServiceLinkedRoleCommand(parameters as {RoleName: string})),
  'elasticmapreduce:PutBlockPublicAccessConfiguration': (clients, region, parameters) =>
    clients.emr(region).send(new PutBlockPublicAccessConfigurationCommand(parameters as unknown as PutBlockPublicAccessConfigurationCommandInput)),
}

/** Where a change's calls go: IAM is global and is called through the home region's client. */
function callRegion(change: Pick<Change, 'region'>, homeRegion: string): string {
  return change.region === 'global' ? homeRegion : change.region
}

export async function sendCall(clients: AwsClients, change: Pick<Change, 'region'>, homeRegion: string, call: Call): Promise<void> {
  // A sender without a declaration is a write no reviewed module makes: never sent.
  const send = FIX_WRITE_ACTIONS.includes(call.operation) ? SENDERS[call.operation] : undefined
  if (!send) throw new Error(`emr-audit does not send ${call.operation}`)
  await send(clients, callRegion(change, homeRegion), call.parameters)
}

async function orAbsent<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read()
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

function policyDocument(raw: string | undefined, what: string): Record<string, unknown> {
  const {document, error} = decodePolicyDocument(raw)
  if (!document) throw new Error(`${what} could not be read: ${error ?? 'empty'}`)
  return document
}

async function ec2Tags(clients: AwsClients, region: string, change: Change): Promise<TargetState> {
  const ec2 = clients.ec2(region)
  const id = change.target.id
  let tags: Ec2Tag[] | undefined
  if (change.target.type === 'ec2-subnet') tags = (await ec2.send(new DescribeSubnetsCommand({SubnetIds: [id]}))).Subnets?.[0]?.Tags
  else if (change.target.type === 'ec2-vpc') tags = (await ec2.send(new DescribeVpcsCommand({VpcIds: [id]}))).Vpcs?.[0]?.Tags
  else tags = (await ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [id]}))).SecurityGroups?.[0]?.Tags
  return {kind: 'tags', tags: toTags(tags)}
}

/** The target's state now, in the shape of the plan's before and after. */
export async function readState(clients: AwsClients, change: Change, homeRegion: string): Promise<TargetState> {
  const region = callRegion(change, homeRegion)
  const iam = clients.iam(region)
  const roleName = change.target.name ?? change.target.id
  switch (change.kind) {
    case 'tag-ec2-resource':
      return ec2Tags(clients, region, change)
    case 'tag-secret': {
      // Metadata only: DescribeSecret never returns the value.
      const secret = await clients.secretsManager(region).send(new DescribeSecretCommand({SecretId: change.target.arn ?? change.target.id}))
      return {kind: 'tags', tags: toTags(secret.Tags)}
    }
    case 'put-role-policy': {
      const policy = await orAbsent(() => iam.send(new GetRolePolicyCommand({RoleName: roleName, PolicyName: change.policyName ?? ''})))
      return {kind: 'policy-document', document: policy ? policyDocument(policy.PolicyDocument, `inline policy ${change.policyName}`) : null}
    }
    case 'update-trust-policy': {
      const role = await iam.send(new GetRoleCommand({RoleName: roleName}))
      return {kind: 'policy-document', document: policyDocument(role.Role?.AssumeRolePolicyDocument, `the trust policy of ${roleName}`)}
    }
    case 'instance-profile': {
      const profile = await orAbsent(() => iam.send(new GetInstanceProfileCommand({InstanceProfileName: change.target.id})))
      return {
        kind: 'instance-profile',
        exists: profile !== undefined,
        roles: (profile?.InstanceProfile?.Roles ?? []).flatMap((role) => (role.RoleName ? [role.RoleName] : [])),
      }
    }
    case 'create-service-linked-role': {
      const service = linkedServiceOf(change.target.id)
      if (!service) throw new Error(`emr-audit knows no service-linked role named ${change.target.id}`)
      const listed = await iam.send(new ListRolesCommand({PathPrefix: serviceLinkedPath(service)}))
      return {kind: 'service-linked-role', roles: (listed.Roles ?? []).flatMap((role) => (role.RoleName ? [role.RoleName] : []))}
    }
    case 'put-block-public-access': {
      const answer = await clients.emr(region).send(new GetBlockPublicAccessConfigurationCommand({}))
      const configuration = answer.BlockPublicAccessConfiguration
      return {
        kind: 'block-public-access',
        blockPublicSecurityGroupRules: configuration?.BlockPublicSecurityGroupRules ?? null,
        permittedRanges: (configuration?.PermittedPublicSecurityGroupRuleRanges ?? []).map((range) => ({
          min: range.MinRange ?? 0,
          ...(range.MaxRange === undefined ? {} : {max: range.MaxRange}),
        })),
      }
    }
  }
}

/** The account the credentials belong to (sts:GetCallerIdentity needs no permission). */
export async function callerAccount(clients: AwsClients, region: string): Promise<string> {
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts')
  return (await clients.sts(region).send(new GetCallerIdentityCommand({}))).Account ?? ''
}
