import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory, KmsKey} from '../../inventory/schema.js'
import type {RuleOutcome} from '../types.js'
import seccfg001 from './emr-seccfg-001.js'
import seccfg002, {atRestProblems} from './emr-seccfg-002.js'
import seccfg003 from './emr-seccfg-003.js'
import seccfg004 from './emr-seccfg-004.js'
import seccfg005 from './emr-seccfg-005.js'
import seccfg006 from './emr-seccfg-006.js'

const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k-1`
const complete = {
  EncryptionConfiguration: {
    EnableAtRestEncryption: true,
    EnableInTransitEncryption: 'true',
    AtRestEncryptionConfiguration: {
      S3EncryptionConfiguration: {EncryptionMode: 'SSE-KMS', AwsKmsKey: KEY},
      LocalDiskEncryptionConfiguration: {EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: KEY, EnableEbsEncryption: true},
    },
    InTransitEncryptionConfiguration: {TLSCertificateConfiguration: {CertificateProviderType: 'PEM', S3Object: 's3://certs/c.zip'}},
  },
  AuthenticationConfiguration: {KerberosConfiguration: {Provider: 'ClusterDedicatedKdc', ClusterDedicatedKdcConfiguration: {TicketLifetimeInHours: 24}}},
}

function withConfiguration(inventory: Inventory, name: string, configuration: object | null, extra: object = {}): Inventory {
  inventory.emr.securityConfigurations.push({
    name,
    region: 'us-east-1',
    origins: ['cluster'],
    found: configuration !== null,
    ...(configuration ? {configuration: configuration as Record<string, unknown>} : {}),
    ...extra,
  })
  return inventory
}

describe('EMR-SECCFG-001 configurations parse and references resolve', () => {
  it('fails a missing reference and an unparseable document; notes unknown keys and unused configurations', () => {
    const inventory = withConfiguration(
      withConfiguration(withConfiguration(emptyInventory(), 'gone', null), 'broken', null, {found: true, configuration: null, parseError: 'not valid JSON'}),
      'odd',
      {EncryptionConfiguration: {}, MadeUpKey: 1},
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'gone'}))
    const outcomes = runRule(seccfg001, inventory)
    expect(
      outcomes.map((outcome) => `${outcome.status} ${outcome.resource.id}${outcome.subKey ? `#${outcome.subKey}` : ''} ${outcome.severity ?? ''}`.trim()),
    ).toEqual(['fail j-1', 'fail broken', 'fail odd#unknown-keys info', 'pass odd info'])
  })
})

describe('EMR-SECCFG-002/003/006 encryption and Kerberos', () => {
  const account = () => {
    const inventory = withConfiguration(withConfiguration(emptyInventory(), 'full', complete), 'weak', {
      EncryptionConfiguration: {EnableAtRestEncryption: true, AtRestEncryptionConfiguration: {S3EncryptionConfiguration: {EncryptionMode: 'SSE-KMS'}}},
      AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}},
    })
    inventory.emr.clusters.push(
      cluster({id: 'j-full', securityConfiguration: 'full'}),
      cluster({id: 'j-weak', securityConfiguration: 'weak'}),
      cluster({id: 'j-none'}),
    )
    return inventory
  }
  it('SECCFG-002 at rest', () => {
    const outcomes = runRule(seccfg002, account())
    expect(summarise(outcomes)).toEqual(['pass j-full', 'fail j-weak', 'fail j-none'])
    expect(outcomes[1]?.message).toContain('SSE-KMS without AwsKmsKey; local disk EncryptionKeyProviderType is not set')
  })
  it('SECCFG-003 in transit: high where runtime roles are on', () => {
    const outcomes = runRule(seccfg003, account())
    expect(outcomes.map((outcome) => [outcome.resource.id, outcome.status, outcome.severity])).toEqual([
      ['j-full', 'pass', 'medium'],
      ['j-weak', 'fail', 'high'],
      ['j-none', 'fail', 'medium'],
    ])
  })
  it('SECCFG-006 Kerberos', () => {
    expect(summarise(runRule(seccfg006, account()))).toEqual(['pass j-full', 'fail j-weak', 'fail j-none'])
  })
  it('all three are unknown when the configuration could not be described', () => {
    const inventory = setCoverage(emptyInventory(), 'emr.securityConfigurations', 'us-east-1', 'denied')
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'unread'}))
    for (const rule of [seccfg002, seccfg003, seccfg006]) expect(summarise(runRule(rule, inventory))).toEqual(['unknown j-1'])
  })
})

describe('EMR-SECCFG-004 KMS keys', () => {
  const keyPolicy = (principal: string) => doc({Effect: 'Allow', Principal: {AWS: principal}, Action: 'kms:*', Resource: '*'})
  /** A usable symmetric key whose policy lets the account's IAM policies decide. */
  const enabledKey = (arn: string, extra: Partial<KmsKey> = {}): KmsKey => ({
    reference: arn,
    region: 'us-east-1',
    found: true,
    arn,
    keyState: 'Enabled',
    enabled: true,
    keySpec: 'SYMMETRIC_DEFAULT',
    policy: keyPolicy(`arn:aws:iam::${ACCOUNT}:root`),
    ...extra,
  })
  function account(key: Partial<KmsKey>, ec2Inline?: object): Inventory {
    const inventory = withRoles(
      withConfiguration(emptyInventory(), 'full', complete),
      role({name: 'ec2', profiles: [{name: 'ec2'}], ...(ec2Inline ? {inline: {kms: doc(ec2Inline)}} : {})}),
      role({name: 'svc', inline: {kms: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*'})}}),
    )
    inventory.kmsKeys.push(enabledKey(KEY, key))
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'full', instanceProfile: 'ec2', serviceRole: 'svc'}))
    return inventory
  }
  it('passes when the key policy delegates to IAM and IAM allows', () => {
    expect(summarise(runRule(seccfg004, account({}, {Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: KEY})))).toEqual([
      `pass j-1#${KEY}`,
    ])
  })
  it('passes when the key policy names the role directly', () => {
    expect(
      summarise(
        runRule(
          seccfg004,
          account({
            policy: doc({
              Effect: 'Allow',
              Principal: {AWS: [roleArn('ec2'), roleArn('svc')]},
              Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant'],
              Resource: '*',
            }),
          }),
        ),
      ),
    ).toEqual([`pass j-1#${KEY}`])
  })
  it.each([
    ['a disabled key', {keyState: 'Disabled'}, 'its state is Disabled'],
    ['an asymmetric key', {keySpec: 'RSA_2048'}, 'RSA_2048'],
    ['a key in another region', {arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k-1`}, 'it is in eu-west-1'],
    ['a missing key', {found: false}, 'does not exist'],
    ['an EC2 role IAM does not allow', {}, 'EC2 role ec2 may not use it'],
  ])('fails for %s', (_label, key, message) => {
    const [outcome] = runRule(seccfg004, account(key))
    expect(outcome?.status).toBe('fail')
    expect(outcome?.message).toContain(message)
  })
  it('is unknown when the key policy could not be read', () => {
    const [outcome] = runRule(seccfg004, account({policy: undefined, policyError: 'AccessDeniedException'}, {Effect: 'Allow', Action: 'kms:*', Resource: '*'}))
    expect(outcome?.status).toBe('unknown')
  })

  /**
   * KMS resolves an alias, a key id and a multi-Region key id in the caller's Region
   * (https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html,
   * https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).
   */
  it.each([['alias/emr-local-disk'], ['mrk-1234abcd12ab34cd56ef1234567890ab'], ['1234abcd-12ab-34cd-56ef-1234567890ab']])(
    'resolves %s in the region of each cluster using it',
    (reference) => {
      const regions = ['us-east-1', 'eu-west-1']
      const body = {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          AtRestEncryptionConfiguration: {LocalDiskEncryptionConfiguration: {EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: reference}},
        },
      }
      const inventory = withRoles(
        emptyInventory(regions),
        role({name: 'ec2', profiles: [{name: 'ec2'}], inline: {kms: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*'})}}),
      )
      for (const region of regions) {
        inventory.emr.securityConfigurations.push({name: 'disk', region, origins: ['cluster'], found: true, configuration: body})
        inventory.kmsKeys.push(enabledKey(`arn:aws:kms:${region}:${ACCOUNT}:key/${region}-key`, {reference, region}))
        inventory.emr.clusters.push(cluster({id: `j-${region}`, region, securityConfiguration: 'disk', instanceProfile: 'ec2'}))
      }
      const outcomes = runRule(seccfg004, inventory)
      expect(summarise(outcomes)).toEqual([`pass j-us-east-1#${reference}`, `pass j-eu-west-1#${reference}`])
      expect(outcomes.map((outcome) => outcome.evidence?.['key'])).toEqual([
        `arn:aws:kms:us-east-1:${ACCOUNT}:key/us-east-1-key`,
        `arn:aws:kms:eu-west-1:${ACCOUNT}:key/eu-west-1-key`,
      ])
    },
  )

  const allowKms = {Effect: 'Allow', Action: 'kms:*', Resource: '*'}
  const grantSvc = (inventory: Inventory, statement: object | undefined): Inventory => {
    inventory.iam.roles = inventory.iam.roles.map((entry) =>
      entry.name === 'svc' ? role({name: 'svc', ...(statement ? {inline: {kms: doc(statement)}} : {})}) : entry,
    )
    return inventory
  }
  it('passes a found key whose ARN and spec were not reported, keeping the reference as the key', () => {
    const outcomes = runRule(seccfg004, account({arn: undefined, keySpec: undefined}, allowKms))
    expect(outcomes.map((outcome) => [outcome.status, outcome.message, outcome.evidence?.['key'], outcome.evidence?.['problems']])).toEqual([
      ['pass', `KMS key ${KEY} is enabled and usable by the roles of cluster j-1.`, KEY, []],
    ])
  })
  it('lists every problem of the key, and only the key state of a key that does not exist', () => {
    const [disabled] = runRule(seccfg004, account({keyState: 'Disabled', keySpec: 'RSA_2048'}, allowKms))
    expect(disabled?.message).toBe(`KMS key ${KEY} of cluster j-1 is not usable: its state is Disabled; its spec is RSA_2048, not SYMMETRIC_DEFAULT.`)
    const [stateless] = runRule(seccfg004, account({keyState: undefined}, allowKms))
    expect(stateless?.message).toBe(`KMS key ${KEY} of cluster j-1 is not usable: its state is unknown.`)
    // The EC2 role has no KMS permission at all: a key that does not exist is not also blamed on it.
    const [missing] = runRule(seccfg004, account({found: false, arn: undefined, keyState: undefined, keySpec: undefined}))
    expect([missing?.status, missing?.message, missing?.evidence]).toEqual([
      'fail',
      `KMS key ${KEY} of cluster j-1 is not usable: the key does not exist.`,
      {key: KEY, keyState: undefined, keySpec: undefined, problems: ['the key does not exist'], unusableBy: []},
    ])
  })
  it('is unknown, naming the key, when the key was not described', () => {
    const inventory = account({}, allowKms)
    inventory.kmsKeys = []
    expect(runRule(seccfg004, inventory).map((outcome) => [outcome.status, outcome.subKey, outcome.message])).toEqual([
      ['unknown', KEY, `Could not check KMS key ${KEY} of cluster j-1: it could not be described.`],
    ])
  })
  /** EBS encryption with a KMS key needs the service role as a key user, grants included: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html */
  it('with EBS encryption, fails a service role that may use the key but not create grants', () => {
    const inventory = grantSvc(account({}, allowKms), {Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*'})
    const [outcome] = runRule(seccfg004, inventory)
    expect([outcome?.status, outcome?.message, outcome?.evidence?.['unusableBy']]).toEqual([
      'fail',
      `KMS key ${KEY} of cluster j-1 is not usable: service role (EBS encryption) svc may not use it.`,
      ['service role (EBS encryption) svc'],
    ])
  })
  it('without EBS encryption, does not ask the service role at all', () => {
    const inventory = grantSvc(account({}, allowKms), undefined)
    const body = structuredClone(complete)
    body.EncryptionConfiguration.AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration.EnableEbsEncryption = false
    inventory.emr.securityConfigurations = inventory.emr.securityConfigurations.map((entry) => ({...entry, configuration: body}))
    expect(summarise(runRule(seccfg004, inventory))).toEqual([`pass j-1#${KEY}`])
  })
  it('names every role it could not verify, and says when the key policy could not be read', () => {
    const [unread] = runRule(seccfg004, account({policy: undefined, policyError: 'AccessDeniedException'}, allowKms))
    expect([unread?.status, unread?.message, unread?.evidence?.['keyPolicy']]).toEqual([
      'unknown',
      `Could not verify that EC2 role ec2, service role (EBS encryption) svc may use KMS key ${KEY} (its key policy could not be read).`,
      'not readable: AccessDeniedException',
    ])
    // A key policy grant under a condition this tool cannot evaluate (kms:ViaService:
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
    const policy = doc({
      Effect: 'Allow',
      Principal: {AWS: `arn:aws:iam::${ACCOUNT}:root`},
      Action: 'kms:*',
      Resource: '*',
      Condition: {StringEquals: {'kms:ViaService': 's3.us-east-1.amazonaws.com'}},
    })
    const [conditional] = runRule(seccfg004, account({policy}, allowKms))
    expect([conditional?.status, conditional?.message, conditional?.evidence]).toEqual([
      'unknown',
      `Could not verify that EC2 role ec2, service role (EBS encryption) svc may use KMS key ${KEY}.`,
      {key: KEY, keyState: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT', problems: [], unusableBy: []},
    ])
  })

  describe('which references are keys', () => {
    function keysAccount(atRest: object, extra: object = {}): Inventory {
      const body = {EncryptionConfiguration: {EnableAtRestEncryption: true, AtRestEncryptionConfiguration: atRest}, ...extra}
      const inventory = withRoles(
        withConfiguration(emptyInventory(), 'keys', body),
        role({name: 'ec2', profiles: [{name: 'ec2'}], inline: {kms: doc(allowKms)}}),
      )
      inventory.kmsKeys.push(enabledKey(KEY))
      inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'keys', instanceProfile: 'ec2'}))
      return inventory
    }
    const customDisk = {EncryptionKeyProviderType: 'Custom', S3Object: 's3://b/provider.jar', EncryptionKeyProviderClass: 'com.example.Provider'}
    it.each([
      ['an empty S3 key', {S3EncryptionConfiguration: {EncryptionMode: 'SSE-KMS', AwsKmsKey: ''}, LocalDiskEncryptionConfiguration: customDisk}],
      ['an S3 key that is not a string', {S3EncryptionConfiguration: {EncryptionMode: 'CSE-KMS', AwsKmsKey: 42}, LocalDiskEncryptionConfiguration: customDisk}],
      [
        'a local-disk key left over beside a custom provider',
        {S3EncryptionConfiguration: {EncryptionMode: 'SSE-S3'}, LocalDiskEncryptionConfiguration: {...customDisk, AwsKmsKey: KEY}},
      ],
    ])('ignores %s', (_label, atRest) => {
      expect(runRule(seccfg004, keysAccount(atRest))).toEqual([])
    })
    it('asks only the EC2 role when the EMRFS role lives in another account and is not in the inventory', () => {
      const mappings = {
        AuthorizationConfiguration: {
          EmrFsConfiguration: {RoleMappings: [{Role: 'arn:aws:iam::210987654321:role/data', IdentifierType: 'User', Identifiers: ['alice']}]},
        },
      }
      const inventory = keysAccount(
        {S3EncryptionConfiguration: {EncryptionMode: 'SSE-KMS', AwsKmsKey: KEY}, LocalDiskEncryptionConfiguration: customDisk},
        mappings,
      )
      expect(summarise(runRule(seccfg004, inventory))).toEqual([`pass j-1#${KEY}`])
    })
  })

  /** Which role uses which key: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html */
  describe('asks each role only for the keys it uses', () => {
    const DISK = `arn:aws:kms:us-east-1:${ACCOUNT}:key/disk`
    const S3KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/s3`
    function emrfsAccount(s3: object): Inventory {
      const body = {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          AtRestEncryptionConfiguration: {
            S3EncryptionConfiguration: s3,
            LocalDiskEncryptionConfiguration: {EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: DISK},
          },
        },
        AuthorizationConfiguration: {EmrFsConfiguration: {RoleMappings: [{Role: roleArn('data'), IdentifierType: 'User', Identifiers: ['alice']}]}},
      }
      const inventory = withRoles(
        withConfiguration(emptyInventory(), 'emrfs', body),
        role({name: 'ec2', profiles: [{name: 'ec2'}], inline: {kms: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*'})}}),
        role({name: 'data', inline: {kms: doc({Effect: 'Allow', Action: 'kms:*', Resource: S3KEY})}}),
      )
      for (const arn of [DISK, S3KEY]) inventory.kmsKeys.push(enabledKey(arn))
      inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'emrfs', instanceProfile: 'ec2'}))
      return inventory
    }
    it('the EMRFS role is not asked for the local-disk key, and needs the S3 key under SSE-KMS', () => {
      expect(summarise(runRule(seccfg004, emrfsAccount({EncryptionMode: 'SSE-KMS', AwsKmsKey: S3KEY})))).toEqual([`pass j-1#${S3KEY}`, `pass j-1#${DISK}`])
    })
    it('under SSE-S3 a leftover AwsKmsKey is not a key anyone uses', () => {
      expect(summarise(runRule(seccfg004, emrfsAccount({EncryptionMode: 'SSE-S3', AwsKmsKey: S3KEY})))).toEqual([`pass j-1#${DISK}`])
    })
    it('fails the EMRFS role that may not use the S3 key under CSE-KMS', () => {
      const inventory = emrfsAccount({EncryptionMode: 'CSE-KMS', AwsKmsKey: S3KEY})
      inventory.iam.roles = inventory.iam.roles.map((entry) => (entry.name === 'data' ? {...entry, inlinePolicies: []} : entry))
      const outcomes = runRule(seccfg004, inventory)
      expect(summarise(outcomes)).toEqual([`fail j-1#${S3KEY}`, `pass j-1#${DISK}`])
      expect(outcomes[0]?.message).toContain('EMRFS role data may not use it')
    })
  })
})

describe('EMR-SECCFG-005 EMRFS role mappings', () => {
  function account(mappings: unknown[], dataRoleTrust: object | object[], ec2Inline: object | object[]): Inventory {
    const inventory = withRoles(
      withConfiguration(emptyInventory(), 'emrfs', {AuthorizationConfiguration: {EmrFsConfiguration: {RoleMappings: mappings}}}),
      role({name: 'ec2', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2'}], inline: {assume: doc(...[ec2Inline].flat())}}),
      role({name: 'data', trust: doc(...[dataRoleTrust].flat())}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'emrfs', instanceProfile: 'ec2'}))
    return inventory
  }
  const assumeData = {Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('data')}
  const ec2Arn = roleArn('ec2')
  const dataArn = roleArn('data')
  const group = {IdentifierType: 'Group', Identifiers: ['analysts']}
  const rows = (outcomes: RuleOutcome[]) => outcomes.map((outcome) => [outcome.status, outcome.subKey, outcome.message])

  it('reports the mapping, its identifier type and the EC2 roles it falls back to', () => {
    const outcomes = runRule(seccfg005, account([{Role: dataArn, ...group}], allowAws(ec2Arn), assumeData))
    expect(outcomes.map((outcome) => [outcome.status, outcome.message, outcome.evidence])).toEqual([
      [
        'pass',
        `EMRFS role ${dataArn} can be assumed by the EC2 role of cluster j-1.`,
        {role: dataArn, identifierType: 'Group', ec2Roles: [ec2Arn], note: 'requests no mapping matches fall back to the EC2 role (see EMR-POLICY-002)'},
      ],
    ])
  })

  /** Who a trust policy lets assume a role: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html */
  it.each([
    ['the account root', [allowAws(`arn:aws:iam::${ACCOUNT}:root`)], 'pass'],
    ['the bare account id', [allowAws(ACCOUNT)], 'pass'],
    ['the EC2 role among other principals', [allowAws([roleArn('someone-else'), ec2Arn])], 'pass'],
    ['a service statement beside the one naming the EC2 role', [allowService('ec2.amazonaws.com'), allowAws(ec2Arn)], 'pass'],
    ['only a Deny naming the EC2 role', [{Effect: 'Deny', Principal: {AWS: ec2Arn}, Action: 'sts:AssumeRole'}], 'fail'],
  ])('a trust policy naming %s: %s', (_label, trust, status) => {
    const outcomes = runRule(seccfg005, account([{Role: dataArn, ...group}], trust, assumeData))
    expect(rows(outcomes)).toEqual([
      [
        status,
        dataArn,
        status === 'pass'
          ? `EMRFS role ${dataArn} can be assumed by the EC2 role of cluster j-1.`
          : `EMRFS mapping to ${dataArn} on cluster j-1 is broken: data does not trust EC2 role ec2.`,
      ],
    ])
  })

  it('fails an explicit deny on the EC2 role, and is unknown when its allow depends on a condition not known here', () => {
    const denied = runRule(
      seccfg005,
      account([{Role: dataArn, ...group}], allowAws(ec2Arn), [
        {Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*'},
        {Effect: 'Deny', Action: 'sts:AssumeRole', Resource: dataArn},
      ]),
    )
    expect(rows(denied)).toEqual([['fail', dataArn, `EMRFS mapping to ${dataArn} on cluster j-1 is broken: EC2 role ec2 may not sts:AssumeRole on it.`]])
    const conditional = runRule(
      seccfg005,
      account([{Role: dataArn, ...group}], allowAws(ec2Arn), {...assumeData, Condition: {IpAddress: {'aws:SourceIp': '10.0.0.0/8'}}}),
    )
    expect(conditional.map((outcome) => [outcome.status, outcome.severity, outcome.message])).toEqual([
      ['unknown', undefined, `Could not decide whether the EC2 role of cluster j-1 may assume ${dataArn}.`],
    ])
  })

  it('leaves a role in another account as info: its trust policy is not readable from here', () => {
    const foreign = 'arn:aws:iam::210987654321:role/data'
    const outcomes = runRule(seccfg005, account([{Role: foreign, ...group}], allowAws(ec2Arn), assumeData))
    expect(outcomes.map((outcome) => [outcome.status, outcome.severity, outcome.message])).toEqual([
      ['unknown', 'info', `EMRFS role ${foreign} is in account 210987654321; its trust is not verifiable from here.`],
    ])
  })

  /** Mapping shape: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-emrfs-iam-roles.html */
  it('checks each mapping for a role ARN, a documented identifier type and s3:// prefixes before looking the role up', () => {
    const broken = (target: string, problems: string) => `EMRFS mapping to ${target} on cluster j-1 is broken: ${problems}.`
    const outcomes = runRule(
      seccfg005,
      account(
        [
          null,
          {Role: 5, ...group},
          {Role: 'arn:aws:s3:::role/data', ...group},
          {Role: `arn:aws:iam::${ACCOUNT}:user/alice`, ...group},
          {Role: roleArn('nobody'), IdentifierType: 'Role', Identifiers: ['alice']},
          {Role: dataArn, IdentifierType: 'Prefix', Identifiers: ['s3://bucket/data/', 'bucket/other']},
          {Role: dataArn, IdentifierType: 'Prefix', Identifiers: [5]},
          {Role: dataArn, IdentifierType: 'Prefix', Identifiers: ['s3://bucket/data/']},
        ],
        allowAws(ec2Arn),
        assumeData,
      ),
    )
    expect(rows(outcomes)).toEqual([
      ['fail', 'mapping-0', broken('entry 0', '"" is not a role ARN; IdentifierType null is not User, Group or Prefix')],
      ['fail', 'mapping-1', broken('entry 1', '"" is not a role ARN')],
      ['fail', 'arn:aws:s3:::role/data', broken('arn:aws:s3:::role/data', '"arn:aws:s3:::role/data" is not a role ARN')],
      ['fail', `arn:aws:iam::${ACCOUNT}:user/alice`, broken(`arn:aws:iam::${ACCOUNT}:user/alice`, `"arn:aws:iam::${ACCOUNT}:user/alice" is not a role ARN`)],
      ['fail', roleArn('nobody'), broken(roleArn('nobody'), 'IdentifierType "Role" is not User, Group or Prefix')],
      ['fail', dataArn, broken(dataArn, 'Prefix identifiers must start with s3://')],
      ['fail', dataArn, broken(dataArn, 'Prefix identifiers must start with s3://')],
      ['pass', dataArn, `EMRFS role ${dataArn} can be assumed by the EC2 role of cluster j-1.`],
    ])
    expect(outcomes[0]?.evidence).toMatchObject({role: '', identifierType: null})
  })

  it('has nothing to say about a configuration without role mappings', () => {
    const inventory = account([], allowAws(ec2Arn), assumeData)
    inventory.emr.securityConfigurations = inventory.emr.securityConfigurations.map((entry) => ({
      ...entry,
      configuration: {AuthorizationConfiguration: {EmrFsConfiguration: {}}},
    }))
    expect(runRule(seccfg005, inventory)).toEqual([])
  })
  it('passes a mapping both sides agree on', () => {
    expect(
      summarise(
        runRule(seccfg005, account([{Role: roleArn('data'), IdentifierType: 'Group', Identifiers: ['analysts']}], allowAws(roleArn('ec2')), assumeData)),
      ),
    ).toEqual([`pass j-1#${roleArn('data')}`])
  })
  it('fails when the trust or the identity side is missing, and for malformed mappings', () => {
    const outcomes = runRule(
      seccfg005,
      account(
        [
          {Role: roleArn('data'), IdentifierType: 'User', Identifiers: ['a']},
          {Role: 'data', IdentifierType: 'User', Identifiers: ['b']},
          {Role: roleArn('data'), IdentifierType: 'Prefix', Identifiers: ['bucket/path']},
          {Role: roleArn('nobody'), IdentifierType: 'User', Identifiers: ['c']},
        ],
        allowAws(roleArn('someone-else')),
        {Effect: 'Allow', Action: 's3:*', Resource: '*'},
      ),
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fail', 'fail', 'fail', 'fail'])
    expect(outcomes[0]?.message).toContain('does not trust EC2 role ec2; EC2 role ec2 may not sts:AssumeRole on it')
    expect(outcomes[1]?.message).toContain('is not a role ARN')
    expect(outcomes[2]?.message).toContain('Prefix identifiers must start with s3://')
    expect(outcomes[3]?.message).toContain('does not exist')
  })
})

/** Key names and shapes: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html */
describe('EMR-SECCFG-001 references, parsing and the inventory it reports', () => {
  it('matches a reference by name and region, fails a missing one with its name and region, and is unknown where none was described', () => {
    const inventory = emptyInventory(['us-east-1', 'eu-west-1'])
    // Decoys listed first: a same-named configuration in another region, another name in the same region.
    inventory.emr.securityConfigurations.push(
      {name: 'gone', region: 'eu-west-1', origins: ['listed'], found: true, configuration: {}},
      {name: 'other', region: 'us-east-1', origins: ['listed'], found: true, configuration: {}},
      {name: 'gone', region: 'us-east-1', origins: ['cluster'], found: false},
    )
    inventory.emr.clusters.push(
      cluster({id: 'j-gone', securityConfiguration: 'gone'}),
      cluster({id: 'j-plain'}),
      cluster({id: 'j-ok', securityConfiguration: 'other'}),
      cluster({id: 'j-unread', securityConfiguration: 'unread'}),
    )
    const outcomes = runRule(seccfg001, inventory).filter((outcome) => outcome.resource.type === 'emr-cluster')
    expect(outcomes.map((outcome) => [outcome.status, outcome.resource.id, outcome.message, outcome.evidence])).toEqual([
      ['fail', 'j-gone', 'Cluster j-gone names security configuration gone, which does not exist in us-east-1.', {securityConfiguration: 'gone'}],
      ['unknown', 'j-unread', 'Security configuration unread of cluster j-unread could not be described.', undefined],
    ])
  })

  it('fails a document that is not a JSON object, naming the parse error when there is one', () => {
    const inventory = withConfiguration(
      withConfiguration(emptyInventory(), 'array', null, {found: true, configuration: ['EncryptionConfiguration']}),
      'broken',
      null,
      {found: true, parseError: 'Unexpected token } in JSON at position 7'},
    )
    expect(runRule(seccfg001, inventory).map((outcome) => [outcome.status, outcome.resource.id, outcome.message])).toEqual([
      ['fail', 'array', 'Security configuration array does not parse as a JSON object: not an object.'],
      ['fail', 'broken', 'Security configuration broken does not parse as a JSON object: Unexpected token } in JSON at position 7.'],
    ])
  })

  it('reports encryption, Kerberos and authorization settings, and whether a cluster in the same region uses the configuration', () => {
    const full = {
      EncryptionConfiguration: {EnableAtRestEncryption: true, EnableInTransitEncryption: true},
      AuthenticationConfiguration: {KerberosConfiguration: {Provider: 'ExternalKdc'}},
      AuthorizationConfiguration: {
        IAMConfiguration: {EnableApplicationScopedIAMRole: true},
        EmrFsConfiguration: {RoleMappings: [{Role: roleArn('data'), IdentifierType: 'User', Identifiers: ['alice']}]},
        LakeFormationConfiguration: {AuthorizedSessionTagValue: 'Amazon EMR'},
      },
      InstanceMetadataServiceConfiguration: {MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1},
    }
    const inventory = emptyInventory(['us-east-1', 'eu-west-1'])
    inventory.emr.securityConfigurations.push(
      {name: 'full', region: 'us-east-1', origins: ['listed'], found: true, configuration: full},
      {name: 'full', region: 'eu-west-1', origins: ['listed'], found: true, configuration: {EncryptionConfiguration: {}}},
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'full'}))
    const outcomes = runRule(seccfg001, inventory)
    expect(outcomes.map((outcome) => [outcome.status, outcome.resource.region, outcome.message, outcome.evidence])).toEqual([
      [
        'pass',
        'us-east-1',
        'Security configuration full parses.',
        {
          atRestEncryption: true,
          inTransitEncryption: true,
          kerberosProvider: 'ExternalKdc',
          runtimeRoles: true,
          emrfsRoleMappings: true,
          lakeFormation: true,
          usedByActiveCluster: true,
        },
      ],
      [
        'pass',
        'eu-west-1',
        'Security configuration full parses (no active cluster uses it).',
        {
          atRestEncryption: false,
          inTransitEncryption: false,
          kerberosProvider: null,
          runtimeRoles: false,
          emrfsRoleMappings: false,
          lakeFormation: false,
          usedByActiveCluster: false,
        },
      ],
    ])
  })

  it('lists every undocumented top-level key', () => {
    const inventory = withConfiguration(emptyInventory(), 'odd', {EncryptionConfiguration: {}, MadeUpKey: 1, Another: {}})
    const [unknown] = runRule(seccfg001, inventory)
    expect(unknown?.subKey).toBe('unknown-keys')
    expect(unknown?.message).toBe('Security configuration odd has keys EMR does not document: MadeUpKey, Another.')
    expect(unknown?.evidence?.['unknownKeys']).toEqual(['MadeUpKey', 'Another'])
    expect(unknown?.evidence?.['usedByActiveCluster']).toBe(false)
  })
})

/**
 * What at-rest encryption needs: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html,
 * https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html
 */
describe('EMR-SECCFG-002 atRestProblems', () => {
  const body = (s3: object, enabled: unknown = true) => ({
    EncryptionConfiguration: {
      EnableAtRestEncryption: enabled,
      AtRestEncryptionConfiguration: {S3EncryptionConfiguration: s3, LocalDiskEncryptionConfiguration: {EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: KEY}},
    },
  })
  it.each([
    ['SSE-S3 needs nothing more', {EncryptionMode: 'SSE-S3'}, []],
    ['SSE-KMS with its key', {EncryptionMode: 'SSE-KMS', AwsKmsKey: KEY}, []],
    ['CSE-KMS without a key', {EncryptionMode: 'CSE-KMS'}, ['CSE-KMS without AwsKmsKey']],
    ['CSE-Custom with both', {EncryptionMode: 'CSE-Custom', S3Object: 's3://b/provider.jar', EncryptionKeyProviderClass: 'com.example.Provider'}, []],
    [
      'CSE-Custom without the class',
      {EncryptionMode: 'CSE-Custom', S3Object: 's3://b/provider.jar'},
      ['CSE-Custom without S3Object and EncryptionKeyProviderClass'],
    ],
    [
      'CSE-Custom without the jar',
      {EncryptionMode: 'CSE-Custom', EncryptionKeyProviderClass: 'com.example.Provider'},
      ['CSE-Custom without S3Object and EncryptionKeyProviderClass'],
    ],
    ['an undocumented mode', {EncryptionMode: 'AES256'}, ['S3 EncryptionMode is "AES256", not one of SSE-S3, SSE-KMS, CSE-KMS, CSE-Custom']],
    ['no mode', {}, ['S3 EncryptionMode is null, not one of SSE-S3, SSE-KMS, CSE-KMS, CSE-Custom']],
  ])('%s', (_label, s3, problems) => {
    expect(atRestProblems(body(s3))).toEqual(problems)
  })
  it('stops at a disabled switch, and accepts the string "true"', () => {
    expect(atRestProblems(body({EncryptionMode: 'AES256'}, false))).toEqual(['EnableAtRestEncryption is not true'])
    expect(atRestProblems(body({EncryptionMode: 'SSE-S3'}, 'true'))).toEqual([])
  })
})

describe('EMR-SECCFG-002/003/006 outcomes per cluster', () => {
  const account = (bodies: Record<string, object>) => {
    const inventory = withConfiguration(emptyInventory(), 'gone', null)
    for (const [name, body] of Object.entries(bodies)) {
      withConfiguration(inventory, name, body)
      inventory.emr.clusters.push(cluster({id: `j-${name}`, securityConfiguration: name}))
    }
    inventory.emr.clusters.push(cluster({id: 'j-none'}), cluster({id: 'j-gone', securityConfiguration: 'gone'}))
    return inventory
  }
  const rows = (outcomes: RuleOutcome[]) => outcomes.map((outcome) => [outcome.resource.id, outcome.status, outcome.message, outcome.evidence])

  it('SECCFG-002: no configuration and a missing one fail without evidence; EBS encryption is noted', () => {
    const noEbs = structuredClone(complete)
    noEbs.EncryptionConfiguration.AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration.EnableEbsEncryption = false
    expect(rows(runRule(seccfg002, account({full: complete, 'no-ebs': noEbs})))).toEqual([
      [
        'j-full',
        'pass',
        'Cluster j-full encrypts S3 data and local disks at rest, EBS included.',
        {securityConfiguration: 'full', problems: [], enableEbsEncryption: true},
      ],
      [
        'j-no-ebs',
        'pass',
        'Cluster j-no-ebs encrypts S3 data and local disks at rest (enabling EBS encryption is recommended).',
        {securityConfiguration: 'no-ebs', problems: [], enableEbsEncryption: false},
      ],
      ['j-none', 'fail', 'Cluster j-none has no security configuration, so nothing is encrypted at rest by EMR.', undefined],
      ['j-gone', 'fail', 'Cluster j-gone names security configuration gone, which does not exist.', undefined],
    ])
  })

  /** TLS certificate providers: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html */
  it('SECCFG-003: each certificate provider needs its own artefacts; the message names the problem', () => {
    const inTransit = (tls: object | undefined, extra: object = {}) => ({
      EncryptionConfiguration: {
        EnableInTransitEncryption: tls !== undefined,
        ...(tls ? {InTransitEncryptionConfiguration: {TLSCertificateConfiguration: tls}} : {}),
      },
      ...extra,
    })
    const runtimeRoles = {AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}}}
    const custom = {CertificateProviderType: 'Custom', S3Object: 's3://b/provider.jar', CertificateProviderClass: 'com.example.Provider'}
    const outcomes = runRule(
      seccfg003,
      account({
        off: inTransit(undefined, runtimeRoles),
        'pem-no-zip': inTransit({CertificateProviderType: 'PEM'}),
        custom: inTransit(custom),
        'custom-no-class': inTransit({CertificateProviderType: 'Custom', S3Object: 's3://b/provider.jar'}),
        'custom-no-jar': inTransit({CertificateProviderType: 'Custom', CertificateProviderClass: 'com.example.Provider'}),
        other: inTransit({CertificateProviderType: 'ACM'}),
        unset: inTransit({}),
      }),
    )
    const noUsable = (id: string) => `Cluster ${id} has no usable security configuration, so traffic is not encrypted in transit.`
    expect(outcomes.map((outcome) => [outcome.resource.id, outcome.status, outcome.severity, outcome.message])).toEqual([
      [
        'j-off',
        'fail',
        'high',
        'Cluster j-off (off) does not encrypt in transit: EnableInTransitEncryption is not true; with runtime roles on this matters most.',
      ],
      ['j-pem-no-zip', 'fail', 'medium', 'Cluster j-pem-no-zip (pem-no-zip) does not encrypt in transit: PEM certificates without S3Object.'],
      ['j-custom', 'pass', 'medium', 'Cluster j-custom encrypts traffic in transit.'],
      [
        'j-custom-no-class',
        'fail',
        'medium',
        'Cluster j-custom-no-class (custom-no-class) does not encrypt in transit: Custom certificates without S3Object and CertificateProviderClass.',
      ],
      [
        'j-custom-no-jar',
        'fail',
        'medium',
        'Cluster j-custom-no-jar (custom-no-jar) does not encrypt in transit: Custom certificates without S3Object and CertificateProviderClass.',
      ],
      ['j-other', 'fail', 'medium', 'Cluster j-other (other) does not encrypt in transit: CertificateProviderType is "ACM", not PEM or Custom.'],
      ['j-unset', 'fail', 'medium', 'Cluster j-unset (unset) does not encrypt in transit: CertificateProviderType is null, not PEM or Custom.'],
      ['j-none', 'fail', 'medium', noUsable('j-none')],
      ['j-gone', 'fail', 'medium', noUsable('j-gone')],
    ])
    expect([0, 1, 2, 7, 8].map((position) => outcomes[position]?.evidence)).toEqual([
      {securityConfiguration: 'off', runtimeRolesEnabled: true, problems: ['EnableInTransitEncryption is not true']},
      {securityConfiguration: 'pem-no-zip', runtimeRolesEnabled: false, problems: ['PEM certificates without S3Object']},
      {securityConfiguration: 'custom', runtimeRolesEnabled: false, problems: []},
      undefined,
      undefined,
    ])
  })

  /** Providers and their options: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html */
  it('SECCFG-006: either KDC passes with its ticket lifetime and cross-realm trust; anything else fails naming the provider', () => {
    const kerberos = (configuration: object) => ({AuthenticationConfiguration: {KerberosConfiguration: configuration}})
    const outcomes = runRule(
      seccfg006,
      account({
        dedicated: kerberos({
          Provider: 'ClusterDedicatedKdc',
          ClusterDedicatedKdcConfiguration: {
            TicketLifetimeInHours: 24,
            CrossRealmTrustConfiguration: {Realm: 'AD.EXAMPLE.COM', Domain: 'ad.example.com', AdminServer: 'ad.example.com', KdcServer: 'ad.example.com'},
          },
        }),
        external: kerberos({
          Provider: 'ExternalKdc',
          ExternalKdcConfiguration: {KdcServerType: 'Single', AdminServer: 'kdc.example.com', KdcServer: 'kdc.example.com'},
        }),
        mit: kerberos({Provider: 'MitKdc'}),
      }),
    )
    expect(rows(outcomes)).toEqual([
      [
        'j-dedicated',
        'pass',
        'Cluster j-dedicated authenticates users with Kerberos (ClusterDedicatedKdc).',
        {provider: 'ClusterDedicatedKdc', ticketLifetimeInHours: 24, crossRealmTrust: true},
      ],
      [
        'j-external',
        'pass',
        'Cluster j-external authenticates users with Kerberos (ExternalKdc).',
        {provider: 'ExternalKdc', ticketLifetimeInHours: null, crossRealmTrust: false},
      ],
      ['j-mit', 'fail', 'Cluster j-mit has no Kerberos authentication; users on it are not authenticated to Hadoop services.', {provider: 'MitKdc'}],
      ['j-none', 'fail', 'Cluster j-none has no Kerberos authentication; users on it are not authenticated to Hadoop services.', {provider: null}],
      ['j-gone', 'fail', 'Cluster j-gone has no Kerberos authentication; users on it are not authenticated to Hadoop services.', {provider: null}],
    ])
  })

  it('the unknown outcome names the configuration that could not be described', () => {
    const inventory = setCoverage(emptyInventory(), 'emr.securityConfigurations', 'us-east-1', 'denied')
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'unread'}))
    const why = 'security configuration unread it could not be described in us-east-1 (denied).'
    expect([seccfg002, seccfg003, seccfg006].map((rule) => runRule(rule, inventory)[0]?.message)).toEqual([
      `Could not check at-rest encryption of cluster j-1: ${why}`,
      `Could not check in-transit encryption of cluster j-1: ${why}`,
      `Could not check Kerberos on cluster j-1: ${why}`,
    ])
  })
})
