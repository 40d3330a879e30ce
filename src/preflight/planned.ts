/**
 * What a Terraform plan or a CloudFormation template creates, turned into the inventory's own shapes. The
 * ARNs of what is created depend on the account it is created in, which is known only once the account is
 * read: the parsers check their input early (before any AWS call) and build the request late, for an account.
 */
import {UserInputError} from '../shared/errors.js'
import {forLog} from '../shared/escape.js'
import {isPlainObject, parseJsonText} from '../shared/validate.js'
import type {InstanceProfile, ManagedPolicy, NamedPolicy, PolicyDocument, Role, Tag} from '../inventory/schema.js'
import type {LaunchRequest} from './request.js'

/** The account and region the request will be launched in. */
export interface AccountFacts {
  id: string
  partition: string
  region: string
}

/** Stands for the real account while the input is only being checked (no ARN built with it is ever reported). */
export const PROVISIONAL_ACCOUNT: AccountFacts = {id: '000000000000', partition: 'aws', region: 'us-east-1'}

/** An input that parsed: the request it describes, once the account is known. `build` is pure and may throw a UserInputError. */
export interface ParsedLaunch {
  format: LaunchRequest['format']
  build(account: AccountFacts): LaunchRequest
}

/** A problem in FILE at a path of it, as one line safe for a terminal. */
export function inputError(file: string, path: string, message: string): UserInputError {
  return new UserInputError(forLog(`${file}: ${path}: ${message}`))
}

/** A value known only once the plan is applied or the stack created: its policy reads as unknown, with why. */
export class UnknownValue {
  constructor(readonly reason: string) {}
}

/** A policy document as IaC gives it: JSON text (Terraform, CloudFormation strings) or an object (CloudFormation). */
export function policyDocument(value: unknown): {document: PolicyDocument | null; parseError?: string} {
  if (value instanceof UnknownValue) return {document: null, parseError: value.reason}
  if (isPlainObject(value)) return {document: value}
  if (typeof value !== 'string') return {document: null, parseError: 'not a policy document'}
  try {
    const parsed = parseJsonText(value)
    return isPlainObject(parsed) ? {document: parsed} : {document: null, parseError: 'not a JSON object'}
  } catch (error) {
    return {document: null, parseError: (error as Error).message}
  }
}

export const namedPolicy = (name: string, value: unknown): NamedPolicy => {
  const {document, parseError} = policyDocument(value)
  return {name, document, ...(parseError ? {parseError} : {})}
}

/** IAM paths start and end with a slash; `/` when none is given. */
export const iamPath = (path: string | undefined): string => (path ? `${path.startsWith('/') ? '' : '/'}${path}${path.endsWith('/') ? '' : '/'}` : '/')

export const iamArn = (account: AccountFacts, kind: 'role' | 'instance-profile' | 'policy', path: string, name: string): string =>
  `arn:${account.partition}:iam::${account.id}:${kind}${path}${name}`

export interface RoleSpec {
  /** Where the role is described (a Terraform address, a logical id): the id a role not yet created is given. */
  address: string
  name: string
  path?: string
  trustPolicy: unknown
  inlinePolicies: NamedPolicy[]
  managedPolicyArns: string[]
  tags: Tag[]
}

export function plannedRole(spec: RoleSpec, account: AccountFacts): Role {
  const path = iamPath(spec.path)
  const trust = policyDocument(spec.trustPolicy)
  return {
    name: spec.name,
    arn: iamArn(account, 'role', path, spec.name),
    id: `planned:${spec.address}`,
    path,
    trustPolicy: trust.document,
    ...(trust.parseError ? {trustPolicyParseError: trust.parseError} : {}),
    inlinePolicies: spec.inlinePolicies,
    attachedPolicies: [...new Set(spec.managedPolicyArns)].map((arn) => ({arn, name: arn.slice(arn.lastIndexOf('/') + 1)})),
    // The overlay fills in the profiles a role is in.
    instanceProfiles: [],
    tags: spec.tags,
  }
}

export function plannedProfile(
  address: string,
  name: string,
  path: string | undefined,
  roleNames: readonly string[],
  roles: readonly Role[],
  account: AccountFacts,
): InstanceProfile {
  const profilePath = iamPath(path)
  return {
    name,
    arn: iamArn(account, 'instance-profile', profilePath, name),
    id: `planned:${address}`,
    path: profilePath,
    // A role the plan does not create is one of the account's: its ARN is built the way IAM builds it, with the default path.
    roles: roleNames.map((roleName) => ({name: roleName, arn: roles.find((role) => role.name === roleName)?.arn ?? iamArn(account, 'role', '/', roleName)})),
  }
}

export function plannedPolicy(name: string, path: string | undefined, document: unknown, account: AccountFacts): ManagedPolicy {
  const policyPath = iamPath(path)
  const parsed = policyDocument(document)
  return {
    arn: iamArn(account, 'policy', policyPath, name),
    name,
    path: policyPath,
    awsManaged: false,
    defaultVersionId: 'v1',
    document: parsed.document,
    ...(parsed.parseError ? {parseError: parsed.parseError} : {}),
    attachmentCount: 0,
  }
}

/** A policy attached to roles by a separate resource (aws_iam_role_policy, AWS::IAM::Policy): added to those the plan creates. */
export function attachInline(roles: Role[], roleNames: readonly string[], policy: NamedPolicy): void {
  for (const role of roles) if (roleNames.includes(role.name)) role.inlinePolicies.push(policy)
}

export function attachManaged(roles: Role[], roleNames: readonly string[], arn: string): void {
  for (const role of roles)
    if (roleNames.includes(role.name) && !role.attachedPolicies.some((entry) => entry.arn === arn))
      role.attachedPolicies.push({arn, name: arn.slice(arn.lastIndexOf('/') + 1)})
}

/** `a, b` → [a, b]: Terraform's additional security groups are one comma-separated string. */
export const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
