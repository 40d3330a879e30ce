/**
 * REQUIREMENTS RUNTIME: which EC2 role goes with which runtime role. A runtime role used by a step is
 * paired with that cluster's EC2 role; any other runtime role is paired with the EC2 roles (of
 * runtime-role clusters) its trust policy names — never with every cluster.
 */
import type {Cluster, Inventory, Role} from '../../inventory/schema.js'
import {at, configurationOf, isRuntimeRoleEnabled} from '../../inventory/security-configuration.js'
import {statementsOf} from '../../policy/document.js'
import {parseArn} from '../../policy/match.js'
import {awsPrincipalsOf} from '../../policy/trust.js'
import {ec2RolesOf} from '../helpers.js'
import type {InventoryIndex} from '../inventory-index.js'
import type {RoleScope} from '../scope.js'

export interface RuntimeCluster {
  cluster: Cluster
  body: Record<string, unknown>
  configurationName: string
  ec2Roles: Role[]
}

export interface RuntimePair {
  runtimeReference: string
  runtime?: Role
  ec2Role: Role
  clusters: RuntimeCluster[]
  observed: boolean
}

export function runtimeClusters(inventory: Inventory, index: InventoryIndex): RuntimeCluster[] {
  return inventory.emr.clusters.flatMap((cluster) => {
    const configuration = configurationOf(inventory, index, cluster)
    if (configuration.status !== 'found' || !isRuntimeRoleEnabled(configuration.body)) return []
    return [{cluster, body: configuration.body, configurationName: configuration.name, ec2Roles: ec2RolesOf(cluster, index)}]
  })
}

export function trustedAwsPrincipals(role: Role): string[] {
  return statementsOf(role.trustPolicy)
    .filter((statement) => statement.effect === 'Allow')
    .flatMap(awsPrincipalsOf)
}

export function isAccountRoot(principal: string, account: string): boolean {
  return principal === account || principal === `arn:${parseArn(principal)?.partition ?? 'aws'}:iam::${account}:root`
}

export function runtimePairs(
  inventory: Inventory,
  index: InventoryIndex,
  scope: RoleScope,
): {pairs: RuntimePair[]; unpaired: Array<{reference: string; runtime?: Role}>} {
  const clusters = runtimeClusters(inventory, index)
  const pairs = new Map<string, RuntimePair>()
  const add = (reference: string, runtime: Role | undefined, ec2Role: Role, entry: RuntimeCluster, observed: boolean): void => {
    const key = `${reference}|${ec2Role.arn}`
    const pair = pairs.get(key) ?? {runtimeReference: reference, ...(runtime ? {runtime} : {}), ec2Role, clusters: [], observed: false}
    if (!pair.clusters.includes(entry)) pair.clusters.push(entry)
    pair.observed ||= observed
    pairs.set(key, pair)
  }
  for (const entry of clusters) {
    for (const step of entry.cluster.steps ?? []) {
      if (!step.executionRoleArn) continue
      for (const ec2Role of entry.ec2Roles) add(step.executionRoleArn, index.roleByReference(step.executionRoleArn), ec2Role, entry, true)
    }
  }
  const unpaired: Array<{reference: string; runtime?: Role}> = []
  for (const scoped of scope.rolesOf('RUNTIME')) {
    const runtime = scoped.role
    const reference = runtime?.arn ?? scoped.reference
    if ([...pairs.values()].some((pair) => pair.runtimeReference === reference || pair.runtime?.name === scoped.name)) continue
    const trusted = runtime ? trustedAwsPrincipals(runtime) : []
    let paired = false
    for (const entry of clusters) {
      for (const ec2Role of entry.ec2Roles) {
        if (trusted.includes(ec2Role.arn) || trusted.some((principal) => isAccountRoot(principal, inventory.account.id))) {
          add(reference, runtime, ec2Role, entry, false)
          paired = true
        }
      }
    }
    if (!paired && runtime && scoped.reasons.some((reason) => reason.via === 'config')) unpaired.push({reference, runtime})
    else if (!paired && !runtime) unpaired.push({reference})
  }
  return {pairs: [...pairs.values()], unpaired}
}

export function applicationScopedConfiguration(body: unknown): {propagateSourceIdentity: boolean; externalId?: string} {
  const settings = at(body, 'AuthorizationConfiguration', 'IAMConfiguration', 'ApplicationScopedIAMRoleConfiguration')
  const externalId = at(settings, 'ExternalId')
  const propagate = at(settings, 'PropagateSourceIdentity')
  return {propagateSourceIdentity: propagate === true || propagate === 'true', ...(typeof externalId === 'string' ? {externalId} : {})}
}
