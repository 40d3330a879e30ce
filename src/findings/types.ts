/**
 * Findings: what the rules conclude about one resource, in the shape every report renders. The schema
 * is the source of truth; the types are derived from it and the report's JSON Schema is generated from it.
 */
import {type Static, Type as T} from '@sinclair/typebox'

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export const STATUSES = ['fail', 'unknown', 'error', 'suppressed', 'pass'] as const
export type FindingStatus = (typeof STATUSES)[number]

const literals = <V extends string>(values: readonly V[]) => T.Union(values.map((value) => T.Literal(value)))

export const SeveritySchema = literals(SEVERITIES)
export const FindingStatusSchema = literals(STATUSES)
/** REQUIREMENTS "Auto-apply": yes, guarded (only when a stated guard holds), no (advisory only). */
export const AutoApplySchema = literals(['yes', 'guarded', 'no'] as const)
export const RESOURCE_TYPES = [
  'account',
  'iam-role',
  'iam-user',
  'iam-group',
  'iam-policy',
  'iam-instance-profile',
  'kms-key',
  's3-bucket',
  'emr-cluster',
  'emr-studio',
  'emr-security-configuration',
  'ec2-subnet',
  'ec2-vpc',
  'ec2-security-group',
  'secret',
  'rule',
] as const
export const ResourceTypeSchema = literals(RESOURCE_TYPES)
/** REQUIREMENTS §3: the classes a role can be audited as, and how it entered scope. */
export const RoleClassSchema = literals(['SVC', 'EC2', 'ASG', 'STUDIO_SVC', 'STUDIO_USER', 'NB', 'RUNTIME', 'EMRFS', 'SLR'] as const)
export const ScopeViaSchema = literals(['reference', 'config', 'default-name', 'heuristic'] as const)

export const ResourceRefSchema = T.Object(
  {type: ResourceTypeSchema, id: T.String(), arn: T.Optional(T.String()), name: T.Optional(T.String()), region: T.Optional(T.String())},
  {additionalProperties: false},
)

export const ScopeReasonSchema = T.Object(
  {
    class: RoleClassSchema,
    via: ScopeViaSchema,
    /** A sentence such as "service role of cluster j-1 (us-east-1)". */
    detail: T.String(),
  },
  {additionalProperties: false},
)

/** A config suppression: one rule on matching resources, for a reason, until a date. */
export const SuppressionSchema = T.Object(
  {
    ruleId: T.String({minLength: 1, description: 'rule id; * and ? allowed'}),
    resource: T.String({minLength: 1, description: 'resource id (sg-0123*), ARN (arn:...), or name:NAME together with resourceType; * and ? allowed'}),
    /** Limits the suppression to one kind of resource; required with `name:`, since names are not unique across or within kinds. */
    resourceType: T.Optional(ResourceTypeSchema),
    reason: T.String({minLength: 1}),
    expires: T.String({pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'last day the suppression applies (YYYY-MM-DD, UTC)'}),
  },
  {additionalProperties: false},
)

export const FindingSchema = T.Object(
  {
    ruleId: T.String({pattern: '^EMR-[A-Z]+-\\d{3}$'}),
    /** The AWS account the finding belongs to. */
    account: T.Optional(T.String()),
    title: T.String(),
    severity: SeveritySchema,
    status: FindingStatusSchema,
    resource: ResourceRefSchema,
    /** One sentence a person can act on. */
    message: T.String(),
    /** The fields that made the decision. */
    evidence: T.Record(T.String(), T.Unknown()),
    remediation: T.Object({summary: T.String(), autoApply: AutoApplySchema}, {additionalProperties: false}),
    /** Why the resource was in scope (roles). */
    scope: T.Optional(T.Array(ScopeReasonSchema)),
    /** Distinguishes several findings of one rule on one resource. */
    subKey: T.Optional(T.String()),
    /** Stable across runs: hash of rule id, account, resource and sub-key. */
    fingerprint: T.String({pattern: '^[0-9a-f]{32}$'}),
    /** With --baseline: whether the finding was already in the baseline report. */
    baseline: T.Optional(T.Union([T.Literal('new'), T.Literal('existing')])),
    /** The config suppression that silenced a failing finding (status `suppressed`). */
    suppression: T.Optional(SuppressionSchema),
  },
  {additionalProperties: false},
)

export type AutoApply = Static<typeof AutoApplySchema>
export type ResourceType = Static<typeof ResourceTypeSchema>
export type RoleClass = Static<typeof RoleClassSchema>
export type ScopeVia = Static<typeof ScopeViaSchema>
export type ResourceRef = Static<typeof ResourceRefSchema>
export type ScopeReason = Static<typeof ScopeReasonSchema>
export type Finding = Static<typeof FindingSchema>
export type Suppression = Static<typeof SuppressionSchema>

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity)
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold)
}
