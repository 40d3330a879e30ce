import {evaluateIdentityAccess} from '../../policy/evaluate.js'
import {canUseKey, keyInRegion} from '../kms-access.js'
import type {Inventory} from '../../inventory/schema.js'
import {defineRule, type RuleOutcome} from '../types.js'
import {parseS3Location, studioResource} from './studio-helpers.js'
import {IDENTITY_POLICY_SOURCES} from '../helpers.js'

const KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey']

/** Studios with a backup location and a service role to reach it. */
const backedUpStudios = (inventory: Inventory) => inventory.emr.studios.filter((studio) => studio.defaultS3Location && studio.serviceRole)

export default defineRule({
  id: 'EMR-STUDIO-004',
  group: 'STUDIO',
  title: 'Studio service role can use the Workspace backup location',
  severity: 'high',
  rationale: "Notebooks cannot be saved or restored when the service role lacks the S3 (and KMS) permissions on the Studio's default S3 location.",
  // The Studio service role page lists kms:ReEncrypt, which is not an action: ReEncryptFrom/ReEncryptTo are checked.
  sources: ['https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html'],
  remediation: {
    summary:
      'iam:PutRolePolicy with s3:PutObject, GetObject, DeleteObject on bucket/prefix* and s3:ListBucket, GetEncryptionConfiguration on the bucket (KMS key-policy changes are advisory).',
    autoApply: 'no',
  },
  autoApplyNote:
    "stricter than the catalog's guarded for the S3 statement: the bucket comes from the Studio's DefaultS3Location, which whoever may update the Studio can point at any bucket, so an automatic grant would give the Studio service role read and write access to it; KMS key-policy changes are advisory in the catalog too.",
  decidesAccess: true,
  dependsOn: ['iam.authorizationDetails'],
  checks: 'Studio backup location access',
  needsGlobalSourcesWhen: (inventory) => backedUpStudios(inventory).length > 0,
  reads: ['emr.studios', 's3.bucketEncryption', 'kms.keys', ...IDENTITY_POLICY_SOURCES],
  evaluate(inventory, {index}) {
    const studios = backedUpStudios(inventory)
    if (studios.length === 0) return []
    const {partition, id: account} = inventory.account
    return studios.flatMap((studio): RuleOutcome[] => {
      const resource = studioResource(studio)
      const role = index.roleByReference(studio.serviceRole as string)
      const location = parseS3Location(studio.defaultS3Location as string)
      if (!role || !location) return [] // EMR-STUDIO-001 reports a missing role; a malformed location is rejected by EMR itself.
      const bucketArn = `arn:${partition}:s3:::${location.bucket}`
      const objects = `${bucketArn}/${location.prefix}emr-audit-probe-object`
      const requests = [
        ...['s3:PutObject', 's3:GetObject', 's3:DeleteObject'].map((action) => ({action, resource: objects})),
        ...['s3:ListBucket', 's3:GetEncryptionConfiguration'].map((action) => ({action, resource: bucketArn})),
      ]
      const decisions = requests.map((request) => ({
        action: request.action,
        decision: evaluateIdentityAccess(index.identityPolicies(role), request, index.permissionsBoundary(role)).decision,
      }))
      const missing = decisions.filter((entry) => entry.decision === 'implicit-deny' || entry.decision === 'explicit-deny').map((entry) => entry.action)
      let unsure = decisions.some((entry) => entry.decision === 'unknown')
      // KMS: the Studio's own key, or a customer managed key the bucket encrypts with.
      const bucket = inventory.s3Buckets.find((entry) => entry.bucket === location.bucket)
      const bucketKey = bucket?.rules.find((rule) => rule.algorithm.startsWith('aws:kms') && rule.kmsKeyId)?.kmsKeyId
      const keyReference = studio.encryptionKeyArn ?? bucketKey
      if (!bucket && !studio.encryptionKeyArn) unsure = true
      if (keyReference) {
        const key = keyInRegion(inventory.kmsKeys, keyReference, studio.region)
        if (!key) unsure = true
        // DescribeKey answered NotFoundException: nothing can be encrypted or decrypted with it.
        else if (!key.found) missing.push(`use ${keyReference} (the key does not exist)`)
        else {
          for (const action of KMS_ACTIONS) {
            const use = canUseKey(role, key, action, account, index)
            if (use === 'deny') missing.push(`${action} on ${keyReference}`)
            if (use === 'unknown') unsure = true
          }
        }
      }
      const evidence = {serviceRole: role.arn, location: studio.defaultS3Location, bucketKey: bucketKey ?? null, studioKey: studio.encryptionKeyArn ?? null}
      if (missing.length > 0)
        return [
          {
            status: 'fail',
            resource,
            message: `Studio ${studio.id}'s service role ${role.name} may not ${missing.join(', ')} for ${studio.defaultS3Location}; Workspaces cannot be saved or restored.`,
            evidence,
          },
        ]
      if (unsure)
        return [
          {
            status: 'unknown',
            resource,
            message: `Could not fully check access of ${role.name} to ${studio.defaultS3Location} (bucket encryption, key or a conditional policy not known).`,
            evidence,
          },
        ]
      return [{status: 'pass', resource, message: `Studio ${studio.id}'s service role can read and write ${studio.defaultS3Location}.`, evidence}]
    })
  },
})
