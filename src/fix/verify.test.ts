/**
 * Plans and journals read from disk prove themselves, or are refused whole. The hostile documents here are
 * what a careful attacker would write: digests recomputed, only one field changed. Policy shapes follow
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html (Principal
 * "*" / {"AWS":"*"} is everyone) and .../reference_policies_elements_resource.html (Resource "*").
 */
import {describe, expect, it} from 'vitest'
import {ACCOUNT} from '../../test/fixtures/inventory.js'
import {loadConfig} from '../app/load-config.js'
import {analyze} from '../app/analyze.js'
import {DEMO_CONFIG_FILE, DEMO_INVENTORY} from '../app/demo.js'
import {readInventory} from '../inventory/io.js'
import {changeCalls} from './calls.js'
import {planFixes} from './planner.js'
import {digestOf} from './state.js'
import type {Change, Journal, JournalEntry, Plan, TargetState} from './types.js'
import {changeLabel, changeProblem, journalDigest, journalProblem, planProblem} from './verify.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const WIDE = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}
const OPEN_TRUST = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: '*'}, Action: 'sts:AssumeRole'}]}
const EMR_TRUST = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole'}]}
const EMR_CONDITIONS = {StringEquals: {'aws:SourceAccount': ACCOUNT}, ArnLike: {'aws:SourceArn': `arn:aws:elasticmapreduce:*:${ACCOUNT}:*`}}

async function demoPlan(): Promise<Plan> {
  const inventory = await readInventory(DEMO_INVENTORY)
  const config = await loadConfig(DEMO_CONFIG_FILE)
  return JSON.parse(JSON.stringify(planFixes(analyze(inventory, {config, now: NOW}), inventory, {config, now: NOW}))) as Plan
}

/** The plan as an attacker leaves it: one change replaced, the digest recomputed so only the checks per change remain. */
function forged(plan: Plan, id: string, edit: (change: Change) => Change): Plan {
  const changes = plan.changes.map((change) => (change.id === id ? edit(structuredClone(change)) : change))
  return {...plan, changes, changesDigest: digestOf(changes)}
}

const byKind = (plan: Plan, kind: Change['kind'], policyName?: string) => {
  const found = plan.changes.find(
    (change) => change.kind === kind && change.disposition === 'apply' && (policyName === undefined || change.policyName === policyName),
  )
  if (!found) throw new Error(`the demo plan has no ${kind} change`)
  return found
}

describe('a saved plan', () => {
  it('made by the planner, and read back from JSON, proves itself', async () => {
    const plan = await demoPlan()
    expect(plan.changes.filter((change) => change.disposition === 'apply').length).toBeGreaterThanOrEqual(8)
    expect(planProblem(plan)).toBeUndefined()
  })

  it('with only one call’s PolicyDocument swapped (digest recomputed) is refused, naming the change and its target', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'put-role-policy')
    const hostile = forged(plan, target.id, (change) => ({
      ...change,
      calls: change.calls.map((call) => ({...call, parameters: {...call.parameters, PolicyDocument: JSON.stringify(WIDE)}})),
    }))
    expect(planProblem(hostile)).toBe(`change ${target.id} (iam-role "${target.target.name}"): its calls are not the ones its before and after give`)
  })

  it('nested too deeply to be compared (a hand-made document) is refused, not a crash', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'put-role-policy')
    let deep: unknown = []
    for (let depth = 0; depth < 20_000; depth++) deep = [deep]
    const hostile = {
      ...plan,
      changes: plan.changes.map((change) =>
        change.id === target.id
          ? {...change, summary: 'deep', before: {kind: 'policy-document' as const, document: {Version: '2012-10-17', Deep: deep}}}
          : change,
      ),
    }
    expect(planProblem(hostile)).toBe('it is nested too deeply to be checked')
    const journal = {
      schemaVersion: 1,
      tool: {name: 'emr-audit', version: '0'},
      account: ACCOUNT,
      partition: 'aws',
      homeRegion: 'us-east-1',
      startedAt: NOW.toISOString(),
      entries: [{change: target, state: 'applied', beforeImage: {kind: 'tags', tags: [{key: 'deep', value: deep}]}, appliedAt: NOW.toISOString()}],
      digest: 'sha256:0',
    } as unknown as Journal
    expect(journalProblem(journal)).toBe('it is nested too deeply to be checked')
  })

  it('edited without recomputing the digest is refused for the digest', async () => {
    const plan = await demoPlan()
    const [first] = plan.changes
    const edited = {...plan, changes: [{...first, summary: 'harmless'} as Change, ...plan.changes.slice(1)]}
    expect(planProblem(edited)).toMatch(/changes were edited after it was made \(changesDigest differs\)/)
  })

  it('with after and call swapped together to a wide grant is refused: the after must re-derive from the before', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'put-role-policy', 'emr-audit-passrole')
    const hostile = forged(plan, target.id, (change) => ({
      ...change,
      after: {kind: 'policy-document', document: WIDE},
      calls: [
        {operation: 'iam:PutRolePolicy', parameters: {RoleName: change.target.name, PolicyName: change.policyName, PolicyDocument: JSON.stringify(WIDE)}},
      ],
    }))
    expect(planProblem(hostile)).toMatch(/its policy after is not its policy before plus the statements emr-audit adds/)
  })

  it('with the module’s own statement widened to every role is refused', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'put-role-policy', 'emr-audit-runtime-roles')
    const widen = (document: unknown) =>
      JSON.parse(JSON.stringify(document).replaceAll(`arn:aws:iam::${ACCOUNT}:role/etl-runtime`, `arn:aws:iam::${ACCOUNT}:role/*`)) as Record<string, unknown>
    const hostile = forged(plan, target.id, (change) => {
      const after = {kind: 'policy-document' as const, document: widen(change.after.kind === 'policy-document' ? change.after.document : null)}
      return {
        ...change,
        after,
        calls: [
          {
            operation: 'iam:PutRolePolicy',
            parameters: {RoleName: change.target.name, PolicyName: change.policyName, PolicyDocument: JSON.stringify(after.document)},
          },
        ],
      }
    })
    expect(planProblem(hostile)).toMatch(
      /statement EmrAuditAssumeRuntimeRoles would grant on "arn:aws:iam::123456789012:role\/\*", which is not one role of account 123456789012/,
    )
  })

  it('whose before already holds the module’s Sid on a wider statement is refused: growing it would widen the grant', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'put-role-policy', 'emr-audit-runtime-roles')
    const hostile = forged(plan, target.id, (change) => {
      const wide = {Sid: 'EmrAuditAssumeRuntimeRoles', Effect: 'Allow', Action: '*', Resource: [`arn:aws:iam::${ACCOUNT}:role/harmless`]}
      const before = {kind: 'policy-document' as const, document: {Version: '2012-10-17', Statement: [wide]}}
      const added =
        change.after.kind === 'policy-document' ? ((change.after.document?.['Statement'] as Array<Record<string, unknown>>)[0]?.['Resource'] as string[]) : []
      const after = {kind: 'policy-document' as const, document: {Version: '2012-10-17', Statement: [{...wide, Resource: [...wide.Resource, ...added].sort()}]}}
      const moved = {...change, before, after}
      return {...moved, calls: changeCalls(moved)}
    })
    expect(planProblem(hostile)).toMatch(/statement EmrAuditAssumeRuntimeRoles of emr-audit-runtime-roles is not the one emr-audit writes/)
  })

  it('with a trust change that also opens the role to everyone is refused', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'update-trust-policy')
    const hostile = forged(plan, target.id, (change) => {
      const document = {...(change.after.kind === 'policy-document' ? change.after.document : {}), Statement: [...OPEN_TRUST.Statement]}
      return {
        ...change,
        after: {kind: 'policy-document', document},
        calls: [{operation: 'iam:UpdateAssumeRolePolicy', parameters: {RoleName: change.target.name, PolicyDocument: JSON.stringify(document)}}],
      }
    })
    expect(planProblem(hostile)).toMatch(/only the confused-deputy conditions added/)
  })

  it('with an advisory change flipped to apply while its guard failed is refused', async () => {
    const plan = await demoPlan()
    const tag = byKind(plan, 'tag-ec2-resource')
    const hostile = forged(plan, tag.id, (change) => ({...change, guards: [{name: 'usedOnlyByEmr', held: false, detail: 'also used by eni-1'}]}))
    expect(planProblem(hostile)).toMatch(/it is marked apply, but its guard "usedOnlyByEmr" did not hold/)
  })

  it('with an advisory change whose calls send a write no module declares for its kind is refused', async () => {
    const plan = await demoPlan()
    const grant = byKind(plan, 'put-role-policy')
    // Shown only, never applied: still, a plan must not carry a write (here: deleting the policy) no module makes.
    const hostile = forged(plan, grant.id, (change) => {
      const deleting = {
        ...change,
        disposition: 'advisory' as const,
        reason: 'shown',
        before: change.after,
        after: {kind: 'policy-document' as const, document: null},
      }
      return {...deleting, calls: changeCalls(deleting)}
    })
    expect(planProblem(hostile)).toMatch(/its calls send iam:DeleteRolePolicy, which no remediation declares for put-role-policy changes$/)
  })

  it('with an advisory change flipped to apply is refused when no module makes it for --apply', async () => {
    const plan = await demoPlan()
    const advisory = plan.changes.find((change) => change.kind === 'put-block-public-access')
    expect(advisory?.disposition).toBe('advisory')
    // Its guards claimed held too: the shape is what stops it.
    const hostile = forged(plan, advisory?.id ?? '', (change) => ({
      ...change,
      disposition: 'apply',
      guards: change.guards.map((guard) => ({...guard, held: true})),
    }))
    expect(planProblem(hostile)).toMatch(/only turns the block on, keeping the permitted ranges/)
  })

  it('with a tag change retargeted to a secret of another account, or tagging more than the v2 key, is refused', async () => {
    const plan = await demoPlan()
    const tag = byKind(plan, 'tag-ec2-resource')
    const moreTags = forged(plan, tag.id, (change) => {
      const after = {kind: 'tags' as const, tags: [...(change.after.kind === 'tags' ? change.after.tags : []), {key: 'owner', value: 'attacker'}]}
      return {
        ...change,
        after,
        calls: [
          {
            operation: 'ec2:CreateTags',
            parameters: {
              Resources: [change.target.id],
              Tags: [
                {Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true'},
                {Key: 'owner', Value: 'attacker'},
              ],
            },
          },
        ],
      }
    })
    expect(planProblem(moreTags)).toMatch(/not its tags before with only the v2 tag set/)
    const foreign = forged(plan, tag.id, (change) => ({...change, account: '999999999999'}))
    expect(planProblem(foreign)).toMatch(/it is for account "999999999999", not "123456789012"/)
    const secret = byKind(plan, 'tag-secret')
    const elsewhere = 'arn:aws:secretsmanager:us-east-1:999999999999:secret:shared-AbCdEf'
    const retargeted = forged(plan, secret.id, (change) => {
      const moved = {...change, target: {...change.target, arn: elsewhere}}
      return {...moved, calls: changeCalls(moved)}
    })
    expect(planProblem(retargeted)).toMatch(
      /its secret "arn:aws:secretsmanager:us-east-1:999999999999:secret:shared-AbCdEf" is not a secret of account 123456789012 in "us-east-1"/,
    )
    const notASubnet = forged(plan, tag.id, (change) => ({...change, target: {...change.target, id: 'i-0123456789abcdef0'}}))
    expect(planProblem(notASubnet)).toMatch(/cannot target the ec2-\S+ "i-0123456789abcdef0"/)
  })

  it('names a hostile target without letting its control characters reach a terminal', async () => {
    const plan = await demoPlan()
    const target = byKind(plan, 'update-trust-policy')
    const name = 'Victim\u001b]0;pwned\u0007\u009b31m\u202e'
    const hostile = forged(plan, target.id, (change) => ({...change, target: {...change.target, id: name, name}}))
    const problem = planProblem(hostile) ?? ''
    expect(problem).toContain('Victim\\u001b]0;pwned\\u0007\\u009b31m\\u202e')
    expect([...problem].filter((char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f) || char === '\u202e')).toEqual(
      [],
    )
    const account = planProblem({...plan, account: '\u009b2J'})
    expect(account).toBe('its account "\\u009b2J" is not a 12-digit AWS account id')
  })
})

function journalOf(entries: JournalEntry[]): Journal {
  const content = {
    schemaVersion: 2 as const,
    tool: {name: 'emr-audit', version: '1.0.0'},
    account: ACCOUNT,
    partition: 'aws',
    homeRegion: 'us-east-1',
    startedAt: NOW.toISOString(),
    entries,
  }
  return {...content, digest: journalDigest(content)}
}

function victimEntry(kind: 'put-role-policy' | 'update-trust-policy', before: Record<string, unknown>, after: Record<string, unknown>): JournalEntry {
  const document = JSON.stringify(after)
  const change: Change = {
    id: kind === 'put-role-policy' ? 'aaaaaaaaaaaa' : 'bbbbbbbbbbbb',
    kind,
    account: ACCOUNT,
    region: 'global',
    target: {type: 'iam-role', id: 'Victim', name: 'Victim', arn: `arn:aws:iam::${ACCOUNT}:role/Victim`},
    ...(kind === 'put-role-policy' ? {policyName: 'emr-audit-passrole'} : {}),
    ruleIds: ['EMR-PASSROLE-001'],
    findings: [],
    summary: 'Let service role Victim pass analytics-ec2',
    calls: [
      {
        operation: kind === 'put-role-policy' ? 'iam:PutRolePolicy' : 'iam:UpdateAssumeRolePolicy',
        parameters: {RoleName: 'Victim', ...(kind === 'put-role-policy' ? {PolicyName: 'emr-audit-passrole'} : {}), PolicyDocument: document},
      },
    ],
    before: {kind: 'policy-document', document: before},
    after: {kind: 'policy-document', document: after},
    autoApply: 'yes',
    guards: [],
    disposition: 'apply',
  }
  return {change, state: 'applied', beforeImage: change.before, afterImage: change.after, appliedAt: NOW.toISOString()}
}

const passRole = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EmrAuditPassRoleToEc2',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`],
      Condition: {StringEquals: {'iam:PassedToService': 'ec2.amazonaws.com'}},
    },
  ],
}
const conditioned = {...EMR_TRUST, Statement: [{...EMR_TRUST.Statement[0], Condition: EMR_CONDITIONS}]}

describe('a journal read for rollback', () => {
  it('edited to name an unrelated role whose "before" grants Action:* and trusts everyone is refused whole, naming the entry', () => {
    const journal = journalOf([victimEntry('put-role-policy', WIDE, passRole), victimEntry('update-trust-policy', OPEN_TRUST, conditioned)])
    expect(journalProblem(journal)).toBe(
      'change aaaaaaaaaaaa (iam-role "Victim"): its policy after is not its policy before plus the statements emr-audit adds',
    )
    // The trust entry alone is refused too: its "after" is not its "before" plus the conditions.
    expect(journalProblem(journalOf([victimEntry('update-trust-policy', OPEN_TRUST, conditioned)]))).toMatch(
      /^change bbbbbbbbbbbb \(iam-role "Victim"\): .*confused-deputy conditions/,
    )
  })

  it('whose entries are exactly what the modules make is accepted (the same Victim, honest images)', () => {
    expect(
      journalProblem(
        journalOf([
          victimEntry('put-role-policy', {Version: '2012-10-17', Statement: []}, passRole),
          victimEntry('update-trust-policy', EMR_TRUST, conditioned),
        ]),
      ),
    ).toBeUndefined()
  })

  it('with a recorded digest that does not match is refused for the digest', () => {
    const journal = journalOf([victimEntry('update-trust-policy', EMR_TRUST, conditioned)])
    expect(journalProblem({...journal, homeRegion: 'eu-west-1'})).toMatch(/edited after emr-audit wrote it \(its digest differs\)/)
  })

  it('with a service-linked role emr-audit never creates, or an instance profile whose before held another role, is refused', () => {
    const base = victimEntry('update-trust-policy', EMR_TRUST, conditioned)
    const slr: Change = {
      ...base.change,
      kind: 'create-service-linked-role',
      target: {type: 'iam-role', id: 'AWSServiceRoleForRDS', name: 'AWSServiceRoleForRDS'},
      calls: [],
      before: {kind: 'service-linked-role', roles: []},
      after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForRDS']},
    }
    expect(journalProblem(journalOf([{...base, change: slr, beforeImage: slr.before, afterImage: slr.after}]))).toMatch(
      /creates no service-linked role named "AWSServiceRoleForRDS"/,
    )
    const profile: Change = {
      ...base.change,
      kind: 'instance-profile',
      target: {type: 'iam-instance-profile', id: 'analytics-ec2', name: 'analytics-ec2'},
      calls: [],
      before: {kind: 'instance-profile', exists: true, roles: ['OrgAdmin']},
      after: {kind: 'instance-profile', exists: true, roles: ['analytics-ec2']},
    }
    expect(journalProblem(journalOf([{...base, change: profile, beforeImage: profile.before, afterImage: profile.after}]))).toMatch(
      /only creates a missing profile/,
    )
  })

  it('whose before-image is not its change’s before, or marked applied with another after-image, is refused', () => {
    const entry = victimEntry('update-trust-policy', EMR_TRUST, conditioned)
    expect(journalProblem(journalOf([{...entry, beforeImage: {kind: 'policy-document', document: OPEN_TRUST}}]))).toMatch(
      /before-image is not the before of its change/,
    )
    expect(journalProblem(journalOf([{...entry, afterImage: {kind: 'policy-document', document: OPEN_TRUST}}]))).toMatch(/marked applied but its after-image/)
  })
})

describe('one change, checked on its own', () => {
  const SCOPE = {account: ACCOUNT, partition: 'aws'}
  const V2 = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}
  const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`
  const passRoleChange = () => victimEntry('put-role-policy', {Version: '2012-10-17', Statement: []}, passRole).change
  const trustChange = () => victimEntry('update-trust-policy', EMR_TRUST, conditioned).change

  /** CreateTags as the EC2 API takes it: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html */
  function ec2Tag(type: 'ec2-subnet' | 'ec2-vpc' | 'ec2-security-group', id: string): Change {
    return {
      ...passRoleChange(),
      kind: 'tag-ec2-resource',
      region: 'us-east-1',
      target: {type, id, region: 'us-east-1'},
      policyName: undefined,
      calls: [{operation: 'ec2:CreateTags', parameters: {Resources: [id], Tags: [{Key: V2.key, Value: V2.value}]}}],
      before: {kind: 'tags', tags: []},
      after: {kind: 'tags', tags: [V2]},
    }
  }

  /** TagResource takes the secret's ARN: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html */
  function secretTag(arn = SECRET_ARN, region = 'us-east-1'): Change {
    return {
      ...ec2Tag('ec2-subnet', 'subnet-1'),
      kind: 'tag-secret',
      region,
      target: {type: 'secret', id: 'db', arn},
      calls: [{operation: 'secretsmanager:TagResource', parameters: {SecretId: arn, Tags: [{Key: V2.key, Value: V2.value}]}}],
    }
  }

  function profile(arn?: string): Change {
    return {
      ...passRoleChange(),
      kind: 'instance-profile',
      policyName: undefined,
      target: {type: 'iam-instance-profile', id: 'ec2-custom', name: 'ec2-custom', ...(arn ? {arn} : {})},
      calls: [
        {operation: 'iam:CreateInstanceProfile', parameters: {InstanceProfileName: 'ec2-custom', Path: '/'}},
        {operation: 'iam:AddRoleToInstanceProfile', parameters: {InstanceProfileName: 'ec2-custom', RoleName: 'ec2-custom'}},
      ],
      before: {kind: 'instance-profile', exists: false, roles: []},
      after: {kind: 'instance-profile', exists: true, roles: ['ec2-custom']},
    }
  }

  function linkedRole(): Change {
    return {
      ...passRoleChange(),
      kind: 'create-service-linked-role',
      policyName: undefined,
      target: {type: 'iam-role', id: 'AWSServiceRoleForEMRCleanup', name: 'AWSServiceRoleForEMRCleanup'},
      calls: [{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'elasticmapreduce.amazonaws.com'}}],
      before: {kind: 'service-linked-role', roles: []},
      after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']},
    }
  }

  /** The whole configuration goes back in one PutBlockPublicAccessConfiguration: https://docs.aws.amazon.com/emr/latest/APIReference/API_PutBlockPublicAccessConfiguration.html */
  function blockPublicAccess(before: boolean | null = false): Change {
    return {
      ...passRoleChange(),
      kind: 'put-block-public-access',
      region: 'us-east-1',
      policyName: undefined,
      target: {type: 'account', id: ACCOUNT, region: 'us-east-1'},
      calls: [
        {
          operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
          parameters: {
            BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: [{MinRange: 22, MaxRange: 22}]},
          },
        },
      ],
      before: {kind: 'block-public-access', blockPublicSecurityGroupRules: before, permittedRanges: [{min: 22, max: 22}]},
      after: {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: [{min: 22, max: 22}]},
    }
  }

  it('accepts each kind of change exactly as a module makes it', () => {
    for (const change of [
      passRoleChange(),
      trustChange(),
      ec2Tag('ec2-subnet', 'subnet-1'),
      ec2Tag('ec2-vpc', 'vpc-0a1b'),
      ec2Tag('ec2-security-group', 'sg-1'),
      secretTag(),
      profile(),
      profile(`arn:aws:iam::${ACCOUNT}:instance-profile/ec2-custom`),
      linkedRole(),
      blockPublicAccess(),
      blockPublicAccess(null),
    ])
      expect(changeProblem(change, SCOPE), `${change.kind} ${change.target.id}`).toBeUndefined()
  })

  it('refuses a change for another account', () => {
    expect(changeProblem({...ec2Tag('ec2-subnet', 'subnet-1'), account: '210987654321'}, SCOPE)).toBe(`it is for account "210987654321", not "${ACCOUNT}"`)
  })

  it('refuses a regional change made globally, a global one made in a region, and a target in another region', () => {
    expect(changeProblem({...ec2Tag('ec2-subnet', 'subnet-1'), region: 'global', target: {type: 'ec2-subnet', id: 'subnet-1'}}, SCOPE)).toBe(
      'its region "global" is not where a tag-ec2-resource change is made',
    )
    expect(changeProblem({...blockPublicAccess(), region: 'global', target: {type: 'account', id: ACCOUNT}}, SCOPE)).toBe(
      'its region "global" is not where a put-block-public-access change is made',
    )
    expect(changeProblem({...passRoleChange(), region: 'us-east-1'}, SCOPE)).toBe('its region "us-east-1" is not where a put-role-policy change is made')
    expect(changeProblem({...ec2Tag('ec2-subnet', 'subnet-1'), target: {type: 'ec2-subnet', id: 'subnet-1', region: 'eu-west-1'}}, SCOPE)).toBe(
      'its region "us-east-1" is not where a tag-ec2-resource change is made',
    )
  })

  it('refuses a change that changes nothing', () => {
    const change = ec2Tag('ec2-subnet', 'subnet-1')
    expect(changeProblem({...change, after: change.before, calls: []}, SCOPE)).toBe('its before and after are the same')
  })

  it('tags only a subnet, VPC or security group named by its own id', () => {
    expect(changeProblem(ec2Tag('ec2-subnet', 'sg-1'), SCOPE)).toBe('a tag-ec2-resource change cannot target the ec2-subnet "sg-1"')
    expect(changeProblem(ec2Tag('ec2-subnet', 'subnet-'), SCOPE)).toBe('a tag-ec2-resource change cannot target the ec2-subnet "subnet-"')
    expect(changeProblem(ec2Tag('constructor' as 'ec2-subnet', 'subnet-1'), SCOPE)).toBe('a tag-ec2-resource change cannot target the constructor "subnet-1"')
    expect(changeProblem(ec2Tag('ec2-subnet', 'xsubnet-1'), SCOPE)).toMatch(/cannot target the ec2-subnet "xsubnet-1"$/)
    expect(changeProblem(ec2Tag('ec2-subnet', 'subnet-1/x'), SCOPE)).toMatch(/cannot target the ec2-subnet "subnet-1\/x"$/)
    expect(changeProblem({...ec2Tag('ec2-subnet', 'subnet-1'), target: {type: 'iam-role', id: 'subnet-1', region: 'us-east-1'}}, SCOPE)).toBe(
      'a tag-ec2-resource change cannot target the iam-role "subnet-1"',
    )
  })

  it('tags only a secret of this account, partition and region', () => {
    const refused = (arn: string) => `its secret "${arn}" is not a secret of account ${ACCOUNT} in "us-east-1"`
    for (const arn of [
      `arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf`,
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`,
      `arn:aws-cn:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
      `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/db`,
    ])
      expect(changeProblem(secretTag(arn), SCOPE), arn).toBe(refused(arn))
    expect(changeProblem({...secretTag(), target: {type: 'secret', id: 'db'}}, SCOPE)).toBe(refused('db'))
    expect(changeProblem({...secretTag(), target: {type: 'ec2-subnet', id: 'db', arn: SECRET_ARN}}, SCOPE)).toBe(refused(SECRET_ARN))
  })

  it('sets only the v2 tag, keeping every other tag', () => {
    const change = ec2Tag('ec2-subnet', 'subnet-1')
    const extra: Change = {
      ...change,
      after: {kind: 'tags', tags: [V2, {key: 'Owner', value: 'x'}]},
      calls: [
        {
          operation: 'ec2:CreateTags',
          parameters: {
            Resources: ['subnet-1'],
            Tags: [
              {Key: V2.key, Value: V2.value},
              {Key: 'Owner', Value: 'x'},
            ],
          },
        },
      ],
    }
    expect(changeProblem(extra, SCOPE)).toBe('its tags after are not its tags before with only the v2 tag set')
  })

  it('edits only a role of this account named exactly by its ARN, never a service-linked one', () => {
    const at = (target: Change['target']) => changeProblem({...passRoleChange(), target}, SCOPE)
    expect(at({type: 'iam-instance-profile', id: 'Victim', name: 'Victim', arn: `arn:aws:iam::${ACCOUNT}:role/Victim`})).toBe(
      'targets a iam-instance-profile, not a role',
    )
    expect(at({type: 'iam-role', id: 'Victim', name: 'Victim'})).toBe(`its role ARN null is not a role of account ${ACCOUNT}`)
    for (const arn of [
      `arn:aws:iam::210987654321:role/Victim`,
      `arn:aws:iam::${ACCOUNT}:role/*`,
      `arn:aws:iam::${ACCOUNT}:user/Victim`,
      `arn:aws-cn:iam::${ACCOUNT}:role/Victim`,
    ])
      expect(at({type: 'iam-role', id: 'Victim', name: 'Victim', arn}), arn).toBe(`its role ARN "${arn}" is not a role of account ${ACCOUNT}`)
    expect(at({type: 'iam-role', id: 'Victim', name: 'Other', arn: `arn:aws:iam::${ACCOUNT}:role/Victim`})).toBe(
      'its role name "Other" is not the one its ARN names',
    )
    expect(at({type: 'iam-role', id: 'Victim', arn: `arn:aws:iam::${ACCOUNT}:role/NotVictim`})).toBe('its role name "Victim" is not the one its ARN names')
    expect(
      at({type: 'iam-role', id: 'Victim', name: 'Victim', arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticmapreduce.amazonaws.com/Victim`}),
    ).toBe('targets a service-linked role, which emr-audit never edits')
    // A role under an ordinary path is still one role.
    const pathed = victimEntry('put-role-policy', {Version: '2012-10-17', Statement: []}, passRole).change
    expect(changeProblem({...pathed, target: {...pathed.target, arn: `arn:aws:iam::${ACCOUNT}:role/team/Victim`}}, SCOPE)).toBeUndefined()
  })

  it('refuses an inline policy emr-audit does not write, and one it would delete', () => {
    const change = passRoleChange()
    expect(changeProblem({...change, policyName: 'admin'}, SCOPE)).toBe('inline policy "admin" is not one emr-audit writes')
    for (const inherited of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(changeProblem({...change, policyName: inherited}, SCOPE)).toBe(`inline policy "${inherited}" is not one emr-audit writes`)
    expect(
      changeProblem(
        {
          ...change,
          before: change.after,
          after: {kind: 'policy-document', document: null},
          calls: [{operation: 'iam:DeleteRolePolicy', parameters: {RoleName: 'Victim', PolicyName: 'emr-audit-passrole'}}],
        },
        SCOPE,
      ),
    ).toBe('its after deletes the inline policy, which no fix does')
  })

  it('refuses states of another kind than the change works on', () => {
    const tags: TargetState = {kind: 'tags', tags: []}
    const linked: TargetState = {kind: 'service-linked-role', roles: []}
    const cases: Array<[Change, string]> = [
      [ec2Tag('ec2-subnet', 'subnet-1'), 'its states are not tags'],
      [passRoleChange(), 'its states are not policy documents'],
      [trustChange(), 'its states are not policy documents'],
      [profile(), 'its states are not instance profiles'],
      [linkedRole(), 'its states are not service-linked roles'],
      [blockPublicAccess(), 'its states are not block public access configurations'],
    ]
    for (const [change, problem] of cases) {
      const before = change.kind.startsWith('tag-') ? linked : tags
      expect(changeProblem({...change, before}, SCOPE), change.kind).toBe(problem)
      expect(changeProblem({...change, after: before}, SCOPE), change.kind).toBe(problem)
    }
  })

  it('creates only a missing instance profile of this account, holding the role of its name', () => {
    expect(changeProblem({...profile(), target: {type: 'iam-instance-profile', id: 'ec2-custom', name: 'other'}}, SCOPE)).toBe(
      'does not name one instance profile',
    )
    expect(changeProblem({...profile(), target: {type: 'iam-role', id: 'ec2-custom', name: 'ec2-custom'}}, SCOPE)).toBe('does not name one instance profile')
    for (const arn of [
      `arn:aws:iam::210987654321:instance-profile/ec2-custom`,
      `arn:aws:iam::${ACCOUNT}:role/ec2-custom`,
      `arn:aws:iam::${ACCOUNT}:instance-profile/other`,
    ])
      expect(changeProblem(profile(arn), SCOPE), arn).toBe(`its ARN "${arn}" is not an instance profile of account ${ACCOUNT}`)
    const withOtherRole = {...profile(), after: {kind: 'instance-profile' as const, exists: true, roles: ['OrgAdmin']}}
    expect(changeProblem(withOtherRole, SCOPE)).toBe('an instance-profile fix only creates a missing profile holding the role of the same name')
  })

  it('creates only a missing service-linked role it knows', () => {
    const existing: Change = {
      ...linkedRole(),
      before: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup_old']},
      after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup_old', 'AWSServiceRoleForEMRCleanup']},
    }
    expect(changeProblem(existing, SCOPE)).toBe('a service-linked-role fix only creates the missing role')
    const renamed: Change = {...linkedRole(), after: {kind: 'service-linked-role', roles: ['Other']}}
    expect(changeProblem(renamed, SCOPE)).toBe('a service-linked-role fix only creates the missing role')
    expect(changeProblem({...linkedRole(), target: {type: 'iam-instance-profile', id: 'AWSServiceRoleForEMRCleanup'}}, SCOPE)).toBe(
      'emr-audit creates no service-linked role named "AWSServiceRoleForEMRCleanup"',
    )
  })

  it('only turns block public access on, keeping its permitted ranges', () => {
    const problem = 'a block-public-access fix only turns the block on, keeping the permitted ranges'
    const narrowed = blockPublicAccess()
    expect(
      changeProblem(
        {
          ...narrowed,
          after: {kind: 'block-public-access', blockPublicSecurityGroupRules: true, permittedRanges: []},
          calls: [
            {
              operation: 'elasticmapreduce:PutBlockPublicAccessConfiguration',
              parameters: {BlockPublicAccessConfiguration: {BlockPublicSecurityGroupRules: true, PermittedPublicSecurityGroupRuleRanges: []}},
            },
          ],
        },
        SCOPE,
      ),
    ).toBe(problem)
    const alreadyOn = blockPublicAccess(true)
    expect(changeProblem({...alreadyOn, after: {...alreadyOn.after, permittedRanges: []} as Change['after']}, SCOPE)).toBe(problem)
  })

  it('refuses stored calls other than the ones before and after give', () => {
    const change = ec2Tag('ec2-subnet', 'subnet-1')
    expect(
      changeProblem({...change, calls: [{operation: 'ec2:CreateTags', parameters: {Resources: ['subnet-2'], Tags: [{Key: V2.key, Value: V2.value}]}}]}, SCOPE),
    ).toBe('its calls are not the ones its before and after give')
  })
})

describe('a change label', () => {
  it('names the change by id and its target by name, else by id', () => {
    expect(changeLabel({id: '0123abcd4567', target: {type: 'iam-role', id: 'AROAEXAMPLE', name: 'Victim'}})).toBe('change 0123abcd4567 (iam-role "Victim")')
    expect(changeLabel({id: '0123abcd4567', target: {type: 'ec2-subnet', id: 'subnet-1'}})).toBe('change 0123abcd4567 (ec2-subnet "subnet-1")')
  })
})

describe('the account and partition a file names', () => {
  const entry = () => victimEntry('update-trust-policy', EMR_TRUST, conditioned)
  const journalFor = (account: string, partition: string) => {
    const {digest: _old, ...content} = {...journalOf([entry()]), account, partition}
    return {...content, digest: journalDigest(content)}
  }

  it('must be a 12-digit account id and an AWS partition name, in a plan and in a journal', async () => {
    const plan = await demoPlan()
    for (const account of ['12345678901', '1234567890123', `x${ACCOUNT}`, `${ACCOUNT}x`]) {
      expect(planProblem({...plan, account}), account).toBe(`its account "${account}" is not a 12-digit AWS account id`)
      expect(journalProblem(journalFor(account, 'aws')), account).toBe(`its account "${account}" is not a 12-digit AWS account id`)
    }
    for (const partition of ['AWS', 'aws-', 'xaws', 'aws-cn-', 'aws-us_gov']) {
      expect(planProblem({...plan, partition}), partition).toBe(`its partition "${partition}" is not an AWS partition`)
      expect(journalProblem(journalFor(ACCOUNT, partition)), partition).toBe(`its partition "${partition}" is not an AWS partition`)
    }
  })

  it('may be any AWS partition: the checks then hold the changes to it', () => {
    // The entry's ARNs are in the aws partition, so in aws-us-gov it names a role of another partition.
    expect(journalProblem(journalFor(ACCOUNT, 'aws-us-gov'))).toBe(
      `change bbbbbbbbbbbb (iam-role "Victim"): its role ARN "arn:aws:iam::${ACCOUNT}:role/Victim" is not a role of account ${ACCOUNT}`,
    )
  })
})

describe('the disposition of a change', () => {
  it('marked apply must not be advisory in the catalog', async () => {
    const plan = await demoPlan()
    const tag = byKind(plan, 'tag-ec2-resource')
    expect(planProblem(forged(plan, tag.id, (change) => ({...change, autoApply: 'no'})))).toBe(
      `${changeLabel(tag)}: it is marked apply, but its fix is advisory`,
    )
  })

  it('marked apply must have every guard decided and held', async () => {
    const plan = await demoPlan()
    const tag = byKind(plan, 'tag-ec2-resource')
    const undecided = forged(plan, tag.id, (change) => ({...change, guards: [...change.guards, {name: 'usedOnlyByEmr', held: null, detail: 'unknown'}]}))
    expect(planProblem(undecided)).toBe(`${changeLabel(tag)}: it is marked apply, but its guard "usedOnlyByEmr" did not hold`)
  })

  it("not apply still must be for the plan's account", async () => {
    const plan = await demoPlan()
    const tag = byKind(plan, 'tag-ec2-resource')
    const elsewhere = forged(plan, tag.id, (change) => ({...change, disposition: 'advisory', reason: 'shown', account: '210987654321'}))
    expect(planProblem(elsewhere)).toBe(`${changeLabel(tag)}: it is for account "210987654321", not "${ACCOUNT}"`)
  })

  it('in a journal must have been apply: nothing else is ever made', () => {
    const entry = victimEntry('update-trust-policy', EMR_TRUST, conditioned)
    for (const disposition of ['advisory', 'refused'] as const)
      expect(journalProblem(journalOf([{...entry, change: {...entry.change, disposition}}]))).toBe(
        `change bbbbbbbbbbbb (iam-role "Victim"): it was ${disposition}, and only [apply] changes are made`,
      )
    expect(journalProblem(journalOf([{...entry, change: {...entry.change, autoApply: 'no'}}]))).toBe(
      'change bbbbbbbbbbbb (iam-role "Victim"): it is marked apply, but its fix is advisory',
    )
  })

  it('in a journal, partial or mismatched, need not hold its after', () => {
    const entry = victimEntry('update-trust-policy', EMR_TRUST, conditioned)
    const elsewhere: TargetState = {kind: 'policy-document', document: OPEN_TRUST}
    for (const state of ['partial', 'mismatch', 'intent'] as const)
      expect(journalProblem(journalOf([{...entry, state, afterImage: elsewhere}])), state).toBeUndefined()
    const {afterImage: _none, ...inFlight} = entry
    expect(journalProblem(journalOf([{...inFlight, state: 'intent'}]))).toBeUndefined()
    expect(journalProblem(journalOf([{...inFlight, state: 'applied'}]))).toBe(
      'change bbbbbbbbbbbb (iam-role "Victim"): it is marked applied but its after-image is not the after of its change',
    )
  })
})

describe('an inline policy or trust change, re-derived', () => {
  const SCOPE = {account: ACCOUNT, partition: 'aws'}
  const ec2Role = `arn:aws:iam::${ACCOUNT}:role/analytics-ec2`

  it('accepts a grant of a role already there that only rewrites the Resource as a sorted list', () => {
    const [statement] = passRole.Statement
    const asString = {Version: '2012-10-17', Statement: [{...statement, Resource: ec2Role}]}
    const asList = {Version: '2012-10-17', Statement: [{...statement, Resource: [ec2Role]}]}
    expect(changeProblem(victimEntry('put-role-policy', asString, asList).change, SCOPE)).toBeUndefined()
    // The same rewrite on a statement emr-audit does not write is refused, naming what it would grant.
    const wider = {Version: '2012-10-17', Statement: [{...statement, Action: ['iam:PassRole', 'iam:GetRole'], Resource: ec2Role}]}
    expect(changeProblem(victimEntry('put-role-policy', wider, {...wider, Statement: [{...wider.Statement[0], Resource: [ec2Role]}]}).change, SCOPE)).toBe(
      'statement EmrAuditPassRoleToEc2 of emr-audit-passrole is not the one emr-audit writes, and growing it would grant more than iam:PassRole',
    )
  })

  it('names every action of a runtime-role statement it would not grow', () => {
    const before = {
      Version: '2012-10-17',
      Statement: [{Sid: 'EmrAuditAssumeRuntimeRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'iam:*'], Resource: [ec2Role]}],
    }
    const after = {...before, Statement: [{...before.Statement[0], Resource: [ec2Role, `arn:aws:iam::${ACCOUNT}:role/etl`]}]}
    const change = {...victimEntry('put-role-policy', before, after).change, policyName: 'emr-audit-runtime-roles'}
    change.calls = [{...change.calls[0], parameters: {...change.calls[0]?.parameters, PolicyName: 'emr-audit-runtime-roles'}} as Change['calls'][number]]
    expect(changeProblem(change, SCOPE)).toBe(
      'statement EmrAuditAssumeRuntimeRoles of emr-audit-runtime-roles is not the one emr-audit writes, and growing it would grant more than sts:AssumeRole, sts:TagSession',
    )
  })

  it('refuses a trust change that splits a statement shared with another service: that is shown, never applied', () => {
    const shared = {
      Version: '2012-10-17',
      Statement: [{Effect: 'Allow', Principal: {Service: ['ec2.amazonaws.com', 'elasticmapreduce.amazonaws.com']}, Action: 'sts:AssumeRole'}],
    }
    const split = {
      Version: '2012-10-17',
      Statement: [
        {Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'},
        {Effect: 'Allow', Principal: {Service: 'elasticmapreduce.amazonaws.com'}, Action: 'sts:AssumeRole', Condition: EMR_CONDITIONS},
      ],
    }
    expect(changeProblem(victimEntry('update-trust-policy', shared, split).change, SCOPE)).toMatch(/only the confused-deputy conditions added/)
  })
})

describe('what a change re-derives from, edge by edge', () => {
  const SCOPE = {account: ACCOUNT, partition: 'aws'}
  const EMPTY = {Version: '2012-10-17', Statement: []}
  const NOT_DERIVED = 'its policy after is not its policy before plus the statements emr-audit adds'
  const [passToEc2] = passRole.Statement
  const autoScaling = (extra: string[]) => ({
    Sid: 'EmrAuditPassRoleToAutoScaling',
    Effect: 'Allow',
    Action: ['iam:PassRole', ...extra],
    Resource: [`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`],
    Condition: {StringEquals: {'iam:PassedToService': 'application-autoscaling.amazonaws.com'}},
  })

  it('refuses a role whose id is not the name its ARN ends in', () => {
    const change = passRoleChange()
    expect(changeProblem({...change, target: {...change.target, id: 'AROAEXAMPLE', name: 'Victim'}}, SCOPE)).toBe(
      'its role name "Victim" is not the one its ARN names',
    )
  })

  it('refuses an inline-policy change that names no policy', () => {
    expect(changeProblem({...passRoleChange(), policyName: undefined}, SCOPE)).toBe('inline policy "" is not one emr-audit writes')
  })

  it('leaves alone a statement of its Sid the change does not touch, even one emr-audit would not grow', () => {
    // The Auto Scaling statement carries an extra action, so it is not emr-audit's; unchanged, it is not a grant.
    const before = {Version: '2012-10-17', Statement: [autoScaling(['iam:GetRole'])]}
    const after = {Version: '2012-10-17', Statement: [autoScaling(['iam:GetRole']), passToEc2]}
    expect(changeProblem(victimEntry('put-role-policy', before, after).change, SCOPE)).toBeUndefined()
  })

  it('checks only the resources a change adds, not those its statement already held', () => {
    // A role of another account already in the statement is not emr-audit's doing; the change adds one of this account.
    const other = 'arn:aws:iam::210987654321:role/legacy'
    const before = {Version: '2012-10-17', Statement: [{...passToEc2, Resource: [other]}]}
    const after = {Version: '2012-10-17', Statement: [{...passToEc2, Resource: [`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`, other]}]}
    expect(changeProblem(victimEntry('put-role-policy', before, after).change, SCOPE)).toBeUndefined()
  })

  it('derives nothing from a statement whose Sid is not one emr-audit writes, or not text', () => {
    const wide = {Effect: 'Allow', Action: '*', Resource: '*'}
    // Names an object literal inherits (a hand-edited plan may use them) are not Sids emr-audit writes.
    for (const Sid of ['Mine', ['EmrAuditPassRoleToEc2'], 'constructor', 'toString', '__proto__']) {
      const after = {Version: '2012-10-17', Statement: [{...wide, Sid}]}
      expect(changeProblem(victimEntry('put-role-policy', EMPTY, after).change, SCOPE), JSON.stringify(Sid)).toBe(NOT_DERIVED)
    }
  })

  it('refuses, without crashing, an after whose statement list holds a null', () => {
    const after = {Version: '2012-10-17', Statement: [null, passToEc2]}
    expect(changeProblem(victimEntry('put-role-policy', EMPTY, after).change, SCOPE)).toBe(NOT_DERIVED)
  })

  it('creates a service-linked role only where none was, even when the one it creates replaces another', () => {
    const change = passRoleChange()
    const replacing: Change = {
      ...change,
      kind: 'create-service-linked-role',
      policyName: undefined,
      target: {type: 'iam-role', id: 'AWSServiceRoleForEMRCleanup', name: 'AWSServiceRoleForEMRCleanup'},
      calls: [{operation: 'iam:CreateServiceLinkedRole', parameters: {AWSServiceName: 'elasticmapreduce.amazonaws.com'}}],
      before: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup_old']},
      after: {kind: 'service-linked-role', roles: ['AWSServiceRoleForEMRCleanup']},
    }
    expect(changeProblem(replacing, SCOPE)).toBe('a service-linked-role fix only creates the missing role')
  })

  it('refuses a shown change whose states no calls are known for, with the reason the calls give', async () => {
    const plan = await demoPlan()
    const advisory = plan.changes.find((change) => change.disposition !== 'apply' && change.kind === 'put-block-public-access')
    if (!advisory) throw new Error('the demo plan has no advisory block-public-access change')
    const hostile = forged(plan, advisory.id, (change) => ({...change, before: {kind: 'tags', tags: []}}))
    expect(planProblem(hostile)).toMatch(/: a put-block-public-access change works on block-public-access states, not tags → block-public-access$/)
  })

  it('reports only too-deep nesting as such: any other failure is not hidden behind it', async () => {
    const plan = await demoPlan()
    const changes = [null] as unknown as Change[]
    expect(() => planProblem({...plan, changes, changesDigest: digestOf(changes)})).toThrow(TypeError)
  })

  function passRoleChange(): Change {
    return victimEntry('put-role-policy', EMPTY, passRole).change
  }
})
