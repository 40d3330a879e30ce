/**
 * Property tests for the fixer, with the real executor against an in-memory account
 * (test/fixtures/fake-account.ts):
 * - any plan of changes the remediation modules can make, applied and then rolled back, leaves the account
 *   exactly as it was;
 * - any edit of a saved plan or a journal (digests recomputed or not) is either refused on load, or makes
 *   only calls the unedited file would have made.
 * Hostile values follow https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * ({"AWS":"*"} is everyone) and .../reference_policies_elements_action.html ("*", "iam:*").
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createAwsClients} from '../../src/aws/clients.js'
import {UserInputError} from '../../src/shared/errors.js'
import {readPlan} from '../../src/app/run-fix.js'
import {V2_TAG_KEY} from '../../src/inventory/tags.js'
import {changeCalls} from '../../src/fix/calls.js'
import {applyPlan, type ExecutorOptions, rollbackJournal} from '../../src/fix/executor.js'
import {JournalFile, readJournal} from '../../src/fix/journal.js'
import {foreignGrantStatement, type Grant, mergeGrants} from '../../src/fix/remediations/inline-policy.js'
import {PASSROLE_POLICY_NAME} from '../../src/fix/remediations/passrole.js'
import {RUNTIME_POLICY_NAME} from '../../src/fix/remediations/runtime-roles.js'
import {AUTOSCALING_DEPUTY, conditionedFor, EMR_DEPUTY} from '../../src/fix/remediations/trust-conditions.js'
import {withV2Tag} from '../../src/fix/remediations/v2-tags.js'
import {canonicalJson, digestOf, sameState} from '../../src/fix/state.js'
import type {Change, Journal, Plan, TargetState} from '../../src/fix/types.js'
import {changeProblem, journalDigest} from '../../src/fix/verify.js'
import {emptyState, fakeAccount, type FakeState} from '../fixtures/fake-account.js'
import {ACCOUNT, REGION} from '../fixtures/inventory.js'

const SCOPE = {account: ACCOUNT, partition: 'aws'}
const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`

type Draft = Pick<Change, 'kind' | 'region' | 'target' | 'before' | 'after'> & {policyName?: string}

function asChange(draft: Draft, index: number): Change {
  const change: Change = {
    id: index.toString(16).padStart(12, '0'),
    account: ACCOUNT,
    ...draft,
    ruleIds: [],
    findings: [],
    summary: `change ${index}`,
    calls: changeCalls(draft),
    autoApply: 'yes',
    guards: [],
    disposition: 'apply',
  }
  return change
}

// ---- arbitrary module-shaped changes, each on its own target ----

const tagKey = fc.oneof(
  fc.constant(V2_TAG_KEY),
  fc.constantFrom('Name', 'team', 'For-Use-With-Amazon-EMR-Managed-Policies'),
  fc.string({minLength: 1, maxLength: 6}),
)
const tags = fc
  .uniqueArray(fc.record({key: tagKey, value: fc.oneof(fc.constantFrom('true', 'True', 'false'), fc.string({maxLength: 6}))}), {
    selector: (tag) => tag.key,
    maxLength: 4,
  })
  .filter((list) => !list.some((tag) => tag.key === V2_TAG_KEY && tag.value === 'true'))

const tagDraft = (index: number) =>
  fc.tuple(fc.constantFrom('ec2-subnet', 'ec2-vpc', 'ec2-security-group', 'secret'), tags).map(([type, before]): Draft => {
    const prefix = {'ec2-subnet': 'subnet', 'ec2-vpc': 'vpc', 'ec2-security-group': 'sg', secret: 'emr-studio'}[type]
    const id = `${prefix}-${index}`
    const target =
      type === 'secret' ? {type, id, region: REGION, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`} : {type, id, region: REGION}
    return {
      kind: type === 'secret' ? 'tag-secret' : 'tag-ec2-resource',
      region: REGION,
      target,
      before: {kind: 'tags', tags: before},
      after: {kind: 'tags', tags: withV2Tag(before)},
    }
  })

const SIDS: Record<string, string[]> = {
  [PASSROLE_POLICY_NAME]: ['EmrAuditPassRoleToEc2', 'EmrAuditPassRoleToAutoScaling'],
  [RUNTIME_POLICY_NAME]: ['EmrAuditAssumeRuntimeRoles', 'EmrAuditSetSourceIdentity'],
}
const GRANT_OF: Record<string, Omit<Grant, 'sid' | 'resources'>> = {
  EmrAuditPassRoleToEc2: {actions: ['iam:PassRole'], condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}}},
  EmrAuditPassRoleToAutoScaling: {actions: ['iam:PassRole'], condition: {StringEquals: {'iam:PassedToService': 'application-autoscaling.amazonaws.com'}}},
  EmrAuditAssumeRuntimeRoles: {actions: ['sts:AssumeRole', 'sts:TagSession']},
  EmrAuditSetSourceIdentity: {actions: ['sts:SetSourceIdentity']},
}
const roleArns = fc.uniqueArray(fc.constantFrom('ec2-a', 'ec2-b', 'runtime-x', 'path/runtime-y').map(arnOf), {minLength: 1, maxLength: 3})
/** A statement exactly as the module writes it (only such a statement is ever grown). */
const ownStatement = (sids: string[]) =>
  fc.tuple(fc.constantFrom(...sids), roleArns).map(([sid, resources]) => {
    const {actions, condition} = GRANT_OF[sid] ?? {actions: []}
    return {Sid: sid, Effect: 'Allow', Action: actions, Resource: resources, ...(condition ? {Condition: condition} : {})}
  })
const anyStatement = (sids: string[]) =>
  fc.oneof(
    ownStatement(sids),
    fc.record({
      Sid: fc.constantFrom(...sids, 'Theirs'),
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(fc.constantFrom('*', 'iam:PassRole', 's3:GetObject'), fc.constantFrom(['iam:PassRole'], ['sts:AssumeRole', 'sts:TagSession'])),
      Resource: fc.oneof(fc.constant('*'), roleArns),
    }),
  )

const inlineDraft = (index: number) =>
  fc
    .constantFrom(PASSROLE_POLICY_NAME, RUNTIME_POLICY_NAME)
    .chain((policyName) => {
      const sids = SIDS[policyName] ?? []
      const before = fc.option(
        fc.array(anyStatement(sids), {maxLength: 3}).map((statements) => ({Version: '2012-10-17', Statement: statements})),
        {nil: null},
      )
      const grants = fc.uniqueArray(fc.tuple(fc.constantFrom(...sids), roleArns), {selector: ([sid]) => sid, minLength: 1, maxLength: 2})
      // The module refuses to grow a statement with its Sid that it did not write (foreignGrantStatement).
      return fc
        .tuple(before, grants)
        .filter(
          ([document, chosen]) =>
            foreignGrantStatement(
              document,
              chosen.map(([sid]) => ({sid, ...GRANT_OF[sid]}) as Grant),
            ) === undefined,
        )
        .map(([document, chosen]): Draft => {
          const role = `svc-${index}`
          const after = mergeGrants(
            document,
            chosen.map(([sid, resources]) => ({sid, ...GRANT_OF[sid], resources}) as Grant),
          )
          return {
            kind: 'put-role-policy',
            region: 'global',
            target: {type: 'iam-role', id: role, name: role, arn: arnOf(role)},
            policyName,
            before: {kind: 'policy-document', document},
            after: {kind: 'policy-document', document: after},
          }
        })
    })
    .filter((draft) => !sameState(draft.before, draft.after)) // the module proposes nothing when the policy already grants it

const otherTrust = fc.constantFrom(
  {Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'},
  {Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: ['sts:AssumeRole', 'sts:TagSession']},
  {Effect: 'Deny', Principal: {AWS: '*'}, Action: 'sts:AssumeRole', Condition: {Bool: {'aws:SecureTransport': 'false'}}},
)
/** EMR-TRUST-002 (EMR), EMR-TRUST-004 (Application Auto Scaling), or both on one role. */
const deputies = fc.constantFrom([EMR_DEPUTY], [AUTOSCALING_DEPUTY], [EMR_DEPUTY, AUTOSCALING_DEPUTY])
const trustDraft = (index: number) =>
  fc
    .tuple(fc.array(otherTrust, {maxLength: 2}), fc.option(fc.constantFrom('EmrTrust', 'x'), {nil: undefined}), fc.boolean(), deputies)
    .map(([others, sid, asObject, services]): Draft => {
      const own = services.map((deputy, position) => ({
        ...(sid && position === 0 ? {Sid: sid} : {}),
        Effect: 'Allow',
        Principal: {Service: deputy.principals('aws')[0]},
        Action: 'sts:AssumeRole',
      }))
      const statements = [...others, ...own]
      const document = {Version: '2012-10-17', Statement: asObject && statements.length === 1 ? statements[0] : statements}
      const role = `trusted-${index}`
      const conditioned = conditionedFor(document, services, ACCOUNT, 'aws')
      return {
        kind: 'update-trust-policy',
        region: 'global',
        target: {type: 'iam-role', id: role, name: role, arn: arnOf(role)},
        before: {kind: 'policy-document', document},
        after: {kind: 'policy-document', document: conditioned?.document ?? null},
      }
    })

const profileDraft = (index: number) =>
  fc.constantFrom('/', '/emr/').map((path): Draft => {
    const name = `profile-${index}`
    return {
      kind: 'instance-profile',
      region: 'global',
      target: {type: 'iam-instance-profile', id: name, name, arn: `arn:aws:iam::${ACCOUNT}:instance-profile${path}${name}`},
      before: {kind: 'instance-profile', exists: false, roles: []},
      after: {kind: 'instance-profile', exists: true, roles: [name]},
    }
  })

const linkedDraft = (name: string): Draft => ({
  kind: 'create-service-linked-role',
  region: 'global',
  target: {type: 'iam-role', id: name, name},
  before: {kind: 'service-linked-role', roles: []},
  after: {kind: 'service-linked-role', roles: [name]},
})

const ranges = fc.uniqueArray(
  fc.record({min: fc.integer({min: 0, max: 65535}), max: fc.option(fc.integer({min: 0, max: 65535}), {nil: undefined})}, {requiredKeys: ['min']}),
  {selector: (range) => range.min, maxLength: 3},
)
const bpaDraft = ranges.map((permitted): Draft => {
  const before = {
    kind: 'block-public-access' as const,
    blockPublicSecurityGroupRules: false,
    permittedRanges: permitted.map(({min, max}) => (max === undefined ? {min} : {min, max})),
  }
  return {
    kind: 'put-block-public-access',
    region: REGION,
    target: {type: 'account', id: ACCOUNT, region: REGION},
    before,
    after: {...before, blockPublicSecurityGroupRules: true},
  }
})

/** A plan of 1 to 8 module-shaped changes, all marked apply, with correct digests. */
const plans = fc
  .tuple(
    fc
      .array(fc.integer({min: 0, max: 3}), {minLength: 1, maxLength: 6})
      .chain((kinds) => fc.tuple(...kinds.map((kind, index) => [tagDraft, inlineDraft, trustDraft, profileDraft][kind]?.(index) ?? tagDraft(index)))),
    fc.subarray(['AWSServiceRoleForEC2Spot', 'AWSServiceRoleForEMRCleanup']),
    fc.option(bpaDraft, {nil: undefined}),
  )
  .map(([drafts, linked, bpa]): Plan => {
    const changes = [...drafts, ...linked.map(linkedDraft), ...(bpa ? [bpa] : [])].map(asChange)
    return {
      schemaVersion: 2,
      account: ACCOUNT,
      partition: 'aws',
      homeRegion: REGION,
      generatedAt: '2026-11-23T00:00:00.000Z',
      inventoryDigest: digestOf({}),
      changesDigest: digestOf(changes),
      changes,
      manual: [],
    }
  })

// ---- the account each plan was made against ----

const tagPairs = (state: TargetState) => (state.kind === 'tags' ? state.tags.map((tag) => ({Key: tag.key, Value: tag.value})) : [])

/** The account as the plan's befores describe it. */
function accountFor(plan: Plan): FakeState {
  const state = emptyState()
  for (const {kind, target, before, policyName} of plan.changes) {
    const name = target.name ?? target.id
    if (kind === 'tag-ec2-resource') state.tags.set(target.id, tagPairs(before))
    if (kind === 'tag-secret') state.tags.set(target.arn ?? target.id, tagPairs(before))
    if (kind === 'put-role-policy' || kind === 'update-trust-policy' || kind === 'instance-profile') {
      if (!state.trust.has(name))
        state.trust.set(
          name,
          JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
        )
    }
    if (kind === 'update-trust-policy' && before.kind === 'policy-document') state.trust.set(name, JSON.stringify(before.document))
    if (kind === 'put-role-policy' && before.kind === 'policy-document' && before.document)
      state.inline.set(`${name}|${policyName}`, JSON.stringify(before.document))
    if (kind === 'put-block-public-access' && before.kind === 'block-public-access') {
      state.bpa = {
        BlockPublicSecurityGroupRules: before.blockPublicSecurityGroupRules ?? false,
        PermittedPublicSecurityGroupRuleRanges: before.permittedRanges.map((range) => ({
          MinRange: range.min,
          ...(range.max === undefined ? {} : {MaxRange: range.max}),
        })),
      }
    }
  }
  return state
}

/** The whole account, order of tags and map entries aside. */
function snapshot(state: FakeState): string {
  const sortedTags = [...state.tags].map(([id, list]) => [id, [...list].sort((a, b) => (a.Key < b.Key ? -1 : 1))])
  const entries = (map: Map<string, unknown>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1))
  return canonicalJson({
    tags: sortedTags.sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
    trust: entries(state.trust),
    inline: entries(state.inline),
    profiles: entries(state.profiles),
    linked: entries(state.linked),
    bpa: state.bpa,
  })
}

let dir: string
let counter = 0
const freshPath = (name: string) => join(dir, `${name}-${(counter += 1)}.json`)
let options: ExecutorOptions

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'emr-audit-fix-properties-'))
  process.env['AWS_ACCESS_KEY_ID'] = 'testing'
  process.env['AWS_SECRET_ACCESS_KEY'] = 'testing'
  options = {clients: await createAwsClients({maxAttempts: 1}), homeRegion: REGION, concurrency: 4, settleDelays: []}
})
afterAll(() => {
  delete process.env['AWS_ACCESS_KEY_ID']
  delete process.env['AWS_SECRET_ACCESS_KEY']
})

/** Runs `work` against a fake account in `state`; returns the writes it made (the fake is removed after). */
async function against<T>(state: FakeState, work: () => Promise<T>): Promise<{result: T; writes: string[]; state: FakeState}> {
  const account = fakeAccount(state)
  try {
    const result = await work()
    return {result, writes: account.writes.map((write) => canonicalJson(write)), state: account.state}
  } finally {
    account.restore()
  }
}

async function applyToJournal(plan: Plan, state: FakeState): Promise<{path: string; statuses: string[]}> {
  const path = freshPath('journal')
  const {result} = await against(state, async () => {
    const journal = await JournalFile.create(path, {account: plan.account, partition: plan.partition, homeRegion: plan.homeRegion, startedAt: plan.generatedAt})
    return (await applyPlan(plan, journal, options)).map((outcome) => outcome.status)
  })
  return {path, statuses: result}
}

describe('apply, then rollback', () => {
  it('every change the modules can make is provable, and apply then rollback returns the account to exactly its before', async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => {
        for (const change of plan.changes) expect(changeProblem(change, SCOPE), change.kind).toBeUndefined()
        const state = accountFor(plan)
        const original = snapshot(state)
        const {path, statuses} = await applyToJournal(plan, state)
        expect(statuses).toEqual(plan.changes.map(() => 'applied'))
        expect(snapshot(state)).not.toBe(original)
        const {result} = await against(state, async () => rollbackJournal(await JournalFile.open(path), {...options, concurrency: 1}))
        expect(result.map((outcome) => outcome.status)).toEqual(plan.changes.map(() => 'restored'))
        expect(snapshot(state)).toBe(original)
      }),
      {numRuns: 60},
    )
  }, 120_000)
})

// ---- random edits ----

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
type Path = Array<string | number>

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const here = prefix.length > 0 ? [prefix] : []
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))]
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))]
  return here
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node && typeof node === 'object' ? ((node as Record<string, Json>)[key as string] ?? null) : null), value)
}

function setAt(value: Json, path: Path, replacement: Json): void {
  const parent = getAt(value, path.slice(0, -1))
  if (parent && typeof parent === 'object') (parent as Record<string, Json>)[path.at(-1) as string] = replacement
}

const HOSTILE: Json[] = [
  '*',
  'Victim',
  'iam:*',
  'apply',
  'Allow',
  `arn:aws:iam::${ACCOUNT}:role/Victim`,
  `arn:aws:iam::${ACCOUNT}:role/*`,
  {AWS: '*'},
  {Effect: 'Allow', Action: '*', Resource: '*'},
  {Effect: 'Allow', Principal: {AWS: '*'}, Action: 'sts:AssumeRole'},
  null,
  [],
  {},
  '999999999999',
  'applied',
]

/** Where an attacker would aim: what names the target, what decides whether and how a change runs. */
const AIMED = new Set([
  'target',
  'id',
  'name',
  'arn',
  'type',
  'region',
  'policyName',
  'disposition',
  'kind',
  'account',
  'state',
  'before',
  'after',
  'beforeImage',
  'afterImage',
  'document',
  'tags',
  'roles',
  'Statement',
  'Resource',
  'Action',
  'Principal',
  'changes',
  'entries',
])

/** One edit: a hostile or random value put somewhere (often where it matters), or one part of the file copied over another. */
const edit = fc.record({
  at: fc.nat(),
  from: fc.nat(),
  aimed: fc.boolean(),
  op: fc.constantFrom('set', 'copy', 'drop'),
  value: fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({maxDepth: 2}) as fc.Arbitrary<Json>),
})
type Edit = {at: number; from: number; aimed: boolean; op: 'set' | 'copy' | 'drop'; value: Json}

function edited(document: Json, edits: Edit[]): Json {
  const copy = structuredClone(document)
  for (const change of edits) {
    const all = pathsOf(copy)
    if (change.op === 'drop') {
      // One element out of a list: a change or entry, a statement, a tag, a role.
      const nonEmpty = all.filter((path) => Array.isArray(getAt(copy, path)) && (getAt(copy, path) as Json[]).length > 0)
      const outer = nonEmpty.filter((path) => path.length === 1)
      const lists = change.aimed && outer.length > 0 ? outer : nonEmpty
      const list = getAt(copy, lists[change.at % Math.max(lists.length, 1)] ?? []) as Json[] | null
      if (Array.isArray(list)) list.splice(change.from % list.length, 1)
      continue
    }
    const aimed = all.filter((path) => AIMED.has(String(path.at(-1))))
    const paths = change.aimed && aimed.length > 0 ? aimed : all
    const path = paths[change.at % paths.length]
    if (!path) continue
    setAt(copy, path, change.op === 'copy' ? structuredClone(getAt(copy, all[change.from % all.length] ?? [])) : change.value)
  }
  return copy
}

/** Refused on load with one clear line, or loaded. */
async function loads<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load()
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError)
    expect((error as Error).message).not.toContain('\n')
    return undefined
  }
}

const subsetOf = (made: string[], allowed: string[]) => made.filter((call) => !allowed.includes(call))

/** Mostly digests recomputed, as a careful attacker would: then only the checks per change stand in the way. */
const resealed = fc.oneof({arbitrary: fc.constant(true), weight: 4}, {arbitrary: fc.constant(false), weight: 1})

/** Edited files that loaded and then made calls: the properties below must not hold only by refusing everything. */
const exercised = {plan: 0, journal: 0}

describe('random edits of a saved plan or a journal', () => {
  it('a plan: refused on load, or every call made is one of the unedited plan’s calls', async () => {
    await fc.assert(
      fc.asyncProperty(plans, fc.array(edit, {minLength: 1, maxLength: 3}), resealed, async (plan, edits, reseal) => {
        const allowed = plan.changes.flatMap((change) => change.calls.map((call) => canonicalJson(call)))
        const changed = edited(plan as unknown as Json, edits) as unknown as Plan
        if (reseal && changed && typeof changed === 'object' && Array.isArray(changed.changes)) changed.changesDigest = digestOf(changed.changes)
        const path = freshPath('plan')
        writeFileSync(path, JSON.stringify(changed))
        const loaded = await loads(() => readPlan(path))
        if (!loaded) return
        const state = accountFor(plan)
        const {writes} = await against(state, async () =>
          applyPlan(loaded, await JournalFile.create(freshPath('journal'), {account: ACCOUNT, partition: 'aws', homeRegion: REGION, startedAt: 'x'}), options),
        )
        expect(subsetOf(writes, allowed)).toEqual([])
        if (writes.length > 0) exercised.plan += 1
      }),
      {numRuns: 200},
    )
    expect(exercised.plan).toBeGreaterThan(0)
  }, 120_000)

  it('a journal: refused on load, or every call rollback makes is one the unedited journal’s rollback makes', async () => {
    await fc.assert(
      fc.asyncProperty(plans, fc.array(edit, {minLength: 1, maxLength: 3}), resealed, async (plan, edits, reseal) => {
        const state = accountFor(plan)
        const {path} = await applyToJournal(plan, state)
        const applied = structuredClone(state)
        const journal = (await readJournal(path)) as unknown as Json
        const genuine = await against(structuredClone(applied), async () => rollbackJournal(await JournalFile.open(path), {...options, concurrency: 1}))
        const changed = edited(journal, edits) as unknown as Journal
        if (reseal && changed && typeof changed === 'object') changed.digest = journalDigest(changed)
        const editedPath = freshPath('edited-journal')
        writeFileSync(editedPath, JSON.stringify(changed))
        const loaded = await loads(() => JournalFile.open(editedPath))
        if (!loaded) return
        const {writes} = await against(structuredClone(applied), async () => rollbackJournal(loaded, {...options, concurrency: 1}))
        expect(subsetOf(writes, genuine.writes)).toEqual([])
        if (writes.length > 0) exercised.journal += 1
      }),
      {numRuns: 200},
    )
    expect(exercised.journal).toBeGreaterThan(0)
  }, 180_000)
})

describe('the generators', () => {
  it('make changes of every kind, so the properties above are not vacuous', () => {
    const kinds = new Set(fc.sample(plans, {numRuns: 200, seed: 1}).flatMap((plan) => plan.changes.map((change) => change.kind)))
    expect([...kinds].sort()).toEqual([
      'create-service-linked-role',
      'instance-profile',
      'put-block-public-access',
      'put-role-policy',
      'tag-ec2-resource',
      'tag-secret',
      'update-trust-policy',
    ])
  })
})
