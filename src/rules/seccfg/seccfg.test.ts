import {describe, expect, it} from 'vitest'
import {allowAws, allowService, cluster, doc, emptyInventory, role, roleArn, setCoverage, withRoles, ACCOUNT} from '../../../test/fixtures/inventory.js'
import {runRule, summarise} from '../../../test/fixtures/run-rule.js'
import type {Inventory, KmsKey} from '../../inventory/schema.js'
import seccfg001 from './emr-seccfg-001.js'
import seccfg002 from './emr-seccfg-002.js'
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
  function account(key: Partial<KmsKey>, ec2Inline?: object): Inventory {
    const inventory = withRoles(
      withConfiguration(emptyInventory(), 'full', complete),
      role({name: 'ec2', profiles: [{name: 'ec2'}], ...(ec2Inline ? {inline: {kms: doc(ec2Inline)}} : {})}),
      role({name: 'svc', inline: {kms: doc({Effect: 'Allow', Action: 'kms:*', Resource: '*'})}}),
    )
    inventory.kmsKeys.push({
      reference: KEY,
      region: 'us-east-1',
      found: true,
      arn: KEY,
      keyState: 'Enabled',
      enabled: true,
      keySpec: 'SYMMETRIC_DEFAULT',
      policy: keyPolicy(`arn:aws:iam::${ACCOUNT}:root`),
      ...key,
    })
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
        inventory.kmsKeys.push({
          reference,
          region,
          found: true,
          arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${region}-key`,
          keyState: 'Enabled',
          enabled: true,
          keySpec: 'SYMMETRIC_DEFAULT',
          policy: keyPolicy(`arn:aws:iam::${ACCOUNT}:root`),
        })
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
      for (const arn of [DISK, S3KEY])
        inventory.kmsKeys.push({
          reference: arn,
          region: 'us-east-1',
          found: true,
          arn,
          keyState: 'Enabled',
          enabled: true,
          keySpec: 'SYMMETRIC_DEFAULT',
          policy: keyPolicy(`arn:aws:iam::${ACCOUNT}:root`),
        })
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
  function account(mappings: object[], dataRoleTrust: object, ec2Inline: object): Inventory {
    const inventory = withRoles(
      withConfiguration(emptyInventory(), 'emrfs', {AuthorizationConfiguration: {EmrFsConfiguration: {RoleMappings: mappings}}}),
      role({name: 'ec2', trust: doc(allowService('ec2.amazonaws.com')), profiles: [{name: 'ec2'}], inline: {assume: doc(ec2Inline)}}),
      role({name: 'data', trust: doc(dataRoleTrust)}),
    )
    inventory.emr.clusters.push(cluster({id: 'j-1', securityConfiguration: 'emrfs', instanceProfile: 'ec2'}))
    return inventory
  }
  const assumeData = {Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('data')}
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
