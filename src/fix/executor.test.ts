import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CreateTagsCommand, DeleteTagsCommand, DescribeSubnetsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {EMRClient, GetBlockPublicAccessConfigurationCommand, PutBlockPublicAccessConfigurationCommand} from '@aws-sdk/client-emr'
import {CreateServiceLinkedRoleCommand, ListRolesCommand} from '@aws-sdk/client-iam'
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {createAwsClients} from '../aws/clients.js'
import {applyPlan, ExecutorCredentialsError, rollbackJournal} from './executor.js'
import {JournalFile, readJournal} from './journal.js'
import {planOf as plan} from '../../test/fixtures/plan.js'
import type {Change} from './types.js'

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
const V2 = {Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'}
const ec2 = mockClient(EC2Client)
const iam = mockClient(IAMClient)
const emr = mockClient(EMRClient)

/** Block public access turned on for the account, resending the permitted ranges the plan read. */
function blockPublicAccessChange(
  before: Extract<Change['before'], {kind: 'block-public-access'}>,
  after: Extract<Change['after'], {kind: 'block-public-access'}>,
  ranges: ReadonlyArray<{MinRange: number; MaxRange?: number}>,
): Change {
  return {
    ...tagChange(),
    id: 'dddddddddddd',
    kind: 'put-block-public-access',
    target: {type: 'account', id: ACCOUNT, region: REGION},
    calls: [
      {
        operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
        parameters: {BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: ranges}},
      },
    ],
    before,
    after,
  }
}

function awsError(name: string, status = 400): Error {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: status}, $fault: 'client'})
}

function tagChange(id = 'subnet-1'): Change {
  return {
    id: 'aaaaaaaaaaaa',
    kind: 'tag-ec2-resource',
    account: ACCOUNT,
    region: REGION,
    target: {type: 'ec2-subnet', id, region: REGION},
    ruleIds: ['EMR-TAG-001'],
    findings: ['f'.repeat(32)],
    summary: `Tag ${id}`,
    calls: [{operation: 'ec2:CreateTags', parameters: {Resources: [id], Tags: [V2]}}],
    before: {kind: 'tags', tags: [{key: 'Name', value: 'a'}]},
    after: {
      kind: 'tags',
      tags: [
        {key: 'Name', value: 'a'},
        {key: V2.Key, value: V2.Value},
      ],
    },
    autoApply: 'guarded',
    guards: [{name: 'ownedByAccount', held: true, detail: 'owned'}],
    disposition: 'apply',
  }
}

const policyChange: Change = {
  id: 'bbbbbbbbbbbb',
  kind: 'put-role-policy',
  account: ACCOUNT,
  region: 'global',
  target: {type: 'iam-role', id: 'svc', name: 'svc'},
  policyName: 'emr-audit-passrole',
  ruleIds: ['EMR-PASSROLE-001'],
  findings: ['e'.repeat(32)],
  summary: 'PassRole',
  calls: [
    {
      operation: 'iam:PutRolePolicy',
      parameters: {RoleName: 'svc', PolicyName: 'emr-audit-passrole', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}'},
    },
  ],
  before: {kind: 'policy-document', document: null},
  after: {kind: 'policy-document', document: {Version: '2012-10-17', Statement: []}},
  autoApply: 'yes',
  guards: [],
  disposition: 'apply',
}

const profileChange: Change = {
  ...policyChange,
  id: 'cccccccccccc',
  kind: 'instance-profile',
  target: {type: 'iam-instance-profile', id: 'ec2-custom', name: 'ec2-custom'},
  ruleIds: ['EMR-PROFILE-001'],
  calls: [
    {operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2-custom', Path: '/'}},
    {operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: 'ec2-custom', RoleName: 'ec2-custom'}},
  ],
  before: {kind: 'instance-profile', exists: false, roles: []},
  after: {kind: 'instance-profile', exists: true, roles: ['ec2-custom']},
}

const subnetTags = (...tags: Array<{Key: string; Value: string}>) => ({Subnets: [{SubnetId: 'subnet-1', Tags: tags}]})

let dir: string
async function options() {
  return {clients: await createAwsClients({maxAttempts: 1}), homeRegion: REGION, concurrency: 2, settleDelays: []}
}
async function journal(): Promise<JournalFile> {
  return JournalFile.create(join(dir, 'journal.json'), {account: ACCOUNT, partition: 'aws', homeRegion: REGION, startedAt: '2026-11-23T00:00:00Z'})
}

beforeEach(() => {
  ec2.reset()
  iam.reset()
  emr.reset()
  dir = mkdtempSync(join(tmpdir(), 'emr-audit-executor-'))
  process.env['AWS_ACCESS_KEY_ID'] = 'testing'
  process.env['AWS_SECRET_ACCESS_KEY'] = 'testing'
})
afterEach(() => {
  ec2.reset()
  iam.reset()
})

describe('apply', () => {
  it('sends no write its change kind does not declare, even in a plan that reached it unchecked', async () => {
    // Deleting an inline policy only ever undoes one: no module declares it as a fix.
    const deleting: Change = {
      ...policyChange,
      before: policyChange.after,
      after: {kind: 'policy-document', document: null},
      calls: [{operation: 'iam:DeleteRolePolicy', parameters: {RoleName: 'svc', PolicyName: 'emr-audit-passrole'}}],
    }
    iam
      .on(GetRolePolicyCommand)
      .resolves({RoleName: 'svc', PolicyName: 'emr-audit-passrole', PolicyDocument: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}')})
    const [outcome] = await applyPlan(plan(deleting), await journal(), await options())
    expect(outcome).toMatchObject({status: 'failed', detail: 'not sent: iam:DeleteRolePolicy is not a write declared for put-role-policy changes'})
    expect(iam.commandCalls(DeleteRolePolicyCommand)).toHaveLength(0)
  })

  it('re-reads, writes exactly the planned call, and journals both images', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    ec2.on(CreateTagsCommand).resolves({})
    const file = await journal()
    const [outcome] = await applyPlan(plan(tagChange()), file, await options())
    expect(outcome?.status).toBe('applied')
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toEqual([{Resources: ['subnet-1'], Tags: [V2]}])
    const saved = await readJournal(file.path)
    expect(saved.entries).toHaveLength(1)
    expect(saved.entries[0]).toMatchObject({
      state: 'applied',
      beforeImage: {tags: [{key: 'Name', value: 'a'}]},
      afterImage: {
        tags: [
          {key: 'Name', value: 'a'},
          {key: V2.Key, value: 'true'},
        ],
      },
    })
  })

  it('skips a target that changed since the scan, sending nothing', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'renamed'}))
    const [outcome] = await applyPlan(plan(tagChange()), await journal(), await options())
    expect(outcome).toMatchObject({status: 'skipped', detail: expect.stringMatching(/changed since the scan/)})
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0)
  })

  it('skips a target already in the planned state (a second apply sends nothing)', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    const [outcome] = await applyPlan(plan(tagChange()), await journal(), await options())
    expect(outcome).toMatchObject({status: 'skipped', detail: 'already in the planned state; nothing sent'})
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0)
  })

  it('never executes advisory or refused changes', async () => {
    const outcomes = await applyPlan(
      plan({...tagChange(), disposition: 'advisory', reason: 'guard failed'}, {...policyChange, disposition: 'refused', reason: 'too big'}),
      await journal(),
      await options(),
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['not-applied', 'not-applied'])
    expect(ec2.calls()).toHaveLength(0)
    expect(iam.calls()).toHaveLength(0)
  })

  it('goes on after one change fails, and journals only what was applied', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    ec2.on(CreateTagsCommand).resolves({})
    iam.on(GetRolePolicyCommand).rejects(awsError('NoSuchEntity', 404))
    iam.on(PutRolePolicyCommand).rejects(awsError('AccessDenied', 403))
    const file = await journal()
    const outcomes = await applyPlan(plan(policyChange, tagChange()), file, await options())
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'applied'])
    expect(outcomes[0]?.detail).toMatch(/iam:PutRolePolicy failed: AccessDenied/)
    expect((await readJournal(file.path)).entries.map((entry) => entry.change.id)).toEqual(['aaaaaaaaaaaa'])
  })

  it('journals a change that stopped part way, and rollback undoes exactly that part', async () => {
    iam
      .on(GetInstanceProfileCommand)
      .rejectsOnce(awsError('NoSuchEntity', 404))
      .resolves({InstanceProfile: {InstanceProfileName: 'ec2-custom', Roles: [], Path: '/', InstanceProfileId: 'x', Arn: 'arn', CreateDate: new Date(0)}})
    iam.on(CreateInstanceProfileCommand).resolves({})
    iam.on(AddRoleToInstanceProfileCommand).rejects(awsError('LimitExceeded'))
    const file = await journal()
    const [outcome] = await applyPlan(plan(profileChange), file, await options())
    expect(outcome).toMatchObject({status: 'failed', detail: expect.stringMatching(/partly applied and journaled/)})
    const [entry] = (await readJournal(file.path)).entries
    expect(entry).toMatchObject({state: 'partial', afterImage: {kind: 'instance-profile', exists: true, roles: []}})

    iam.reset()
    iam
      .on(GetInstanceProfileCommand)
      .resolvesOnce({InstanceProfile: {InstanceProfileName: 'ec2-custom', Roles: [], Path: '/', InstanceProfileId: 'x', Arn: 'arn', CreateDate: new Date(0)}})
      .rejects(awsError('NoSuchEntity', 404))
    iam.on(DeleteInstanceProfileCommand).resolves({})
    const [undone] = await rollbackJournal(await JournalFile.open(file.path), await options())
    expect(undone).toMatchObject({status: 'restored'})
    expect(iam.commandCalls(DeleteInstanceProfileCommand).map((call) => call.args[0].input)).toEqual([{InstanceProfileName: 'ec2-custom'}])
    expect((await readJournal(file.path)).entries[0]?.rolledBackAt).toBeDefined()
  })

  it('turns block public access on with the permitted ranges resent, as the plan says', async () => {
    const bpa = blockPublicAccessChange(
      {kind: 'block-public-access', blockPublicSecurityGroupRules: false, permittedRanges: [{min: 22, max: 22}, {min: 8443}]},
      {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}, {min: 8443}]},
      [{MinRange: 22, MaxRange: 22}, {MinRange: 8443}],
    )
    const ranges = [{MinRange: 22, MaxRange: 22}, {MinRange: 8443}]
    emr
      .on(GetBlockPublicAccessConfigurationCommand)
      .resolvesOnce({
        BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: false, PermittedPublicSecurityGroupRuleRanges: ranges},
        BlockPublicAccessConfigurationMetadata: {CreationDateTime: new Date(0), CreatedByArn: 'x'},
      })
      .resolves({
        BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: ranges},
        BlockPublicAccessConfigurationMetadata: {CreationDateTime: new Date(0), CreatedByArn: 'x'},
      })
    emr.on(PutBlockPublicAccessConfigurationCommand).resolves({})
    const [outcome] = await applyPlan(plan(bpa), await journal(), await options())
    expect(outcome?.status).toBe('applied')
    expect(emr.commandCalls(PutBlockPublicAccessConfigurationCommand).map((call) => call.args[0].input)).toEqual([
      {BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: ranges}},
    ])
  })

  it('journals the service-linked role under the name AWS gave it', async () => {
    const slr: Change = {
      ...policyChange,
      id: 'eeeeeeeeeeee',
      kind: 'create-service-linked-role',
      target: {type: 'iam-role', id: 'AWSServiceRoleForEC2Spot', name: 'AWSServiceRoleForEC2Spot'},
      calls: [{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'spot.amazonaws.com'}}],
      before: {kind: 'service-linked-role', roles: []},
      after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEC2Spot']},
    }
    iam
      .on(ListRolesCommand)
      .resolvesOnce({Roles: []})
      .resolves({
        Roles: [{RoleName: 'AWSServiceRoleForEC2Spot_2', Path: '/aws-service-role/spot.amazonaws.com/', RoleId: 'x', Arn: 'arn', CreateDate: new Date(0)}],
      })
    iam.on(CreateServiceLinkedRoleCommand).resolves({})
    const file = await journal()
    const [outcome] = await applyPlan(plan(slr), file, await options())
    expect(outcome?.status).toBe('applied')
    expect(iam.commandCalls(ListRolesCommand)[0]?.args[0].input).toEqual({PathPrefix: '/aws-service-role/spot.amazonaws.com/'})
    expect((await readJournal(file.path)).entries[0]?.afterImage).toEqual({kind: 'service-linked-role', roles: ['AWSServiceRoleForEC2Spot_2']})
  })

  it('a write whose read-back differs from the planned after is failed, never applied, and journaled as read', async () => {
    // AWS accepted the call, but the policy now reads differently (another writer, or a service that rewrote it).
    const grant = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EmrAuditPassRoleToEc2',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: [`arn:aws:iam::${ACCOUNT}:role/ec2`],
          Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
        },
      ],
    }
    const change: Change = {
      ...policyChange,
      target: {type: 'iam-role', id: 'svc', name: 'svc', arn: `arn:aws:iam::${ACCOUNT}:role/svc`},
      after: {kind: 'policy-document', document: grant},
    }
    const other = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}
    iam
      .on(GetRolePolicyCommand)
      .rejectsOnce(awsError('NoSuchEntity', 404))
      .resolves({RoleName: 'svc', PolicyName: 'emr-audit-passrole', PolicyDocument: encodeURIComponent(JSON.stringify(other))})
    iam.on(PutRolePolicyCommand).resolves({})
    const file = await journal()
    const outcomes: string[] = []
    const [outcome] = await applyPlan(plan(change), file, {...(await options()), settleDelays: [0, 0], onOutcome: (reported) => outcomes.push(reported.status)})
    expect(outcome).toMatchObject({status: 'failed', detail: expect.stringMatching(/reads back differently from the planned after/)})
    expect(outcomes).toEqual(['failed'])
    // The call sent was the one derived from the after, and the read-back was retried before giving up.
    expect(iam.commandCalls(PutRolePolicyCommand).map((call) => JSON.parse(call.args[0].input.PolicyDocument ?? ''))).toEqual([grant])
    expect(iam.commandCalls(GetRolePolicyCommand)).toHaveLength(4)
    const [entry] = (await readJournal(file.path)).entries
    expect(entry).toMatchObject({state: 'mismatch', afterImage: {kind: 'policy-document', document: other}})
  })

  it('a write whose read-back fails is failed and journaled for rollback, not applied', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .rejects(awsError('InternalError', 500))
    ec2.on(CreateTagsCommand).resolves({})
    const file = await journal()
    const [outcome] = await applyPlan(plan(tagChange()), file, await options())
    expect(outcome).toMatchObject({
      status: 'failed',
      detail: 'sent, but the target could not be read back (InternalError: InternalError); journaled for rollback',
    })
    const [entry] = (await readJournal(file.path)).entries
    expect(entry?.state).toBe('mismatch')
    expect(entry?.afterImage).toBeUndefined()
  })

  it('sends the calls derived from before and after, not calls stored in the change', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    ec2.on(CreateTagsCommand).resolves({})
    const stored = {
      ...tagChange(),
      calls: [{operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-other'], Tags: [{Key: 'owner', Value: 'attacker'}]}}],
    }
    await applyPlan(plan(stored), await journal(), await options())
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toEqual([{Resources: ['subnet-1'], Tags: [V2]}])
  })

  it('stops with a credentials error instead of reporting every change as failed', async () => {
    ec2.on(DescribeSubnetsCommand).rejects(awsError('ExpiredToken', 403))
    await expect(applyPlan(plan(tagChange()), await journal(), await options())).rejects.toBeInstanceOf(ExecutorCredentialsError)
  })
})

describe('write-ahead journal', () => {
  it('the intent is on disk before the first write is sent', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    let onDisk: unknown
    const file = await journal()
    ec2.on(CreateTagsCommand).callsFake(() => {
      onDisk = JSON.parse(readFileSync(file.path, 'utf8')).entries
      return {}
    })
    await applyPlan(plan(tagChange()), file, await options())
    expect(onDisk).toEqual([expect.objectContaining({state: 'intent', beforeImage: {kind: 'tags', tags: [{key: 'Name', value: 'a'}]}})])
    expect((await readJournal(file.path)).entries[0]?.state).toBe('applied')
  })

  async function intentJournal(): Promise<string> {
    const file = await journal()
    await file.record({change: tagChange(), state: 'intent', beforeImage: {kind: 'tags', tags: [{key: 'Name', value: 'a'}]}, appliedAt: '2026-11-23T00:00:00Z'})
    return file.path
  }

  it('rollback of an interrupted change undoes it when it reached the target as planned', async () => {
    const path = await intentJournal()
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}, V2))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}))
    ec2.on(DeleteTagsCommand).resolves({})
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome?.status).toBe('restored')
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(1)
  })

  it('rollback of an interrupted change that never reached the target sends nothing', async () => {
    const path = await intentJournal()
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'a'}))
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'restored', detail: expect.stringMatching(/nothing sent/)})
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0)
  })

  it('rollback refuses an interrupted change when the target is neither as before nor as planned', async () => {
    const path = await intentJournal()
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'other'}))
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'refused', detail: expect.stringMatching(/neither as before nor as planned/)})
  })

  it('once interrupted, no new change starts', async () => {
    const interrupt = new AbortController()
    interrupt.abort()
    const outcomes = await applyPlan(plan(tagChange()), await journal(), {...(await options()), signal: interrupt.signal})
    expect(outcomes).toEqual([expect.objectContaining({status: 'not-applied', detail: 'interrupted before it started'})])
    expect(ec2.calls()).toHaveLength(0)
  })
})

describe('rollback', () => {
  async function applied(): Promise<string> {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    ec2.on(CreateTagsCommand).resolves({})
    const file = await journal()
    await applyPlan(plan(tagChange()), file, await options())
    ec2.reset()
    return file.path
  }

  it('removes the tag it added (only while it still has our value), and marks the entry', async () => {
    const path = await applied()
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}, V2))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}))
    ec2.on(DeleteTagsCommand).resolves({})
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome?.status).toBe('restored')
    expect(ec2.commandCalls(DeleteTagsCommand).map((call) => call.args[0].input)).toEqual([{Resources: ['subnet-1'], Tags: [V2]}])
    const again = await rollbackJournal(await JournalFile.open(path), await options())
    expect(again.map((entry) => entry.status)).toEqual(['already-rolled-back'])
    expect(JSON.parse(readFileSync(path, 'utf8')).entries[0].rolledBackAt).toMatch(/^\d{4}-/)
  })

  it('refuses a target that changed since it was applied', async () => {
    const path = await applied()
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'a'}, V2, {Key: 'team', Value: 'data'}))
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'refused', detail: expect.stringMatching(/changed since it was applied/)})
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0)
  })
})

describe('the journal file', () => {
  it('is never overwritten, and a damaged one is refused with the place named', async () => {
    const file = await journal()
    await expect(JournalFile.create(file.path, {account: ACCOUNT, partition: 'aws', homeRegion: REGION, startedAt: 'x'})).rejects.toThrow(/already exists/)
    const damaged = join(dir, 'damaged.json')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(
      damaged,
      JSON.stringify({
        schemaVersion: 2,
        tool: {name: 'emr-audit', version: '1'},
        account: ACCOUNT,
        partition: 'aws',
        homeRegion: REGION,
        startedAt: 'x',
        entries: [{change: {}}],
        digest: `sha256:${'0'.repeat(64)}`,
      }),
    )
    await expect(readJournal(damaged)).rejects.toThrow(/invalid journal at entries\[0\]/)
    writeFileSync(damaged, '{"schemaVersion": 7}')
    await expect(readJournal(damaged)).rejects.toThrow(/not an emr-audit journal/)
    writeFileSync(damaged, JSON.stringify({schemaVersion: 1, entries: []}))
    await expect(readJournal(damaged)).rejects.toThrow(
      /made by an older emr-audit \(schemaVersion 1; this emr-audit reads version 2\); roll it back with the emr-audit version that wrote it/,
    )
  })
})

describe('when AWS does not answer as hoped', () => {
  it('fails a change whose target cannot be re-read, sending nothing and journaling nothing', async () => {
    ec2.on(DescribeSubnetsCommand).rejects(awsError('InternalError', 500))
    const file = await journal()
    const [outcome] = await applyPlan(plan(tagChange()), file, await options())
    expect(outcome).toMatchObject({status: 'failed', detail: 'could not re-read the target: InternalError: InternalError'})
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0)
    expect((await readJournal(file.path)).entries).toEqual([])
  })

  it('fails a change with no way from its before to its after, sending and journaling nothing', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'a'}))
    const file = await journal()
    const [outcome] = await applyPlan(plan({...tagChange(), after: {kind: 'policy-document', document: null}}), file, await options())
    expect(outcome).toMatchObject({status: 'failed', detail: 'not sent: a tag-ec2-resource change works on tags states, not tags → policy-document'})
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0)
    expect((await readJournal(file.path)).entries).toEqual([])
  })

  it('journals a change whose credentials expired after its first write went through, for rollback', async () => {
    iam
      .on(GetInstanceProfileCommand)
      .rejectsOnce(awsError('NoSuchEntity', 404))
      .resolves({InstanceProfile: {InstanceProfileName: 'ec2-custom', Roles: [], Path: '/', InstanceProfileId: 'x', Arn: 'arn', CreateDate: new Date(0)}})
    iam.on(CreateInstanceProfileCommand).resolves({})
    iam.on(AddRoleToInstanceProfileCommand).rejects(awsError('ExpiredToken', 403))
    const file = await journal()
    const [outcome] = await applyPlan(plan(profileChange), file, await options())
    expect(outcome).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/^iam:AddRoleToInstanceProfile failed: ExpiredToken.*partly applied and journaled/),
    })
    expect((await readJournal(file.path)).entries).toMatchObject([{state: 'partial', afterImage: {kind: 'instance-profile', exists: true, roles: []}}])
  })

  it('stops on a credentials error at the first write, leaving no intent behind', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'a'}))
    ec2.on(CreateTagsCommand).rejects(awsError('ExpiredToken', 403))
    const file = await journal()
    await expect(applyPlan(plan(tagChange()), file, await options())).rejects.toBeInstanceOf(ExecutorCredentialsError)
    expect((await readJournal(file.path)).entries).toEqual([])
  })

  it('a first write refused, with the target unchanged, is failed and not journaled', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnetTags({Key: 'Name', Value: 'a'}))
    ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation', 403))
    const file = await journal()
    const [outcome] = await applyPlan(plan(tagChange()), file, await options())
    expect(outcome).toMatchObject({
      status: 'failed',
      detail: 'ec2:CreateTags failed: UnauthorizedOperation: UnauthorizedOperation (the target is unchanged)',
    })
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2)
    expect((await readJournal(file.path)).entries).toEqual([])
  })

  it('a refused first write whose target cannot be read back is failed with the refusal, not journaled', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .rejects(awsError('InternalError', 500))
    ec2.on(CreateTagsCommand).rejects(awsError('UnauthorizedOperation', 403))
    const file = await journal()
    const [outcome] = await applyPlan(plan(tagChange()), file, await options())
    expect(outcome).toMatchObject({status: 'failed', detail: 'ec2:CreateTags failed: UnauthorizedOperation: UnauthorizedOperation'})
    expect((await readJournal(file.path)).entries).toEqual([])
  })

  it('a change that stopped after its first call and cannot be read back is journaled as partial', async () => {
    iam.on(GetInstanceProfileCommand).rejectsOnce(awsError('NoSuchEntity', 404)).rejects(awsError('InternalError', 500))
    iam.on(CreateInstanceProfileCommand).resolves({})
    iam.on(AddRoleToInstanceProfileCommand).rejects(awsError('LimitExceeded'))
    const file = await journal()
    const [outcome] = await applyPlan(plan(profileChange), file, await options())
    expect(outcome).toMatchObject({
      status: 'failed',
      detail:
        'iam:AddRoleToInstanceProfile failed: LimitExceeded: LimitExceeded; the target could not be read back (InternalError: InternalError); journaled for rollback',
    })
    expect((await readJournal(file.path)).entries.map((entry) => entry.state)).toEqual(['partial'])
  })

  it('re-reads until the write shows, then calls it applied', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolvesOnce(subnetTags({Key: 'Name', Value: 'a'}))
      .resolves(subnetTags({Key: 'Name', Value: 'a'}, V2))
    ec2.on(CreateTagsCommand).resolves({})
    const [outcome] = await applyPlan(plan(tagChange()), await journal(), {...(await options()), settleDelays: [1, 1]})
    expect(outcome?.status).toBe('applied')
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(3)
  })

  it('reports an advisory change with its reason, or its disposition when it has none', async () => {
    const outcomes = await applyPlan(
      plan({...tagChange(), disposition: 'advisory', reason: 'guard failed'}, {...tagChange(), disposition: 'refused'}),
      await journal(),
      await options(),
    )
    expect(outcomes.map((outcome) => outcome.detail)).toEqual(['guard failed', 'refused'])
  })
})

describe('rollback, when AWS does not answer as hoped', () => {
  async function appliedJournal(...changes: Change[]): Promise<string> {
    const file = await journal()
    for (const change of changes)
      await file.record({change, state: 'applied', beforeImage: change.before, afterImage: change.after, appliedAt: '2026-11-23T00:00:00Z'})
    return file.path
  }
  const asApplied = () => subnetTags({Key: 'Name', Value: 'a'}, V2)

  it('fails an entry whose target cannot be re-read, and leaves it to roll back again', async () => {
    const path = await appliedJournal(tagChange())
    ec2.on(DescribeSubnetsCommand).rejects(awsError('InternalError', 500))
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'failed', detail: 'could not re-read the target: InternalError: InternalError'})
    expect((await readJournal(path)).entries[0]?.rolledBackAt).toBeUndefined()
  })

  it('fails an entry whose undo is refused, and stops the run on a credentials error', async () => {
    const path = await appliedJournal(tagChange())
    ec2.on(DescribeSubnetsCommand).resolves(asApplied())
    ec2.on(DeleteTagsCommand).rejects(awsError('UnauthorizedOperation', 403))
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'failed', detail: 'ec2:DeleteTags failed: UnauthorizedOperation: UnauthorizedOperation'})
    expect((await readJournal(path)).entries[0]?.rolledBackAt).toBeUndefined()
    ec2.on(DeleteTagsCommand).rejects(awsError('ExpiredToken', 403))
    await expect(rollbackJournal(await JournalFile.open(path), await options())).rejects.toBeInstanceOf(ExecutorCredentialsError)
  })

  it('refuses an entry whose before cannot be sent back, sending nothing', async () => {
    // An account that never had a block public access configuration: PutBlockPublicAccessConfiguration
    // needs BlockPublicSecurityGroupRules, so there is nothing to send back
    // (https://docs.aws.amazon.com/emr/latest/APIReference/API_PutBlockPublicAccessConfiguration.html).
    const after = {kind: 'block-public-access' as const, blockPublicSecurityGroupRules: true, permittedRanges: []}
    const bpa = blockPublicAccessChange({...after, blockPublicSecurityGroupRules: null}, after, [])
    const path = await appliedJournal(bpa)
    emr.on(GetBlockPublicAccessConfigurationCommand).resolves({
      BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: []},
      BlockPublicAccessConfigurationMetadata: {CreationDateTime: new Date(0), CreatedByArn: 'x'},
    })
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'refused', detail: 'an empty block public access configuration cannot be sent'})
    expect(emr.commandCalls(PutBlockPublicAccessConfigurationCommand)).toHaveLength(0)
    expect((await readJournal(path)).entries[0]?.rolledBackAt).toBeUndefined()
  })

  it('re-reads after an undo only until the target shows its before', async () => {
    const path = await appliedJournal(tagChange())
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce(asApplied())
      .resolves(subnetTags({Key: 'Name', Value: 'a'}))
    ec2.on(DeleteTagsCommand).resolves({})
    const [outcome] = await rollbackJournal(await JournalFile.open(path), {...(await options()), settleDelays: [1, 1, 1]})
    expect(outcome).toEqual(expect.objectContaining({status: 'restored'}))
    expect(outcome?.detail).toBeUndefined()
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2)
  })

  it('says so when AWS accepted the undo but does not show it yet', async () => {
    const path = await appliedJournal(tagChange())
    ec2.on(DescribeSubnetsCommand).resolves(asApplied())
    ec2.on(DeleteTagsCommand).resolves({})
    const [outcome] = await rollbackJournal(await JournalFile.open(path), {...(await options()), settleDelays: [1]})
    expect(outcome).toMatchObject({status: 'restored', detail: 'calls accepted; AWS does not show the result yet (eventual consistency)'})
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(3)
  })

  it('counts an accepted undo as restored even when the target cannot be read back, and says so', async () => {
    const path = await appliedJournal(tagChange())
    ec2.on(DescribeSubnetsCommand).resolvesOnce(asApplied()).rejects(awsError('InternalError', 500))
    ec2.on(DeleteTagsCommand).resolves({})
    const [outcome] = await rollbackJournal(await JournalFile.open(path), await options())
    expect(outcome).toMatchObject({status: 'restored', detail: 'calls accepted; AWS does not show the result yet (eventual consistency)'})
    expect((await readJournal(path)).entries[0]?.rolledBackAt).toBeDefined()
  })

  it('undoes the newest change first', async () => {
    const second = {...tagChange('subnet-2'), id: 'dddddddddddd'}
    const path = await appliedJournal(tagChange(), second)
    ec2
      .on(DescribeSubnetsCommand)
      .callsFake((input: {SubnetIds?: string[]}) => ({Subnets: [{SubnetId: input.SubnetIds?.[0], Tags: [{Key: 'Name', Value: 'a'}, V2]}]}))
    ec2.on(DeleteTagsCommand).resolves({})
    const outcomes = await rollbackJournal(await JournalFile.open(path), {...(await options()), settleDelays: []})
    expect(outcomes.map((outcome) => outcome.entry.change.target.id)).toEqual(['subnet-2', 'subnet-1'])
    expect(ec2.commandCalls(DeleteTagsCommand).map((call) => call.args[0].input.Resources)).toEqual([['subnet-2'], ['subnet-1']])
  })

  it('names when an entry was already rolled back', async () => {
    const file = await journal()
    await file.record({
      change: tagChange(),
      state: 'applied',
      beforeImage: tagChange().before,
      afterImage: tagChange().after,
      appliedAt: '2026-11-23T00:00:00Z',
      rolledBackAt: '2026-11-24T00:00:00Z',
    })
    const [outcome] = await rollbackJournal(await JournalFile.open(file.path), await options())
    expect(outcome).toMatchObject({status: 'already-rolled-back', detail: 'rolled back at 2026-11-24T00:00:00Z'})
    expect(ec2.calls()).toHaveLength(0)
  })
})
