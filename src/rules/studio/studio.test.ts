import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {allowService, doc, emptyInventory, managedPolicy, role, roleArn, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory, KmsKey, PolicyDocument, Studio, Tag} from '../../inventory/schema.js'
import studio001 from './emr-studio-001.js'
import studio002 from './emr-studio-002.js'
import studio003 from './emr-studio-003.js'
import studio004 from './emr-studio-004.js'
import studio005 from './emr-studio-005.js'
import studio006 from './emr-studio-006.js'

const documented = (
  JSON.parse(readFileSync(new URL('../../../test/fixtures/studio-service-policy.json', import.meta.url), 'utf8')) as {document: PolicyDocument}
).document
const V2: Tag = {key: 'for-use-with-amazon-emr-managed-policies', value: 'true'}
const emrTrust = doc(allowService('elasticmapreduce.amazonaws.com'))
const s3Access = doc(
  {Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::studio-bucket/workspaces*'},
  {Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetEncryptionConfiguration'], Resource: 'arn:aws:s3:::studio-bucket'},
)

function account(studio: Partial<Studio> = {}, serviceInline: Record<string, PolicyDocument> = {documented, s3: s3Access}, tags: Tag[] = [V2]): Inventory {
  const inventory = withRoles(emptyInventory(), role({name: 'studio-svc', trust: emrTrust, inline: serviceInline}))
  inventory.emr.studios.push({
    id: 'es-1',
    region: 'us-east-1',
    origin: 'api',
    authMode: 'IAM',
    serviceRole: roleArn('studio-svc'),
    vpcId: 'vpc-s',
    subnetIds: ['subnet-s'],
    workspaceSecurityGroupId: 'sg-w',
    engineSecurityGroupId: 'sg-e',
    defaultS3Location: 's3://studio-bucket/workspaces',
    gitSecrets: [],
    sessionMappings: [],
    ...studio,
  })
  inventory.ec2.vpcs.push({id: 'vpc-s', region: 'us-east-1', isDefault: false, ownerId: ACCOUNT, tags})
  inventory.ec2.subnets.push({id: 'subnet-s', region: 'us-east-1', ownerId: ACCOUNT, tags})
  inventory.ec2.securityGroups.push(
    {id: 'sg-w', name: 'w', region: 'us-east-1', ownerId: ACCOUNT, tags, ingress: []},
    {id: 'sg-e', name: 'e', region: 'us-east-1', ownerId: ACCOUNT, tags, ingress: []},
  )
  inventory.secrets.push({arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:emr-studio-git-AbC`, name: 'emr-studio-git', region: 'us-east-1', tags})
  inventory.s3Buckets.push({bucket: 'studio-bucket', rules: [{algorithm: 'AES256'}]})
  return inventory
}

function studioKey(arn: string, policy: PolicyDocument | null): KmsKey {
  return {reference: arn, region: 'us-east-1', found: true, arn, keyState: 'Enabled', policy}
}

describe('a Studio built as AWS documents it', () => {
  it('passes every STUDIO rule', () => {
    const inventory = account()
    for (const rule of [studio001, studio002, studio003, studio004, studio005, studio006]) {
      expect(runRule(rule, inventory).filter((outcome) => outcome.status !== 'pass')).toEqual([])
    }
  })
})

describe('EMR-STUDIO-001 service role', () => {
  it('fails a missing role, an untrusting role and a foreign-account role', () => {
    expect(summarise(runRule(studio001, account({serviceRole: 'gone'})))).toEqual(['fail es-1'])
    const untrusting = account()
    untrusting.iam.roles[0]!.trustPolicy = doc(allowService('ec2.amazonaws.com'))
    expect(summarise(runRule(studio001, untrusting))).toEqual(['fail es-1'])
    expect(runRule(studio001, account({serviceRole: 'arn:aws:iam::999999999999:role/x'}))).toMatchObject([
      {status: 'fail', message: expect.stringContaining('account 999999999999') as unknown},
    ])
  })
  it('names the missing or untrusting role, with the role and its EMR-allowing statements as evidence', () => {
    expect(runRule(studio001, account({serviceRole: 'gone'}))).toMatchObject([
      {
        status: 'fail',
        resource: {type: 'emr-studio', id: 'es-1'},
        message: 'Studio es-1 uses service role gone, which does not exist.',
        evidence: {serviceRole: 'gone'},
      },
    ])
    const untrusting = account()
    untrusting.iam.roles[0]!.trustPolicy = doc(allowService('ec2.amazonaws.com'))
    expect(runRule(studio001, untrusting)).toMatchObject([
      {
        message: "Studio es-1's service role studio-svc does not trust elasticmapreduce.amazonaws.com.",
        evidence: {serviceRole: roleArn('studio-svc'), allowing: []},
      },
    ])
    // The trust policy AWS documents for the Studio service role (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html).
    expect(runRule(studio001, account())).toMatchObject([
      {
        status: 'pass',
        message: "Studio es-1's service role studio-svc exists and trusts EMR.",
        evidence: {serviceRole: roleArn('studio-svc'), allowing: [expect.objectContaining({effect: 'Allow'})]},
      },
    ])
  })
  it('is unknown for a Studio that names no service role, saying where it came from', () => {
    for (const [origin, message] of [
      ['api', 'Studio es-1 names no service role.'],
      ['config', 'Studio es-1 names no service role in the config.'],
    ] as const) {
      const inventory = account({origin})
      delete inventory.emr.studios[0]!.serviceRole
      expect(runRule(studio001, inventory)).toEqual([{status: 'unknown', resource: {type: 'emr-studio', id: 'es-1', region: 'us-east-1'}, message}])
    }
  })
})

describe('STUDIO rules without the IAM snapshot', () => {
  const withoutIam = (inventory: Inventory) => setCoverage(inventory, 'iam.authorizationDetails', 'global', 'denied')
  const noBackupLocation = () => {
    const inventory = account()
    delete inventory.emr.studios[0]!.defaultS3Location
    return inventory
  }
  const noServiceRole = () => {
    const inventory = account()
    delete inventory.emr.studios[0]!.serviceRole
    return inventory
  }
  // The engine's unknown, worded from the rule's `checks`, stands in for the rule where it needs the snapshot.
  it.each([
    ['EMR-STUDIO-001', studio001, 'Studio service roles'],
    ['EMR-STUDIO-004', studio004, 'Studio backup location access'],
    ['EMR-STUDIO-005', studio005, 'Studio service role statements'],
    ['EMR-STUDIO-006', studio006, 'Studio user roles'],
  ])('%s is unknown for an account with a Studio', (_, rule, checks) => {
    expect(runRule(rule, withoutIam(account()))).toEqual([
      expect.objectContaining({
        status: 'unknown',
        message: `Could not check ${checks}: the IAM snapshot (iam:GetAccountAuthorizationDetails) was not collected.`,
      }),
    ])
  })
  it.each([
    ['EMR-STUDIO-001, no Studio', studio001, emptyInventory],
    ['EMR-STUDIO-004, no backup location', studio004, noBackupLocation],
    ['EMR-STUDIO-005, no service role', studio005, noServiceRole],
    ['EMR-STUDIO-006, no Studio', studio006, emptyInventory],
  ])('%s: nothing to check, so nothing is reported', (_, rule, inventory) => {
    expect(runRule(rule, withoutIam(inventory()))).toEqual([])
  })
})

describe('EMR-STUDIO-002/003 tags', () => {
  it('fails untagged network resources and secrets when the role is tag-conditioned', () => {
    const inventory = account({}, undefined, [])
    expect(summarise(runRule(studio002, inventory))).toEqual(['fail vpc-s', 'fail subnet-s', 'fail sg-w', 'fail sg-e'])
    expect(summarise(runRule(studio003, inventory))).toEqual(['fail emr-studio-git'])
    // What breaks, per rule (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html).
    expect(runRule(studio002, inventory)[0]?.message).toContain('Workspaces cannot reach clusters through it')
    expect(runRule(studio003, inventory)[0]?.message).toContain('Workspaces cannot use it for Git')
  })
  it('does not apply to a service role without tag conditions', () => {
    const inventory = account({}, {open: doc({Effect: 'Allow', Action: ['ec2:*', 'secretsmanager:GetSecretValue'], Resource: '*'})}, [])
    expect(runRule(studio002, inventory)).toEqual([])
    expect(runRule(studio003, inventory)).toEqual([])
  })
  it('reports a configured Git secret that does not exist', () => {
    expect(summarise(runRule(studio003, account({gitSecrets: ['missing-token']})))).toEqual(['pass emr-studio-git', 'unknown missing-token'])
  })
})

describe('EMR-STUDIO-004 backup location', () => {
  it('fails without S3 access; checks the customer key the bucket uses', () => {
    expect(runRule(studio004, account({}, {documented}))[0]?.message).toContain('s3:PutObject')
    const kmsBucket = account()
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/bucket-key`
    kmsBucket.s3Buckets = [{bucket: 'studio-bucket', rules: [{algorithm: 'aws:kms', kmsKeyId: key}]}]
    kmsBucket.kmsKeys.push({
      reference: key,
      region: 'us-east-1',
      found: true,
      arn: key,
      keyState: 'Enabled',
      policy: doc({Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${ACCOUNT}:root`}, Action: 'kms:*', Resource: '*'}),
    })
    const [outcome] = runRule(studio004, kmsBucket)
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('kms:Decrypt on')
  })
  // KMS resolves an alias in the caller's Region (https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html).
  it('resolves the bucket key alias in the Studio region', () => {
    const inventory = account({region: 'eu-west-1'})
    inventory.s3Buckets = [{bucket: 'studio-bucket', rules: [{algorithm: 'aws:kms', kmsKeyId: 'alias/studio-backup'}]}]
    const entry = (region: string, principal: string) => ({
      reference: 'alias/studio-backup',
      region,
      found: true,
      arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${region}`,
      keyState: 'Enabled',
      policy: doc({Effect: 'Allow', Principal: {AWS: principal}, Action: 'kms:*', Resource: '*'}),
    })
    inventory.kmsKeys.push(entry('us-east-1', `arn:aws:iam::${ACCOUNT}:role/someone-else`), entry('eu-west-1', roleArn('studio-svc')))
    expect(runRule(studio004, inventory)[0]?.status).toBe('pass')
  })
  it('is unknown when the bucket encryption could not be read', () => {
    const inventory = account()
    inventory.s3Buckets = []
    expect(runRule(studio004, inventory)[0]?.status).toBe('unknown')
  })
  it('reports nothing for a role EMR-STUDIO-001 reports missing, or a location EMR would not accept', () => {
    expect(runRule(studio004, account({serviceRole: 'gone'}))).toEqual([])
    expect(runRule(studio004, account({defaultS3Location: 'studio-bucket/workspaces'}))).toEqual([])
  })
  // The five S3 actions on the location (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html).
  it('names each S3 action the role may not use, with the location and keys as evidence', () => {
    const objectsOnly = doc({Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::studio-bucket/workspaces*'})
    expect(runRule(studio004, account({}, {documented, s3: objectsOnly}))).toMatchObject([
      {
        status: 'fail',
        resource: {type: 'emr-studio', id: 'es-1'},
        message:
          "Studio es-1's service role studio-svc may not s3:ListBucket, s3:GetEncryptionConfiguration for s3://studio-bucket/workspaces; Workspaces cannot be saved or restored.",
        evidence: {serviceRole: roleArn('studio-svc'), location: 's3://studio-bucket/workspaces', bucketKey: null, studioKey: null},
      },
    ])
    const denied = doc({Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::studio-bucket/*'})
    expect(runRule(studio004, account({}, {documented, s3: s3Access, denied}))[0]).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('may not s3:DeleteObject for s3://studio-bucket/workspaces;') as unknown,
    })
  })
  it('is unknown when one S3 action is allowed only under conditions not known here', () => {
    const conditional = doc(
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::studio-bucket', 'arn:aws:s3:::studio-bucket/*'],
      },
      {
        Effect: 'Allow',
        Action: 's3:GetEncryptionConfiguration',
        Resource: 'arn:aws:s3:::studio-bucket',
        Condition: {IpAddress: {'aws:SourceIp': '10.0.0.0/8'}},
      },
    )
    expect(runRule(studio004, account({}, {documented, s3: conditional}))).toMatchObject([
      {status: 'unknown', message: expect.stringContaining('access of studio-svc to s3://studio-bucket/workspaces') as unknown},
    ])
  })
  it('reads the encryption of the Studio bucket, not of another bucket', () => {
    const inventory = account()
    inventory.s3Buckets.unshift({bucket: 'other-bucket', rules: [{algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`}]})
    expect(runRule(studio004, inventory)).toMatchObject([
      {status: 'pass', message: "Studio es-1's service role can read and write s3://studio-bucket/workspaces.", evidence: {bucketKey: null}},
    ])
  })
  // DSSE-KMS is a KMS encryption too (SSEAlgorithm aws:kms:dsse: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html).
  it('checks the customer key of a DSSE-KMS bucket', () => {
    const inventory = account()
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/dsse`
    inventory.s3Buckets = [{bucket: 'studio-bucket', rules: [{algorithm: 'aws:kms:dsse', kmsKeyId: key}]}]
    inventory.kmsKeys.push(studioKey(key, doc({Effect: 'Allow', Principal: {AWS: roleArn('someone-else')}, Action: 'kms:*', Resource: '*'})))
    expect(runRule(studio004, inventory)).toMatchObject([
      {status: 'fail', message: expect.stringContaining(`kms:Decrypt on ${key}`) as unknown, evidence: {bucketKey: key, studioKey: null}},
    ])
  })
  describe("the Studio's own key (EncryptionKeyArn: https://docs.aws.amazon.com/emr/latest/APIReference/API_CreateStudio.html)", () => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/studio`
    it('is unknown when the key, or its policy, could not be read', () => {
      expect(runRule(studio004, account({encryptionKeyArn: key}))).toMatchObject([{status: 'unknown', evidence: {studioKey: key}}])
      const unreadable = account({encryptionKeyArn: key})
      unreadable.kmsKeys.push(studioKey(key, null))
      expect(runRule(studio004, unreadable)).toMatchObject([{status: 'unknown', evidence: {studioKey: key}}])
    })
    it('passes when the key policy grants the role', () => {
      const inventory = account({encryptionKeyArn: key})
      inventory.kmsKeys.push(studioKey(key, doc({Effect: 'Allow', Principal: {AWS: roleArn('studio-svc')}, Action: 'kms:*', Resource: '*'})))
      expect(runRule(studio004, inventory)[0]?.status).toBe('pass')
    })
    // DescribeKey answered NotFoundException: nothing can be encrypted with the key, so backups fail.
    it('fails when the key does not exist', () => {
      const inventory = account({encryptionKeyArn: key})
      inventory.kmsKeys.push({reference: key, region: 'us-east-1', found: false})
      expect(runRule(studio004, inventory)).toMatchObject([
        {
          status: 'fail',
          message: `Studio es-1's service role studio-svc may not use ${key} (the key does not exist) for s3://studio-bucket/workspaces; Workspaces cannot be saved or restored.`,
          evidence: {studioKey: key},
        },
      ])
    })
  })
})

describe('EMR-STUDIO-005 statements Studio depends on', () => {
  it('fails when ModifyNetworkInterfaceAttribute is tag-conditioned', () => {
    const altered = structuredClone(documented) as {Statement: Array<Record<string, unknown>>}
    const statement = altered.Statement.find((entry) => entry['Sid'] === 'AllowEC2ENIAttributeAction')
    if (statement) statement['Condition'] = {StringEquals: {'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true'}}
    const [outcome] = runRule(studio005, account({}, {documented: altered as PolicyDocument, s3: s3Access}))
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain('ec2:ModifyNetworkInterfaceAttribute on instance/* (untagged)')
  })
  const withStatements = (change: (statement: Record<string, unknown>) => Record<string, unknown> | undefined): PolicyDocument => {
    const statements = (documented as {Statement: Array<Record<string, unknown>>}).Statement.flatMap((entry) => {
      const changed = change(structuredClone(entry))
      return changed ? [changed] : []
    })
    return {Version: '2012-10-17', Statement: statements} as PolicyDocument
  }
  const V2_KEY = 'for-use-with-amazon-emr-managed-policies'
  it('reports nothing for a service role EMR-STUDIO-001 reports missing', () => {
    expect(runRule(studio005, account({serviceRole: 'gone'}))).toEqual([])
  })
  it('passes the documented statements', () => {
    expect(runRule(studio005, account())).toMatchObject([
      {
        status: 'pass',
        resource: {id: 'es-1'},
        message: "Studio es-1's service role keeps the statements EMR Studio depends on.",
        evidence: {serviceRole: roleArn('studio-svc'), decisions: {'ec2:CreateTags on network-interface/* when creating a network interface': 'allow'}},
      },
    ])
  })
  it('names each missing CreateTags statement', () => {
    const altered = withStatements((entry) => ((entry['Action'] as string[]).includes('ec2:CreateTags') ? undefined : entry))
    expect(runRule(studio005, account({}, {documented: altered, s3: s3Access}))).toMatchObject([
      {
        status: 'fail',
        message:
          "Studio es-1's service role studio-svc lacks statements EMR Studio depends on: ec2:CreateTags on security-group/* when creating a security group; ec2:CreateTags on network-interface/* when creating a network interface.",
      },
    ])
  })
  // Studio creates its security groups and network interfaces with the v2 tag (the documented policy allows
  // CreateSecurityGroup and CreateNetworkInterface only with aws:RequestTag/<v2>=true), so a CreateTags statement
  // narrowed to requests that add that tag keeps working.
  it('passes CreateTags narrowed to requests that add the v2 tag', () => {
    const narrowed = withStatements((entry) =>
      (entry['Action'] as string[]).includes('ec2:CreateTags')
        ? {
            ...entry,
            Condition: {
              StringEquals: {...(entry['Condition'] as {StringEquals: object}).StringEquals, [`aws:RequestTag/${V2_KEY}`]: 'true'},
              'ForAnyValue:StringEquals': {'aws:TagKeys': V2_KEY},
            },
          }
        : entry,
    )
    expect(summarise(runRule(studio005, account({}, {documented: narrowed, s3: s3Access})))).toEqual(['pass es-1'])
  })
  // "Access for the ModifyNetworkInterfaceAttribute API must remain as-is" (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html):
  // a condition that the v2 tag be present, with any value, fails on untagged resources.
  it('fails ModifyNetworkInterfaceAttribute limited to resources that carry the v2 tag', () => {
    const anyValue = withStatements((entry) =>
      entry['Sid'] === 'AllowEC2ENIAttributeAction' ? {...entry, Condition: {StringLike: {[`aws:ResourceTag/${V2_KEY}`]: '*'}}} : entry,
    )
    expect(runRule(studio005, account({}, {documented: anyValue, s3: s3Access}))[0]?.status).toBe('fail')
  })
  it('is unknown when a statement depends on a condition not known here', () => {
    const bySourceIp = withStatements((entry) =>
      entry['Sid'] === 'AllowEC2ENIAttributeAction' ? {...entry, Condition: {IpAddress: {'aws:SourceIp': '10.0.0.0/8'}}} : entry,
    )
    expect(runRule(studio005, account({}, {documented: bySourceIp, s3: s3Access}))).toMatchObject([
      {status: 'unknown', message: 'Could not decide all Studio-required statements of studio-svc.', evidence: {serviceRole: roleArn('studio-svc')}},
    ])
  })
})

describe('EMR-STUDIO-006 user role and session policies', () => {
  const session = `arn:aws:iam::${ACCOUNT}:policy/studio-session`
  function sso(userRoleSpec: Parameters<typeof role>[0] | undefined, mappings: Studio['sessionMappings']): Inventory {
    const inventory = account({authMode: 'SSO', ...(userRoleSpec ? {userRole: roleArn(userRoleSpec.name)} : {}), sessionMappings: mappings})
    if (userRoleSpec) withRoles(inventory, role(userRoleSpec))
    inventory.iam.policies.push(managedPolicy(session, doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'})))
    return inventory
  }
  it('fails an SSO Studio without a usable user role', () => {
    expect(summarise(runRule(studio006, sso(undefined, [])))).toEqual(['fail es-1#user-role'])
  })
  it('fails unattached session policies and broad PassRole', () => {
    const outcomes = runRule(studio006, sso({name: 'studio-user', trust: emrTrust}, [{identityName: 'data', identityType: 'GROUP', sessionPolicyArn: session}]))
    expect(summarise(outcomes)).toEqual(['pass es-1#user-role', 'fail es-1#session-policies', 'fail es-1#passrole'])
  })
  // "Every role" by pattern (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html);
  // iam:PassedToService StringLike "*" matches every service (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
  it.each([
    [{Resource: `arn:aws:iam::${ACCOUNT}:role/emr-*`}, 'pass'],
    [{Resource: `arn:aws:iam::${ACCOUNT}:role/*-role`}, 'pass'],
    [{Resource: `arn:aws:iam::*:role/*`}, 'fail'],
    [{Resource: '*', Condition: {StringLike: {'iam:PassedToService': '*'}}}, 'fail'],
    [{Resource: '*', Condition: {StringEquals: {'iam:PassedToService': 'elasticmapreduce.amazonaws.com'}}}, undefined],
  ])('user-role PassRole %j → %s', (grant, status) => {
    const inventory = sso({name: 'studio-user', trust: emrTrust, inline: {p: doc({Effect: 'Allow', Action: 'iam:PassRole', ...grant})}}, [])
    const outcome = runRule(studio006, inventory).find((entry) => entry.subKey === 'passrole')
    expect(outcome?.status).toBe(status)
    if (status === 'pass') expect(outcome?.message).toContain(String((grant as {Resource: string}).Resource))
  })
  // UserRole is used only with IAM Identity Center authentication (https://docs.aws.amazon.com/emr/latest/APIReference/API_CreateStudio.html).
  it('an IAM-mode Studio with a user role is info', () => {
    const inventory = account({userRole: roleArn('unused')})
    expect(runRule(studio006, inventory)).toEqual([
      expect.objectContaining({
        status: 'pass',
        severity: 'info',
        subKey: 'user-role',
        message: 'Studio es-1 uses IAM authentication, so its user role unused is unused.',
      }),
    ])
    // A Studio listed only in the config, with no auth mode, is not SSO.
    const unset = account({origin: 'config', userRole: roleArn('unused')})
    delete unset.emr.studios[0]!.authMode
    expect(runRule(studio006, unset)[0]?.message).toBe('Studio es-1 uses IAM authentication, so its user role unused is unused.')
  })
  const trusted = {name: 'studio-user', trust: emrTrust}
  it('says why the SSO user role is unusable', () => {
    expect(runRule(studio006, sso(undefined, []))).toEqual([
      expect.objectContaining({status: 'fail', severity: 'high', message: 'SSO Studio es-1 has no user role; its users cannot work in it.'}),
    ])
    const gone = account({authMode: 'SSO', userRole: 'gone', sessionMappings: []})
    expect(runRule(studio006, gone)[0]?.message).toBe('SSO Studio es-1 uses user role gone, which does not exist; its users cannot work in it.')
    const untrusting = sso({name: 'studio-user', trust: doc(allowService('ec2.amazonaws.com'))}, [])
    expect(runRule(studio006, untrusting)[0]?.message).toBe(
      'SSO Studio es-1 uses user role studio-user, which does not trust EMR; its users cannot work in it.',
    )
  })
  it('is unknown about session policies when the session mappings could not be listed', () => {
    const inventory = sso(trusted, [])
    delete inventory.emr.studios[0]!.sessionMappings
    expect(runRule(studio006, inventory)).toMatchObject([
      {status: 'pass', subKey: 'user-role', message: "SSO Studio es-1's user role studio-user exists and trusts EMR."},
      {status: 'unknown', subKey: 'session-policies', message: 'Session mappings of Studio es-1 could not be listed.'},
    ])
  })
  it('passes session policies attached to the user role, and a mapping with none', () => {
    const narrow = `arn:aws:iam::${ACCOUNT}:policy/studio-narrow`
    const inventory = sso({...trusted, managed: [narrow]}, [
      {identityName: 'data', identityType: 'GROUP', sessionPolicyArn: narrow},
      {identityName: 'ana', identityType: 'USER'},
    ])
    inventory.iam.policies.push(managedPolicy(narrow, doc({Effect: 'Allow', Action: 'elasticmapreduce:DescribeStudio', Resource: '*'})))
    const outcomes = runRule(studio006, inventory)
    // No PassRole anywhere: nothing to say about it.
    expect(summarise(outcomes)).toEqual(['pass es-1#user-role', 'pass es-1#session-policies'])
    expect(outcomes[1]?.message).toBe('Every session policy of Studio es-1 is attached to its user role.')
  })
  it('names each unattached session policy once, even one not in the inventory', () => {
    const unread = `arn:aws:iam::${ACCOUNT}:policy/not-collected`
    const inventory = sso(trusted, [
      {identityName: 'data', identityType: 'GROUP', sessionPolicyArn: session},
      {identityName: 'ops', identityType: 'GROUP', sessionPolicyArn: unread},
      {identityName: 'ana', identityType: 'USER', sessionPolicyArn: session},
    ])
    expect(runRule(studio006, inventory).find((outcome) => outcome.subKey === 'session-policies')).toMatchObject({
      status: 'fail',
      severity: 'medium',
      message: `Session policies ${session}, ${unread} of Studio es-1 are not attached to user role studio-user, so they grant nothing.`,
      evidence: {unattached: [session, unread]},
    })
  })
  it('names each policy that lets users pass any role', () => {
    const open = doc({Effect: 'Allow', Action: 'iam:PassRole', Resource: '*'}, {Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/*'})
    const inventory = sso({...trusted, inline: {p: open}}, [{identityName: 'data', identityType: 'GROUP', sessionPolicyArn: session}])
    const outcome = runRule(studio006, inventory).find((entry) => entry.subKey === 'passrole')
    expect(outcome).toMatchObject({
      status: 'fail',
      severity: 'medium',
      message: `Studio es-1 users may pass any role via inline:p, ${session}; limit iam:PassRole to the Studio service role.`,
    })
    expect((outcome?.evidence as {grants: Array<{policy: string}>}).grants.map((grant) => grant.policy)).toEqual(['inline:p', 'inline:p', session])
  })
  it('lists every role pattern a scoped PassRole reaches', () => {
    const scoped = doc(
      {Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/emr-*`},
      {Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/studio-svc`},
    )
    const outcome = runRule(studio006, sso({...trusted, inline: {p: scoped}}, [])).find((entry) => entry.subKey === 'passrole')
    expect(outcome).toMatchObject({
      status: 'pass',
      message: `Studio es-1 users (role studio-user) may pass only roles matching arn:aws:iam::${ACCOUNT}:role/emr-*, arn:aws:iam::${ACCOUNT}:role/studio-svc.`,
    })
    expect((outcome?.evidence as {grants: Array<{policy: string}>}).grants).toHaveLength(2)
  })
})
