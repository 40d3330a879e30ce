/**
 * IAM is read with one paginated GetAccountAuthorizationDetails (roles with trust, inline and attached
 * policies, instance profiles and tags; users; groups; customer managed policies), never role by role.
 * What it cannot show is read separately: instance profiles without a role (ListInstanceProfiles) and the
 * current default versions of the AWS managed policies that principals attach (GetPolicy + GetPolicyVersion).
 */
import type {GroupDetail, IAMClient, ManagedPolicyDetail, PolicyDetail, RoleDetail, SummaryKeyType, UserDetail} from '@aws-sdk/client-iam'
import {sdk} from '../aws/sdk.js'
import type {AttachedPolicy, Group, InstanceProfile, ManagedPolicy, NamedPolicy, Role, User} from '../inventory/schema.js'
import {toTags} from '../inventory/tags.js'
import {decodePolicyDocument} from '../policy/document.js'
import {parseArn} from '../policy/match.js'
import {call, recordFailure, runSource, settle, type ScanContext} from './context.js'
import {byTruncatedMarker, collectPages} from './pagination.js'
import {defineSource} from './source.js'

const GLOBAL = 'global'

export interface AuthorizationDetails {
  roles: Role[]
  users: User[]
  groups: Group[]
  customerPolicies: ManagedPolicy[]
}

function namedPolicies(list: PolicyDetail[] | undefined): NamedPolicy[] {
  return (list ?? []).map((entry) => {
    const {document, error} = decodePolicyDocument(entry.PolicyDocument)
    return {name: entry.PolicyName ?? '', document, ...(error ? {parseError: error} : {})}
  })
}

function attached(list: Array<{PolicyName?: string; PolicyArn?: string}> | undefined): AttachedPolicy[] {
  return (list ?? []).map((entry) => ({name: entry.PolicyName ?? '', arn: entry.PolicyArn ?? ''}))
}

function toRole(detail: RoleDetail): Role {
  const trust = decodePolicyDocument(detail.AssumeRolePolicyDocument)
  return {
    name: detail.RoleName ?? '',
    arn: detail.Arn ?? '',
    id: detail.RoleId ?? '',
    path: detail.Path ?? '/',
    trustPolicy: trust.document,
    ...(trust.error ? {trustPolicyParseError: trust.error} : {}),
    inlinePolicies: namedPolicies(detail.RolePolicyList),
    attachedPolicies: attached(detail.AttachedManagedPolicies),
    instanceProfiles: (detail.InstanceProfileList ?? []).map((profile) => ({
      name: profile.InstanceProfileName ?? '',
      arn: profile.Arn ?? '',
      roleNames: (profile.Roles ?? []).map((role) => role.RoleName ?? ''),
    })),
    ...(detail.PermissionsBoundary?.PermissionsBoundaryArn ? {permissionsBoundaryArn: detail.PermissionsBoundary.PermissionsBoundaryArn} : {}),
    tags: toTags(detail.Tags),
    ...(detail.RoleLastUsed?.LastUsedDate ? {lastUsed: detail.RoleLastUsed.LastUsedDate.toISOString()} : {}),
  }
}

function toCustomerPolicy(detail: ManagedPolicyDetail): ManagedPolicy {
  const versions = detail.PolicyVersionList ?? []
  const defaultVersion = versions.find((version) => version.IsDefaultVersion) ?? versions.find((version) => version.VersionId === detail.DefaultVersionId)
  const decoded = defaultVersion ? decodePolicyDocument(defaultVersion.Document) : {document: null, error: 'default version not returned'}
  return {
    arn: detail.Arn ?? '',
    name: detail.PolicyName ?? '',
    path: detail.Path ?? '/',
    awsManaged: false,
    defaultVersionId: detail.DefaultVersionId ?? defaultVersion?.VersionId ?? '',
    document: decoded.document,
    ...(decoded.error ? {parseError: decoded.error} : {}),
    versionCount: versions.length,
    ...(detail.AttachmentCount === undefined ? {} : {attachmentCount: detail.AttachmentCount}),
  }
}

function toUser(detail: UserDetail): User {
  return {
    name: detail.UserName ?? '',
    arn: detail.Arn ?? '',
    id: detail.UserId ?? '',
    path: detail.Path ?? '/',
    inlinePolicies: namedPolicies(detail.UserPolicyList),
    attachedPolicies: attached(detail.AttachedManagedPolicies),
    groups: detail.GroupList ?? [],
    ...(detail.PermissionsBoundary?.PermissionsBoundaryArn ? {permissionsBoundaryArn: detail.PermissionsBoundary.PermissionsBoundaryArn} : {}),
    tags: toTags(detail.Tags),
  }
}

function toGroup(detail: GroupDetail): Group {
  return {
    name: detail.GroupName ?? '',
    arn: detail.Arn ?? '',
    id: detail.GroupId ?? '',
    path: detail.Path ?? '/',
    inlinePolicies: namedPolicies(detail.GroupPolicyList),
    attachedPolicies: attached(detail.AttachedManagedPolicies),
  }
}

async function scanAuthorizationDetails(ctx: ScanContext): Promise<AuthorizationDetails | undefined> {
  const {GetAccountAuthorizationDetailsCommand} = sdk.iam()
  const iam: IAMClient = ctx.clients.iam(ctx.homeRegion)
  return runSource(ctx, 'iam.authorizationDetails', GLOBAL, async () => {
    const pages = await collectPages(
      (marker) =>
        call(ctx, 'iam', GLOBAL, 'iam:GetAccountAuthorizationDetails', () =>
          iam.send(new GetAccountAuthorizationDetailsCommand({Filter: ['Role', 'User', 'Group', 'LocalManagedPolicy'], MaxItems: 1000, Marker: marker})),
        ),
      byTruncatedMarker,
      (page) => [page],
    )
    const result: AuthorizationDetails = {
      roles: pages.flatMap((page) => (page.RoleDetailList ?? []).map(toRole)),
      users: pages.flatMap((page) => (page.UserDetailList ?? []).map(toUser)),
      groups: pages.flatMap((page) => (page.GroupDetailList ?? []).map(toGroup)),
      customerPolicies: pages.flatMap((page) => (page.Policies ?? []).map(toCustomerPolicy)),
    }
    return result
  })
}

async function scanInstanceProfiles(ctx: ScanContext): Promise<InstanceProfile[] | undefined> {
  const {ListInstanceProfilesCommand} = sdk.iam()
  const iam = ctx.clients.iam(ctx.homeRegion)
  return runSource(ctx, 'iam.instanceProfiles', GLOBAL, () =>
    collectPages(
      (marker) => call(ctx, 'iam', GLOBAL, 'iam:ListInstanceProfiles', () => iam.send(new ListInstanceProfilesCommand({MaxItems: 1000, Marker: marker}))),
      byTruncatedMarker,
      (page) =>
        (page.InstanceProfiles ?? []).map((profile) => ({
          name: profile.InstanceProfileName ?? '',
          arn: profile.Arn ?? '',
          id: profile.InstanceProfileId ?? '',
          path: profile.Path ?? '/',
          roles: (profile.Roles ?? []).map((role) => ({name: role.RoleName ?? '', arn: role.Arn ?? ''})),
        })),
    ),
  )
}

/** AWS managed policies are `arn:<partition>:iam::aws:policy/...`; service-linked-role policies are left out. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  const parsed = parseArn(arn)
  return parsed?.service === 'iam' && parsed.account === 'aws' && parsed.resource.startsWith('policy/')
}

/**
 * The AWS managed policies whose documents the rules need: every one attached to a role, user or group,
 * except those under `policy/aws-service-role/`, which only service-linked roles carry and whose content
 * no rule reads. Any principal may be an EMR operator, so "attached anywhere" is the needed set.
 */
export function awsManagedPoliciesToFetch(details: AuthorizationDetails): string[] {
  const arns = new Set<string>()
  for (const entity of [...details.roles, ...details.users, ...details.groups]) {
    for (const policy of entity.attachedPolicies) {
      if (isAwsManagedPolicyArn(policy.arn) && !policy.arn.includes(':policy/aws-service-role/')) arns.add(policy.arn)
    }
  }
  for (const role of details.roles) if (role.permissionsBoundaryArn && isAwsManagedPolicyArn(role.permissionsBoundaryArn)) arns.add(role.permissionsBoundaryArn)
  return [...arns].sort()
}

async function fetchAwsManagedPolicy(ctx: ScanContext, iam: IAMClient, arn: string): Promise<ManagedPolicy> {
  const {GetPolicyCommand, GetPolicyVersionCommand} = sdk.iam()
  const {Policy: policy} = await call(ctx, 'iam', GLOBAL, 'iam:GetPolicy', () => iam.send(new GetPolicyCommand({PolicyArn: arn})))
  const versionId = policy?.DefaultVersionId ?? ''
  const {PolicyVersion: version} = await call(ctx, 'iam', GLOBAL, 'iam:GetPolicyVersion', () =>
    iam.send(new GetPolicyVersionCommand({PolicyArn: arn, VersionId: versionId})),
  )
  const decoded = decodePolicyDocument(version?.Document)
  return {
    arn,
    name: policy?.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1),
    path: policy?.Path ?? '/',
    awsManaged: true,
    defaultVersionId: versionId,
    document: decoded.document,
    ...(decoded.error ? {parseError: decoded.error} : {}),
    ...(policy?.AttachmentCount === undefined ? {} : {attachmentCount: policy.AttachmentCount}),
  }
}

/**
 * Fetches each needed AWS managed policy once, concurrently. Policies that could not be read stay out of
 * the inventory and the source outcome says so, so rules relying on them answer `unknown`.
 */
async function scanAwsManagedPolicies(ctx: ScanContext, arns: string[]): Promise<ManagedPolicy[]> {
  const iam = ctx.clients.iam(ctx.homeRegion)
  const results = await Promise.all(arns.map((arn) => settle(() => fetchAwsManagedPolicy(ctx, iam, arn))))
  const policies = results.flatMap((result) => (result.ok ? [result.value] : []))
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  if (failures.length === 0) ctx.record({source: 'iam.awsManagedPolicies', region: GLOBAL, status: 'ok'})
  else recordFailure(ctx, 'iam.awsManagedPolicies', GLOBAL, failures[0], `${failures.length} of ${arns.length} AWS managed policies could not be read`)
  return policies.sort((a, b) => a.arn.localeCompare(b.arn))
}

/** IAM quotas (policy and trust size limits, versions per policy) that fix planning respects. */
function scanAccountSummary(ctx: ScanContext): Promise<Record<string, number> | undefined> {
  const {GetAccountSummaryCommand} = sdk.iam()
  const iam = ctx.clients.iam(ctx.homeRegion)
  return runSource(ctx, 'iam.accountSummary', GLOBAL, async () => {
    const {SummaryMap: summary} = await call(ctx, 'iam', GLOBAL, 'iam:GetAccountSummary', () => iam.send(new GetAccountSummaryCommand({})))
    const wanted: SummaryKeyType[] = [
      'AssumeRolePolicySizeQuota',
      'PolicySizeQuota',
      'RolePolicySizeQuota',
      'VersionsPerPolicyQuota',
      'PolicyVersionsInUseQuota',
    ]
    return Object.fromEntries(wanted.flatMap((key) => (summary?.[key] === undefined ? [] : [[key, summary[key] as number]])))
  })
}

export const authorizationDetailsSource = defineSource({
  id: 'iam.authorizationDetails',
  actions: ['iam:GetAccountAuthorizationDetails'],
  scope: 'global',
  dependsOn: [],
  collect: scanAuthorizationDetails,
})

export const instanceProfilesSource = defineSource({
  id: 'iam.instanceProfiles',
  actions: ['iam:ListInstanceProfiles'],
  scope: 'global',
  dependsOn: [],
  collect: scanInstanceProfiles,
})

/** Which AWS managed policies to read, the IAM snapshot says. */
export const awsManagedPoliciesSource = defineSource({
  id: 'iam.awsManagedPolicies',
  actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
  scope: 'global',
  dependsOn: ['iam.authorizationDetails'],
  async collect(ctx) {
    const details = await ctx.input('iam.authorizationDetails')
    // Preflight: the AWS managed policies a plan attaches to roles it creates are read though nothing has them yet.
    const planned = (ctx.scope.alsoKeep?.awsManagedPolicyArns ?? []).filter(isAwsManagedPolicyArn)
    if (details) return scanAwsManagedPolicies(ctx, [...new Set([...awsManagedPoliciesToFetch(details), ...planned])].sort())
    ctx.record({source: 'iam.awsManagedPolicies', region: GLOBAL, status: 'error', message: 'not attempted: the IAM snapshot could not be read'})
    return []
  },
})

export const accountSummarySource = defineSource({
  id: 'iam.accountSummary',
  actions: ['iam:GetAccountSummary'],
  scope: 'global',
  dependsOn: [],
  collect: scanAccountSummary,
})
