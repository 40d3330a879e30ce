import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {scanPolicy} from '../../src/app/permission-policy.js'
import {MULTI_ACCOUNT_ACTIONS, SCAN_ACTIONS, SOURCES, type Source} from '../../src/scanners/index.js'
import {FIX_READ_ACTIONS} from '../../src/fix/aws.js'
import {allowedFixWrites, FIX_READS, FIX_WRITE_ACTIONS, fixStatements, type PolicyStatement} from '../../src/fix/permissions.js'
import {planPolicy} from '../../src/fix/plan-permissions.js'
import {SECURITY_HUB_ACTIONS} from '../../src/publish/actions.js'
import {planFixes} from '../../src/fix/planner.js'
import type {Plan} from '../../src/fix/types.js'
import {analyze} from '../../src/app/analyze.js'
import {evaluateIdentityAccess} from '../../src/policy/evaluate.js'
import {allowService, cluster, doc, emptyInventory, role, withRoles, ACCOUNT, REGION} from '../fixtures/inventory.js'
import {arnOf, withAwsManaged} from '../fixtures/managed-policies.js'

const SRC = new URL('../../src/', import.meta.url).pathname

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

/** The IAM service prefix of each scanner file's SDK client. */
const SERVICE_OF_SCANNER: Record<string, string> = {
  'iam.ts': 'iam',
  'emr.ts': 'elasticmapreduce',
  'ec2.ts': 'ec2',
  'secrets.ts': 'secretsmanager',
  'sts.ts': 'sts',
  'kms.ts': 'kms',
  's3.ts': 's3',
  'regions.ts': 'ec2',
  'accounts.ts': 'organizations',
}
/** SDK commands whose IAM action has another name. */
const ACTION_OF_COMMAND: Record<string, string> = {'s3:GetBucketEncryption': 's3:GetEncryptionConfiguration'}

function commandsSentBy(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/new (\w+)Command\(/g)].map((match) => match[1] as string)
}

/** The sources a scanner file declares (its exports that are in SOURCES). */
async function sourcesDeclaredIn(file: string): Promise<Source[]> {
  const module = (await import(join(SRC, 'scanners', file))) as Record<string, unknown>
  return Object.values(module).filter((value): value is Source => SOURCES.includes(value as Source))
}

/** Each `call(ctx, service, region, 'action', () => client.send(new XCommand(` in a file: the action named and the command sent. */
function namedCalls(file: string): Array<{named: string; command: string}> {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/call\(ctx, [^,]+, [^,]+, '([^']+)', \(\) =>\s*[\w.]+(?:\([\w.]+\))?\.send\(new (\w+)Command\(/g)].map((match) => ({
    named: match[1] as string,
    command: match[2] as string,
  }))
}

describe('the permissions the scan needs', () => {
  it('every SDK command a scanner file sends is declared by the sources it defines, and nothing else is', async () => {
    const declaredSomewhere = new Set<string>()
    for (const [file, service] of Object.entries(SERVICE_OF_SCANNER)) {
      const called = new Set(
        commandsSentBy(join(SRC, 'scanners', file)).map((command) => ACTION_OF_COMMAND[`${service}:${command}`] ?? `${service}:${command}`),
      )
      const sources = await sourcesDeclaredIn(file)
      const declared = [...new Set(sources.flatMap((source) => source.actions))]
      for (const action of declared) declaredSomewhere.add(action)
      // regions.ts and accounts.ts are no sources: they declare their actions as constants of their own.
      if (sources.length > 0) expect({file, actions: [...called].sort()}).toEqual({file, actions: declared.sort()})
    }
    expect(SOURCES.flatMap((source) => source.actions).every((action) => declaredSomewhere.has(action))).toBe(true)
    const everyCall = Object.entries(SERVICE_OF_SCANNER).flatMap(([file, service]) =>
      commandsSentBy(join(SRC, 'scanners', file)).map((command) => ACTION_OF_COMMAND[`${service}:${command}`] ?? `${service}:${command}`),
    )
    // sts:AssumeRole is sent by the SDK's credential provider, not by a scanner.
    expect([...new Set(everyCall)].sort()).toEqual([...SCAN_ACTIONS, ...MULTI_ACCOUNT_ACTIONS.filter((action) => action !== 'sts:AssumeRole')].sort())
  })

  it('each call names the action its command is: the name coverage reports and the declaration check use', () => {
    for (const [file, service] of Object.entries(SERVICE_OF_SCANNER)) {
      const path = join(SRC, 'scanners', file)
      const calls = namedCalls(path)
      for (const {named, command} of calls) expect(named).toBe(ACTION_OF_COMMAND[`${service}:${command}`] ?? `${service}:${command}`)
      // regions.ts and accounts.ts send their one command outside call(): everything else goes through it.
      if (!['regions.ts', 'accounts.ts'].includes(file)) expect({file, calls: calls.length}).toEqual({file, calls: commandsSentBy(path).length})
    }
  })

  it('only scanners and the fix executor send AWS commands (rules, planner and reports stay pure)', () => {
    const senders = sourceFiles(SRC)
      .filter((file) => commandsSentBy(file).length > 0)
      .map((file) => file.slice(SRC.length))
    expect(senders.sort()).toEqual([...Object.keys(SERVICE_OF_SCANNER).map((file) => `scanners/${file}`), 'fix/aws.ts', 'publish/security-hub.ts'].sort())
  })

  it('every SDK command the Security Hub publisher sends is declared for `permissions --security-hub`, and nothing else is', () => {
    const called = commandsSentBy(join(SRC, 'publish', 'security-hub.ts')).map((command) => `securityhub:${command}`)
    expect([...new Set(called)].sort()).toEqual([...SECURITY_HUB_ACTIONS].sort())
  })

  it('no code path can read a secret value', () => {
    // The action name may appear as data (rules ask whether a policy grants it); the SDK command may not.
    const offenders = sourceFiles(SRC).filter((file) =>
      /GetSecretValueCommand|@aws-sdk\/client-secrets-manager['"].*GetSecretValue/.test(readFileSync(file, 'utf8')),
    )
    expect(offenders).toEqual([])
  })

  it('the generated policy grants exactly the declared actions', () => {
    const granted = scanPolicy().Statement.flatMap((statement) => statement.Action)
    expect(granted.sort()).toEqual(SCAN_ACTIONS.filter((action) => action !== 'sts:GetCallerIdentity').sort())
    expect(scanPolicy({multiAccount: true}).Statement.flatMap((statement) => statement.Action)).toEqual(
      expect.arrayContaining(['sts:AssumeRole', 'organizations:ListAccounts']),
    )
    expect(scanPolicy({partition: 'aws-cn'}).Statement.find((statement) => statement.Action.includes('s3:GetEncryptionConfiguration'))?.Resource).toBe(
      'arn:aws-cn:s3:::*',
    )
  })

  it("--security-hub adds only the import actions, and only into an account's own default product", () => {
    expect(
      scanPolicy()
        .Statement.flatMap((statement) => statement.Action)
        .filter((action) => action.startsWith('securityhub:')),
    ).toEqual([])
    const policy = scanPolicy({securityHub: true})
    expect(
      policy.Statement.flatMap((statement) => statement.Action)
        .filter((action) => action.startsWith('securityhub:'))
        .sort(),
    ).toEqual([...SECURITY_HUB_ACTIONS].sort())
    const decide = (action: string, resource: string) => evaluateIdentityAccess([{label: 'scan', document: policy}], {action, resource, context: {}}).decision
    // Resource types per action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html
    expect(decide('securityhub:BatchImportFindings', 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default')).toBe('allow')
    expect(decide('securityhub:BatchImportFindings', 'arn:aws:securityhub:us-east-1::product/aws/guardduty')).toBe('implicit-deny')
    expect(decide('securityhub:GetFindings', 'arn:aws:securityhub:eu-west-1:111122223333:hub/default')).toBe('allow')
    expect(decide('securityhub:BatchUpdateFindings', 'arn:aws:securityhub:eu-west-1:111122223333:hub/default')).toBe('implicit-deny')
  })
})

/** The IAM service prefix of each SDK package the executor imports commands from. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  'client-ec2': 'ec2',
  'client-emr': 'elasticmapreduce',
  'client-iam': 'iam',
  'client-secrets-manager': 'secretsmanager',
  'client-sts': 'sts',
}

/** Each SDK command src/fix/aws.ts sends, as the IAM action it is. */
function actionsSentByExecutor(): string[] {
  const text = readFileSync(join(SRC, 'fix', 'aws.ts'), 'utf8')
  const serviceOf = new Map<string, string>()
  for (const match of text.matchAll(/import (?:type )?\{([^}]+)\} from '@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
    for (const name of (match[1] ?? '').split(',').map((entry) => entry.trim())) serviceOf.set(name, SERVICE_OF_PACKAGE[match[2] ?? ''] ?? '?')
  }
  for (const match of text.matchAll(/const \{([^}]+)\} = await import\('@aws-sdk\/(client-[a-z0-9-]+)'\)/g)) {
    for (const name of (match[1] ?? '').split(',').map((entry) => entry.trim())) serviceOf.set(name, SERVICE_OF_PACKAGE[match[2] ?? ''] ?? '?')
  }
  return [...new Set(commandsSentBy(join(SRC, 'fix', 'aws.ts')).map((command) => `${serviceOf.get(`${command}Command`) ?? '?'}:${command}`))].sort()
}

describe('the permissions fix --apply and rollback need', () => {
  it('every SDK command the executor sends is declared (writes, read-backs, the caller identity)', () => {
    const declared = [...FIX_WRITE_ACTIONS, ...FIX_READS, 'sts:GetCallerIdentity']
    expect(actionsSentByExecutor()).toEqual([...new Set(declared)].sort())
  })

  it('each write is registered under the action its command performs', () => {
    const text = readFileSync(join(SRC, 'fix', 'aws.ts'), 'utf8')
    for (const action of FIX_WRITE_ACTIONS) {
      const command = action.split(':')[1]
      expect(text).toMatch(new RegExp(`'${action}': \\([^)]*\\) =>\\s*clients\\.\\w+\\(region\\)\\.send\\(new ${command}Command\\(`))
    }
  })

  it('the fix policy allows exactly the writes the executor can send, scoped, and denies service-linked roles', () => {
    expect(allowedFixWrites()).toEqual([...FIX_WRITE_ACTIONS].sort())
    const policy = scanPolicy({fix: {account: '111122223333'}})
    const tagging = policy.Statement.find((statement) => statement.Sid === 'EmrAuditTagNetworkWithV2TagOnly')
    expect(tagging?.Condition?.['ForAllValues:StringEquals']).toEqual({'aws:TagKeys': ['for-use-with-amazon-emr-managed-policies']})
    expect(JSON.stringify(policy)).toContain('arn:aws:iam::111122223333:role/aws-service-role/*')
    expect(policy.Statement.find((statement) => statement.Effect === 'Deny')?.Action).toEqual(
      expect.arrayContaining(['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']),
    )
    // Every read the executor makes is granted by the scan policy or the fix statements.
    const granted = new Set(policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => statement.Action))
    for (const action of Object.values(FIX_READ_ACTIONS).flat()) expect(granted.has(action), action).toBe(true)
  })
})

/**
 * The write policy at least privilege (issue 12, item 5), judged by the evaluator as IAM would
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): a request is
 * allowed only when a statement's action, resource and conditions all match
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */
describe('the fix policy is least privilege', () => {
  const ACCOUNT_ID = '111122223333'
  const iamArn = (resource: string) => `arn:aws:iam::${ACCOUNT_ID}:${resource}`
  // The policy's own-role Deny names `${aws:PrincipalArn}`: the evaluator substitutes it from the caller.
  const CALLER = `arn:aws:iam::${ACCOUNT_ID}:role/emr-audit-fixer`
  const decide = (statements: PolicyStatement[], action: string, resource: string, context: Record<string, string[]> = {}) =>
    evaluateIdentityAccess([{label: 'fix', document: {Version: '2012-10-17', Statement: statements}}], {
      action,
      resource,
      context: {'aws:PrincipalArn': [CALLER], ...context},
    }).decision
  const general = (config = {}) => fixStatements('aws', ACCOUNT_ID, config)

  it('edits EMR roles and the roles the config names, never any other role', () => {
    for (const action of ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:UpdateAssumeRolePolicy']) {
      expect(decide(general(), action, iamArn('role/EMR_EC2_DefaultRole'))).toBe('allow')
      // Its own role is never editable, even when it is named like an EMR role.
      expect(decide(general(), action, iamArn('role/EMR_Audit'), {'aws:PrincipalArn': [iamArn('role/EMR_Audit')]}), action).toBe('explicit-deny')
      expect(decide(general(), action, iamArn('role/OrgAdmin')), action).toBe('implicit-deny')
      expect(decide(general(), action, iamArn('role/*'))).toBe('implicit-deny')
      expect(decide(general({serviceRoles: ['custom-svc']}), action, iamArn('role/custom-svc'))).toBe('allow')
      expect(decide(general({serviceRoles: ['custom-svc']}), action, iamArn('role/team/custom-svc'))).toBe('allow')
      expect(decide(general({serviceRoles: ['custom-svc']}), action, iamArn('role/custom-svc-admin'))).toBe('implicit-deny')
    }
  })

  it('passes roles only to EMR and EC2, and only EMR or configured EC2 roles', () => {
    const ec2 = {'iam:PassedToService': ['ec2.amazonaws.com']}
    expect(decide(general(), 'iam:PassRole', iamArn('role/EMR_EC2_DefaultRole'), ec2)).toBe('allow')
    expect(decide(general(), 'iam:PassRole', iamArn('role/EMR_EC2_DefaultRole'), {'iam:PassedToService': ['lambda.amazonaws.com']})).toBe('implicit-deny')
    expect(decide(general(), 'iam:PassRole', iamArn('role/OrgAdmin'), ec2)).toBe('implicit-deny')
    expect(decide(general({ec2Roles: ['analytics-ec2']}), 'iam:PassRole', iamArn('role/analytics-ec2'), ec2)).toBe('allow')
  })

  it('tags only Studio Git secrets, with the v2 tag only', () => {
    const v2 = {'aws:TagKeys': ['for-use-with-amazon-emr-managed-policies']}
    const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:${name}`
    expect(decide(general(), 'secretsmanager:TagResource', secret('emr-studio-git-AbCdEf'), v2)).toBe('allow')
    expect(decide(general(), 'secretsmanager:TagResource', secret('prod-db-password-AbCdEf'), v2)).toBe('implicit-deny')
    expect(
      decide(general({studios: [{id: 'es-1', region: 'us-east-1', gitSecrets: ['team-git']}]}), 'secretsmanager:TagResource', secret('team-git-AbCdEf'), v2),
    ).toBe('allow')
    expect(decide(general(), 'secretsmanager:TagResource', secret('emr-studio-git-AbCdEf'), {'aws:TagKeys': ['owner']})).toBe('implicit-deny')
  })

  it('refuses a config that names roles or secrets by pattern, instead of widening the write statements to them', () => {
    // "*" and "?" in a Resource ARN are wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
    // a config role named "*" would let the fixer edit, and pass, every role. Role and secret names never contain them
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
    for (const config of [
      {serviceRoles: ['*']},
      {ec2Roles: ['arn:aws:iam::*:role/*']},
      {ec2Roles: ['EMR_EC2_?efaultRole']},
      {serviceRoles: [`arn:aws:iam::${ACCOUNT_ID}:role/team/*`]},
      {studios: [{id: 'es-1', region: 'us-east-1', gitSecrets: ['*']}]},
      {studios: [{id: 'es-1', region: 'us-east-1', serviceRole: 'arn:aws:iam::*:role/x'}]},
    ]) {
      expect(() => general(config), JSON.stringify(config)).toThrow(
        /^the config names .* which is not one (role|secret) name or ARN: a pattern would widen the fix policy; no policy printed$/,
      )
    }
    expect(
      decide(general({ec2Roles: [`arn:aws:iam::${ACCOUNT_ID}:role/team/analytics-ec2`]}), 'iam:PassRole', iamArn('role/team/analytics-ec2'), {
        'iam:PassedToService': ['ec2.amazonaws.com'],
      }),
    ).toBe('allow')
  })

  it("denies editing the caller's own role and the service-linked roles", () => {
    const denies = general().filter((statement) => statement.Effect === 'Deny')
    expect(denies.find((statement) => statement.Resource === '${aws:PrincipalArn}')?.Action).toEqual(
      expect.arrayContaining(['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRolePolicy', 'iam:PassRole']),
    )
    expect(decide(general(), 'iam:PutRolePolicy', iamArn('role/aws-service-role/elasticmapreduce.amazonaws.com/EMR_Linked'))).toBe('explicit-deny')
  })
})

describe('the policy for one saved plan', () => {
  const inventory = () => {
    const account = withAwsManaged(
      withRoles(
        emptyInventory(),
        role({name: 'svc', trust: doc(allowService('elasticmapreduce.amazonaws.com')), managed: [arnOf('AmazonEMRServicePolicy_v2')]}),
        role({name: 'ec2-custom', path: '/team/', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2-profile'}]}),
      ),
      'AmazonEMRServicePolicy_v2',
    )
    account.ec2.vpcs.push({id: 'vpc-0a1b2c3d', region: REGION, ownerId: ACCOUNT, isDefault: false, tags: []})
    account.ec2.subnets.push({id: 'subnet-0a1b2c3d', region: REGION, vpcId: 'vpc-0a1b2c3d', ownerId: ACCOUNT, tags: []})
    account.emr.clusters.push(cluster({id: 'j-1', serviceRole: 'svc', instanceProfile: 'ec2-profile', subnetId: 'subnet-0a1b2c3d'}))
    return account
  }
  const NOW = new Date('2026-11-23T12:00:00Z')
  const savedPlan = (): Plan => {
    const account = inventory()
    return planFixes(analyze(account, {config: {}, now: NOW}), account, {config: {}, now: NOW})
  }
  const decide = (policy: {Statement: PolicyStatement[]}, action: string, resource: string, context: Record<string, string[]> = {}) =>
    evaluateIdentityAccess([{label: 'plan', document: policy}], {
      action,
      resource,
      context: {'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/emr-audit-fixer`], ...context},
    }).decision

  it('allows every call applying and rolling back its [apply] changes make, on exactly their resources', () => {
    const plan = savedPlan()
    const policy = planPolicy(plan, 'plan.json')
    const applied = plan.changes.filter((change) => change.disposition === 'apply')
    expect(applied.map((change) => change.kind).sort()).toEqual([
      'create-service-linked-role',
      'instance-profile',
      'put-role-policy',
      'tag-ec2-resource',
      'tag-ec2-resource',
      'update-trust-policy',
    ])
    const roleArnOf = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:role${path}${name}`
    const v2 = {'aws:TagKeys': ['for-use-with-amazon-emr-managed-policies']}
    expect(decide(policy, 'iam:PutRolePolicy', roleArnOf('svc'))).toBe('allow')
    expect(decide(policy, 'iam:DeleteRolePolicy', roleArnOf('svc'))).toBe('allow')
    expect(decide(policy, 'iam:UpdateAssumeRolePolicy', roleArnOf('svc'))).toBe('allow')
    expect(decide(policy, 'iam:CreateInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/team/ec2-custom`)).toBe('allow')
    expect(decide(policy, 'iam:AddRoleToInstanceProfile', roleArnOf('ec2-custom', '/team/'))).toBe('allow')
    expect(decide(policy, 'iam:PassRole', roleArnOf('ec2-custom', '/team/'), {'iam:PassedToService': ['ec2.amazonaws.com']})).toBe('allow')
    expect(decide(policy, 'ec2:CreateTags', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a1b2c3d`, v2)).toBe('allow')
    expect(decide(policy, 'ec2:DeleteTags', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a1b2c3d`, v2)).toBe('allow')
    expect(decide(policy, 'ec2:CreateTags', `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0a1b2c3d`, v2)).toBe('allow')
    expect(
      decide(
        policy,
        'iam:CreateServiceLinkedRole',
        `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup`,
        {'iam:AWSServiceName': ['elasticmapreduce.amazonaws.com']},
      ),
    ).toBe('allow')
    // Nothing beyond the plan's targets.
    expect(decide(policy, 'iam:PutRolePolicy', roleArnOf('ec2-custom', '/team/'))).toBe('implicit-deny')
    expect(decide(policy, 'iam:UpdateAssumeRolePolicy', roleArnOf('OrgAdmin'))).toBe('implicit-deny')
    expect(decide(policy, 'iam:PassRole', roleArnOf('svc'), {'iam:PassedToService': ['ec2.amazonaws.com']})).toBe('implicit-deny')
    expect(decide(policy, 'ec2:CreateTags', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-99999999`, v2)).toBe('implicit-deny')
    expect(decide(policy, 'secretsmanager:TagResource', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:emr-studio-x-AbCdEf`, v2)).toBe('implicit-deny')
    expect(decide(policy, 'elasticmapreduce:PutBlockPublicAccessConfiguration', '*', {'aws:RequestedRegion': [REGION]})).toBe('implicit-deny')
  })

  it('grants nothing for advisory or refused changes', () => {
    const plan = savedPlan()
    const advisory = {...plan, changes: plan.changes.map((change) => ({...change, disposition: 'advisory' as const}))}
    expect(planPolicy(advisory, 'plan.json').Statement.filter((statement) => statement.Effect === 'Allow')).toEqual([])
  })

  it.each([
    ['a wildcard role name', (plan: Plan) => withCall(plan, 'put-role-policy', {RoleName: '*'}), /RoleName "\*" is not a valid name/],
    ['a path trick in a role name', (plan: Plan) => withCall(plan, 'put-role-policy', {RoleName: '../x'}), /RoleName "\.\.\/x" is not a valid name/],
    ['a wildcard subnet', (plan: Plan) => withCall(plan, 'tag-ec2-resource', {Resources: ['subnet-*']}), /Resources "subnet-\*" is not a valid name/],
    [
      'a call emr-audit never makes',
      (plan: Plan) => ({
        ...plan,
        changes: plan.changes.map((change) =>
          change.kind === 'put-role-policy' ? {...change, calls: [{operation: 'iam:CreateUser', parameters: {UserName: 'x'}}]} : change,
        ),
      }),
      /iam:CreateUser is not a call emr-audit makes/,
    ],
    [
      'a change of another account',
      (plan: Plan) => ({...plan, changes: plan.changes.map((change) => ({...change, account: '999999999999'}))}),
      /is for account "999999999999"/,
    ],
  ])('refuses a plan with %s, naming the change', (_label, edit, message) => {
    expect(() => planPolicy(edit(savedPlan()), 'plan.json')).toThrow(message)
    expect(() => planPolicy(edit(savedPlan()), 'plan.json')).toThrow(/^plan\.json: change [0-9a-f]{12} \(/)
  })
})

function withCall(plan: Plan, kind: string, parameters: Record<string, unknown>): Plan {
  return {
    ...plan,
    changes: plan.changes.map((change) =>
      change.kind === kind ? {...change, calls: change.calls.map((call) => ({...call, parameters: {...call.parameters, ...parameters}}))} : change,
    ),
  }
}
