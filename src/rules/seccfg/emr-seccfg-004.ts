import type {Role} from '../../inventory/schema.js'
import {at, configurationOf, isTrue, kmsKeysOf} from '../../inventory/security-configuration.js'
import {parseArn} from '../../policy/match.js'
import {clusterResource, ec2RolesOf} from '../helpers.js'
import {canUseKey} from '../kms-access.js'
import {emrfsRoleMappings} from '../scope.js'
import {defineRule, type RuleOutcome} from '../types.js'

export default defineRule({
  id: 'EMR-SECCFG-004',
  group: 'SECCFG',
  title: 'KMS keys named in security configurations are usable by the right roles',
  severity: 'high',
  rationale: 'Clusters fail to bootstrap, or cannot read and write encrypted data, when the key is disabled, of the wrong kind, in another region, or not usable by the cluster roles.',
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html'],
  remediation: {summary: 'Add the roles as key users (kms:PutKeyPolicy), or grant the KMS actions in their IAM policies when the key policy delegates to IAM.', autoApply: 'no'},
  dependsOn: ['emr.clusters'],
  evaluate(inventory, {index}) {
    const outcomes: RuleOutcome[] = []
    const account = inventory.account.id
    for (const cluster of inventory.emr.clusters) {
      const configuration = configurationOf(inventory, index, cluster)
      if (configuration.status !== 'found') continue
      const ebs = isTrue(at(configuration.body, 'EncryptionConfiguration', 'AtRestEncryptionConfiguration', 'LocalDiskEncryptionConfiguration', 'EnableEbsEncryption'))
      const users: Array<{role: Role; actions: string[]; as: string}> = [
        ...ec2RolesOf(cluster, index).map((role) => ({role, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], as: 'EC2 role'})),
        ...emrfsRoleMappings(configuration.body).flatMap((arn) => {
          const role = index.roleByReference(arn)
          return role ? [{role, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], as: 'EMRFS role'}] : []
        }),
        ...(ebs && cluster.serviceRole && index.roleByReference(cluster.serviceRole) ? [{role: index.roleByReference(cluster.serviceRole) as Role, actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant'], as: 'service role (EBS encryption)'}] : []),
      ]
      for (const reference of kmsKeysOf(configuration.body)) {
        const base = {resource: clusterResource(cluster), subKey: reference}
        const key = inventory.kmsKeys.find((entry) => entry.reference === reference)
        if (!key) {
          outcomes.push({...base, status: 'unknown', message: `Could not check KMS key ${reference} of cluster ${cluster.id}: it could not be described.`})
          continue
        }
        const problems = [
          ...(key.found ? [] : ['the key does not exist']),
          ...(key.found && key.keyState !== 'Enabled' ? [`its state is ${key.keyState ?? 'unknown'}`] : []),
          ...(key.found && key.keySpec && key.keySpec !== 'SYMMETRIC_DEFAULT' ? [`its spec is ${key.keySpec}, not SYMMETRIC_DEFAULT`] : []),
          ...(key.found && parseArn(key.arn ?? '')?.region && parseArn(key.arn ?? '')?.region !== cluster.region ? [`it is in ${parseArn(key.arn ?? '')?.region}, not ${cluster.region}`] : []),
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
        const evidence = {key: key.arn ?? reference, keyState: key.keyState, keySpec: key.keySpec, problems, unusableBy: unusable, ...(key.policyError ? {keyPolicy: `not readable: ${key.policyError}`} : {})}
        if (problems.length > 0 || unusable.length > 0) {
          outcomes.push({...base, status: 'fail', message: `KMS key ${reference} of cluster ${cluster.id} is not usable: ${[...problems, ...unusable.map((who) => `${who} may not use it`)].join('; ')}.`, evidence})
        } else if (unsure.length > 0) {
          outcomes.push({...base, status: 'unknown', message: `Could not verify that ${unsure.join(', ')} may use KMS key ${reference}${key.policyError ? ' (its key policy could not be read)' : ''}.`, evidence})
        } else {
          outcomes.push({...base, status: 'pass', message: `KMS key ${reference} is enabled and usable by the roles of cluster ${cluster.id}.`, evidence})
        }
      }
    }
    return outcomes
  },
})
