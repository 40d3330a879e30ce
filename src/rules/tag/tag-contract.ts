/** One evaluation for "these resources must carry the v2 tag", used by EMR-TAG-001/002 and EMR-STUDIO-002/003. */
import type {Inventory} from '../../inventory/schema.js'
import {V2_TAG_KEY, V2_TAG_VALUE} from '../../inventory/tags.js'
import {v2TagState} from '../network.js'
import type {RuleOutcome} from '../types.js'
import type {ExaminedResource} from './examined.js'

const kindLabel = {subnet: 'Subnet', vpc: 'VPC', 'security-group': 'Security group', secret: 'Secret'} as const

/**
 * Fails resources with no v2-like tag at all; a near miss (wrong case, padded key, wrong value) is left to
 * EMR-TAG-003, so one mistake is reported once. `consequence` says what breaks, for the message.
 */
export function requireV2Tag(inventory: Inventory, resources: ExaminedResource[], consequence: string): RuleOutcome[] {
  return resources.flatMap((entry): RuleOutcome[] => {
    const label = `${kindLabel[entry.kind]} ${entry.resource.id}`
    const base = {
      resource: entry.resource,
      evidence: {
        usedBy: entry.usedBy,
        ...(entry.ownerId ? {ownerId: entry.ownerId} : {}),
        guard: {ownedByAccount: entry.ownerId === undefined ? undefined : entry.ownerId === inventory.account.id},
      },
    }
    if (!entry.tags)
      return [
        {
          ...base,
          status: 'unknown',
          message: `Could not check the tags of ${label.toLowerCase()} (${entry.usedBy.join(', ')}): ${entry.unreadable ?? 'not collected'}.`,
        },
      ]
    const {state} = v2TagState(entry.tags)
    if (state === 'exact') return [{...base, status: 'pass', message: `${label} carries ${V2_TAG_KEY}=${V2_TAG_VALUE}.`}]
    if (state === 'near-miss') return []
    return [{...base, status: 'fail', message: `${label} (${entry.usedBy.join(', ')}) lacks the tag ${V2_TAG_KEY}=${V2_TAG_VALUE}; ${consequence}.`}]
  })
}
