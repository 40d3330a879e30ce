import type {Role} from '../../inventory/schema.js'
import {at, configurationOf, isTrue} from '../../inventory/security-configuration.js'
import {parseArn} from '../../policy/match.js'
import {clusterResource, ec2RolesOf} from '../helpers.js'
import {canUseKey, keyInRegion} from '../kms-access.js'
import {emrfsRoleMappings} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'

type KeyPurpose = 's3' | 'local-disk'
interface KeyUser {
  role: Role
  actions: readonly string[]
  as: string
}

const DATA_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey']
const S3_KMS_MODES = new Set(['SSE-KMS', 'CSE-KMS'])

/**
 * Which keys the configuration really uses, and for what: the S3 key only under SSE-KMS or CSE-KMS, the
 * local-disk key only with the AwsKms provider (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html)
 * or with none named: EMR requires a provider type, so a key without one is checked rather than passed over.
 */
function keyPurposes(body: unknown): Map<string, Set<KeyPurpose>> {
  const atRest = at(body, 'EncryptionConfiguration', 'AtRestEncryptionConfiguration')
  const s3Mode = at(atRest, 'S3EncryptionConfiguration', 'EncryptionMode')
  const diskProvider = at(atRest, 'LocalDiskEncryptionConfiguration', 'EncryptionKeyProviderType')
  const uses: Array<[unknown, KeyPurpose, boolean]> = [
    [at(atRest, 'S3EncryptionConfiguration', 'AwsKmsKey'), 's3', typeof s3Mode === 'string' && S3_KMS_MODES.has(s3Mode.toUpperCase())],
    [at(atRest, 'LocalDiskEncryptionConfiguration', 'AwsKmsKey'), 'local-disk', diskProvider === undefined || diskProvider === 'AwsKms'],
  ]
  const purposes = new Map<string, Set<KeyPurpose>>()
  for (const [reference, purpose, used] of uses) {
    if (typeof reference !== 'string' || reference === '' || !used) continue
    purposes.set(reference, (purposes.get(reference) ?? new Set<KeyPurpose>()).add(purpose))
  }
  return purposes
}

export default defineRule({
  id: 'EMR-SECCFG-004',
  group: 'SECCFG',
  title: 'KMS keys named in security configurations are usable by the right roles',
  severity: 'high',
  rationale:
    'Clusters fail to bootstrap, or cannot read and write encrypted data, when the key is disabled, of the wrong kind, in another region, or not usable by the cluster roles.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html'],
  remediation: {
    summary: 'Add the roles as key users (kms:PutKeyPolicy), or grant the KMS actions in their IAM policies when the key policy delegates to IAM.',
    autoApply: 'no',
  },
  decidesAccess: true,
  dependsOn: ['emr.clusters'],
  reads: ['emr.securityConfigurations', 'kms.keys', 'iam.authorizationDetails', 'iam.instanceProfiles'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    const account = inventory.account.id
    for (const cluster of inventory.emr.clusters) {
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status !== 'found') continue
      const ebs = isTrue(
        at(configuration.body, 'EncryptionConfiguration', 'AtRestEncryptionConfiguration', 'LocalDiskEncryptionConfiguration', 'EnableEbsEncryption'),
      )
      const ec2Roles = ec2RolesOf(cluster, index)
      const emrfsRoles = emrfsRoleMappings(configuration.body).flatMap((arn) => index.roleByReference(arn) ?? [])
      const serviceRole = ebs && cluster.serviceRole ? index.roleByReference(cluster.serviceRole) : undefined
      const usersFor = (purposes: ReadonlySet<KeyPurpose>): KeyUser[] => [
        ...ec2Roles.map((role) => ({role, actions: DATA_KEY_ACTIONS, as: 'EC2 role'})),
        ...(purposes.has('s3') ? emrfsRoles.map((role) => ({role, actions: DATA_KEY_ACTIONS, as: 'EMRFS role'})) : []),
        ...(purposes.has('local-disk') && serviceRole
          ? [{role: serviceRole, actions: [...DATA_KEY_ACTIONS, 'kms:CreateGrant'], as: 'service role (EBS encryption)'}]
          : []),
      ]
      for (const [reference, purposes] of keyPurposes(configuration.body)) {
        const users = usersFor(purposes)
        const base = {resource: clusterResource(cluster), subKey: reference}
        const key = keyInRegion(inventory.kmsKeys, reference, cluster.region)
        if (!key) {
          outcomes.push({...base, status: 'unknown', message: `Could not check KMS key ${reference} of cluster ${cluster.id}: it could not be described.`})
          continue
        }
        const problems = [
          ...(key.found ? [] : ['the key does not exist']),
          ...(key.found && key.keyState !== 'Enabled' ? [`its state is ${key.keyState ?? 'unknown'}`] : []),
          ...(key.found && key.keySpec && key.keySpec !== 'SYMMETRIC_DEFAULT' ? [`its spec is ${key.keySpec}, not SYMMETRIC_DEFAULT`] : []),
          ...(key.found && parseArn(key.arn ?? '')?.region && parseArn(key.arn ?? '')?.region !== cluster.region
            ? [`it is in ${parseArn(key.arn ?? '')?.region}, not ${cluster.region}`]
            : []),
        ]
        const unusable: string[] = []
        const unsure: string[] = []
        if (key.found) {
          for (const user of users) {
            const results = user.actions.map((action) => canUseKey(user.role, key, action, account, index))
            if (results.includes('deny')) unusable.push(`${user.as} ${user.role.name}`)
            else if (results.includes('unknown')) unsure.push(`${user.as} ${user.role.name}`)
          }
        }
        const evidence = {
          key: key.arn ?? reference,
          keyState: key.keyState,
          keySpec: key.keySpec,
          problems,
          unusableBy: unusable,
          ...(key.policyError ? {keyPolicy: `not readable: ${key.policyError}`} : {}),
        }
        if (problems.length > 0 || unusable.length > 0) {
          outcomes.push({
            ...base,
            status: 'fail',
            message: `KMS key ${reference} of cluster ${cluster.id} is not usable: ${[...problems, ...unusable.map((who) => `${who} may not use it`)].join('; ')}.`,
            evidence,
          })
        } else if (unsure.length > 0) {
          outcomes.push({
            ...base,
            status: 'unknown',
            message: `Could not verify that ${unsure.join(', ')} may use KMS key ${reference}${key.policyError ? ' (its key policy could not be read)' : ''}.`,
            evidence,
          })
        } else {
          outcomes.push({...base, status: 'pass', message: `KMS key ${reference} is enabled and usable by the roles of cluster ${cluster.id}.`, evidence})
        }
      }
    }
    return outcomes
  },
})
