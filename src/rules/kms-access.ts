/** Can a role use a KMS key? Asked by EMR-SECCFG-004 and EMR-STUDIO-004. */
import type {KmsKey, Role} from '../inventory/schema.js'
import {evaluateIdentityAccess} from '../policy/evaluate.js'
import {parseArn} from '../policy/match.js'
import {resourcePolicyGrant} from '../policy/resource-policy.js'
import type {InventoryIndex} from './inventory-index.js'

export type KeyUse = 'allow' | 'deny' | 'unknown'

/** Key policy first: a direct grant suffices, a grant to the account hands the decision to IAM. */
export function canUseKey(role: Role, key: KmsKey, action: string, account: string, index: InventoryIndex): KeyUse {
  if (!key.policy) return 'unknown'
  const keyArn = key.arn ?? key.reference
  const grant = resourcePolicyGrant(key.policy, role.arn, account, action, keyArn)
  if (grant === 'direct') return 'allow'
  if (grant === 'denied' || grant === 'none') return 'deny'
  if (grant === 'conditional') return 'unknown'
  const decision = evaluateIdentityAccess(index.identityPolicies(role), {action, resource: keyArn}, index.permissionsBoundary(role)).decision
  return decision === 'allow' ? 'allow' : decision === 'unknown' ? 'unknown' : 'deny'
}


/**
 * The key a reference names where it is used: KMS resolves an alias, a key id or a multi-Region `mrk-` id in
 * the caller's region, so `alias/emr-local-disk` is a different key in each region. An ARN names one key.
 */
export function keyInRegion(keys: readonly KmsKey[], reference: string, region: string): KmsKey | undefined {
  const arnRegion = parseArn(reference)?.region
  return keys.find((key) => (key.reference === reference || key.arn === reference) && (arnRegion ? true : key.region === region))
}
