/** An inline policy that emr-audit owns on a role, grown statement by statement (PASSROLE-001, RUNTIME-002/004). */
import type {Role} from '../../inventory/schema.js'
import {isPlainObject, rawStatements, stringList} from '../../policy/document.js'
import {roleResource} from '../../rules/helpers.js'
import {canonicalJson, policySize, sameState} from '../state.js'
import type {Guard} from '../types.js'
import {type ChangeDeclaration, type Proposal, SERVICE_LINKED_PATH_PREFIX} from './types.js'

/** An inline policy emr-audit owns: undone by writing its before back, or deleting it when it did not exist. */
export const INLINE_POLICY_CHANGE: ChangeDeclaration = {
  kind: 'put-role-policy',
  writes: ['iam:PutRolePolicy'],
  inverse: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
}

export interface Grant {
  sid: string
  actions: string[]
  resources: string[]
  condition?: Record<string, Record<string, string | string[]>>
}

const GRANT_KEYS = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition'])

/**
 * Is this statement the one the grant writes (only its Resource may differ)? mergeGrants adds resources to
 * the statement with the grant's Sid, so a statement with that Sid but a wider Action, a NotAction or no
 * condition would hand those on to each role added.
 */
export function isGrantStatement(statement: Record<string, unknown>, grant: Omit<Grant, 'resources'>): boolean {
  const sorted = (values: string[]) => canonicalJson([...new Set(values)].sort())
  return (
    Object.keys(statement).every((key) => GRANT_KEYS.has(key)) &&
    statement['Effect'] === 'Allow' &&
    sorted(stringList(statement['Action'])) === sorted(grant.actions) &&
    canonicalJson(statement['Condition'] ?? null) === canonicalJson(grant.condition ?? null)
  )
}

/** The Sid of a statement mergeGrants would grow that is not the grant's own, or undefined. */
export function foreignGrantStatement(existing: Record<string, unknown> | null, grants: Array<Omit<Grant, 'resources'>>): string | undefined {
  const statements = rawStatements(existing)
  return grants.find((grant) => {
    const current = statements.find((statement): statement is Record<string, unknown> => isPlainObject(statement) && statement['Sid'] === grant.sid)
    return current !== undefined && !isGrantStatement(current, grant)
  })?.sid
}

/** The existing document with each grant merged into its statement (matched by Sid), or appended. */
export function mergeGrants(existing: Record<string, unknown> | null, grants: Grant[]): Record<string, unknown> {
  const statements = rawStatements(existing).map((statement) => (isPlainObject(statement) ? {...statement} : statement))
  for (const grant of grants) {
    const current = statements.find((statement): statement is Record<string, unknown> => isPlainObject(statement) && statement['Sid'] === grant.sid)
    if (current) {
      current['Resource'] = [...new Set([...stringList(current['Resource']), ...grant.resources])].sort()
    } else {
      statements.push({
        Sid: grant.sid,
        Effect: 'Allow',
        Action: grant.actions,
        Resource: [...new Set(grant.resources)].sort(),
        ...(grant.condition ? {Condition: grant.condition} : {}),
      })
    }
  }
  return {...(existing ?? {}), Version: existing?.['Version'] ?? '2012-10-17', Statement: statements}
}

export interface InlinePolicyRequest {
  role: Role
  policyName: string
  grants: Grant[]
  ruleIds: string[]
  findings: string[]
  summary: string
  guards: Guard[]
  /** IAM's limit on the inline policies of one role together (RolePolicySizeQuota, non-whitespace characters). */
  sizeLimit: number
}

/** undefined when the policy already grants everything asked (idempotence). */
export function inlinePolicyProposal(request: InlinePolicyRequest): Proposal | undefined {
  const {role, policyName} = request
  const existing = role.inlinePolicies.find((policy) => policy.name === policyName)
  const base = {
    kind: 'put-role-policy' as const,
    region: 'global',
    target: roleResource(role),
    policyName,
    ruleIds: request.ruleIds,
    findings: request.findings,
    summary: request.summary,
    guards: request.guards,
  }
  if (existing && !existing.document) {
    const unreadable = {kind: 'policy-document' as const, document: null}
    return {
      ...base,
      before: unreadable,
      after: unreadable,
      refusal: `the existing inline policy ${policyName} could not be read (${existing.parseError ?? 'not collected'}); it is not overwritten`,
    }
  }
  const before = {kind: 'policy-document' as const, document: existing?.document ?? null}
  const foreign = foreignGrantStatement(before.document, request.grants)
  if (foreign !== undefined) {
    return {
      ...base,
      before,
      after: before,
      refusal: `statement ${foreign} of ${policyName} is not the one emr-audit writes (its Effect, Action or Condition differ); it is not grown: correct or rename it by hand`,
    }
  }
  const document = mergeGrants(before.document, request.grants)
  const after = {kind: 'policy-document' as const, document}
  if (sameState(before, after)) return undefined
  if (role.path.startsWith(SERVICE_LINKED_PATH_PREFIX))
    return {...base, before, after, refusal: `${role.name} is a service-linked role; its policies are AWS's and are never edited`}
  const others = role.inlinePolicies
    .filter((policy) => policy.name !== policyName)
    .reduce((sum, policy) => sum + (policy.document ? policySize(policy.document) : 0), 0)
  const total = others + policySize(document)
  if (total > request.sizeLimit) {
    return {...base, before, after, refusal: `the role's inline policies would total ${total} characters, over IAM's ${request.sizeLimit}`}
  }
  return {...base, before, after}
}
