/** IAM quotas as GetAccountSummary reported them, else AWS's documented defaults. */
import type {Inventory} from './schema.js'

export const DEFAULT_IAM_QUOTAS = {PolicySizeQuota: 6144, RolePolicySizeQuota: 10240, AssumeRolePolicySizeQuota: 2048, VersionsPerPolicyQuota: 5} as const

export type IamQuotaName = keyof typeof DEFAULT_IAM_QUOTAS

export function iamQuota(inventory: Inventory, name: IamQuotaName): number {
  return inventory.account.iamQuotas?.[name] ?? DEFAULT_IAM_QUOTAS[name]
}
