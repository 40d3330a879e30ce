/** Findings: what the rules conclude about one resource, in the shape every report renders. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export const STATUSES = ['fail', 'unknown', 'error', 'pass'] as const
export type FindingStatus = (typeof STATUSES)[number]

/** REQUIREMENTS "Auto-apply": yes, guarded (only when a stated guard holds), no (advisory only). */
export type AutoApply = 'yes' | 'guarded' | 'no'

export type ResourceType =
  | 'account'
  | 'iam-role'
  | 'iam-instance-profile'
  | 'emr-cluster'
  | 'emr-studio'
  | 'emr-security-configuration'
  | 'ec2-subnet'
  | 'ec2-vpc'
  | 'ec2-security-group'
  | 'secret'
  | 'rule'

export interface ResourceRef {
  type: ResourceType
  id: string
  arn?: string
  name?: string
  region?: string
}

/** REQUIREMENTS §3: why a role was audited. */
export type RoleClass = 'SVC' | 'EC2' | 'ASG' | 'STUDIO_SVC' | 'STUDIO_USER' | 'NB' | 'RUNTIME' | 'EMRFS' | 'SLR'
export type ScopeVia = 'reference' | 'config' | 'default-name' | 'heuristic'

export interface ScopeReason {
  class: RoleClass
  via: ScopeVia
  /** A sentence such as "service role of cluster j-1 (us-east-1)". */
  detail: string
}

export interface Finding {
  ruleId: string
  title: string
  severity: Severity
  status: FindingStatus
  resource: ResourceRef
  message: string
  /** The fields that made the decision. */
  evidence: Record<string, unknown>
  remediation: {summary: string; autoApply: AutoApply}
  /** Why the resource was in scope (roles). */
  scope?: ScopeReason[]
  /** Distinguishes several findings of one rule on one resource. */
  subKey?: string
  /** Stable across runs: hash of rule id, account, resource and sub-key. */
  fingerprint: string
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity)
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold)
}
