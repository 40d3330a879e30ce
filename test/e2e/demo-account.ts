/**
 * The demo account (examples/demo/): a realistic EMR setup with a dozen typical mistakes, seeded into the
 * emulator through the SDK. `npm run demo:generate` scans it into examples/demo/inventory.json; the
 * help-examples test seeds it too, so every --help example runs against the same account.
 */
import {CreateTagsCommand} from '@aws-sdk/client-ec2'
import {PutBlockPublicAccessConfigurationCommand} from '@aws-sdk/client-emr'
import {CreateSecretCommand} from '@aws-sdk/client-secrets-manager'
import {
  allowAws,
  allowService,
  cluster,
  emrConditions,
  emrServiceLinkedRole,
  instanceProfile,
  network,
  openToWorld,
  role,
  securityConfiguration,
  type Seeder,
  user,
  V2_TAG,
  V2_SERVICE_POLICY,
} from './seed.js'

const V1_EC2_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role'
const ACCOUNT = '123456789012'

/** The config the demo was scanned with (examples/demo/emr-audit.yaml). */
export const DEMO_CONFIG = `# The config examples/demo/inventory.json was scanned with.
regions: [us-east-1]
# Runtime roles steps use (the emulator does not report steps' runtime roles).
runtimeRoles: [etl-runtime]
# The emulator has no Studio API: the Studio is described here, as you would for an account that hides it.
studios:
  - id: es-analytics
    region: us-east-1
    authMode: IAM
    serviceRole: analytics-studio-service
    gitSecrets: [emr-studio-analytics-git]
`

/** The mistakes the demo holds, by the rule that finds each (the generator checks every one is found). */
export const DEMO_MISTAKES: Record<string, string> = {
  'EMR-PROFILE-001': 'the custom EC2 role has no instance profile of its own name',
  'EMR-PROFILE-002': 'the cluster names an instance profile whose name differs from its role',
  'EMR-PASSROLE-001': 'the v2 service policy cannot pass the custom EC2 role',
  'EMR-PASSROLE-002': 'an operator may pass any role (iam:PassRole on *)',
  'EMR-TRUST-002': 'the service role trusts EMR without aws:SourceAccount / aws:SourceArn',
  'EMR-TAG-001': 'the cluster subnet lacks the v2 tag the service policy requires',
  'EMR-TAG-003': 'a security group carries the tag as "True", which IAM does not match',
  'EMR-STUDIO-003': 'the Studio Git secret lacks the v2 tag',
  'EMR-RUNTIME-002': 'the instance profile role cannot assume and tag the runtime role',
  'EMR-CLUSTER-001': 'block public access permits port 8080 besides 22',
  'EMR-CLUSTER-002': 'a cluster security group is open to the world on 8443',
  'EMR-POLICY-003': 'a user still holds the deprecated AmazonElasticMapReduceFullAccess',
  'EMR-SECCFG-002': 'a cluster runs without at-rest encryption',
  'EMR-SLR-002': 'Spot capacity without the EC2 Spot service-linked role',
}

export async function seedDemoAccount(seed: Seeder): Promise<void> {
  // Service and EC2 roles with custom names, and an instance profile named differently from its role.
  await role(seed, 'analytics-emr-service', [allowService('elasticmapreduce.amazonaws.com')], {managed: [V2_SERVICE_POLICY]})
  await role(seed, 'analytics-ec2', [allowService('ec2.amazonaws.com')], {managed: [V1_EC2_POLICY]})
  await instanceProfile(seed, 'analytics-ec2-profile', 'analytics-ec2')
  await emrServiceLinkedRole(seed)

  // A runtime role the EC2 role may be trusted by, but not allowed to assume or tag.
  await role(seed, 'etl-runtime', [allowAws(`arn:aws:iam::${ACCOUNT}:role/analytics-ec2`)], {
    inline: {data: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::analytics-data/*'}]}},
  })
  await securityConfiguration(seed, 'runtime-roles', {
    AuthorizationConfiguration: {IAMConfiguration: {EnableApplicationScopedIAMRole: true}},
    EncryptionConfiguration: {
      EnableAtRestEncryption: true,
      EnableInTransitEncryption: true,
      AtRestEncryptionConfiguration: {
        S3EncryptionConfiguration: {EncryptionMode: 'SSE-S3'},
        LocalDiskEncryptionConfiguration: {
          EncryptionKeyProviderType: 'Custom',
          S3Object: 's3://keys/provider.jar',
          EncryptionKeyProviderClass: 'com.example.KeyProvider',
        },
      },
      InTransitEncryptionConfiguration: {TLSCertificateConfiguration: {CertificateProviderType: 'PEM', S3Object: 's3://certs/certs.zip'}},
    },
  })

  // An untagged subnet; security groups tagged "True"; one open to the world on 8443.
  const net = await network(seed, [], '10.20.0.0/16', '10.20.1.0/24')
  await seed.ec2.send(new CreateTagsCommand({Resources: [net.groupId, net.slaveGroupId, net.serviceAccessGroupId], Tags: [{Key: V2_TAG.Key, Value: 'True'}]}))
  await openToWorld(seed, net.groupId, 8443)
  const common = {
    serviceRole: 'analytics-emr-service',
    instanceProfile: 'analytics-ec2-profile',
    subnetId: net.subnetId,
    masterGroup: net.groupId,
    slaveGroup: net.slaveGroupId,
    serviceAccessGroup: net.serviceAccessGroupId,
  }
  await cluster(seed, {name: 'etl-runtime-roles', ...common, securityConfiguration: 'runtime-roles'})
  await cluster(seed, {name: 'adhoc-spot', ...common, spot: true})

  // Block public access on, but with 8080 permitted besides SSH.
  await seed.emr.send(
    new PutBlockPublicAccessConfigurationCommand({
      BlockPublicAccessConfiguration: {
        BlockPublicSecurityGroupRules: true,
        PermittedPublicSecurityGroupRuleRanges: [
          {MinRange: 22, MaxRange: 22},
          {MinRange: 8080, MaxRange: 8080},
        ],
      },
    }),
  )

  // A Studio whose service role reads only v2-tagged secrets, and its Git secret without the tag.
  await role(seed, 'analytics-studio-service', [allowService('elasticmapreduce.amazonaws.com', emrConditions)], {
    inline: {
      secrets: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: 'arn:aws:secretsmanager:*:*:secret:*',
            Condition: {StringEquals: {'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true'}},
          },
        ],
      },
    },
  })
  await seed.secrets.send(new CreateSecretCommand({Name: 'emr-studio-analytics-git', SecretString: 'demo-token-not-read-by-emr-audit'}))

  // People: one on the deprecated full-access policy.
  await user(seed, 'legacy-operator', ['arn:aws:iam::aws:policy/AmazonElasticMapReduceFullAccess'])
}
