/**
 * Can a role use a KMS key? Asked by EMR-SECCFG-004 and EMR-STUDIO-004.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
import type {KmsKey, Role} from '../inventory/schema.js'
import {type Decision, type EvaluationResult, evaluateIdentityAccess} from '../policy/evaluate.js'
import {parseArn} from '../policy/match.js'
import {resourcePolicyGrant} from '../policy/resource-policy.js'
import {principalContext} from '../policy/variables.js'
import type {InventoryIndex} from './inventory-index.js'

export type KeyUse = 'allow' | 'deny' | 'unknown'

function useOf(decision: Decision): KeyUse {
  return decision === 'allow' ? 'allow' : decision === 'unknown' ? 'unknown' : 'deny'
}

/** A deny under conditions not known here: listed in deniedBy without making the decision explicit-deny. */
function mayDeny(result: EvaluationResult | undefined): boolean {
  return result !== undefined && result.decision !== 'explicit-deny' && result.deniedBy.length > 0
}

/**
 * The key policy must allow, naming the role or (delegating to IAM) its account; an explicit deny in the
 * key policy, the role's identity policies or its boundary always wins. A same-account grant to the role
 * itself needs no IAM allow, but a boundary still limits it (a grant to a role ARN is limited by an implicit
 * deny in the boundary: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * Delegation to the account, and any use of a key in another account, also need the role's IAM policies
 * (and boundary) to allow.
 */
export function canUseKey(role: Role, key: KmsKey, action: string, account: string, index: InventoryIndex): KeyUse {
  if (!key.policy) return 'unknown'
  const keyArn = key.arn ?? key.reference
  const roleAccount = parseArn(role.arn)?.account || account
  const keyAccount = parseArn(keyArn)?.account || account
  const grant = resourcePolicyGrant(key.policy, role.arn, roleAccount, action, keyArn)
  if (grant === 'denied' || grant === 'none') return 'deny'
  // What the inventory knows of the role resolves `${aws:PrincipalTag/…}` and friends in its policies.
  const context = principalContext({kind: 'role', arn: role.arn, name: role.name, id: role.id, account: roleAccount, tags: role.tags})
  const request = {action, resource: keyArn, context}
  const identity = evaluateIdentityAccess(index.identityPolicies(role), request)
  const boundarySource = index.permissionsBoundary(role)
  const boundary = boundarySource ? evaluateIdentityAccess([boundarySource], request) : undefined
  if (identity.decision === 'explicit-deny' || boundary?.decision === 'explicit-deny') return 'deny'
  if (grant === 'conditional') return 'unknown'
  if (grant === 'direct' && keyAccount === roleAccount) {
    if (mayDeny(identity) || mayDeny(boundary)) return 'unknown'
    return boundary ? useOf(boundary.decision) : 'allow'
  }
  return useOf(evaluateIdentityAccess(index.identityPolicies(role), request, boundarySource).decision)
}

/**
 * The key a reference names where it is used: KMS resolves an alias, a key id or a multi-Region `mrk-` id in
 * the caller's region, so `alias/emr-local-disk` is a different key in each region. An ARN names one key.
 */
export function keyInRegion(keys: readonly KmsKey[], reference: string, region: string): KmsKey | undefined {
  const arnRegion = parseArn(reference)?.region
  return keys.find((key) => (key.reference === reference || key.arn === reference) && (arnRegion ? true : key.region === region))
}
