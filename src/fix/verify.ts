/**
 * What a plan or journal read from disk must prove before emr-audit acts on it. A digest notices an
 * accidental edit, but anyone can recompute one; what stops a deliberate edit is that every change must be
 * one a remediation module could have produced for --apply: its after re-derived from its before, its
 * calls re-derived from both. Then --apply sends only what the reviewed diff shows, and rollback (which
 * writes a change's before back) can only take away what the change added. Pure: no AWS, no clock.
 */
import {isPlainObject, rawStatements, stringList} from '../policy/document.js'
import {parseArn} from '../policy/match.js'
import {STATE_KIND, transitionCalls} from './calls.js'
import {undeclaredCall} from './remediations/index.js'
import {isGrantStatement, mergeGrants, type Grant} from './remediations/inline-policy.js'
import {PASSROLE_POLICY_NAME} from './remediations/passrole.js'
import {RUNTIME_POLICY_NAME} from './remediations/runtime-roles.js'
import {linkedServiceOf} from './remediations/service-linked-roles.js'
import {conditionedFor, DEPUTY_SEQUENCES} from './remediations/trust-conditions.js'
import {SERVICE_LINKED_PATH_PREFIX} from './remediations/types.js'
import {withV2Tag} from './remediations/v2-tags.js'
import {canonicalJson, digestOf, holdsAfter, quoted, sameState} from './state.js'
import type {Change, Journal, JournalEntry, Plan, TargetState} from './types.js'
import {ownValue} from '../shared/lookup.js'

/** The account and partition a plan or journal was made for. */
export interface Scope {
  account: string
  partition: string
}

/**
 * The statements the grant modules write, by inline policy and Sid (PASSROLE-001, RUNTIME-002/004). The
 * planner refuses a change of its own that does not match, so a drift from the modules shows at once.
 */
const MODULE_GRANTS: Record<string, Record<string, Omit<Grant, 'sid' | 'resources'>>> = {
  [PASSROLE_POLICY_NAME]: {
    EmrAuditPassRoleToEc2: {actions: ['iam:PassRole'], condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}},
    EmrAuditPassRoleToAutoScaling: {actions: ['iam:PassRole'], condition: {StringEquals: {'iam:PassedToService': 'application-autoscaling.amazonaws.com'}}},
  },
  [RUNTIME_POLICY_NAME]: {
    EmrAuditAssumeRuntimeRoles: {actions: ['sts:AssumeRole', 'sts:TagSession']},
    EmrAuditSetSourceIdentity: {actions: ['sts:SetSourceIdentity']},
  },
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One role of the account, named exactly: no wildcard, no other account, nothing but a role. */
function isExplicitRoleArn(value: string, scope: Scope): boolean {
  return new RegExp(`^arn:${escape(scope.partition)}:iam::${escape(scope.account)}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]+$`).test(value)
}

type State<K extends TargetState['kind']> = Extract<TargetState, {kind: K}>
const isKind = <K extends TargetState['kind']>(state: TargetState, kind: K): state is State<K> => state.kind === kind

/** The IAM role the change names, checked to be of this account and not service-linked. */
function roleTargetProblem(change: Change, scope: Scope): string | undefined {
  const {target} = change
  if (target.type !== 'iam-role') return `targets a ${target.type}, not a role`
  const arn = target.arn ? parseArn(target.arn) : undefined
  if (!arn || !isExplicitRoleArn(target.arn ?? '', scope)) return `its role ARN ${quoted(target.arn ?? null)} is not a role of account ${scope.account}`
  const name = target.name ?? target.id
  if (target.id !== name || !arn.resource.endsWith(`/${name}`)) return `its role name ${quoted(name)} is not the one its ARN names`
  if (arn.resource.startsWith(`role${SERVICE_LINKED_PATH_PREFIX}`)) return 'targets a service-linked role, which emr-audit never edits'
  return undefined
}

const EC2_ID_PREFIX: Record<string, string> = {'ec2-subnet': 'subnet-', 'ec2-vpc': 'vpc-', 'ec2-security-group': 'sg-'}

function tagProblem(change: Change, before: State<'tags'>, after: State<'tags'>, scope: Scope): string | undefined {
  const {target} = change
  if (change.kind === 'tag-secret') {
    const arn = target.arn ? parseArn(target.arn) : undefined
    if (
      target.type !== 'secret' ||
      !arn ||
      arn.service !== 'secretsmanager' ||
      arn.account !== scope.account ||
      arn.partition !== scope.partition ||
      arn.region !== change.region
    ) {
      return `its secret ${quoted(target.arn ?? target.id)} is not a secret of account ${scope.account} in ${quoted(change.region)}`
    }
  } else {
    const prefix = ownValue(EC2_ID_PREFIX, target.type)
    if (!prefix || !new RegExp(`^${prefix}[\\w-]+$`).test(target.id)) return `a ${change.kind} change cannot target the ${target.type} ${quoted(target.id)}`
  }
  if (!sameState(after, {kind: 'tags', tags: withV2Tag(before.tags)})) return 'its tags after are not its tags before with only the v2 tag set'
  return undefined
}

/** The module's statements in `after`, as the grants that turn `before` into it (only what was added). */
function grantsIn(policyName: string, before: Record<string, unknown> | null, after: Record<string, unknown>, scope: Scope): Grant[] | string {
  // A hand-edited plan may name `constructor` or `__proto__`.
  const templates = ownValue(MODULE_GRANTS, policyName)
  if (!templates) return `inline policy ${quoted(policyName)} is not one emr-audit writes`
  // mergeGrants grows the first statement with the Sid (or appends one): only that statement can gain resources.
  const firstWith = (document: Record<string, unknown> | null, sid: string) =>
    rawStatements(document).find((statement): statement is Record<string, unknown> => isPlainObject(statement) && statement['Sid'] === sid)
  const grants: Grant[] = []
  // In the order the statements appear: mergeGrants appends new ones in the order it is given them.
  const sids = [
    ...new Set(rawStatements(after).flatMap((statement) => (isPlainObject(statement) && typeof statement['Sid'] === 'string' ? [statement['Sid']] : []))),
  ]
  for (const sid of sids) {
    const template = ownValue(templates, sid)
    if (!template) continue
    const old = firstWith(before, sid)
    const had = new Set(stringList(old?.['Resource']))
    const added = [...new Set(stringList(firstWith(after, sid)?.['Resource']))].filter((resource) => !had.has(resource))
    const wide = added.find((resource) => !isExplicitRoleArn(resource, scope))
    if (wide !== undefined) return `statement ${sid} would grant on ${quoted(wide)}, which is not one role of account ${scope.account}`
    // A grant of resources already there still rewrites the statement's Resource as a sorted list.
    const rewritten = old !== undefined && canonicalJson(old['Resource']) !== canonicalJson(firstWith(after, sid)?.['Resource'])
    if (!(added.length > 0 || rewritten)) continue
    if (old !== undefined && !isGrantStatement(old, {sid, ...template}))
      return `statement ${sid} of ${policyName} is not the one emr-audit writes, and growing it would grant more than ${template.actions.join(', ')}`
    grants.push({sid, ...template, resources: added})
  }
  return grants
}

function inlinePolicyProblem(change: Change, before: State<'policy-document'>, after: State<'policy-document'>, scope: Scope): string | undefined {
  if (after.document === null) return 'its after deletes the inline policy, which no fix does'
  const grants = grantsIn(change.policyName ?? '', before.document, after.document, scope)
  if (typeof grants === 'string') return grants
  if (!sameState(after, {kind: 'policy-document', document: mergeGrants(before.document, grants)}))
    return 'its policy after is not its policy before plus the statements emr-audit adds'
  return undefined
}

/** The after must be the before with the confused-deputy conditions added, by a sequence the module uses, to statements the service alone is trusted by. */
function trustProblem(before: State<'policy-document'>, after: State<'policy-document'>, scope: Scope): string | undefined {
  const {document} = before
  const derivable = DEPUTY_SEQUENCES.some((deputies) => {
    const conditioned = document ? conditionedFor(document, deputies, scope.account, scope.partition) : undefined
    return (
      conditioned !== undefined &&
      conditioned.added.length === deputies.length &&
      conditioned.shared === 0 &&
      sameState(after, {kind: 'policy-document', document: conditioned.document})
    )
  })
  return derivable
    ? undefined
    : "its trust after is not its trust before with only the confused-deputy conditions added to EMR's or Application Auto Scaling's own statements"
}

function profileProblem(change: Change, before: State<'instance-profile'>, after: State<'instance-profile'>, scope: Scope): string | undefined {
  const {target} = change
  if (target.type !== 'iam-instance-profile' || (target.name ?? target.id) !== target.id) return 'does not name one instance profile'
  const asRole = target.arn?.replace(/^(arn:[^:]*:iam::[^:]*:)instance-profile\//, '$1role/')
  if (asRole !== undefined && (asRole === target.arn || !isExplicitRoleArn(asRole, scope) || !asRole.endsWith(`/${target.id}`)))
    return `its ARN ${quoted(target.arn)} is not an instance profile of account ${scope.account}`
  if (
    !sameState(before, {kind: 'instance-profile', exists: false, roles: []}) ||
    !sameState(after, {kind: 'instance-profile', exists: true, roles: [target.id]})
  ) {
    return 'an instance-profile fix only creates a missing profile holding the role of the same name'
  }
  return undefined
}

function linkedRoleProblem(change: Change, before: State<'service-linked-role'>, after: State<'service-linked-role'>): string | undefined {
  if (change.target.type !== 'iam-role' || !linkedServiceOf(change.target.id))
    return `emr-audit creates no service-linked role named ${quoted(change.target.id)}`
  if (before.roles.length > 0 || !sameState(after, {kind: 'service-linked-role', roles: [change.target.id]}))
    return 'a service-linked-role fix only creates the missing role'
  return undefined
}

function blockPublicAccessProblem(before: State<'block-public-access'>, after: State<'block-public-access'>): string | undefined {
  if (before.blockPublicSecurityGroupRules === true || !sameState(after, {...before, blockPublicSecurityGroupRules: true}))
    return 'a block-public-access fix only turns the block on, keeping the permitted ranges'
  return undefined
}

function shapeProblem(change: Change, scope: Scope): string | undefined {
  const {before, after} = change
  switch (change.kind) {
    case 'tag-ec2-resource':
    case 'tag-secret':
      return isKind(before, 'tags') && isKind(after, 'tags') ? tagProblem(change, before, after, scope) : 'its states are not tags'
    case 'put-role-policy':
      return (
        roleTargetProblem(change, scope) ??
        (isKind(before, 'policy-document') && isKind(after, 'policy-document')
          ? inlinePolicyProblem(change, before, after, scope)
          : 'its states are not policy documents')
      )
    case 'update-trust-policy':
      return (
        roleTargetProblem(change, scope) ??
        (isKind(before, 'policy-document') && isKind(after, 'policy-document') ? trustProblem(before, after, scope) : 'its states are not policy documents')
      )
    case 'instance-profile':
      return isKind(before, 'instance-profile') && isKind(after, 'instance-profile')
        ? profileProblem(change, before, after, scope)
        : 'its states are not instance profiles'
    case 'create-service-linked-role':
      return isKind(before, 'service-linked-role') && isKind(after, 'service-linked-role')
        ? linkedRoleProblem(change, before, after)
        : 'its states are not service-linked roles'
    case 'put-block-public-access':
      return isKind(before, 'block-public-access') && isKind(after, 'block-public-access')
        ? blockPublicAccessProblem(before, after)
        : 'its states are not block public access configurations'
  }
}

/**
 * Why --apply must not run this change (or rollback undo it), or undefined: it must be exactly a change
 * some remediation module makes for --apply, in this account, and its stored calls the derived ones.
 */
export function changeProblem(change: Change, scope: Scope): string | undefined {
  if (change.account !== scope.account) return `it is for account ${quoted(change.account)}, not ${quoted(scope.account)}`
  const global = STATE_KIND[change.kind] !== 'tags' && change.kind !== 'put-block-public-access'
  if (global !== (change.region === 'global') || (change.target.region !== undefined && change.target.region !== change.region))
    return `its region ${quoted(change.region)} is not where a ${change.kind} change is made`
  if (sameState(change.before, change.after)) return 'its before and after are the same'
  return shapeProblem(change, scope) ?? callsProblem(change)
}

/** Stored calls are kept for reading only; they must be exactly what before → after gives. */
function callsProblem(change: Change): string | undefined {
  const derived = transitionCalls(change, change.before, change.after)
  if (typeof derived === 'string') return derived
  const undeclared = undeclaredCall(change.kind, 'apply', derived)
  if (undeclared !== undefined) return `its calls send ${undeclared}, which no remediation declares for ${change.kind} changes`
  return canonicalJson(derived) === canonicalJson(change.calls) ? undefined : 'its calls are not the ones its before and after give'
}

/** `change 0123abcd4567 (iam-role Victim)`: how every refusal names the change. */
export function changeLabel(change: Pick<Change, 'id' | 'target'>): string {
  return `change ${change.id} (${change.target.type} ${quoted(change.target.name ?? change.target.id)})`
}

/** An [apply] change must be one the planner would mark so: not advisory in the catalog, every guard held. */
function settledProblem(change: Change): string | undefined {
  if (change.autoApply === 'no') return 'it is marked apply, but its fix is advisory'
  const failed = change.guards.find((guard) => guard.held !== true)
  return failed ? `it is marked apply, but its guard ${quoted(failed.name)} did not hold` : undefined
}

/** The account and partition a file names, checked to be ones (they appear in every message and ARN check). */
function scopeOf(document: {account: string; partition: string}): Scope | string {
  if (!/^\d{12}$/.test(document.account)) return `its account ${quoted(document.account)} is not a 12-digit AWS account id`
  if (!/^aws(?:-[a-z]+)*$/.test(document.partition)) return `its partition ${quoted(document.partition)} is not an AWS partition`
  return {account: document.account, partition: document.partition}
}

/** A hand-made document can nest deeper than the comparisons recurse: that alone refuses it. */
function checkedWithinDepth(check: () => string | undefined): string | undefined {
  try {
    return check()
  } catch (error) {
    if (error instanceof RangeError) return 'it is nested too deeply to be checked'
    throw error
  }
}

/** The first reason to refuse the whole plan, or undefined. Advisory and refused changes never run, but their shown calls must still match. */
export function planProblem(plan: Plan): string | undefined {
  return checkedWithinDepth(() => firstPlanProblem(plan))
}

function firstPlanProblem(plan: Plan): string | undefined {
  if (digestOf(plan.changes) !== plan.changesDigest) return 'its changes were edited after it was made (changesDigest differs)'
  const scopeProblem = scopeOf(plan)
  if (typeof scopeProblem === 'string') return scopeProblem
  const scope = scopeProblem
  for (const change of plan.changes) {
    const problem =
      change.disposition === 'apply'
        ? (settledProblem(change) ?? changeProblem(change, scope))
        : change.account === plan.account
          ? callsProblem(change)
          : `it is for account ${quoted(change.account)}, not ${quoted(plan.account)}`
    if (problem) return `${changeLabel(change)}: ${problem}`
  }
  return undefined
}

function entryProblem(entry: JournalEntry, scope: Scope): string | undefined {
  if (entry.change.disposition !== 'apply') return `it was ${entry.change.disposition}, and only [apply] changes are made`
  const problem = settledProblem(entry.change) ?? changeProblem(entry.change, scope)
  if (problem) return problem
  if (!sameState(entry.beforeImage, entry.change.before)) return 'its before-image is not the before of its change'
  if (entry.state === 'applied' && !(entry.afterImage && holdsAfter(entry.change, entry.afterImage)))
    return 'it is marked applied but its after-image is not the after of its change'
  return undefined
}

/** The digest a journal records: of everything in it but the digest itself. */
export function journalDigest(journal: Omit<Journal, 'digest'> & {digest?: string}): string {
  const {digest: _recorded, ...content} = journal
  return digestOf(content)
}

/** The first reason to refuse the whole journal, or undefined. */
export function journalProblem(journal: Journal): string | undefined {
  return checkedWithinDepth(() => firstJournalProblem(journal))
}

function firstJournalProblem(journal: Journal): string | undefined {
  if (journalDigest(journal) !== journal.digest) return 'it was edited after emr-audit wrote it (its digest differs)'
  const scope = scopeOf(journal)
  if (typeof scope === 'string') return scope
  for (const entry of journal.entries) {
    const problem = entryProblem(entry, scope)
    if (problem) return `${changeLabel(entry.change)}: ${problem}`
  }
  return undefined
}
