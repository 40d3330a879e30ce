/**
 * KMS keys that security configurations and Studios name: their state (DescribeKey) and default key
 * policy (GetKeyPolicy, plain JSON, not URL-encoded). Keys are read in the region their ARN names, else
 * in the region of what references them.
 */
import {sdk} from '../aws/sdk.js'
import {isNotFound} from '../aws/errors.js'
import type {KmsKey} from '../inventory/schema.js'
import {parsePolicyJson} from '../policy/document.js'
import {parseArn} from '../policy/match.js'
import {ActionError, call, recordFailure, type ScanContext, settle} from './context.js'
import {defineSource} from './source.js'
import {kmsKeysOf} from '../inventory/security-configuration.js'

interface KeyReference {
  reference: string
  region: string
}

async function readKey(ctx: ScanContext, {reference, region: referencedFrom}: KeyReference): Promise<KmsKey> {
  const {DescribeKeyCommand, GetKeyPolicyCommand} = sdk.kms()
  const region = parseArn(reference)?.region || referencedFrom
  const kms = ctx.clients.kms(region)
  let metadata
  try {
    ;({KeyMetadata: metadata} = await call(ctx, 'kms', region, 'kms:DescribeKey', () => kms.send(new DescribeKeyCommand({KeyId: reference}))))
  } catch (error) {
    if (error instanceof ActionError && isNotFound(error.original)) return {reference, region, found: false}
    throw error
  }
  const key: KmsKey = {
    reference,
    region,
    found: true,
    ...(metadata?.Arn ? {arn: metadata.Arn} : {}),
    ...(metadata?.KeyState ? {keyState: metadata.KeyState} : {}),
    ...(metadata?.Enabled === undefined ? {} : {enabled: metadata.Enabled}),
    ...(metadata?.KeySpec ? {keySpec: metadata.KeySpec} : {}),
    ...(metadata?.KeyUsage ? {keyUsage: metadata.KeyUsage} : {}),
    ...(metadata?.KeyManager ? {keyManager: metadata.KeyManager} : {}),
  }
  // The key policy needs the key to trust the account: keys that do not (or foreign keys) stay "not verifiable".
  const policy = await settle(() =>
    call(ctx, 'kms', region, 'kms:GetKeyPolicy', () => kms.send(new GetKeyPolicyCommand({KeyId: metadata?.Arn ?? reference, PolicyName: 'default'}))),
  )
  if (policy.ok) {
    const parsed = parsePolicyJson(policy.value.Policy ?? '')
    return {...key, policy: parsed.document, ...(parsed.error ? {policyError: parsed.error} : {})}
  }
  const original = policy.error instanceof ActionError ? policy.error.original : policy.error
  return {...key, policyError: (original as Error).message?.split('\n')[0] ?? 'could not be read'}
}

async function scanKmsKeys(ctx: ScanContext, references: KeyReference[]): Promise<KmsKey[]> {
  const unique = [...new Map(references.map((entry) => [`${entry.region}|${entry.reference}`, entry])).values()]
  const results = await Promise.all(unique.map((entry) => settle(() => readKey(ctx, entry))))
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]))
  const regions = unique.length > 0 ? [...new Set(unique.map((entry) => parseArn(entry.reference)?.region || entry.region))] : ctx.scope.regions
  for (const region of regions) {
    if (failures.length === 0) ctx.record({source: 'kms.keys', region, status: 'ok'})
    else recordFailure(ctx, 'kms.keys', region, failures[0], `${failures.length} of ${unique.length} KMS keys could not be described`)
  }
  return results.flatMap((result) => (result.ok ? [result.value] : [])).sort((a, b) => a.reference.localeCompare(b.reference))
}

/** The keys security configurations and Studios name: it waits for those in every region, and records its outcome per region. */
export const kmsKeysSource = defineSource({
  id: 'kms.keys',
  actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
  scope: 'global',
  progress: 'regional',
  dependsOn: ['emr.securityConfigurations', 'emr.studios'],
  async collect(ctx) {
    const [configurations, studios] = await Promise.all([ctx.inputByRegion('emr.securityConfigurations'), ctx.inputByRegion('emr.studios')])
    const keys = ctx.scope.regions.flatMap((region, index) => [
      ...(configurations[index]?.value ?? []).flatMap((entry) => kmsKeysOf(entry.configuration).map((reference) => ({reference, region}))),
      ...(studios[index]?.value.studios ?? []).flatMap((studio) => (studio.encryptionKeyArn ? [{reference: studio.encryptionKeyArn, region}] : [])),
    ])
    return scanKmsKeys(ctx, keys)
  },
})
