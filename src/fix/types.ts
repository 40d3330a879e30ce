/**
 * The plan and the journal: what `fix` proposes and what `fix --apply` did. Both are plain JSON with a
 * schema (types derived from it), so a journal read back for `rollback` is validated before anything is
 * undone.
 */
import {type Static, Type as T} from '@sinclair/typebox'
import {AutoApplySchema, ResourceRefSchema} from '../findings/types.js'
import {PolicyDocumentSchema, TagSchema} from '../inventory/schema.js'

/** 2: calls derived from before/after and checked on load; inventory and changes digests. */
export const PLAN_SCHEMA_VERSION = 2
/** 2: a digest of the entries; the `mismatch` state. */
export const JOURNAL_SCHEMA_VERSION = 2

const DigestSchema = T.String({pattern: '^sha256:[0-9a-f]{64}$'})

export const CHANGE_KINDS = [
  'tag-ec2-resource',
  'tag-secret',
  'instance-profile',
  'put-role-policy',
  'update-trust-policy',
  'create-service-linked-role',
  'put-block-public-access',
] as const
export const ChangeKindSchema = T.Union(CHANGE_KINDS.map((kind) => T.Literal(kind)))

/** The state of the one thing a change touches, before and after. Compared canonically by the executor. */
export const TargetStateSchema = T.Union([
  T.Object({kind: T.Literal('tags'), tags: T.Array(TagSchema)}, {additionalProperties: false}),
  /** An inline or trust policy; null when the inline policy does not exist. */
  T.Object({kind: T.Literal('policy-document'), document: T.Union([PolicyDocumentSchema, T.Null()])}, {additionalProperties: false}),
  T.Object({kind: T.Literal('instance-profile'), exists: T.Boolean(), roles: T.Array(T.String())}, {additionalProperties: false}),
  /** The roles under the service's service-linked path (none when it does not exist). */
  T.Object({kind: T.Literal('service-linked-role'), roles: T.Array(T.String())}, {additionalProperties: false}),
  T.Object(
    {
      kind: T.Literal('block-public-access'),
      blockPublicSecurityGroupRules: T.Union([T.Boolean(), T.Null()]),
      permittedRanges: T.Array(T.Object({min: T.Integer(), max: T.Optional(T.Integer())}, {additionalProperties: false})),
    },
    {additionalProperties: false},
  ),
])

/**
 * One AWS call exactly as the executor sends it (policy documents as the JSON strings IAM receives).
 * Always derived from the change's before and after (src/fix/calls.ts); a loaded plan or journal whose
 * calls differ from the derived ones is refused.
 */
export const CallSchema = T.Object(
  {operation: T.String({pattern: '^[a-z0-9-]+:[A-Za-z]+$'}), parameters: T.Record(T.String(), T.Unknown())},
  {additionalProperties: false},
)

export const GuardSchema = T.Object(
  {
    name: T.String(),
    /** null: could not be decided from the scan (the change is then not applied). */
    held: T.Union([T.Boolean(), T.Null()]),
    detail: T.String(),
  },
  {additionalProperties: false},
)

/**
 * apply: --apply executes it. advisory: shown with its exact calls, never executed (a guard failed or
 * could not be decided, or the catalog marks it advisory). refused: it cannot be done as planned (a size
 * limit, a service-linked role), with the reason.
 */
export const DispositionSchema = T.Union([T.Literal('apply'), T.Literal('advisory'), T.Literal('refused')])

export const ChangeSchema = T.Object(
  {
    /** Stable across runs for the same target and kind. */
    id: T.String({pattern: '^[0-9a-f]{12}$'}),
    kind: ChangeKindSchema,
    account: T.String(),
    /** The region of the call; "global" for IAM. */
    region: T.String(),
    target: ResourceRefSchema,
    /** For inline policies: the policy's name. */
    policyName: T.Optional(T.String()),
    ruleIds: T.Array(T.String()),
    findings: T.Array(T.String({description: 'fingerprints of the findings this change fixes'})),
    summary: T.String(),
    calls: T.Array(CallSchema),
    before: TargetStateSchema,
    after: TargetStateSchema,
    autoApply: AutoApplySchema,
    guards: T.Array(GuardSchema),
    disposition: DispositionSchema,
    /** Why it is advisory or refused. */
    reason: T.Optional(T.String()),
  },
  {additionalProperties: false},
)

/** A failing finding no change addresses: the catalog's remediation, for a person to carry out. */
export const ManualItemSchema = T.Object(
  {ruleId: T.String(), resource: ResourceRefSchema, fingerprint: T.String(), message: T.String(), remediation: T.String(), why: T.String()},
  {additionalProperties: false},
)

export const PlanSchema = T.Object(
  {
    schemaVersion: T.Literal(PLAN_SCHEMA_VERSION),
    account: T.String(),
    partition: T.String(),
    /** The region IAM calls go through (the scan's first region). */
    homeRegion: T.String(),
    generatedAt: T.String(),
    /** sha256 of the canonical JSON of the inventory the plan was made from. */
    inventoryDigest: DigestSchema,
    /** sha256 of the canonical JSON of `changes`: an edited change is refused on load. */
    changesDigest: DigestSchema,
    changes: T.Array(ChangeSchema),
    manual: T.Array(ManualItemSchema),
  },
  {additionalProperties: false, $id: 'https://github.com/emr-audit/emr-audit/schemas/plan.schema.json'},
)

export const OutcomeStatusSchema = T.Union([T.Literal('applied'), T.Literal('skipped'), T.Literal('failed'), T.Literal('not-applied')])

export const JournalEntrySchema = T.Object(
  {
    change: ChangeSchema,
    /**
     * intent: written (and flushed) before the first call, so a run killed mid-change still names it;
     * applied: every call went through and the target read back as planned; partial: the change stopped
     * part way, and afterImage says how far; mismatch: every call went through but the target read back
     * differently (afterImage is what was read).
     */
    state: T.Union([T.Literal('intent'), T.Literal('applied'), T.Literal('partial'), T.Literal('mismatch')]),
    /** The target as re-read just before the write (equal to change.before, or it was skipped). */
    beforeImage: TargetStateSchema,
    /** The target as re-read after the write (a record: rollback re-reads and acts only on a state the change's own calls can leave). Absent while the change is in flight. */
    afterImage: T.Optional(TargetStateSchema),
    appliedAt: T.String(),
    rolledBackAt: T.Optional(T.String()),
  },
  {additionalProperties: false},
)

export const JournalSchema = T.Object(
  {
    schemaVersion: T.Literal(JOURNAL_SCHEMA_VERSION),
    tool: T.Object({name: T.String(), version: T.String()}, {additionalProperties: false}),
    account: T.String(),
    partition: T.String(),
    /** The region IAM calls went through; rollback uses it again. */
    homeRegion: T.String(),
    startedAt: T.String(),
    finishedAt: T.Optional(T.String()),
    /** Only changes that were applied: exactly what rollback may undo. */
    entries: T.Array(JournalEntrySchema),
    /** sha256 of the canonical JSON of everything above: notices an accidental edit (the checks per entry are what stop a deliberate one). */
    digest: DigestSchema,
  },
  {additionalProperties: false, $id: 'https://github.com/emr-audit/emr-audit/schemas/journal.schema.json'},
)

export type ChangeKind = Static<typeof ChangeKindSchema>
export type TargetState = Static<typeof TargetStateSchema>
export type Call = Static<typeof CallSchema>
export type Guard = Static<typeof GuardSchema>
export type Disposition = Static<typeof DispositionSchema>
export type Change = Static<typeof ChangeSchema>
export type ManualItem = Static<typeof ManualItemSchema>
export type Plan = Static<typeof PlanSchema>
export type OutcomeStatus = Static<typeof OutcomeStatusSchema>
export type JournalEntry = Static<typeof JournalEntrySchema>
export type Journal = Static<typeof JournalSchema>

export interface ChangeOutcome {
  change: Change
  status: OutcomeStatus
  /** Why it was skipped or failed. */
  detail?: string
}
