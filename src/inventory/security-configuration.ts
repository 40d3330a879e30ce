/** Reading security configurations (a JSON document EMR keeps as a string) in the shapes rules need. */
import {isPlainObject} from '../shared/validate.js'
import type {Cluster, Inventory, SecurityConfiguration, SourceStatus} from './schema.js'

export type ConfigurationLookup =
  | {status: 'none'}
  | {status: 'found'; name: string; value: SecurityConfiguration; body: Record<string, unknown>}
  | {status: 'missing'; name: string}
  | {status: 'unknown'; name: string; reason: string}

/** Descends a path of object keys; anything not an object on the way yields undefined. */
export function at(body: unknown, ...path: string[]): unknown {
  let current: unknown = body
  for (const key of path) {
    if (!isPlainObject(current)) return undefined
    current = current[key]
  }
  return current
}

/** EMR documents booleans, but users write "true": accept both. */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')
}

export function configurationOf(
  inventory: Inventory,
  index: {sourceStatus(source: 'emr.securityConfigurations', region: string): SourceStatus | undefined},
  cluster: Cluster,
): ConfigurationLookup {
  const name = cluster.securityConfiguration
  if (!name) return {status: 'none'}
  const record = inventory.emr.securityConfigurations.find((entry) => entry.name === name && entry.region === cluster.region)
  if (record?.found && isPlainObject(record.configuration)) return {status: 'found', name, value: record, body: record.configuration}
  if (record && !record.found) return {status: 'missing', name}
  if (record?.parseError) return {status: 'unknown', name, reason: `its document could not be parsed (${record.parseError})`}
  const listed = index.sourceStatus('emr.securityConfigurations', cluster.region)
  return {status: 'unknown', name, reason: `it could not be described in ${cluster.region}${listed && listed !== 'ok' ? ` (${listed})` : ''}`}
}

/** Runtime roles (steps with ExecutionRoleArn) are on when the configuration enables application-scoped IAM roles. */
export function isRuntimeRoleEnabled(body: unknown): boolean {
  return isTrue(at(body, 'AuthorizationConfiguration', 'IAMConfiguration', 'EnableApplicationScopedIAMRole'))
}

/** KMS keys a configuration names for S3 and local-disk encryption. */
export function kmsKeysOf(body: unknown): string[] {
  const atRest = at(body, 'EncryptionConfiguration', 'AtRestEncryptionConfiguration')
  const keys = [at(atRest, 'S3EncryptionConfiguration', 'AwsKmsKey'), at(atRest, 'LocalDiskEncryptionConfiguration', 'AwsKmsKey')]
  return [...new Set(keys.filter((key): key is string => typeof key === 'string' && key.length > 0))]
}
