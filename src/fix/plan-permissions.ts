/**
 * The exact policy one saved plan needs: `fix --apply --plan FILE` and `rollback` of its journal, and
 * nothing else. Every write is scoped to the resources the plan's [apply] changes name (and their undo),
 * so the credentials that apply a reviewed plan cannot do more than it. The plan is hostile input until
 * checked: a name that is not a valid IAM, EC2 or Secrets Manager name (a wildcard, a path trick) refuses
 * the whole file instead of widening a statement.
 */
import {UserInputError} from '../shared/errors.js'
import {parseArn} from '../policy/match.js'
import {FIX_READ_ACTIONS} from './aws.js'
import {ONLY_THE_V2_TAG, PASSED_TO, type PolicyStatement, selfEditDeny, serviceLinkedDeny} from './permissions.js'
import {undoCalls} from './undo.js'
import type {Call, Change, Plan} from './types.js'
import {ownValue} from '../shared/lookup.js'

/** IAM user-visible names (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const IAM_NAME = /^[\w+=,.@-]{1,128}$/
// IAM allows any of ! to ~ in a path; *, ? and $ are left out: in a policy's Resource they are wildcards or
// a policy variable, and the grant would reach more than the plan's own profile or role.
const IAM_PATH = /^\/(?:[\x21-\x23\x25-\x29\x2b-\x2e\x30-\x3e\x40-\x7e]+\/)*$/
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[\w/+=.@-]+$/
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/
const ACCOUNT = /^\d{12}$/
const PARTITION = /^aws(?:-[a-z]+)*$/
const SERVICE_LINKED_SERVICES = new Set(['elasticmapreduce.amazonaws.com', 'spot.amazonaws.com'])

/** Each taggable EC2 type, with the ARN resource type and the id its calls must name. */
const EC2_TYPE: Record<string, {type: string; id: RegExp}> = {
  'ec2-subnet': {type: 'subnet', id: /^subnet-[0-9a-f]{8,17}$/},
  'ec2-vpc': {type: 'vpc', id: /^vpc-[0-9a-f]{8,17}$/},
  'ec2-security-group': {type: 'security-group', id: /^sg-[0-9a-f]{8,17}$/},
}

interface Grant {
  action: string
  resource: string
  condition?: PolicyStatement['Condition']
}

class PlanProblem extends Error {}

function text(value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new PlanProblem(`${what} ${JSON.stringify(value)} is not a valid name`)
  return value
}

interface Scope {
  partition: string
  account: string
}

/**
 * The path of the role: from the change's target ARN when it is that role's ARN, or from the instance
 * profile the change creates (emr-audit creates it at its role's path); otherwise the root path.
 */
function rolePath(change: Change, roleName: string, scope: Scope): string {
  const created = change.calls.find((call) => call.operation === 'iam:CreateInstanceProfile')?.parameters['Path']
  if (change.kind === 'instance-profile' && typeof created === 'string' && IAM_PATH.test(created)) return created
  const arn = change.target.arn ? parseArn(change.target.arn) : undefined
  if (!arn || arn.partition !== scope.partition || arn.account !== scope.account || !arn.resource.startsWith('role/') || !arn.resource.endsWith(`/${roleName}`))
    return '/'
  const path = arn.resource.slice('role'.length, arn.resource.length - roleName.length)
  return IAM_PATH.test(path) ? path : '/'
}

function grantsOf(change: Change, call: Call, scope: Scope): Grant[] {
  const iam = (resource: string) => `arn:${scope.partition}:iam::${scope.account}:${resource}`
  const parameters = call.parameters
  const role = () => {
    const name = text(parameters['RoleName'], IAM_NAME, 'RoleName')
    return iam(`role${rolePath(change, name, scope)}${name}`)
  }
  const profile = () => {
    // Only CreateInstanceProfile names the path; the profile's other calls act on the profile it created there,
    // and IAM authorises them against the ARN with that path.
    const given = parameters['Path'] ?? change.calls.find((entry) => entry.operation === 'iam:CreateInstanceProfile')?.parameters['Path']
    const path = given === undefined ? '/' : text(given, IAM_PATH, 'Path')
    return iam(`instance-profile${path}${text(parameters['InstanceProfileName'], IAM_NAME, 'InstanceProfileName')}`)
  }
  const region = change.region === 'global' ? '*' : text(change.region, REGION, 'region')
  const action = call.operation
  switch (action) {
    case 'iam:PutRolePolicy':
    case 'iam:DeleteRolePolicy':
    case 'iam:UpdateAssumeRolePolicy':
      return [{action, resource: role()}]
    case 'iam:CreateInstanceProfile':
    case 'iam:DeleteInstanceProfile':
      return [{action, resource: profile()}]
    case 'iam:AddRoleToInstanceProfile':
      return [
        {action, resource: profile()},
        {action, resource: role()},
        {action: 'iam:PassRole', resource: role(), condition: {StringEquals: {'iam:PassedToService': PASSED_TO}}},
      ]
    case 'iam:RemoveRoleFromInstanceProfile':
      return [
        {action, resource: profile()},
        {action, resource: role()},
      ]
    case 'iam:CreateServiceLinkedRole': {
      const service = String(parameters['AWSServiceName'])
      if (!SERVICE_LINKED_SERVICES.has(service)) throw new PlanProblem(`AWSServiceName ${JSON.stringify(service)} is not one emr-audit creates`)
      return [{action, resource: iam(`role/aws-service-role/${service}/*`), condition: {StringEquals: {'iam:AWSServiceName': service}}}]
    }
    case 'iam:DeleteServiceLinkedRole': {
      const name = text(parameters['RoleName'], IAM_NAME, 'RoleName')
      const path = change.target.arn ? parseArn(change.target.arn)?.resource : undefined
      const service = [...SERVICE_LINKED_SERVICES].find((candidate) => path?.startsWith(`role/aws-service-role/${candidate}/`))
      if (!service) throw new PlanProblem(`${name} is not a service-linked role emr-audit creates`)
      return [{action, resource: iam(`role/aws-service-role/${service}/${name}`)}]
    }
    case 'ec2:CreateTags':
    case 'ec2:DeleteTags': {
      const ec2 = ownValue(EC2_TYPE, change.target.type)
      const ids: unknown[] = Array.isArray(parameters['Resources']) && parameters['Resources'].length > 0 ? parameters['Resources'] : [undefined]
      if (!ec2) throw new PlanProblem(`${JSON.stringify(change.target.type)} is not a resource emr-audit tags`)
      return ids.map((id) => ({
        action,
        resource: `arn:${scope.partition}:ec2:${region}:${scope.account}:${ec2.type}/${text(id, ec2.id, 'Resources')}`,
        condition: ONLY_THE_V2_TAG,
      }))
    }
    case 'secretsmanager:TagResource':
    case 'secretsmanager:UntagResource': {
      const arn = text(parameters['SecretId'], SECRET_ARN, 'SecretId')
      if (parseArn(arn)?.account !== scope.account) throw new PlanProblem(`SecretId ${arn} is not in account ${scope.account}`)
      return [{action, resource: arn, condition: ONLY_THE_V2_TAG}]
    }
    case 'elasticmapreduce:PutBlockPublicAccessConfiguration':
      // The action takes no resource; the region is the narrowest scope there is.
      return [{action, resource: '*', condition: {StringEquals: {'aws:RequestedRegion': region}}}]
    default:
      throw new PlanProblem(`${action} is not a call emr-audit makes`)
  }
}

/** Statements with the same resource and condition share one Allow. */
function statementsOf(grants: Grant[]): PolicyStatement[] {
  const groups = new Map<string, {actions: Set<string>; resources: Set<string>; condition?: PolicyStatement['Condition']}>()
  for (const grant of grants) {
    const key = `${grant.action}|${JSON.stringify(grant.condition ?? null)}`
    const group = groups.get(key) ?? {actions: new Set([grant.action]), resources: new Set<string>(), ...(grant.condition ? {condition: grant.condition} : {})}
    group.resources.add(grant.resource)
    groups.set(key, group)
  }
  return [...groups.values()].map((group, index) => {
    const [action = ''] = [...group.actions]
    return {
      Sid: `EmrAuditPlan${index + 1}${action.split(':')[1] ?? ''}`,
      Effect: 'Allow' as const,
      Action: [action],
      Resource: [...group.resources].sort(),
      ...(group.condition ? {Condition: group.condition} : {}),
    }
  })
}

/** What --apply sends for a change and what rollback would send to undo it. */
function callsOf(change: Change): Call[] {
  const undo = undoCalls(change, change.after)
  return [...change.calls, ...(typeof undo === 'string' ? [] : undo)]
}

/** The policy for applying and rolling back exactly this plan's [apply] changes; UserInputError on a bad plan. */
export function planPolicy(plan: Plan, label: string): {Version: string; Statement: PolicyStatement[]} {
  const scope = {partition: plan.partition, account: plan.account}
  if (!PARTITION.test(scope.partition) || !ACCOUNT.test(scope.account)) throw new UserInputError(`${label}: the plan's account or partition is not valid`)
  const applied = plan.changes.filter((change) => change.disposition === 'apply')
  const grants: Grant[] = []
  for (const change of applied) {
    try {
      if (change.account !== plan.account) throw new PlanProblem(`it is for account ${JSON.stringify(change.account)}, not the plan's ${plan.account}`)
      for (const call of callsOf(change)) grants.push(...grantsOf(change, call, scope))
    } catch (error) {
      if (!(error instanceof PlanProblem)) throw error
      throw new UserInputError(`${label}: change ${change.id} (${change.kind}): ${error.message}; no policy printed`)
    }
  }
  const iam = (resource: string) => `arn:${scope.partition}:iam::${scope.account}:${resource}`
  const reads = [...new Set(applied.flatMap((change) => FIX_READ_ACTIONS[change.kind]))].sort()
  return {
    Version: '2012-10-17',
    Statement: [
      ...(reads.length ? [{Sid: 'EmrAuditPlanReadBack', Effect: 'Allow' as const, Action: reads, Resource: '*'}] : []),
      ...statementsOf(grants),
      serviceLinkedDeny(iam),
      selfEditDeny(),
    ],
  }
}
