/**
 * The v2 tag on subnets, VPCs, security groups and Studio secrets (EMR-TAG-001/002/003, EMR-STUDIO-002/003).
 * Tagging grants permissions (v2 policy holders may change a tagged group's rules; the Studio service role
 * may read a tagged secret's value), so each change carries the guards REQUIREMENTS names.
 */
import type {Finding} from '../../findings/types.js'
import type {NetworkInterface, Tag} from '../../inventory/schema.js'
import {V2_TAG_KEY, V2_TAG_VALUE} from '../../inventory/tags.js'
import {parseArn} from '../../policy/match.js'
import {findSecurityGroup, findSubnet, findVpc, v2TagState} from '../../rules/network.js'
import type {Guard} from '../types.js'
import {type Declined, defineRemediation, type PlanContext, type Proposal} from './types.js'

const V2_TAG = {key: V2_TAG_KEY, value: V2_TAG_VALUE}

export function withV2Tag(tags: Tag[]): Tag[] {
  return [...tags.filter((tag) => tag.key !== V2_TAG_KEY), V2_TAG]
}

function ownedGuard(ownerId: string | undefined, account: string): Guard {
  if (ownerId === undefined) return {name: 'ownedByAccount', held: null, detail: 'the owner account was not reported'}
  return {
    name: 'ownedByAccount',
    held: ownerId === account,
    detail: ownerId === account ? `owned by ${account}` : `owned by ${ownerId} (shared network): only the owner can tag it`,
  }
}

/** An interface EMR created or manages: v2-tagged or carrying EMR's own tags, or on a cluster's instance. */
function isEmrInterface(eni: NetworkInterface, clusterInstances: Set<string>): boolean {
  return (
    eni.tags.some((tag) => (tag.key === V2_TAG_KEY && tag.value === V2_TAG_VALUE) || tag.key.startsWith('aws:elasticmapreduce:')) ||
    (eni.instanceId !== undefined && clusterInstances.has(eni.instanceId))
  )
}

function emrOnlyGuard(groupId: string, region: string, context: PlanContext): Guard {
  const interfaces = context.inventory.ec2.networkInterfaces
  if (!interfaces || !context.index.collected('ec2.networkInterfaces', region)) {
    return {name: 'usedOnlyByEmr', held: null, detail: `the group's network interfaces could not be listed (ec2:DescribeNetworkInterfaces in ${region})`}
  }
  const clusterInstances = new Set(context.inventory.emr.clusters.flatMap((cluster) => (cluster.primaryInstances ?? []).map((instance) => instance.id)))
  const others = interfaces.filter((eni) => eni.region === region && eni.groupIds.includes(groupId) && !isEmrInterface(eni, clusterInstances))
  if (others.length === 0) return {name: 'usedOnlyByEmr', held: true, detail: 'no network interface outside EMR uses it'}
  const named = others.slice(0, 5).map((eni) => `${eni.id}${eni.instanceId ? ` (${eni.instanceId})` : eni.description ? ` (${eni.description})` : ''}`)
  return {
    name: 'usedOnlyByEmr',
    held: false,
    detail: `also used by ${named.join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}; tagging would let v2 policy holders change its rules`,
  }
}

function studioSecretGuard(name: string, arn: string, context: PlanContext): Guard {
  const configured = new Set([
    ...context.inventory.emr.studios.flatMap((studio) => studio.gitSecrets),
    ...(context.config.studios ?? []).flatMap((studio) => studio.gitSecrets ?? []),
  ])
  if (name.startsWith('emr-studio-')) return {name: 'studioSecret', held: true, detail: 'named with the emr-studio- prefix EMR Studio uses'}
  if (configured.has(name) || configured.has(arn)) return {name: 'studioSecret', held: true, detail: 'listed as a Studio Git secret in the config'}
  return {name: 'studioSecret', held: false, detail: 'neither named emr-studio-… nor listed in the config: tagging would let the Studio service role read it'}
}

interface Target {
  proposal: Omit<Proposal, 'ruleIds' | 'findings'>
  ruleIds: Set<string>
  findings: string[]
}

function ec2Target(finding: Finding, context: PlanContext): Omit<Proposal, 'ruleIds' | 'findings'> | undefined {
  const {inventory, index} = context
  const {id, region, type} = finding.resource
  if (!region) return undefined
  const find = type === 'ec2-subnet' ? findSubnet : type === 'ec2-vpc' ? findVpc : findSecurityGroup
  const lookup = find(inventory, index, id, region)
  if (lookup.status !== 'found') return undefined
  const found = lookup.value
  const guards = [ownedGuard(found.ownerId, inventory.account.id), ...(type === 'ec2-security-group' ? [emrOnlyGuard(id, region, context)] : [])]
  return {
    kind: 'tag-ec2-resource',
    region,
    target: finding.resource,
    summary: `Tag ${id} with ${V2_TAG_KEY}=${V2_TAG_VALUE}`,
    before: {kind: 'tags', tags: found.tags},
    after: {kind: 'tags', tags: withV2Tag(found.tags)},
    guards,
  }
}

function secretTarget(finding: Finding, context: PlanContext): Omit<Proposal, 'ruleIds' | 'findings'> | undefined {
  const {region} = finding.resource
  const secret = context.inventory.secrets.find(
    (entry) => entry.region === region && (entry.name === finding.resource.id || entry.arn === finding.resource.arn),
  )
  if (!secret || !region) return undefined
  const owner = parseArn(secret.arn)?.account
  return {
    kind: 'tag-secret',
    region,
    target: {...finding.resource, arn: secret.arn},
    summary: `Tag secret ${secret.name} with ${V2_TAG_KEY}=${V2_TAG_VALUE}`,
    before: {kind: 'tags', tags: secret.tags},
    after: {kind: 'tags', tags: withV2Tag(secret.tags)},
    guards: [ownedGuard(owner, context.inventory.account.id), studioSecretGuard(secret.name, secret.arn, context)],
  }
}

export default defineRemediation({
  ruleIds: ['EMR-TAG-001', 'EMR-TAG-002', 'EMR-TAG-003', 'EMR-STUDIO-002', 'EMR-STUDIO-003'],
  // Undoing removes the v2 tag, or puts back the value a wrong one had (EMR-TAG-003).
  changes: [
    {kind: 'tag-ec2-resource', writes: ['ec2:CreateTags'], inverse: ['ec2:CreateTags', 'ec2:DeleteTags']},
    {kind: 'tag-secret', writes: ['secretsmanager:TagResource'], inverse: ['secretsmanager:TagResource', 'secretsmanager:UntagResource']},
  ],
  plan(findings, context) {
    const targets = new Map<string, Target>()
    const declined: Declined[] = []
    for (const finding of findings) {
      const proposal = finding.resource.type === 'secret' ? secretTarget(finding, context) : ec2Target(finding, context)
      if (!proposal) {
        declined.push({fingerprint: finding.fingerprint, why: `${finding.resource.id} is not in the inventory, so its current tags are unknown`})
        continue
      }
      if (proposal.before.kind === 'tags' && v2TagState(proposal.before.tags).state === 'exact') continue
      const key = `${proposal.kind}|${proposal.region}|${proposal.target.id}`
      const entry = targets.get(key) ?? {proposal, ruleIds: new Set<string>(), findings: []}
      entry.ruleIds.add(finding.ruleId)
      entry.findings.push(finding.fingerprint)
      targets.set(key, entry)
    }
    const proposals = [...targets.values()].map(({proposal, ruleIds, findings: fingerprints}): Proposal => ({
      ...proposal,
      ruleIds: [...ruleIds].sort(),
      findings: fingerprints,
    }))
    return {proposals, declined}
  },
})
