/** The user's config file (YAML or JSON, camelCase keys). Unknown keys are errors, so typos never pass silently. */
import {type Static, Type as T} from '@sinclair/typebox'
import {SuppressionSchema} from '../findings/types.js'

const NonEmpty = T.String({minLength: 1})

export const StudioConfigSchema = T.Object(
  {
    id: NonEmpty,
    region: NonEmpty,
    authMode: T.Optional(T.Union([T.Literal('IAM'), T.Literal('SSO')])),
    serviceRole: T.Optional(NonEmpty),
    userRole: T.Optional(NonEmpty),
    vpcId: T.Optional(NonEmpty),
    subnetIds: T.Optional(T.Array(NonEmpty)),
    workspaceSecurityGroupId: T.Optional(NonEmpty),
    engineSecurityGroupId: T.Optional(NonEmpty),
    defaultS3Location: T.Optional(T.String({pattern: '^s3://'})),
    gitSecrets: T.Optional(T.Array(NonEmpty)),
  },
  {additionalProperties: false},
)

export const RuleSettingSchema = T.Object({enabled: T.Boolean(), reason: T.Optional(T.String())}, {additionalProperties: false})

export const AuditConfigSchema = T.Object(
  {
    regions: T.Optional(T.Array(NonEmpty)),
    studios: T.Optional(T.Array(StudioConfigSchema)),
    /** Supplements DescribeStep.ExecutionRoleArn (names or ARNs). */
    runtimeRoles: T.Optional(T.Array(NonEmpty)),
    /** Supplements ListSecurityConfigurations (names). */
    securityConfigurations: T.Optional(T.Array(NonEmpty)),
    /** Roles to audit as cluster service roles even when no active cluster references them (REQUIREMENTS §3 `--service-role`). */
    serviceRoles: T.Optional(T.Array(NonEmpty)),
    /** Roles to audit as EC2 instance-profile roles even when no active cluster references them (`--ec2-role`). */
    ec2Roles: T.Optional(T.Array(NonEmpty)),
    /** Other accounts a trust condition may pin (aws:PrincipalAccount, aws:SourceAccount, aws:PrincipalArn) besides the scanned one. */
    trustedAccounts: T.Optional(T.Array(T.String({pattern: '^[0-9]{12}$'}))),
    /** Dated exceptions: matching failing findings become `suppressed` until `expires`. */
    suppressions: T.Optional(T.Array(SuppressionSchema)),
    /** Rules switched off for good (`enabled: false`), each with the reason every report repeats; no expiry. */
    rules: T.Optional(T.Record(T.String({minLength: 1}), RuleSettingSchema)),
  },
  {additionalProperties: false},
)

export type StudioConfig = Static<typeof StudioConfigSchema>
export type AuditConfig = Static<typeof AuditConfigSchema>
